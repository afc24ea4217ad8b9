#include "inference/models/dpt/depth_conditioning.h"

#include <ATen/Functions.h>
#include <ATen/TensorOperators.h>
#include <c10/core/InferenceMode.h>

#include <stdexcept>
#include <string>

namespace atelier::inference {

at::Tensor depthConditioning(const at::Tensor& depth, int64_t latentHeight, int64_t latentWidth) {
    if (depth.dim() != 3 || depth.numel() == 0) {
        throw std::invalid_argument("a depth map must be a non-empty [B, H, W] tensor");
    }
    if (latentHeight <= 0 || latentWidth <= 0) {
        throw std::invalid_argument("the latent size must be positive");
    }
    c10::InferenceMode inference;
    const at::Tensor d = depth.to(at::kFloat);
    if (!at::isfinite(d).all().item<bool>()) {
        throw std::invalid_argument("the depth map holds NaN or infinite values");
    }
    const at::Tensor resized = at::upsample_bicubic2d(d.unsqueeze(1), {latentHeight, latentWidth},
                                                      /*align_corners=*/false);
    const at::Tensor lo = at::amin(resized, {1, 2, 3}, /*keepdim=*/true);
    const at::Tensor hi = at::amax(resized, {1, 2, 3}, /*keepdim=*/true);
    const at::Tensor range = hi - lo;
    const at::Tensor safeRange = at::where(range > 0, range, at::ones_like(range));
    // diffusers: 2.0 * (depth_map - depth_min) / (depth_max - depth_min) - 1.0
    return (2.0 * (resized - lo)) / safeRange - 1.0;
}

}  // namespace atelier::inference
