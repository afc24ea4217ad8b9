#pragma once
// Where an inpainting request generates. The model sees the mask's bounding box plus context
// padding (A1111 "only masked", diffusers' padding_mask_crop), cut out of the image and resized
// to a working size the model takes: about its native pixel count, each side a multiple of 64.
// The crop is grown to the working size's aspect where the image allows, so the resize does not
// distort. Plain C++ (no Qt, no OpenCV) so that the CLI and the UI share it.
#include <stdexcept>

#include "inference/image_types.h"

namespace atelier::app {

// Bad input to the image side (empty mask, mismatched sizes, a generator's malformed result).
struct InpaintError : std::invalid_argument {
    using std::invalid_argument::invalid_argument;
};

struct PixelRect {
    int x = 0;
    int y = 0;
    int width = 0;
    int height = 0;
    bool empty() const { return width <= 0 || height <= 0; }
    int right() const { return x + width; }    // one past the last column
    int bottom() const { return y + height; }  // one past the last row
    bool contains(const PixelRect& r) const {
        return r.x >= x && r.y >= y && r.right() <= right() && r.bottom() <= bottom();
    }
    bool operator==(const PixelRect& o) const {
        return x == o.x && y == o.y && width == o.width && height == o.height;
    }
};

struct PixelSize {
    int width = 0;
    int height = 0;
    bool operator==(const PixelSize& o) const { return width == o.width && height == o.height; }
};

struct InpaintRegionOptions {
    int padding = 32;            // context on each side of the mask's bounds, image pixels
    int nativeResolution = 512;  // the model's training side: 512 (SD2 base, inpainting,
                                 // depth), 768 (768-v); the working area is at most its square
    int sizeMultiple = 64;       // each working side a multiple of this (latents / 8, UNet / 8)
    double maxAspect = 2.0;      // SD2 repeats content beyond ~2:1; a thinner request gets
                                 // more context instead, where the image has it
};

struct InpaintRegion {
    PixelRect maskBounds;   // smallest rectangle holding every mask value > 0
    PixelRect crop;         // cut out of the image: maskBounds + padding, clamped and grown
    PixelSize workingSize;  // what the generator receives (and must return)
};

// The smallest rectangle holding every value > 0 of a 1-channel mask; empty when there is none.
PixelRect maskBounds(const inference::ImageF& mask);

// The working size for a crop: each side a multiple of options.sizeMultiple, area at most
// nativeResolution^2, chosen to spend the most working pixels on the crop once the crop is grown
// to its aspect (the crop's aspect is clamped to maxAspect first). Throws InpaintError for an
// empty crop or invalid options.
PixelSize workingSizeFor(PixelSize crop, const InpaintRegionOptions& options);

// The region for a mask over an image of the mask's size. Throws InpaintError when the mask is
// not one channel, has no value > 0, or the options are invalid.
InpaintRegion inpaintRegion(const inference::ImageF& mask, const InpaintRegionOptions& options);

// The same from known bounds (the document tracks its mask's bounds by tiles).
InpaintRegion inpaintRegionForBounds(PixelSize image, PixelRect maskBounds,
                                     const InpaintRegionOptions& options);

}  // namespace atelier::app
