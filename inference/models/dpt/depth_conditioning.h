#pragma once
// Internal to inference/: depth2img's depth channel on tensors (see depth_map.h for the rules).
#include <ATen/Tensor.h>

#include <cstdint>

namespace atelier::inference {

// depth [B, H, W] (predicted or supplied) -> [B, 1, latentHeight, latentWidth] in [-1, 1]:
// bicubic (align_corners=False) to the latent size, then per sample 2 * (d - min) / (max - min) - 1
// (flat samples give -1). Computed in float32, in diffusers' order of operations.
at::Tensor depthConditioning(const at::Tensor& depth, int64_t latentHeight, int64_t latentWidth);

}  // namespace atelier::inference
