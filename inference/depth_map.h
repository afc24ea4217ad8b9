#pragma once
// Depth maps as data the app can show, edit and bring back (plain C++ API).
//
// Convention: relative inverse depth, larger = nearer (MiDaS's output; white = near in a grey
// image). depth2img only sees a depth map through depthConditioning(), which normalises it per
// image, so any positive scale and offset of a map give the same conditioning: an artist's
// painted 8-bit map, a 16-bit export and the estimator's float output are interchangeable.
#include "inference/image_types.h"

#include <cstdint>
#include <vector>

namespace atelier::inference {

// depth2img's depth channel (diffusers' prepare_depth_map, identical to the SD2 depth2img
// script): bicubic resize (align_corners=False, as torch) to latentWidth x latentHeight, then
// 2 * (d - min) / (max - min) - 1 per image. A flat map (max == min) gives -1 everywhere, what
// LDM's training normalisation (denominator + 0.001) gives, instead of the reference's NaN.
FloatImage depthConditioning(const FloatImage& depth, int latentWidth, int latentHeight);

// torch's bicubic interpolation (align_corners=False, a = -0.75, no antialiasing).
FloatImage resizeDepthBicubic(const FloatImage& depth, int width, int height);

// 16-bit grey for editing elsewhere: min -> 0, max -> 65535, rounded (near = white).
// A flat map gives all 0.
std::vector<uint16_t> depthToGrey16(const FloatImage& depth);
// Grey images back to depth (value / 65535 or / 255); throws std::invalid_argument when the
// buffer does not hold width x height values.
FloatImage depthFromGrey16(int width, int height, const std::vector<uint16_t>& grey);
FloatImage depthFromGrey8(int width, int height, const std::vector<uint8_t>& grey);

}  // namespace atelier::inference
