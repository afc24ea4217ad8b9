#pragma once
// Internal to inference/: DPT's neck (`neck.reassemble_stage`, `neck.convs`,
// `neck.fusion_stage`) and depth head (`head.head.{0,2,4}`), transformers' weight names.
// Hybrid reassembly: the two BiT features pass through unchanged; the two selected ViT layers
// are read out ("project": [CLS] concatenated to every token, Linear + GELU), turned into
// [B, hidden, g, g] maps, projected to neck_hidden_sizes and resized by reassemble_factors.
#include "inference/models/dpt/dpt_config.h"

#include <ATen/Tensor.h>
#include <torch/nn/module.h>

#include <memory>
#include <vector>

namespace atelier::inference {

class DptNeck : public torch::nn::Module {
public:
    explicit DptNeck(const DptConfig& config);
    // features: 2 backbone maps then 2 ViT layer outputs ([B, 1 + g*g, hidden]).
    // Returns the 4 fused maps, deepest first (as DPTFeatureFusionStage).
    std::vector<at::Tensor> forward(const std::vector<at::Tensor>& features);

private:
    struct Impl;
    std::shared_ptr<Impl> impl_;
};

// DPTDepthEstimationHead: conv, x2 bilinear (align_corners), conv, ReLU, 1x1 conv, ReLU.
class DptDepthHead : public torch::nn::Module {
public:
    explicit DptDepthHead(const DptConfig& config);
    at::Tensor forward(const std::vector<at::Tensor>& fused);  // -> [B, H, W]

private:
    struct Impl;
    std::shared_ptr<Impl> impl_;
};

}  // namespace atelier::inference
