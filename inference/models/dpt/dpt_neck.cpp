#include "inference/models/dpt/dpt_neck.h"

#include <ATen/Functions.h>
#include <ATen/TensorOperators.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/linear.h>

#include <cmath>
#include <string>

namespace atelier::inference {
namespace {

using torch::nn::Conv2d;
using torch::nn::Conv2dOptions;

std::shared_ptr<torch::nn::Module> child(torch::nn::Module& parent, const std::string& name) {
    return parent.register_module(name, std::make_shared<torch::nn::Module>());
}

at::Tensor upsample2x(const at::Tensor& x) {
    return at::upsample_bilinear2d(x, {x.size(2) * 2, x.size(3) * 2}, /*align_corners=*/true);
}

// DPTPreActResidualLayer: x + conv2(relu(conv1(relu(x)))).
class ResidualUnit : public torch::nn::Module {
public:
    ResidualUnit(int64_t channels, bool bias) {
        auto options = Conv2dOptions(channels, channels, 3).padding(1).bias(bias);
        conv1_ = register_module("convolution1", Conv2d(options));
        conv2_ = register_module("convolution2", Conv2d(options));
    }
    at::Tensor forward(const at::Tensor& x) {
        return conv2_->forward(at::relu(conv1_->forward(at::relu(x)))) + x;
    }

private:
    Conv2d conv1_{nullptr}, conv2_{nullptr};
};

// DPTFeatureFusionLayer.
class FusionLayer : public torch::nn::Module {
public:
    FusionLayer(int64_t channels, bool bias) {
        projection_ = register_module("projection", Conv2d(Conv2dOptions(channels, channels, 1)));
        residual1_ =
            register_module("residual_layer1", std::make_shared<ResidualUnit>(channels, bias));
        residual2_ =
            register_module("residual_layer2", std::make_shared<ResidualUnit>(channels, bias));
    }
    at::Tensor forward(at::Tensor h, const at::Tensor& residual) {
        if (residual.defined()) {
            at::Tensor r = residual;
            if (r.sizes() != h.sizes()) {
                r = at::upsample_bilinear2d(r, {h.size(2), h.size(3)}, /*align_corners=*/false);
            }
            h = h + residual1_->forward(r);
        }
        return projection_->forward(upsample2x(residual2_->forward(h)));
    }

private:
    Conv2d projection_{nullptr};
    std::shared_ptr<ResidualUnit> residual1_, residual2_;
};

}  // namespace

struct DptNeck::Impl {
    DptConfig config;
    torch::nn::Linear readout[2]{torch::nn::Linear{nullptr}, torch::nn::Linear{nullptr}};
    Conv2d projection[2]{Conv2d{nullptr}, Conv2d{nullptr}};
    // factor > 1: transposed conv; factor < 1: strided conv; factor 1: none.
    torch::nn::ConvTranspose2d upsample[2]{torch::nn::ConvTranspose2d{nullptr},
                                           torch::nn::ConvTranspose2d{nullptr}};
    Conv2d downsample[2]{Conv2d{nullptr}, Conv2d{nullptr}};
    double factor[2] = {1, 1};
    std::vector<Conv2d> convs;
    std::vector<std::shared_ptr<FusionLayer>> fusion;
};

DptNeck::DptNeck(const DptConfig& c) : impl_(std::make_shared<Impl>()) {
    Impl& m = *impl_;
    m.config = c;
    auto reassemble = child(*this, "reassemble_stage");
    auto readouts = child(*reassemble, "readout_projects");
    auto layers = child(*reassemble, "layers");
    for (int i = 0; i < 2; ++i) {
        const std::string index = std::to_string(i + 2);  // hybrid: entries 0 and 1 are identities
        const int64_t channels = c.neckHiddenSizes[i + 2];
        m.readout[i] =
            child(*readouts, index)
                ->register_module("0", torch::nn::Linear(2 * c.hiddenSize, c.hiddenSize));
        auto layer = child(*layers, index);
        m.projection[i] =
            layer->register_module("projection", Conv2d(Conv2dOptions(c.hiddenSize, channels, 1)));
        m.factor[i] = c.reassembleFactors[i + 2];
        if (m.factor[i] > 1) {
            const int64_t f = int64_t(m.factor[i]);
            m.upsample[i] = layer->register_module(
                "resize", torch::nn::ConvTranspose2d(
                              torch::nn::ConvTranspose2dOptions(channels, channels, f).stride(f)));
        } else if (m.factor[i] < 1) {
            const int64_t stride = int64_t(std::llround(1 / m.factor[i]));
            m.downsample[i] = layer->register_module(
                "resize", Conv2d(Conv2dOptions(channels, channels, 3).stride(stride).padding(1)));
        }
    }
    auto convs = child(*this, "convs");
    for (size_t i = 0; i < c.neckHiddenSizes.size(); ++i) {
        m.convs.push_back(convs->register_module(
            std::to_string(i), Conv2d(Conv2dOptions(c.neckHiddenSizes[i], c.fusionHiddenSize, 3)
                                          .padding(1)
                                          .bias(false))));
    }
    auto fusion = child(*child(*this, "fusion_stage"), "layers");
    for (size_t i = 0; i < c.neckHiddenSizes.size(); ++i) {
        m.fusion.push_back(fusion->register_module(
            std::to_string(i),
            std::make_shared<FusionLayer>(c.fusionHiddenSize, c.fusionResidualBias)));
    }
}

std::vector<at::Tensor> DptNeck::forward(const std::vector<at::Tensor>& features) {
    Impl& m = *impl_;
    std::vector<at::Tensor> maps{features[0], features[1]};
    for (int i = 0; i < 2; ++i) {
        const at::Tensor& h = features[i + 2];
        const int64_t B = h.size(0), C = h.size(2);
        const int64_t grid = int64_t(std::llround(std::sqrt(double(h.size(1) - 1))));
        const at::Tensor tokens = h.narrow(1, 1, h.size(1) - 1);
        const at::Tensor readout = h.select(1, 0).unsqueeze(1).expand_as(tokens);
        at::Tensor x = at::gelu(m.readout[i]->forward(at::cat({tokens, readout}, -1)));
        x = x.permute({0, 2, 1}).reshape({B, C, grid, grid});
        x = m.projection[i]->forward(x);
        if (m.upsample[i]) x = m.upsample[i]->forward(x);
        if (m.downsample[i]) x = m.downsample[i]->forward(x);
        maps.push_back(x);
    }
    for (size_t i = 0; i < maps.size(); ++i) maps[i] = m.convs[i]->forward(maps[i]);
    // Fusion from the deepest map up; the first layer has no residual input.
    std::vector<at::Tensor> fused;
    at::Tensor h = m.fusion[0]->forward(maps[3], at::Tensor());
    fused.push_back(h);
    for (size_t i = 1; i < maps.size(); ++i) {
        h = m.fusion[i]->forward(h, maps[3 - i]);
        fused.push_back(h);
    }
    return fused;
}

struct DptDepthHead::Impl {
    int64_t inIndex = -1;
    Conv2d conv0{nullptr}, conv2{nullptr}, conv4{nullptr};
};

DptDepthHead::DptDepthHead(const DptConfig& c) : impl_(std::make_shared<Impl>()) {
    Impl& m = *impl_;
    m.inIndex = c.headInIndex;
    const int64_t f = c.fusionHiddenSize;
    auto head = child(*this, "head");
    m.conv0 = head->register_module("0", Conv2d(Conv2dOptions(f, f / 2, 3).padding(1)));
    m.conv2 = head->register_module("2", Conv2d(Conv2dOptions(f / 2, 32, 3).padding(1)));
    m.conv4 = head->register_module("4", Conv2d(Conv2dOptions(32, 1, 1)));
}

at::Tensor DptDepthHead::forward(const std::vector<at::Tensor>& fused) {
    Impl& m = *impl_;
    const at::Tensor& x = m.inIndex < 0 ? fused.back() : fused.at(size_t(m.inIndex));
    at::Tensor h = upsample2x(m.conv0->forward(x));
    h = at::relu(m.conv4->forward(at::relu(m.conv2->forward(h))));
    return h.squeeze(1);
}

}  // namespace atelier::inference
