#include "inference/models/dpt/dpt_vit.h"

#include "inference/models/attention.h"

#include <ATen/Functions.h>
#include <ATen/TensorOperators.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/modules/normalization.h>

#include <cmath>
#include <string>

namespace atelier::inference {
namespace {

torch::nn::Linear linear(int64_t in, int64_t out, bool bias = true) {
    return torch::nn::Linear(torch::nn::LinearOptions(in, out).bias(bias));
}

torch::nn::LayerNorm layerNorm(int64_t size, double eps) {
    return torch::nn::LayerNorm(torch::nn::LayerNormOptions({size}).eps(eps));
}

// DPTViTLayer: x + attn(LN(x)), then h + MLP(LN(h)); exact (erf) GELU.
class VitLayer : public torch::nn::Module {
public:
    VitLayer(const DptConfig& c) : heads_(c.numAttentionHeads) {
        auto attention = register_module("attention", std::make_shared<torch::nn::Module>());
        auto self = attention->register_module("attention", std::make_shared<torch::nn::Module>());
        query_ = self->register_module("query", linear(c.hiddenSize, c.hiddenSize, c.qkvBias));
        key_ = self->register_module("key", linear(c.hiddenSize, c.hiddenSize, c.qkvBias));
        value_ = self->register_module("value", linear(c.hiddenSize, c.hiddenSize, c.qkvBias));
        auto output = attention->register_module("output", std::make_shared<torch::nn::Module>());
        attentionOut_ = output->register_module("dense", linear(c.hiddenSize, c.hiddenSize));
        auto intermediate = register_module("intermediate", std::make_shared<torch::nn::Module>());
        fc1_ = intermediate->register_module("dense", linear(c.hiddenSize, c.intermediateSize));
        auto out = register_module("output", std::make_shared<torch::nn::Module>());
        fc2_ = out->register_module("dense", linear(c.intermediateSize, c.hiddenSize));
        normBefore_ = register_module("layernorm_before", layerNorm(c.hiddenSize, c.layerNormEps));
        normAfter_ = register_module("layernorm_after", layerNorm(c.hiddenSize, c.layerNormEps));
    }

    at::Tensor forward(const at::Tensor& x) {
        const int64_t B = x.size(0), N = x.size(1), C = x.size(2), D = C / heads_;
        const at::Tensor normed = normBefore_->forward(x);
        auto split = [&](const at::Tensor& t) {
            return t.view({B, N, heads_, D}).permute({0, 2, 1, 3});
        };
        const at::Tensor context =
            attention(split(query_->forward(normed)), split(key_->forward(normed)),
                      split(value_->forward(normed)))
                .permute({0, 2, 1, 3})
                .reshape({B, N, C});
        const at::Tensor h = attentionOut_->forward(context) + x;
        return fc2_->forward(at::gelu(fc1_->forward(normAfter_->forward(h)))) + h;
    }

private:
    int64_t heads_;
    torch::nn::Linear query_{nullptr}, key_{nullptr}, value_{nullptr}, attentionOut_{nullptr},
        fc1_{nullptr}, fc2_{nullptr};
    torch::nn::LayerNorm normBefore_{nullptr}, normAfter_{nullptr};
};

}  // namespace

struct DptTrunk::Impl {
    DptConfig config;
    std::shared_ptr<BitBackbone> backbone;
    torch::nn::Conv2d projection{nullptr};
    at::Tensor clsToken, positionEmbeddings;
    std::vector<std::shared_ptr<VitLayer>> layers;
};

DptTrunk::DptTrunk(const DptConfig& config) : impl_(std::make_shared<Impl>()) {
    Impl& m = *impl_;
    m.config = config;
    auto embeddings = register_module("embeddings", std::make_shared<torch::nn::Module>());
    m.backbone =
        embeddings->register_module("backbone", std::make_shared<BitBackbone>(config.backbone));
    m.projection = embeddings->register_module(
        "projection", torch::nn::Conv2d(torch::nn::Conv2dOptions(config.backboneFeatureChannels,
                                                                 config.hiddenSize, 1)));
    const int64_t tokens = config.patchGrid() * config.patchGrid();
    m.clsToken =
        embeddings->register_parameter("cls_token", at::zeros({1, 1, config.hiddenSize}), false);
    m.positionEmbeddings = embeddings->register_parameter(
        "position_embeddings", at::randn({1, tokens + 1, config.hiddenSize}) * 0.02, false);
    auto encoder = register_module("encoder", std::make_shared<torch::nn::Module>());
    auto layers = encoder->register_module("layer", std::make_shared<torch::nn::Module>());
    for (int64_t i = 0; i < config.numHiddenLayers; ++i) {
        m.layers.push_back(
            layers->register_module(std::to_string(i), std::make_shared<VitLayer>(config)));
    }
    register_module("layernorm", layerNorm(config.hiddenSize, config.layerNormEps));
}

DptTrunkOutput DptTrunk::forward(const at::Tensor& pixels) {
    Impl& m = *impl_;
    DptTrunkOutput out;
    std::vector<at::Tensor> stages = m.backbone->forward(pixels);
    out.backboneFeatures = {stages[0], stages[1]};
    const int64_t B = pixels.size(0);
    // [B, hidden, g, g] -> [B, g*g, hidden], [CLS] first, plus position embeddings (the grid
    // equals the configured one: the processor resizes every image to image_size).
    const at::Tensor tokens = m.projection->forward(stages[2]).flatten(2).transpose(1, 2);
    at::Tensor h = at::cat({m.clsToken.expand({B, -1, -1}), tokens}, 1) + m.positionEmbeddings;
    for (auto& layer : m.layers) {
        h = layer->forward(h);
        out.layerOutputs.push_back(h);
    }
    return out;
}

}  // namespace atelier::inference
