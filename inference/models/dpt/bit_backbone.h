#pragma once
// Internal to inference/: transformers' BiT backbone as DPT-Hybrid uses it (a ResNet-50-style
// stem and bottleneck stages with weight-standardised convolutions, group norm and TensorFlow
// "SAME" padding). Module names are transformers' weight names below `...backbone.`:
// `bit.embedder.convolution`, `bit.embedder.norm`, `bit.encoder.stages.S.layers.L.{conv1,...}`.
#include "inference/models/dpt/dpt_config.h"

#include <ATen/Tensor.h>
#include <torch/nn/module.h>

#include <memory>
#include <vector>

namespace atelier::inference {

// Conv2d whose weight is standardised (zero mean, unit variance per output channel) at every
// call, with TF "SAME" padding computed from the input size when the stride requires it.
class WeightStandardizedConv2d : public torch::nn::Module {
public:
    WeightStandardizedConv2d(int64_t in, int64_t out, int64_t kernel, int64_t stride,
                             int64_t dilation, bool samePadding, double eps);
    at::Tensor forward(const at::Tensor& x);

private:
    at::Tensor weight_;
    int64_t kernel_, stride_, dilation_, staticPadding_;
    bool dynamicPadding_;
    double eps_;
};

// nn.GroupNorm (eps 1e-5) followed by ReLU unless `activation` is false.
class GroupNormActivation : public torch::nn::Module {
public:
    GroupNormActivation(int64_t groups, int64_t channels, bool activation);
    at::Tensor forward(const at::Tensor& x);

private:
    at::Tensor weight_, bias_;
    int64_t groups_;
    bool activation_;
};

// The backbone: returns the outputs of the three stages (strides 4, 8, 16).
class BitBackbone : public torch::nn::Module {
public:
    explicit BitBackbone(const BitConfig& config);
    std::vector<at::Tensor> forward(const at::Tensor& pixels);

private:
    struct Impl;
    std::shared_ptr<Impl> impl_;
};

// TF "SAME" padding: total padding so that the output has ceil(size / stride) samples.
int64_t samePaddingTotal(int64_t size, int64_t kernel, int64_t stride, int64_t dilation);

}  // namespace atelier::inference
