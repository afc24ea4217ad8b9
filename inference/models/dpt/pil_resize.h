#pragma once
// Internal to inference/: Pillow's `Image.resize` for 8-bit RGB, reimplemented bit for bit.
// DPT's image processor (transformers' DPTImageProcessor) resizes the uint8 image through PIL
// with BICUBIC before rescaling, so depth2img's numbers depend on Pillow's exact arithmetic:
// a separable convolution (horizontal pass into an 8-bit image, then vertical), a kernel widened
// by the scale factor when shrinking (antialiasing), bicubic a = -0.5 (torch's is -0.75), and
// fixed-point coefficients with rounding and clamping to 0..255 after each pass. Plain C++.
#include <cstdint>
#include <vector>

namespace atelier::inference {

enum class PilFilter { Bilinear, Bicubic };

// `pixels` is row-major RGB (3 bytes per pixel). Same size in and out returns a copy, as PIL does.
std::vector<uint8_t> pilResizeRgb8(const std::vector<uint8_t>& pixels, int width, int height,
                                   int outWidth, int outHeight, PilFilter filter);

// PIL's `resample` codes (Image.BILINEAR = 2, BICUBIC = 3); others throw std::invalid_argument.
PilFilter pilFilterFromCode(int code);

}  // namespace atelier::inference
