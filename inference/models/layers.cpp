#include "inference/models/layers.h"

#include <ATen/Functions.h>

namespace atelier::inference {

LinearImpl::LinearImpl(int64_t in, int64_t out, bool withBias, const at::TensorOptions& options) {
    weight = register_parameter("weight", at::empty({out, in}, options), false);
    if (withBias) bias = register_parameter("bias", at::empty({out}, options), false);
}

at::Tensor LinearImpl::forward(const at::Tensor& x) const { return at::linear(x, weight, bias); }

Conv2dImpl::Conv2dImpl(int64_t in, int64_t out, int64_t kernel, int64_t stride_, int64_t padding_,
                       const at::TensorOptions& options)
    : stride(stride_), padding(padding_) {
    weight = register_parameter("weight", at::empty({out, in, kernel, kernel}, options), false);
    bias = register_parameter("bias", at::empty({out}, options), false);
}

at::Tensor Conv2dImpl::forward(const at::Tensor& x) const {
    return at::conv2d(x, weight, bias, {stride, stride}, {padding, padding});
}

GroupNormImpl::GroupNormImpl(int64_t groups_, int64_t channels, double eps_,
                             const at::TensorOptions& options)
    : groups(groups_), eps(eps_) {
    weight = register_parameter("weight", at::empty({channels}, options), false);
    bias = register_parameter("bias", at::empty({channels}, options), false);
}

at::Tensor GroupNormImpl::forward(const at::Tensor& x) const {
    if (x.scalar_type() == at::kFloat) return at::group_norm(x, groups, weight, bias, eps);
    return at::group_norm(x.to(at::kFloat), groups, weight.to(at::kFloat), bias.to(at::kFloat), eps)
        .to(x.scalar_type());
}

LayerNormImpl::LayerNormImpl(int64_t channels, double eps_, const at::TensorOptions& options)
    : eps(eps_) {
    weight = register_parameter("weight", at::empty({channels}, options), false);
    bias = register_parameter("bias", at::empty({channels}, options), false);
}

at::Tensor LayerNormImpl::forward(const at::Tensor& x) const {
    const int64_t c = weight.size(0);
    if (x.scalar_type() == at::kFloat) return at::layer_norm(x, {c}, weight, bias, eps);
    return at::layer_norm(x.to(at::kFloat), {c}, weight.to(at::kFloat), bias.to(at::kFloat), eps)
        .to(x.scalar_type());
}

EmbeddingImpl::EmbeddingImpl(int64_t count, int64_t dim, const at::TensorOptions& options) {
    weight = register_parameter("weight", at::empty({count, dim}, options), false);
}

at::Tensor EmbeddingImpl::forward(const at::Tensor& ids) const { return at::embedding(weight, ids); }

at::Tensor splitHeads(const at::Tensor& x, int64_t heads) {
    const int64_t b = x.size(0), n = x.size(1), c = x.size(2);
    return x.reshape({b, n, heads, c / heads}).transpose(1, 2);
}

at::Tensor mergeHeads(const at::Tensor& x) {
    const int64_t b = x.size(0), h = x.size(1), n = x.size(2), d = x.size(3);
    return x.transpose(1, 2).reshape({b, n, h * d});
}

int64_t parameterCount(const torch::nn::Module& module) {
    int64_t total = 0;
    for (const auto& p : module.parameters(true)) total += p.numel();
    for (const auto& b : module.buffers(true)) total += b.numel();
    return total;
}

}  // namespace atelier::inference
