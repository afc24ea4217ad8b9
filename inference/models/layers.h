#pragma once
// Internal to inference/: the parameter-holding layers every SD2 network is built from.
//
// Why not torch::nn::Linear/Conv2d: those initialise their weights at construction (random
// numbers for 865 M UNet parameters take seconds and touch every page). Ours only allocate, with
// the caller's TensorOptions, so a network can be built on the `meta` device to learn its exact
// parameter names and shapes for free (the layout check before any large allocation), then built
// for real and filled from the checkpoint. Names are those of PyTorch (`weight`, `bias`), so
// state-dict keys match the reference modules.
//
// Normalisations compute in fp32 whatever the weights' dtype (the reference GroupNorm32 upcasts;
// fp16 statistics over 512x512 activations overflow).
#include <ATen/Tensor.h>
#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>

#include <cstdint>

namespace atelier::inference {

class LinearImpl : public torch::nn::Module {
public:
    LinearImpl(int64_t in, int64_t out, bool bias, const at::TensorOptions& options);
    at::Tensor forward(const at::Tensor& x) const;
    at::Tensor weight, bias;  // [out, in], [out] (undefined without bias)
};
TORCH_MODULE(Linear);

class Conv2dImpl : public torch::nn::Module {
public:
    Conv2dImpl(int64_t in, int64_t out, int64_t kernel, int64_t stride, int64_t padding,
               const at::TensorOptions& options);
    at::Tensor forward(const at::Tensor& x) const;
    at::Tensor weight, bias;
    int64_t stride, padding;
};
TORCH_MODULE(Conv2d);

class GroupNormImpl : public torch::nn::Module {
public:
    GroupNormImpl(int64_t groups, int64_t channels, double eps, const at::TensorOptions& options);
    at::Tensor forward(const at::Tensor& x) const;  // fp32 inside, returns x's dtype
    at::Tensor weight, bias;
    int64_t groups;
    double eps;
};
TORCH_MODULE(GroupNorm);

class LayerNormImpl : public torch::nn::Module {
public:
    LayerNormImpl(int64_t channels, double eps, const at::TensorOptions& options);
    at::Tensor forward(const at::Tensor& x) const;  // over the last dimension, fp32 inside
    at::Tensor weight, bias;
    double eps;
};
TORCH_MODULE(LayerNorm);

class EmbeddingImpl : public torch::nn::Module {
public:
    EmbeddingImpl(int64_t count, int64_t dim, const at::TensorOptions& options);
    at::Tensor forward(const at::Tensor& ids) const;
    at::Tensor weight;  // [count, dim]
};
TORCH_MODULE(Embedding);

// Splits heads: [B, N, H*D] -> [B, H, N, D], and back.
at::Tensor splitHeads(const at::Tensor& x, int64_t heads);
at::Tensor mergeHeads(const at::Tensor& x);

// Total number of elements over all parameters and buffers (works on meta modules).
int64_t parameterCount(const torch::nn::Module& module);

}  // namespace atelier::inference
