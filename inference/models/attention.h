#pragma once
// Internal to inference/: the one attention kernel every SD2 network uses (UNet transformer
// blocks, the VAE's mid-block attention, the text encoder's causal self-attention, DPT's ViT).
//
// SD2 numerics: scores and softmax are computed in fp32 even for fp16/bf16 inputs (the reference
// upcasts; 768-v in fp16 turns black otherwise). Memory: on libtorch >= 2.0 the fused
// at::scaled_dot_product_attention is used; on 1.13 queries are processed in chunks so no score
// matrix larger than `maxScoreBytes` is ever materialised (the x4 upscaler's VAE attends over
// 262,144 tokens: a full score matrix would be 256 GiB).
#include <ATen/Tensor.h>

#include <cstdint>

namespace atelier::inference {

struct AttentionOptions {
    bool causal = false;
    int64_t maxScoreBytes = int64_t(256) << 20;
    bool allowFusedKernel = true;  // false forces the chunked path (tests compare the two)
};

// q: [B, H, Nq, D], k and v: [B, H, Nk, D] -> [B, H, Nq, D] in q's dtype.
at::Tensor attention(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v,
                     const AttentionOptions& options = {});

// Rows of queries per chunk so that one [B*H, rows, Nk] fp32 score block fits the budget.
int64_t attentionChunkRows(int64_t batchHeads, int64_t queries, int64_t keys, int64_t maxScoreBytes);

}  // namespace atelier::inference
