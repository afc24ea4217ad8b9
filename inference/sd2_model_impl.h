#pragma once
// Internal to inference/: what an Sd2Model holds. Pipelines (torch side) reach the networks here.
#include "inference/models/model_loader.h"
#include "inference/sd2_model.h"
#include "inference/tokenizer/clip_tokenizer.h"

#include <ATen/Tensor.h>

#include <optional>

namespace atelier::inference {

struct Sd2Model::Impl {
    ModelCheckpoint checkpoint;
    ModelSummary summary;
    NetworkOptions networkOptions;  // UNet and text encoder
    NetworkOptions vaeOptions;
    UNetModel unetNet{nullptr};
    AutoencoderKL vaeNet{nullptr};
    OpenClipText textNet{nullptr};
    std::optional<ClipTokenizer> tokenizerInstance;

    UNetModel& unet();
    AutoencoderKL& vae();
    OpenClipText& text();
    const ClipTokenizer& tokenizer();
    // [B, 77, width] conditioning for each prompt, on the network device and dtype.
    at::Tensor encode(const std::vector<std::string>& prompts);
};

void applyThreads(int threads);  // see ModelOptions::threads
NetworkOptions parseNetworkOptions(const std::string& device, const std::string& dtype);
FloatTensor toFloatTensor(const at::Tensor& tensor);

}  // namespace atelier::inference
