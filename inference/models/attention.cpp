#include "inference/models/attention.h"

#include <ATen/Functions.h>
#include <ATen/TensorOperators.h>
#include <torch/version.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace atelier::inference {

int64_t attentionChunkRows(int64_t batchHeads, int64_t queries, int64_t keys,
                           int64_t maxScoreBytes) {
    const int64_t bytesPerRow = std::max<int64_t>(1, batchHeads * keys * int64_t(sizeof(float)));
    return std::clamp<int64_t>(maxScoreBytes / bytesPerRow, 1, std::max<int64_t>(1, queries));
}

namespace {

at::Tensor chunkedAttention(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v,
                            const AttentionOptions& options) {
    const int64_t B = q.size(0), H = q.size(1), Nq = q.size(2), D = q.size(3), Nk = k.size(2);
    const double scale = 1.0 / std::sqrt(double(D));
    // [B*H, N, D]; k is transposed once for all chunks.
    const at::Tensor q3 = q.reshape({B * H, Nq, D});
    const at::Tensor kT = k.reshape({B * H, Nk, D}).transpose(1, 2).to(at::kFloat);
    const at::Tensor v3 = v.reshape({B * H, Nk, D});
    at::Tensor out = at::empty({B * H, Nq, D}, q.options());
    const int64_t rows = attentionChunkRows(B * H, Nq, Nk, options.maxScoreBytes);
    for (int64_t start = 0; start < Nq; start += rows) {
        const int64_t end = std::min(Nq, start + rows);
        at::Tensor scores = at::bmm(q3.slice(1, start, end).to(at::kFloat), kT).mul_(scale);
        if (options.causal) {
            // Query i sees keys 0..i (query indices are offset by the chunk start).
            const auto qi = at::arange(start, end, scores.options().dtype(at::kLong)).unsqueeze(1);
            const auto kj = at::arange(Nk, scores.options().dtype(at::kLong)).unsqueeze(0);
            scores.masked_fill_(kj > qi, -std::numeric_limits<float>::infinity());
        }
        at::Tensor probs = at::softmax(scores, -1).to(v3.scalar_type());
        out.slice(1, start, end).copy_(at::bmm(probs, v3));
    }
    return out.reshape({B, H, Nq, D});
}

}  // namespace

at::Tensor attention(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v,
                     const AttentionOptions& options) {
#if TORCH_VERSION_MAJOR >= 2
    // Fused kernels accumulate in fp32; on CPU fp32 they match the reference math.
    if (options.allowFusedKernel) {
        return at::scaled_dot_product_attention(q, k, v, /*attn_mask=*/{}, /*dropout_p=*/0.0,
                                                /*is_causal=*/options.causal);
    }
#endif
    return chunkedAttention(q, k, v, options);
}

}  // namespace atelier::inference
