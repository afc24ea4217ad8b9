#include "inference/models/dpt/bit_backbone.h"

#include <ATen/Functions.h>
#include <ATen/TensorOperators.h>

#include <algorithm>
#include <cmath>
#include <string>

namespace atelier::inference {

int64_t samePaddingTotal(int64_t size, int64_t kernel, int64_t stride, int64_t dilation) {
    const int64_t outputs = (size + stride - 1) / stride;
    return std::max<int64_t>((outputs - 1) * stride + (kernel - 1) * dilation + 1 - size, 0);
}

namespace {

at::Tensor padSame(const at::Tensor& x, int64_t kernel, int64_t stride, int64_t dilation) {
    const int64_t ph = samePaddingTotal(x.size(2), kernel, stride, dilation);
    const int64_t pw = samePaddingTotal(x.size(3), kernel, stride, dilation);
    if (ph == 0 && pw == 0) return x;
    return at::constant_pad_nd(x, {pw / 2, pw - pw / 2, ph / 2, ph - ph / 2}, 0.0);
}

// Non-preactivation bottleneck (BitBottleneckLayer): 1x1 -> 3x3 (strided) -> 1x1, group norm
// after each, ReLU after the residual sum; the first layer of a stage has a projection shortcut.
class BottleneckLayer : public torch::nn::Module {
public:
    BottleneckLayer(const BitConfig& c, int64_t in, int64_t out, int64_t stride, int64_t dilation,
                    bool firstLayer) {
        const int64_t midChannels = bitMakeDivisible(double(out) * 0.25);  // bottle_ratio 0.25
        if (firstLayer) {
            downsampleConv_ = std::make_shared<WeightStandardizedConv2d>(in, out, 1, stride, 1,
                                                                         c.samePadding, 1e-8);
            downsampleNorm_ = std::make_shared<GroupNormActivation>(c.numGroups, out, false);
            auto downsample = register_module("downsample", std::make_shared<torch::nn::Module>());
            downsample->register_module("conv", downsampleConv_);
            downsample->register_module("norm", downsampleNorm_);
        }
        conv1_ = register_module("conv1", std::make_shared<WeightStandardizedConv2d>(
                                              in, midChannels, 1, 1, 1, c.samePadding, 1e-8));
        norm1_ = register_module(
            "norm1", std::make_shared<GroupNormActivation>(c.numGroups, midChannels, true));
        conv2_ = register_module(
            "conv2", std::make_shared<WeightStandardizedConv2d>(midChannels, midChannels, 3, stride,
                                                                dilation, c.samePadding, 1e-8));
        norm2_ = register_module(
            "norm2", std::make_shared<GroupNormActivation>(c.numGroups, midChannels, true));
        conv3_ = register_module("conv3", std::make_shared<WeightStandardizedConv2d>(
                                              midChannels, out, 1, 1, 1, c.samePadding, 1e-8));
        norm3_ = register_module("norm3",
                                 std::make_shared<GroupNormActivation>(c.numGroups, out, false));
    }

