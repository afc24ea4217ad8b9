#include "inference/models/open_clip_text.h"

#include "inference/models/attention.h"
#include "inference/models/layers.h"

#include <ATen/Functions.h>
#include <ATen/TensorOperators.h>
#include <torch/nn/modules/container/modulelist.h>

namespace atelier::inference {

namespace {
constexpr double kLayerNormEps = 1e-5;
}

struct OpenClipTextImpl::ResidualAttentionBlock : torch::nn::Module {
    ResidualAttentionBlock(const TextEncoderConfig& c, const at::TensorOptions& o) : heads(c.heads) {
        ln1 = register_module("ln_1", LayerNorm(c.width, kLayerNormEps, o));
        ln2 = register_module("ln_2", LayerNorm(c.width, kLayerNormEps, o));
        auto attn = std::make_shared<torch::nn::Module>();
        inProjWeight = attn->register_parameter("in_proj_weight", at::empty({3 * c.width, c.width}, o), false);
        inProjBias = attn->register_parameter("in_proj_bias", at::empty({3 * c.width}, o), false);
        outProj = attn->register_module("out_proj", Linear(c.width, c.width, true, o));
        register_module("attn", attn);
        auto mlp = std::make_shared<torch::nn::Module>();
        fc = mlp->register_module("c_fc", Linear(c.width, c.mlpWidth, true, o));
        proj = mlp->register_module("c_proj", Linear(c.mlpWidth, c.width, true, o));
        register_module("mlp", mlp);
    }
    at::Tensor forward(const at::Tensor& x) {  // x [B, N, W]
        const auto qkv = at::linear(ln1->forward(x), inProjWeight, inProjBias).chunk(3, -1);
        AttentionOptions causal;
        causal.causal = true;
        const at::Tensor a = attention(splitHeads(qkv[0], heads), splitHeads(qkv[1], heads),
                                       splitHeads(qkv[2], heads), causal);
        const at::Tensor h = x + outProj->forward(mergeHeads(a));
        return h + proj->forward(at::gelu(fc->forward(ln2->forward(h))));
    }
    int64_t heads;
    LayerNorm ln1{nullptr}, ln2{nullptr};
    at::Tensor inProjWeight, inProjBias;
    Linear outProj{nullptr}, fc{nullptr}, proj{nullptr};
};

OpenClipTextImpl::OpenClipTextImpl(const TextEncoderConfig& c, const at::TensorOptions& o) : config_(c) {
    if (c.heads <= 0 || c.width % c.heads != 0)
        throw std::invalid_argument("text encoder: width " + std::to_string(c.width) +
                                    " is not divisible into " + std::to_string(c.heads) + " heads");
    tokenEmbedding_ = register_module("token_embedding", Embedding(c.vocabSize, c.width, o));
    positionalEmbedding_ = register_parameter("positional_embedding", at::empty({c.contextLength, c.width}, o), false);
    auto transformer = std::make_shared<torch::nn::Module>();
    auto resblocks = torch::nn::ModuleList();
    for (int64_t i = 0; i < c.layersUsed; ++i) {
        blocks_.push_back(std::make_shared<ResidualAttentionBlock>(c, o));
        resblocks->push_back(blocks_.back());
    }
    transformer->register_module("resblocks", resblocks);
    register_module("transformer", transformer);
    lnFinal_ = register_module("ln_final", LayerNorm(c.width, kLayerNormEps, o));
}

at::Tensor OpenClipTextImpl::forward(const at::Tensor& ids) {
    if (ids.dim() != 2 || ids.size(1) != config_.contextLength)
        throw std::invalid_argument("text encoder: token ids must be [B, " +
                                    std::to_string(config_.contextLength) + "]");
    at::Tensor x = static_cast<EmbeddingImpl&>(*tokenEmbedding_).forward(ids.to(positionalEmbedding_.device()));
    x = x + positionalEmbedding_;
    for (auto& block : blocks_) x = block->forward(x);
    return static_cast<LayerNormImpl&>(*lnFinal_).forward(x);
}

std::vector<std::string> unusedOpenClipTextNames(const TextEncoderConfig& c,
                                                 const std::vector<std::string>& namesInFile) {
    const std::string lastBlock = "transformer.resblocks." + std::to_string(c.layersUsed) + ".";
    std::vector<std::string> unused;
    for (const auto& name : namesInFile) {
        if (name.rfind(lastBlock, 0) == 0 || name == "text_projection" || name == "logit_scale" ||
            name == "attn_mask")
            unused.push_back(name);
    }
    return unused;
}

}  // namespace atelier::inference
