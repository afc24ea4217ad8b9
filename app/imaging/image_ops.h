#pragma once
// Cutting out and resizing ImageF for the model. Resizing down averages (OpenCV INTER_AREA: no
// aliasing in the crop the model sees); up is bicubic, clamped to [0, 1] (cubic overshoots at
// edges). Masks resize with area / bilinear so that a mask keeps its extent.
#include "app/imaging/inpaint_region.h"
#include "inference/image_types.h"

namespace atelier::app {

// The pixels of `rect` (which must lie inside the image), any channel count.
inference::ImageF cropImage(const inference::ImageF& image, const PixelRect& rect);

// Colour (or depth) resize: INTER_AREA when neither side grows, else INTER_CUBIC, then clamp.
inference::ImageF resizeImage(const inference::ImageF& image, PixelSize size);

// Mask resize: INTER_AREA when neither side grows, else INTER_LINEAR.
inference::ImageF resizeMask(const inference::ImageF& mask, PixelSize size);

// Throws InpaintError unless the image has `channels` channels and a buffer of its size.
void requireImage(const inference::ImageF& image, int channels, const char* what);

}  // namespace atelier::app