    at::Tensor forward(const at::Tensor& x) {
        const at::Tensor shortcut =
            downsampleConv_ ? downsampleNorm_->forward(downsampleConv_->forward(x)) : x;
        at::Tensor h = norm1_->forward(conv1_->forward(x));
        h = norm2_->forward(conv2_->forward(h));
        h = norm3_->forward(conv3_->forward(h));
        return at::relu(h + shortcut);
    }

private:
    std::shared_ptr<WeightStandardizedConv2d> downsampleConv_, conv1_, conv2_, conv3_;
    std::shared_ptr<GroupNormActivation> downsampleNorm_, norm1_, norm2_, norm3_;
};

}  // namespace

WeightStandardizedConv2d::WeightStandardizedConv2d(int64_t in, int64_t out, int64_t kernel,
                                                   int64_t stride, int64_t dilation,
                                                   bool samePadding, double eps)
    : kernel_(kernel), stride_(stride), dilation_(dilation), eps_(eps) {
    // transformers' get_padding_value: "SAME" is static when stride 1 and the kernel is odd,
    // dynamic otherwise; any other setting pads symmetrically.
    const int64_t symmetric = ((stride - 1) + dilation * (kernel - 1)) / 2;
    dynamicPadding_ = samePadding && !(stride == 1 && (dilation * (kernel - 1)) % 2 == 0);
    staticPadding_ = dynamicPadding_ ? 0 : symmetric;
    weight_ = register_parameter("weight", at::empty({out, in, kernel, kernel}), false);
    at::NoGradGuard noGrad;
    weight_.normal_(0.0, 1.0 / std::sqrt(double(in * kernel * kernel)));
}

at::Tensor WeightStandardizedConv2d::forward(const at::Tensor& x) {
    const at::Tensor input = dynamicPadding_ ? padSame(x, kernel_, stride_, dilation_) : x;
    // As transformers: batch_norm in training mode over the flattened weight of each output
    // channel.
    const at::Tensor standardized =
        at::batch_norm(weight_.reshape({1, weight_.size(0), -1}), {}, {}, {}, {},
                       /*training=*/true, /*momentum=*/0.0, eps_, /*cudnn_enabled=*/false)
            .reshape_as(weight_);
    return at::conv2d(input, standardized, {}, {stride_, stride_}, {staticPadding_, staticPadding_},
                      {dilation_, dilation_});
}

GroupNormActivation::GroupNormActivation(int64_t groups, int64_t channels, bool activation)
    : groups_(groups), activation_(activation) {
    weight_ = register_parameter("weight", at::ones({channels}), false);
    bias_ = register_parameter("bias", at::zeros({channels}), false);
}

at::Tensor GroupNormActivation::forward(const at::Tensor& x) {
    at::Tensor y = at::group_norm(x, groups_, weight_, bias_, 1e-5);
    return activation_ ? at::relu(y) : y;
}

struct BitBackbone::Impl {
    BitConfig config;
    std::shared_ptr<WeightStandardizedConv2d> stemConv;
    std::shared_ptr<GroupNormActivation> stemNorm;
    std::vector<std::vector<std::shared_ptr<BottleneckLayer>>> stages;
};

BitBackbone::BitBackbone(const BitConfig& config) : impl_(std::make_shared<Impl>()) {
    impl_->config = config;
    auto bit = register_module("bit", std::make_shared<torch::nn::Module>());
    auto embedder = bit->register_module("embedder", std::make_shared<torch::nn::Module>());
    impl_->stemConv = embedder->register_module(
        "convolution",
        std::make_shared<WeightStandardizedConv2d>(config.numChannels, config.embeddingSize, 7, 2,
                                                   1, config.samePadding, 1e-8));
    impl_->stemNorm = embedder->register_module(
        "norm",
        std::make_shared<GroupNormActivation>(config.numGroups, config.embeddingSize, true));
    auto encoder = bit->register_module("encoder", std::make_shared<torch::nn::Module>());
    auto stagesModule = encoder->register_module("stages", std::make_shared<torch::nn::Module>());
    // BitEncoder: the stem has stride 4; stage 0 keeps it, later stages halve, turning into
    // dilation once output_stride is reached.
    int64_t previous = config.embeddingSize, currentStride = 4, dilation = 1;
    for (size_t s = 0; s < config.depths.size(); ++s) {
        const int64_t out = config.stageChannels(s);
        int64_t stride = s == 0 ? 1 : 2;
        if (currentStride >= config.outputStride) {
            dilation *= stride;
            stride = 1;
        }
        auto stage =
            stagesModule->register_module(std::to_string(s), std::make_shared<torch::nn::Module>());
        auto layersModule = stage->register_module("layers", std::make_shared<torch::nn::Module>());
        std::vector<std::shared_ptr<BottleneckLayer>> layers;
        int64_t firstDilation = (dilation == 1 || dilation == 2) ? 1 : 2;
        for (int64_t l = 0; l < config.depths[s]; ++l) {
            layers.push_back(layersModule->register_module(
                std::to_string(l),
                std::make_shared<BottleneckLayer>(config, previous, out, l == 0 ? stride : 1,
                                                  firstDilation, l == 0)));
            previous = out;
            firstDilation = dilation;
        }
        impl_->stages.push_back(std::move(layers));
        currentStride *= stride;
    }
}

std::vector<at::Tensor> BitBackbone::forward(const at::Tensor& pixels) {
    const BitConfig& c = impl_->config;
    at::Tensor h = impl_->stemConv->forward(pixels);
    if (!c.samePadding) h = at::constant_pad_nd(h, {1, 1, 1, 1}, 0.0);
    h = impl_->stemNorm->forward(h);
    if (c.embeddingDynamicPadding) h = padSame(h, 3, 2, 1);
    h = at::max_pool2d(h, {3, 3}, {2, 2});
    std::vector<at::Tensor> features;
    for (auto& stage : impl_->stages) {
        for (auto& layer : stage) h = layer->forward(h);
        features.push_back(h);
    }
    return features;
}

}  // namespace atelier::inference
