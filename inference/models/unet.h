#pragma once
// Internal to inference/: the SD2 UNet (ldm openaimodel.UNetModel with SpatialTransformer
// blocks), modules registered under the original checkpoint's names (`input_blocks.1.1.
// transformer_blocks.0.attn2.to_k.weight`, ...), so the LDM layout loads by name and diffusers
// folders are renamed onto it (diffusers_names.h).
#include "inference/models/model_configs.h"

#include <ATen/Tensor.h>
#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>

#include <memory>
#include <vector>

namespace atelier::inference {

class UNetLayer;  // one element of a TimestepEmbedSequential block
class LinearImpl;
class Conv2dImpl;
class GroupNormImpl;
class EmbeddingImpl;

class UNetModelImpl : public torch::nn::Module {
public:
    UNetModelImpl(const UNetConfig& config, const at::TensorOptions& options);
    // x [B, in, h, w]; timesteps [B] (float allowed); context [B, 77, contextDim];
    // classLabels [B] int64 (x4 upscaler noise level) or undefined.
    at::Tensor forward(const at::Tensor& x, const at::Tensor& timesteps, const at::Tensor& context,
                       const at::Tensor& classLabels = {});
    const UNetConfig& config() const { return config_; }

private:
    struct Block;  // TimestepEmbedSequential
    UNetConfig config_;
    std::shared_ptr<LinearImpl> timeEmbed0_, timeEmbed2_;
    std::shared_ptr<EmbeddingImpl> labelEmb_;
    std::shared_ptr<GroupNormImpl> outNorm_;
    std::shared_ptr<Conv2dImpl> outConv_;
    std::vector<std::shared_ptr<Block>> inputBlocks_, outputBlocks_;
    std::shared_ptr<Block> middleBlock_;
};
TORCH_MODULE(UNetModel);

// Sinusoidal timestep embedding as the reference: cat(cos, sin) of t * exp(-ln(1e4) * i / half).
at::Tensor timestepEmbedding(const at::Tensor& timesteps, int64_t dim);

}  // namespace atelier::inference
