#include "inference/models/unet.h"

#include "inference/models/attention.h"
#include "inference/models/layers.h"

#include <ATen/Functions.h>
#include <ATen/TensorOperators.h>
#include <torch/nn/modules/container/modulelist.h>

#include <cmath>

namespace atelier::inference {
namespace {

constexpr double kGroupNormEps = 1e-5;      // GroupNorm32 in the UNet
constexpr double kTransformerNormEps = 1e-6;  // SpatialTransformer.norm
constexpr double kLayerNormEps = 1e-5;

at::Tensor act(const at::Tensor& x) { return at::silu(x); }

}  // namespace

// Every element of a block; `kind` tells how forward() feeds it.
class UNetLayer : public torch::nn::Module {
public:
    virtual at::Tensor run(const at::Tensor& x, const at::Tensor& emb, const at::Tensor& context,
                           const std::vector<int64_t>& outSize) = 0;
};

namespace {

class ConvLayer : public UNetLayer {
public:
    ConvLayer(int64_t in, int64_t out, const at::TensorOptions& o)
        : conv(register_module("conv", Conv2d(in, out, 3, 1, 1, o))) {}
    at::Tensor run(const at::Tensor& x, const at::Tensor&, const at::Tensor&,
                   const std::vector<int64_t>&) override {
        return conv->forward(x);
    }
    Conv2d conv;
};

// A plain conv registered as the block element itself (input_blocks.0.0.weight).
class ConvInLayer : public UNetLayer {
public:
    ConvInLayer(int64_t in, int64_t out, const at::TensorOptions& o) {
        weight = register_parameter("weight", at::empty({out, in, 3, 3}, o), false);
        bias = register_parameter("bias", at::empty({out}, o), false);
    }
    at::Tensor run(const at::Tensor& x, const at::Tensor&, const at::Tensor&,
                   const std::vector<int64_t>&) override {
        return at::conv2d(x, weight, bias, {1, 1}, {1, 1});
    }
    at::Tensor weight, bias;
};

class Downsample : public UNetLayer {
public:
    Downsample(int64_t channels, const at::TensorOptions& o)
        : op(register_module("op", Conv2d(channels, channels, 3, 2, 1, o))) {}
    at::Tensor run(const at::Tensor& x, const at::Tensor&, const at::Tensor&,
                   const std::vector<int64_t>&) override {
        return op->forward(x);
    }
    Conv2d op;
};

class Upsample : public UNetLayer {
public:
    Upsample(int64_t channels, const at::TensorOptions& o)
        : conv(register_module("conv", Conv2d(channels, channels, 3, 1, 1, o))) {}
    // Nearest x2; to the next skip connection's size when given (odd latent sizes).
    at::Tensor run(const at::Tensor& x, const at::Tensor&, const at::Tensor&,
                   const std::vector<int64_t>& outSize) override {
        std::vector<int64_t> size = outSize;
        if (size.empty()) size = {x.size(2) * 2, x.size(3) * 2};
        return conv->forward(at::upsample_nearest2d(x, size));
    }
    Conv2d conv;
};

class ResBlock : public UNetLayer {
public:
    ResBlock(int64_t in, int64_t out, int64_t embDim, const at::TensorOptions& o) {
        auto inLayers = torch::nn::ModuleList();
        inLayers->push_back(GroupNorm(32, in, kGroupNormEps, o));
        inLayers->push_back(torch::nn::Module());  // SiLU: no parameters, keeps the indices
        inLayers->push_back(Conv2d(in, out, 3, 1, 1, o));
        register_module("in_layers", inLayers);
        auto embLayers = torch::nn::ModuleList();
        embLayers->push_back(torch::nn::Module());
        embLayers->push_back(Linear(embDim, out, true, o));
        register_module("emb_layers", embLayers);
        auto outLayers = torch::nn::ModuleList();
        outLayers->push_back(GroupNorm(32, out, kGroupNormEps, o));
        outLayers->push_back(torch::nn::Module());
        outLayers->push_back(torch::nn::Module());  // dropout
        outLayers->push_back(Conv2d(out, out, 3, 1, 1, o));
        register_module("out_layers", outLayers);
        norm1 = inLayers->ptr<GroupNormImpl>(0);
        conv1 = inLayers->ptr<Conv2dImpl>(2);
        embProj = embLayers->ptr<LinearImpl>(1);
        norm2 = outLayers->ptr<GroupNormImpl>(0);
        conv2 = outLayers->ptr<Conv2dImpl>(3);
        if (in != out) skip = register_module("skip_connection", Conv2d(in, out, 1, 1, 0, o));
    }
    at::Tensor run(const at::Tensor& x, const at::Tensor& emb, const at::Tensor&,
                   const std::vector<int64_t>&) override {
        at::Tensor h = conv1->forward(act(norm1->forward(x)));
        h = h + embProj->forward(act(emb)).unsqueeze(-1).unsqueeze(-1);
        h = conv2->forward(act(norm2->forward(h)));
        return (skip ? skip->forward(x) : x) + h;
    }
    std::shared_ptr<GroupNormImpl> norm1, norm2;
    std::shared_ptr<Conv2dImpl> conv1, conv2;
    std::shared_ptr<LinearImpl> embProj;
    std::shared_ptr<Conv2dImpl> skip;
};

class CrossAttention : public torch::nn::Module {
public:
    CrossAttention(int64_t queryDim, int64_t contextDim, int64_t heads_, int64_t headDim,
                   const at::TensorOptions& o)
        : heads(heads_) {
        const int64_t inner = heads * headDim;
        toQ = register_module("to_q", Linear(queryDim, inner, false, o));
        toK = register_module("to_k", Linear(contextDim, inner, false, o));
        toV = register_module("to_v", Linear(contextDim, inner, false, o));
        auto toOutList = torch::nn::ModuleList();
        toOutList->push_back(Linear(inner, queryDim, true, o));
        register_module("to_out", toOutList);
        toOut = toOutList->ptr<LinearImpl>(0);
    }
    at::Tensor forward(const at::Tensor& x, const at::Tensor& context) {
        const at::Tensor& ctx = context.defined() ? context : x;
        at::Tensor out = attention(splitHeads(toQ->forward(x), heads),
                                   splitHeads(toK->forward(ctx), heads),
                                   splitHeads(toV->forward(ctx), heads));
        return toOut->forward(mergeHeads(out));
    }
    int64_t heads;
    Linear toQ{nullptr}, toK{nullptr}, toV{nullptr};
    std::shared_ptr<LinearImpl> toOut;
};

class BasicTransformerBlock : public torch::nn::Module {
public:
    BasicTransformerBlock(int64_t dim, int64_t heads, int64_t headDim, int64_t contextDim,
                          bool disableSelfAttention, const at::TensorOptions& o)
        : attn1ToContext(disableSelfAttention) {
        attn1 = register_module("attn1", std::make_shared<CrossAttention>(
                                             dim, disableSelfAttention ? contextDim : dim, heads, headDim, o));
        attn2 = register_module("attn2", std::make_shared<CrossAttention>(dim, contextDim, heads, headDim, o));
        norm1 = register_module("norm1", LayerNorm(dim, kLayerNormEps, o));
        norm2 = register_module("norm2", LayerNorm(dim, kLayerNormEps, o));
        norm3 = register_module("norm3", LayerNorm(dim, kLayerNormEps, o));
        // FeedForward with GEGLU: ff.net.0.proj (dim -> 2*inner), ff.net.2 (inner -> dim).
        const int64_t inner = dim * 4;
        auto geglu = std::make_shared<torch::nn::Module>();
        ffIn = geglu->register_module("proj", Linear(dim, inner * 2, true, o));
        auto net = torch::nn::ModuleList();
        net->push_back(geglu);
        net->push_back(torch::nn::Module());  // dropout
        net->push_back(Linear(inner, dim, true, o));
        auto ff = std::make_shared<torch::nn::Module>();
        ff->register_module("net", net);
        register_module("ff", ff);
        ffOut = net->ptr<LinearImpl>(2);
    }
    at::Tensor forward(at::Tensor x, const at::Tensor& context) {
        x = attn1->forward(norm1->forward(x), attn1ToContext ? context : at::Tensor()) + x;
        x = attn2->forward(norm2->forward(x), context) + x;
        const auto parts = ffIn->forward(norm3->forward(x)).chunk(2, -1);
        return ffOut->forward(parts[0] * at::gelu(parts[1])) + x;
    }
    bool attn1ToContext;
    std::shared_ptr<CrossAttention> attn1, attn2;
    LayerNorm norm1{nullptr}, norm2{nullptr}, norm3{nullptr};
    Linear ffIn{nullptr};
    std::shared_ptr<LinearImpl> ffOut;
};

class SpatialTransformer : public UNetLayer {
public:
    SpatialTransformer(int64_t channels, int64_t heads, int64_t headDim, int64_t depth,
                       int64_t contextDim, bool disableSelfAttention, bool linear,
                       const at::TensorOptions& o)
        : linearProjection(linear) {
        const int64_t inner = heads * headDim;
        norm = register_module("norm", GroupNorm(32, channels, kTransformerNormEps, o));
        if (linear) {
            projInLinear = register_module("proj_in", Linear(channels, inner, true, o));
            projOutLinear = register_module("proj_out", Linear(inner, channels, true, o));
        } else {
            projInConv = register_module("proj_in", Conv2d(channels, inner, 1, 1, 0, o));
            projOutConv = register_module("proj_out", Conv2d(inner, channels, 1, 1, 0, o));
        }
        auto list = torch::nn::ModuleList();
        for (int64_t i = 0; i < depth; ++i) {
            blocks.push_back(std::make_shared<BasicTransformerBlock>(inner, heads, headDim, contextDim,
                                                                     disableSelfAttention, o));
            list->push_back(blocks.back());
        }
        register_module("transformer_blocks", list);
    }
    at::Tensor run(const at::Tensor& x, const at::Tensor&, const at::Tensor& context,
                   const std::vector<int64_t>&) override {
        const int64_t b = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
        at::Tensor y = norm->forward(x);
        if (linearProjection) {
            y = projInLinear->forward(y.reshape({b, c, h * w}).transpose(1, 2));
        } else {
            y = projInConv->forward(y);
            y = y.reshape({b, y.size(1), h * w}).transpose(1, 2);
        }
        for (auto& block : blocks) y = block->forward(y, context);
        if (linearProjection) {
            y = projOutLinear->forward(y).transpose(1, 2).reshape({b, c, h, w});
        } else {
            y = projOutConv->forward(y.transpose(1, 2).reshape({b, y.size(2), h, w}));
        }
        return y + x;
    }
    bool linearProjection;
    GroupNorm norm{nullptr};
    Linear projInLinear{nullptr}, projOutLinear{nullptr};
    Conv2d projInConv{nullptr}, projOutConv{nullptr};
    std::vector<std::shared_ptr<BasicTransformerBlock>> blocks;
};

}  // namespace

struct UNetModelImpl::Block : torch::nn::Module {
    std::vector<std::shared_ptr<UNetLayer>> layers;
    void add(std::shared_ptr<UNetLayer> layer) {
        register_module(std::to_string(layers.size()), layer);
        layers.push_back(std::move(layer));
    }
    at::Tensor run(at::Tensor x, const at::Tensor& emb, const at::Tensor& context,
                   const std::vector<int64_t>& outSize = {}) {
        for (auto& layer : layers) x = layer->run(x, emb, context, outSize);
        return x;
    }
};

at::Tensor timestepEmbedding(const at::Tensor& timesteps, int64_t dim) {
    const int64_t half = dim / 2;
    const auto options = timesteps.options().dtype(at::kFloat);
    // The reference's order of operations: exp(-ln(1e4) * i / half), in float32.
    const at::Tensor freqs = at::exp(at::arange(0, half, options) * -std::log(10000.0) / double(half));
    const at::Tensor args = timesteps.to(at::kFloat).unsqueeze(1) * freqs.unsqueeze(0);
    return at::cat({at::cos(args), at::sin(args)}, -1);
}

UNetModelImpl::UNetModelImpl(const UNetConfig& c, const at::TensorOptions& o) : config_(c) {
    const int64_t embDim = c.timeEmbedDim();
    auto timeEmbed = torch::nn::ModuleList();
    timeEmbed->push_back(Linear(c.modelChannels, embDim, true, o));
    timeEmbed->push_back(torch::nn::Module());
    timeEmbed->push_back(Linear(embDim, embDim, true, o));
    register_module("time_embed", timeEmbed);
    timeEmbed0_ = timeEmbed->ptr<LinearImpl>(0);
    timeEmbed2_ = timeEmbed->ptr<LinearImpl>(2);
    if (c.numClasses > 0) labelEmb_ = register_module("label_emb", Embedding(c.numClasses, embDim, o));

    auto attentionLayer = [&](int64_t channels, bool disableSelf) {
        const int64_t heads = c.headsFor(channels);
        if (heads <= 0 || channels % heads != 0)
            throw std::invalid_argument("UNet attention over " + std::to_string(channels) + " channels cannot use " +
                                        (c.numHeadChannels > 0 ? std::to_string(c.numHeadChannels) + " channels per head"
                                                               : std::to_string(c.numHeads) + " heads") +
                                        "; the model's config (yaml / unet/config.json) gives the heads");
        return std::make_shared<SpatialTransformer>(channels, heads, channels / heads, c.transformerDepth,
                                                    c.contextDim, disableSelf, c.linearProjection, o);
    };
    auto inputs = torch::nn::ModuleList();
    auto newBlock = [](torch::nn::ModuleList& list, std::vector<std::shared_ptr<Block>>& blocks) {
        blocks.push_back(std::make_shared<Block>());
        list->push_back(blocks.back());
        return blocks.back();
    };
    newBlock(inputs, inputBlocks_)->add(std::make_shared<ConvInLayer>(c.inChannels, c.modelChannels, o));
    std::vector<int64_t> skipChannels{c.modelChannels};
    int64_t ch = c.modelChannels;
    for (std::size_t level = 0; level < c.levels(); ++level) {
        for (int64_t r = 0; r < c.numResBlocks; ++r) {
            auto block = newBlock(inputs, inputBlocks_);
            const int64_t out = c.channelMult[level] * c.modelChannels;
            block->add(std::make_shared<ResBlock>(ch, out, embDim, o));
            ch = out;
            if (c.attentionAtLevel[level]) block->add(attentionLayer(ch, c.disableSelfAttention[level]));
            skipChannels.push_back(ch);
        }
        if (level + 1 != c.levels()) {
            newBlock(inputs, inputBlocks_)->add(std::make_shared<Downsample>(ch, o));
            skipChannels.push_back(ch);
        }
    }
    register_module("input_blocks", inputs);

    middleBlock_ = std::make_shared<Block>();
    middleBlock_->add(std::make_shared<ResBlock>(ch, ch, embDim, o));
    middleBlock_->add(attentionLayer(ch, c.disableMiddleSelfAttention));
    middleBlock_->add(std::make_shared<ResBlock>(ch, ch, embDim, o));
    register_module("middle_block", middleBlock_);

    auto outputs = torch::nn::ModuleList();
    for (std::size_t level = c.levels(); level-- > 0;) {
        for (int64_t r = 0; r <= c.numResBlocks; ++r) {
            auto block = newBlock(outputs, outputBlocks_);
            const int64_t skip = skipChannels.back();
            skipChannels.pop_back();
            const int64_t out = c.channelMult[level] * c.modelChannels;
            block->add(std::make_shared<ResBlock>(ch + skip, out, embDim, o));
            ch = out;
            if (c.attentionAtLevel[level]) block->add(attentionLayer(ch, c.disableSelfAttention[level]));
            if (level > 0 && r == c.numResBlocks) block->add(std::make_shared<Upsample>(ch, o));
        }
    }
    register_module("output_blocks", outputs);

    auto out = torch::nn::ModuleList();
    out->push_back(GroupNorm(32, ch, kGroupNormEps, o));
    out->push_back(torch::nn::Module());
    out->push_back(Conv2d(ch, c.outChannels, 3, 1, 1, o));
    register_module("out", out);
    outNorm_ = out->ptr<GroupNormImpl>(0);
    outConv_ = out->ptr<Conv2dImpl>(2);
}

at::Tensor UNetModelImpl::forward(const at::Tensor& x, const at::Tensor& timesteps,
                                  const at::Tensor& context, const at::Tensor& classLabels) {
    at::Tensor t = timesteps.dim() == 0 ? timesteps.expand({x.size(0)}) : timesteps;
    at::Tensor emb = timestepEmbedding(t.to(x.device()), config_.modelChannels).to(x.scalar_type());
    emb = timeEmbed2_->forward(act(timeEmbed0_->forward(emb)));
    if (labelEmb_) {
        if (!classLabels.defined())
            throw std::invalid_argument("this UNet needs class labels (the x4 upscaler's noise level)");
        emb = emb + labelEmb_->forward(classLabels.to(x.device()).to(at::kLong));
    }
    const at::Tensor ctx = context.to(x.scalar_type());
    std::vector<at::Tensor> skips;
    at::Tensor h = x;
    for (auto& block : inputBlocks_) {
        h = block->run(h, emb, ctx);
        skips.push_back(h);
    }
    h = middleBlock_->run(h, emb, ctx);
    for (std::size_t i = 0; i < outputBlocks_.size(); ++i) {
        h = at::cat({h, skips.back()}, 1);
        skips.pop_back();
        // An upsampling block grows to the size of the skip connection it meets next.
        std::vector<int64_t> upSize;
        if (!skips.empty()) upSize = {skips.back().size(2), skips.back().size(3)};
        h = outputBlocks_[i]->run(h, emb, ctx, upSize);
    }
    return outConv_->forward(act(outNorm_->forward(h)));
}

}  // namespace atelier::inference
