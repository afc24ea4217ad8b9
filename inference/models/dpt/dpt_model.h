#pragma once
// Internal to inference/: transformers' DPTForDepthEstimation (hybrid), its image
// pre-processing, and loading it from a depth model folder or a .safetensors file.
// Module names are the checkpoint's names (`dpt.`, `neck.`, `head.`), so loading is
// loadWeightsStrict: every tensor present with the right shape, nothing left over.
#include "inference/models/dpt/dpt_config.h"

#include <ATen/Tensor.h>
#include <torch/nn/module.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace atelier::inference {

class DptForDepthEstimation : public torch::nn::Module {
public:
    explicit DptForDepthEstimation(const DptConfig& config);
    // pixelValues [B, 3, image_size, image_size] -> predicted_depth [B, image_size, image_size]
    // (relative inverse depth: non-negative, larger = nearer). Runs under InferenceMode.
    at::Tensor forward(const at::Tensor& pixelValues);
    const DptConfig& config() const { return config_; }
    int64_t parameterCount() const;

private:
    DptConfig config_;
    struct Parts;
    std::shared_ptr<Parts> parts_;
};

// DPTImageProcessor on one RGB8 image (row-major, 3 bytes per pixel): Pillow-exact resize to the
// processor size, then x * rescale_factor and (x - mean) / std in float32, as transformers does.
// Returns [1, 3, height, width].
at::Tensor dptPixelValues(const std::vector<uint8_t>& rgb, int width, int height,
                          const DptProcessorConfig& processor);

// Where a depth estimator's files are. `path` is a depth model folder holding depth_estimator/
// (and feature_extractor/), the estimator's own folder (config.json + model.safetensors), or a
// .safetensors file (config.json / preprocessor_config.json beside it are used when present;
// otherwise Intel/dpt-hybrid-midas's sizes). Throws WeightsError naming what is missing.
struct DptFiles {
    std::string weights;
    std::string config;     // empty: DptConfig::dptHybridMidas()
    std::string processor;  // empty: DptProcessorConfig::defaultsFor(config)
};
DptFiles findDptFiles(const std::string& path);

struct LoadedDpt {
    std::shared_ptr<DptForDepthEstimation> model;
    DptProcessorConfig processor;
    DptFiles files;
};
// Reads the configs, checks every tensor's name, shape and dtype against the architecture they
// describe and only then copies the weights. Throws WeightsError.
LoadedDpt loadDpt(const std::string& path);

}  // namespace atelier::inference
