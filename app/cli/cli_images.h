#pragma once
// Images in and out of atelier-cli. With the app (Qt) linked: PNG/JPEG/TIFF/WebP through
// app/image_io.h; always: .safetensors tensors, so an inference-only build (no Qt) still runs
// every job. Errors are BadInput naming the file.
#include "inference/image_types.h"

#include <string>

namespace atelier::cli {

bool endsWith(const std::string& text, const std::string& lowerSuffix);  // case-insensitive

// 8-bit RGB: an image file, or a .safetensors uint8 [H, W, 3] tensor `image`/`image_uint8_hwc`.
inference::Rgb8Image readRgb8(const std::string& path);
// [0, 1] floats with `channels` channels (3: RGB; 1: grey, e.g. a mask): an image file (8/16-bit),
// or a .safetensors tensor (the only one, or `image`/`mask`): uint8 [H, W(, C)] or float in [0, 1]
// [H, W(, C)] / [1, H, W, C].
inference::ImageF readImageF(const std::string& path, int channels);
// A depth map: a grey PNG (8 or 16 bit, white = near) or a .safetensors float tensor `depth`
// [1, H, W] / [H, W] (any range, larger = nearer).
inference::ImageF readDepth(const std::string& path);
// .png: 8-bit RGB (rounded), atomically; .safetensors: float NHWC [1, H, W, C] `image` in [0, 1].
void writeImageF(const std::string& path, const inference::ImageF& image);

}  // namespace atelier::cli
