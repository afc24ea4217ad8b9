#pragma once
// The depth estimator of SD2's depth2img: DPT-Hybrid (MiDaS), as transformers'
// DPTForDepthEstimation, with depth2img's image pre-processing. Plain C++ API (pimpl).
//
// Depth convention, everywhere in Atelier: a depth map is *relative inverse depth*, as MiDaS
// predicts it: larger values are nearer to the viewer (white = near in a grey image), only its
// normalised shape matters (see depth_map.h).
#include "inference/image_types.h"

#include <cstdint>
#include <memory>
#include <string>

namespace atelier::inference {

class DepthEstimator {
public:
    // `path`: a depth model folder with depth_estimator/ (+ feature_extractor/), the estimator's
    // own folder (config.json + model.safetensors [+ preprocessor_config.json]), or a
    // .safetensors in transformers' naming (config.json beside it is used when present, else
    // Intel/dpt-hybrid-midas's sizes). Throws WeightsError (safetensors_file.h) naming the file
    // and what is wrong: missing or mis-shaped tensors, bad configs, truncated files.
    static DepthEstimator load(const std::string& path);
    // Random weights of the architecture in `configJson` (empty: Intel/dpt-hybrid-midas), for
    // benchmarks and tests.
    static DepthEstimator withRandomWeights(const std::string& configJson = {}, uint64_t seed = 0);

    DepthEstimator(DepthEstimator&&) noexcept;
    DepthEstimator& operator=(DepthEstimator&&) noexcept;
    ~DepthEstimator();

    // predicted_depth of `image` at the working resolution (workingWidth x workingHeight):
    // the image is resized as depth2img's feature extractor does (Pillow bicubic), normalised,
    // and run through the network. Throws std::invalid_argument for an empty or malformed image.
    FloatImage estimate(const Rgb8Image& image) const;

    int workingWidth() const;
    int workingHeight() const;
    int64_t parameterCount() const;
    const std::string& weightsPath() const;  // empty for random weights

private:
    struct Impl;
    explicit DepthEstimator(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace atelier::inference
