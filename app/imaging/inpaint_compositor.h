#pragma once
// The image side of an inpainting (or masked restyling) request: crop the mask's region with
// context, fit it to the model's working size, let a generator repaint it, then bring the result
// back: resize to the crop, colour-match it to its surroundings, and paste it through the
// feathered mask, so that every pixel whose mask is 0 is bit-identical to the input (no VAE
// round trip or resampling touches it) and grey mask values act as per-pixel strength.
//
// composite() does it all at once; prepareInpaint() / finishInpaint() / applyPatch() are the
// same steps apart, for the UI, which generates several variations and pastes one later.
#include <functional>

#include "app/imaging/inpaint_region.h"
#include "inference/image_types.h"

namespace atelier::app {

struct InpaintOptions {
    InpaintRegionOptions region;
    int maskGrow = 8;  // image pixels the generator repaints beyond the mask: the model's weak
                       // edge falls where nothing is pasted (Krita AI plugin: grow 4 px)
    int feather = 8;   // image pixels over which the paste fades in inside the mask's edge
                       // (A1111 mask blur 4 px, but that one bleeds outside the mask)
    bool colourMatch = true;
    int colourRing = 16;  // image pixels: the band outside the repaint mask whose colours the
                          // generated region is matched to
};

// Receives the crop fitted to the working size (RGB) and the repaint mask at that size (1
// channel, 0 or 1, 1 = repaint: the artist's mask grown by maskGrow, so it holds every pixel
// that may change); returns an RGB image of the same size: the model's raw decode everywhere, *not*
// with the input pasted back outside the mask (the colour match measures the model's drift in the
// context it reproduced; pasted-back originals would hide it). Exceptions it throws (cancel, out of
// memory) pass through.
using InpaintGenerator =
    std::function<inference::ImageF(const inference::ImageF& image, const inference::ImageF& mask)>;

// A prepared request: what the generator gets, and what the paste will need.
struct InpaintJob {
    InpaintRegion region;
    inference::ImageF workingImage;  // the crop at region.workingSize, RGB
    inference::ImageF workingMask;   // the repaint mask at region.workingSize, 0 or 1
    inference::ImageF originalCrop;  // the crop at image scale, RGB
    inference::ImageF cropRepaint;   // the repaint mask at image scale, 0 or 1
    inference::ImageF cropAlpha;     // the paste alpha at image scale: feather x mask
};

// One generated variation, ready to paste at `rect` (or to stage as a layer with this alpha).
struct InpaintPatch {
    PixelRect rect;           // the crop, in image pixels
    inference::ImageF rgb;    // generated, resized to the crop and colour-matched
    inference::ImageF alpha;  // 1 channel; 0 wherever the mask is 0
};

// Throws InpaintError when the image is not RGB, the mask not one channel of the image's size,
// the mask is empty, or the options are invalid.
InpaintJob prepareInpaint(const inference::ImageF& image, const inference::ImageF& mask,
                          const InpaintOptions& options);

// Throws InpaintError when `generated` is not RGB at the working size or holds NaN/Inf (a broken
// generation is never pasted).
InpaintPatch finishInpaint(const InpaintJob& job, const inference::ImageF& generated,
                           const InpaintOptions& options);

// out = image + alpha x (patch - image), computed only where alpha > 0: other pixels are not
// written at all. Throws InpaintError when the patch does not fit the image.
void applyPatch(inference::ImageF& image, const InpaintPatch& patch);

// prepare, generate, finish, apply to a copy of `image`.
inference::ImageF composite(const inference::ImageF& image, const inference::ImageF& mask,
                            const InpaintOptions& options, const InpaintGenerator& generator);

}  // namespace atelier::app
