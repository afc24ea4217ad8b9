#pragma once
// Internal to inference/: DPT-Hybrid's transformer trunk, transformers' `dpt.*` weights:
// `dpt.embeddings` (BiT backbone, 1x1 projection of its last stage to tokens, [CLS] token,
// position embeddings), `dpt.encoder.layer.N` (pre-norm ViT layers) and `dpt.layernorm`
// (present in the checkpoint; depth estimation does not use its output).
#include "inference/models/dpt/bit_backbone.h"
#include "inference/models/dpt/dpt_config.h"

#include <ATen/Tensor.h>
#include <torch/nn/module.h>

#include <memory>
#include <vector>

namespace atelier::inference {

struct DptTrunkOutput {
    std::vector<at::Tensor> backboneFeatures;  // BiT stages 1 and 2 (the neck's skip inputs)
    std::vector<at::Tensor> layerOutputs;      // [B, 1 + tokens, hidden] after each ViT layer
};

class DptTrunk : public torch::nn::Module {
public:
    explicit DptTrunk(const DptConfig& config);
    // pixels: [B, 3, image_size, image_size], normalised.
    DptTrunkOutput forward(const at::Tensor& pixels);

private:
    struct Impl;
    std::shared_ptr<Impl> impl_;
};

}  // namespace atelier::inference
