#pragma once
// Internal to inference/: splitting a latent into overlapping tiles and blending the pieces back
// (the x4 upscaler's UNet and VAE decode), so memory depends on the tile size, not the image.
// Weights ramp linearly across each overlap and are flat at the image border, so every pixel's
// weights sum to one and neighbouring tiles fade into each other without a visible step.
#include <ATen/Tensor.h>

#include <cstdint>
#include <functional>
#include <vector>

namespace atelier::inference {

struct TileSpan {
    int64_t begin = 0;
    int64_t end = 0;  // exclusive
};

// Tiles of `tile` covering [0, length) with at least `overlap` shared; one tile when it fits.
std::vector<TileSpan> tileSpans(int64_t length, int64_t tile, int64_t overlap);

// Blend weights [n] for a span: ramps over the overlap with its neighbours, flat at image borders.
at::Tensor spanWeights(const TileSpan& span, int64_t length, int64_t overlap, const at::TensorOptions& options);

// Runs `f` on every tile of `input` (a spatial [N, C, H, W]; `f` may return another channel count
// and an integer `scale` of the tile's size) and blends the results; `extra` tensors are cut to
// the same tile (their spatial size equals input's).
at::Tensor runTiled(const at::Tensor& input, int64_t tile, int64_t overlap, int64_t scale,
                    const std::function<at::Tensor(const at::Tensor& tileInput, int64_t y0, int64_t x0,
                                                   int64_t y1, int64_t x1)>& f);

}  // namespace atelier::inference
