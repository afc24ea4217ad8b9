#include "inference/models/attention.h"

#include <ATen/Functions.h>
#include <ATen/TensorOperators.h>

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

using namespace atelier::inference;

namespace {

// Attention exactly as written in the reference code: softmax(QK^T / sqrt(d)) V, all at once.
at::Tensor naive(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v, bool causal) {
    at::Tensor scores = at::matmul(q, k.transpose(-1, -2)) / std::sqrt(double(q.size(-1)));
    if (causal) {
        const auto mask = at::ones({q.size(2), k.size(2)}, at::kBool).triu(1);
        scores = scores.masked_fill(mask, -std::numeric_limits<float>::infinity());
    }
    return at::matmul(at::softmax(scores, -1), v);
}

}  // namespace

TEST_CASE("chunked attention equals the reference formula", "[attention]") {
    at::manual_seed(0);
    const auto q = at::randn({2, 3, 37, 8});
    const auto k = at::randn({2, 3, 29, 8});
    const auto v = at::randn({2, 3, 29, 8});
    AttentionOptions tinyBudget;
    tinyBudget.maxScoreBytes = 2 * 3 * 29 * 4 * 5;  // 5 query rows per chunk
    tinyBudget.allowFusedKernel = false;
    CHECK(attentionChunkRows(6, 37, 29, tinyBudget.maxScoreBytes) == 5);
    CHECK((attention(q, k, v, tinyBudget) - naive(q, k, v, false)).abs().max().item<float>() < 1e-5);
    CHECK((attention(q, k, v) - naive(q, k, v, false)).abs().max().item<float>() < 1e-5);
}

TEST_CASE("causal attention masks future keys in every chunk", "[attention]") {
    at::manual_seed(1);
    const auto q = at::randn({1, 2, 20, 4});
    const auto k = at::randn({1, 2, 20, 4});
    const auto v = at::randn({1, 2, 20, 4});
    AttentionOptions options;
    options.causal = true;
    options.allowFusedKernel = false;
    options.maxScoreBytes = 2 * 20 * 4 * 3;  // 3 rows per chunk: chunk offsets matter
    CHECK((attention(q, k, v, options) - naive(q, k, v, true)).abs().max().item<float>() < 1e-5);
    options.allowFusedKernel = true;
    CHECK((attention(q, k, v, options) - naive(q, k, v, true)).abs().max().item<float>() < 1e-5);
}

TEST_CASE("half-precision inputs get fp32 scores", "[attention]") {
    // Scores of 300 overflow fp16's softmax if exponentiated in half; fp32 handles them.
    const auto q = at::full({1, 1, 4, 64}, 2.5).to(at::kBFloat16);
    const auto k = at::full({1, 1, 4, 64}, 2.5).to(at::kBFloat16);
    const auto v = at::randn({1, 1, 4, 64}).to(at::kBFloat16);
    AttentionOptions options;
    options.allowFusedKernel = false;
    const auto out = attention(q, k, v, options);
    CHECK(out.scalar_type() == at::kBFloat16);
    CHECK(at::isfinite(out).all().item<bool>());
}
