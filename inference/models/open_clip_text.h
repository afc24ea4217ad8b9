#pragma once
// Internal to inference/: open_clip's text tower as SD2's FrozenOpenCLIPEmbedder runs it: token +
// positional embeddings, causal pre-LN transformer blocks (exact GELU) up to the penultimate
// layer, then ln_final. Names as in the original checkpoint under `cond_stage_model.model.`
// (`transformer.resblocks.0.attn.in_proj_weight`, ...). The last trained block, the projection
// and logit_scale are in the file but SD2 never runs them: they are not part of this module.
#include "inference/models/model_configs.h"

#include <ATen/Tensor.h>
#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>

#include <memory>
#include <string>
#include <vector>

namespace atelier::inference {

class OpenClipTextImpl : public torch::nn::Module {
public:
    OpenClipTextImpl(const TextEncoderConfig& config, const at::TensorOptions& options);
    // ids [B, 77] int64 -> conditioning [B, 77, width].
    at::Tensor forward(const at::Tensor& ids);
    const TextEncoderConfig& config() const { return config_; }

private:
    struct ResidualAttentionBlock;
    TextEncoderConfig config_;
    std::shared_ptr<torch::nn::Module> tokenEmbedding_, lnFinal_;
    at::Tensor positionalEmbedding_;
    std::vector<std::shared_ptr<ResidualAttentionBlock>> blocks_;
};
TORCH_MODULE(OpenClipText);

// The checkpoint entries SD2 does not run (the last block, text_projection, logit_scale), given
// the names found in a file; loading skips them.
std::vector<std::string> unusedOpenClipTextNames(const TextEncoderConfig& config,
                                                 const std::vector<std::string>& namesInFile);

}  // namespace atelier::inference
