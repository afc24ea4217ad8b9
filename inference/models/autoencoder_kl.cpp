#include "inference/models/autoencoder_kl.h"

#include "inference/models/attention.h"
#include "inference/models/layers.h"

#include <ATen/Functions.h>
#include <ATen/TensorOperators.h>
#include <torch/nn/modules/container/modulelist.h>

#include <cmath>

namespace atelier::inference {
namespace {

constexpr double kEps = 1e-6;  // Normalize() in ldm's VAE: GroupNorm(32, C, eps=1e-6)

at::Tensor swish(const at::Tensor& x) { return at::silu(x); }

struct ResnetBlock : torch::nn::Module {
    ResnetBlock(int64_t in, int64_t out, const at::TensorOptions& o) {
        norm1 = register_module("norm1", GroupNorm(32, in, kEps, o));
        conv1 = register_module("conv1", Conv2d(in, out, 3, 1, 1, o));
        norm2 = register_module("norm2", GroupNorm(32, out, kEps, o));
        conv2 = register_module("conv2", Conv2d(out, out, 3, 1, 1, o));
        if (in != out) shortcut = register_module("nin_shortcut", Conv2d(in, out, 1, 1, 0, o));
    }
    at::Tensor forward(const at::Tensor& x) {
        at::Tensor h = conv1->forward(swish(norm1->forward(x)));
        h = conv2->forward(swish(norm2->forward(h)));
        return (shortcut ? shortcut->forward(x) : x) + h;
    }
    GroupNorm norm1{nullptr}, norm2{nullptr};
    Conv2d conv1{nullptr}, conv2{nullptr}, shortcut{nullptr};
};

// Single-head self-attention over all positions; q/k/v/proj_out are 1x1 convolutions.
struct AttnBlock : torch::nn::Module {
    AttnBlock(int64_t c, const at::TensorOptions& o) {
        norm = register_module("norm", GroupNorm(32, c, kEps, o));
        q = register_module("q", Conv2d(c, c, 1, 1, 0, o));
        k = register_module("k", Conv2d(c, c, 1, 1, 0, o));
        v = register_module("v", Conv2d(c, c, 1, 1, 0, o));
        proj = register_module("proj_out", Conv2d(c, c, 1, 1, 0, o));
    }
    at::Tensor forward(const at::Tensor& x) {
        const int64_t b = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
        const at::Tensor n = norm->forward(x);
        auto tokens = [&](const at::Tensor& t) { return t.reshape({b, 1, c, h * w}).transpose(2, 3); };
        at::Tensor out = attention(tokens(q->forward(n)), tokens(k->forward(n)), tokens(v->forward(n)));
        out = out.transpose(2, 3).reshape({b, c, h, w});
        return x + proj->forward(out);
    }
    GroupNorm norm{nullptr};
    Conv2d q{nullptr}, k{nullptr}, v{nullptr}, proj{nullptr};
};

struct Mid : torch::nn::Module {
    Mid(int64_t c, const at::TensorOptions& o) {
        block1 = register_module("block_1", std::make_shared<ResnetBlock>(c, c, o));
        attn = register_module("attn_1", std::make_shared<AttnBlock>(c, o));
        block2 = register_module("block_2", std::make_shared<ResnetBlock>(c, c, o));
    }
    at::Tensor forward(const at::Tensor& x) { return block2->forward(attn->forward(block1->forward(x))); }
    std::shared_ptr<ResnetBlock> block1, block2;
    std::shared_ptr<AttnBlock> attn;
};

// One resolution level: `block` res blocks, then a down/upsample conv unless it is the last.
struct Level : torch::nn::Module {
    std::vector<std::shared_ptr<ResnetBlock>> blocks;
    Conv2d resample{nullptr};
    void build(int64_t& ch, int64_t out, int64_t count, const at::TensorOptions& o) {
        auto list = torch::nn::ModuleList();
        for (int64_t i = 0; i < count; ++i) {
            blocks.push_back(std::make_shared<ResnetBlock>(ch, out, o));
            list->push_back(blocks.back());
            ch = out;
        }
        register_module("block", list);
        register_module("attn", torch::nn::ModuleList());  // empty in SD2 (attn_resolutions: [])
    }
};

}  // namespace

struct AutoencoderKLImpl::Encoder : torch::nn::Module {
    Encoder(const VaeConfig& c, const at::TensorOptions& o) {
        convIn = register_module("conv_in", Conv2d(c.inChannels, c.ch, 3, 1, 1, o));
        auto down = torch::nn::ModuleList();
        int64_t ch = c.ch;
        for (std::size_t i = 0; i < c.chMult.size(); ++i) {
            auto level = std::make_shared<Level>();
            level->build(ch, c.ch * c.chMult[i], c.numResBlocks, o);
            if (i + 1 != c.chMult.size()) {
                // Downsample: pad (0,1,0,1) then a stride-2 conv without padding.
                auto ds = std::make_shared<torch::nn::Module>();
                level->resample = ds->register_module("conv", Conv2d(ch, ch, 3, 2, 0, o));
                level->register_module("downsample", ds);
            }
            levels.push_back(level);
            down->push_back(level);
        }
        register_module("down", down);
        mid = register_module("mid", std::make_shared<Mid>(ch, o));
        normOut = register_module("norm_out", GroupNorm(32, ch, kEps, o));
        convOut = register_module("conv_out", Conv2d(ch, 2 * c.zChannels, 3, 1, 1, o));
    }
    at::Tensor forward(const at::Tensor& x) {
        at::Tensor h = convIn->forward(x);
        for (auto& level : levels) {
            for (auto& block : level->blocks) h = block->forward(h);
            if (level->resample) h = level->resample->forward(at::constant_pad_nd(h, {0, 1, 0, 1}, 0));
        }
        h = mid->forward(h);
        return convOut->forward(swish(normOut->forward(h)));
    }
    Conv2d convIn{nullptr}, convOut{nullptr};
    GroupNorm normOut{nullptr};
    std::vector<std::shared_ptr<Level>> levels;
    std::shared_ptr<Mid> mid;
};

struct AutoencoderKLImpl::Decoder : torch::nn::Module {
    Decoder(const VaeConfig& c, const at::TensorOptions& o) {
        int64_t ch = c.ch * c.chMult.back();
        convIn = register_module("conv_in", Conv2d(c.zChannels, ch, 3, 1, 1, o));
        mid = register_module("mid", std::make_shared<Mid>(ch, o));
        // `up` is indexed by level (up.0 = full resolution) but runs from the deepest level.
        levels.resize(c.chMult.size());
        for (std::size_t i = c.chMult.size(); i-- > 0;) {
            auto level = std::make_shared<Level>();
            level->build(ch, c.ch * c.chMult[i], c.numResBlocks + 1, o);
            if (i != 0) {
                auto us = std::make_shared<torch::nn::Module>();
                level->resample = us->register_module("conv", Conv2d(ch, ch, 3, 1, 1, o));
                level->register_module("upsample", us);
            }
            levels[i] = level;
        }
        auto up = torch::nn::ModuleList();
        for (auto& level : levels) up->push_back(level);
        register_module("up", up);
        normOut = register_module("norm_out", GroupNorm(32, ch, kEps, o));
        convOut = register_module("conv_out", Conv2d(ch, c.outChannels, 3, 1, 1, o));
    }
    at::Tensor forward(const at::Tensor& z) {
        at::Tensor h = mid->forward(convIn->forward(z));
        for (std::size_t i = levels.size(); i-- > 0;) {
            for (auto& block : levels[i]->blocks) h = block->forward(h);
            if (levels[i]->resample)
                h = levels[i]->resample->forward(at::upsample_nearest2d(h, {h.size(2) * 2, h.size(3) * 2}));
        }
        return convOut->forward(swish(normOut->forward(h)));
    }
    Conv2d convIn{nullptr}, convOut{nullptr};
    GroupNorm normOut{nullptr};
    std::vector<std::shared_ptr<Level>> levels;
    std::shared_ptr<Mid> mid;
};

AutoencoderKLImpl::AutoencoderKLImpl(const VaeConfig& c, const at::TensorOptions& o) : config_(c) {
    encoder_ = register_module("encoder", std::make_shared<Encoder>(c, o));
    decoder_ = register_module("decoder", std::make_shared<Decoder>(c, o));
    quantConv_ = register_module("quant_conv", Conv2d(2 * c.zChannels, 2 * c.embedDim, 1, 1, 0, o));
    postQuantConv_ = register_module("post_quant_conv", Conv2d(c.embedDim, c.zChannels, 1, 1, 0, o));
}

DiagonalGaussian AutoencoderKLImpl::encode(const at::Tensor& image) {
    const at::Tensor moments =
        static_cast<Conv2dImpl&>(*quantConv_).forward(encoder_->forward(image));
    const auto parts = moments.chunk(2, 1);
    DiagonalGaussian g;
    g.mean = parts[0];
    g.logvar = at::clamp(parts[1], -30.0, 20.0);
    g.std = at::exp(0.5 * g.logvar);
    return g;
}

at::Tensor AutoencoderKLImpl::decode(const at::Tensor& z) {
    return decoder_->forward(static_cast<Conv2dImpl&>(*postQuantConv_).forward(z));
}

}  // namespace atelier::inference
