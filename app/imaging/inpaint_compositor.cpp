#include "app/imaging/inpaint_compositor.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "app/imaging/colour_match.h"
#include "app/imaging/image_ops.h"
#include "app/imaging/mask_feather.h"

namespace atelier::app {
namespace {

std::string sizeText(int w, int h, int c) {
    return std::to_string(w) + "x" + std::to_string(h) + "x" + std::to_string(c);
}

// The feather needs to know where the mask really ends: beyond a crop side inside the image the
// mask is 0 (the crop holds the mask's bounds), beyond the image's own border it counts as
// continuing (no seam there). So pad with zeros on the inner sides before feathering.
inference::ImageF cropAlphaFor(const inference::ImageF& cropMask, const PixelRect& crop,
                               PixelSize image, int feather) {
    const int m = std::max(feather, 0) + 1;
    const int left = crop.x > 0 ? m : 0, top = crop.y > 0 ? m : 0;
    const int right = crop.right() < image.width ? m : 0;
    const int bottom = crop.bottom() < image.height ? m : 0;
    inference::ImageF padded(cropMask.width + left + right, cropMask.height + top + bottom, 1);
    for (int y = 0; y < cropMask.height; ++y) {
        for (int x = 0; x < cropMask.width; ++x)
            padded.at(x + left, y + top, 0) = cropMask.at(x, y, 0);
    }
    const inference::ImageF alpha = pasteAlpha(padded, feather);
    return cropImage(alpha, {left, top, cropMask.width, cropMask.height});
}

}  // namespace

InpaintJob prepareInpaint(const inference::ImageF& image, const inference::ImageF& mask,
                          const InpaintOptions& options) {
    requireImage(image, 3, "the image");
    requireImage(mask, 1, "the mask");
    if (mask.width != image.width || mask.height != image.height) {
        throw InpaintError("the mask is " + std::to_string(mask.width) + "x" +
                           std::to_string(mask.height) + " but the image is " +
                           std::to_string(image.width) + "x" + std::to_string(image.height));
    }
    if (options.maskGrow < 0 || options.feather < 0 || options.colourRing < 0) {
        throw InpaintError("mask grow, feather and colour ring must be >= 0 pixels");
    }
    InpaintJob job;
    job.region = inpaintRegion(mask, options.region);
    const PixelRect& crop = job.region.crop;
    job.originalCrop = cropImage(image, crop);
    const inference::ImageF cropMask = cropImage(mask, crop);
    job.cropRepaint = repaintMask(cropMask, options.maskGrow);
    job.cropAlpha = cropAlphaFor(cropMask, crop, {image.width, image.height}, options.feather);

    job.workingImage = resizeImage(job.originalCrop, job.region.workingSize);
    // Any coverage counts: the model must repaint at least every pixel that will be pasted.
    job.workingMask = resizeMask(job.cropRepaint, job.region.workingSize);
    for (float& v : job.workingMask.data) v = v > 1e-4f ? 1.f : 0.f;
    return job;
}

InpaintPatch finishInpaint(const InpaintJob& job, const inference::ImageF& generated,
                           const InpaintOptions& options) {
    const PixelSize working = job.region.workingSize;
    if (generated.width != working.width || generated.height != working.height ||
        generated.channels != 3 ||
        generated.data.size() != static_cast<std::size_t>(working.width) * working.height * 3) {
        throw InpaintError("the generator returned a " +
                           sizeText(generated.width, generated.height, generated.channels) +
                           " image; the request needs " +
                           sizeText(working.width, working.height, 3));
    }
    for (const float v : generated.data) {
        if (!std::isfinite(v)) {
            throw InpaintError("the generator returned NaN or infinite pixels; nothing was pasted");
        }
    }
    InpaintPatch patch;
    patch.rect = job.region.crop;
    patch.rgb = resizeImage(generated, {patch.rect.width, patch.rect.height});
    if (options.colourMatch) {
        matchColours(patch.rgb, job.originalCrop,
                     referenceRing(job.cropRepaint, options.colourRing));
    }
    patch.alpha = job.cropAlpha;
    return patch;
}

void applyPatch(inference::ImageF& image, const InpaintPatch& patch) {
    requireImage(image, 3, "the image");
    const PixelRect& r = patch.rect;
    if (r.empty() || !PixelRect{0, 0, image.width, image.height}.contains(r) ||
        patch.rgb.width != r.width || patch.rgb.height != r.height || patch.rgb.channels != 3 ||
        patch.alpha.width != r.width || patch.alpha.height != r.height ||
        patch.alpha.channels != 1) {
        throw InpaintError("the inpaint patch does not fit the image");
    }
    for (int y = 0; y < r.height; ++y) {
        for (int x = 0; x < r.width; ++x) {
            const float a = patch.alpha.at(x, y, 0);
            if (!(a > 0.f)) continue;  // untouched: bit-identical
            for (int c = 0; c < 3; ++c) {
                float& dst = image.at(r.x + x, r.y + y, c);
                dst += a * (patch.rgb.at(x, y, c) - dst);
            }
        }
    }
}

inference::ImageF composite(const inference::ImageF& image, const inference::ImageF& mask,
                            const InpaintOptions& options, const InpaintGenerator& generator) {
    if (!generator) throw InpaintError("no generator was given");
    const InpaintJob job = prepareInpaint(image, mask, options);
    const InpaintPatch patch =
        finishInpaint(job, generator(job.workingImage, job.workingMask), options);
    inference::ImageF out = image;
    applyPatch(out, patch);
    return out;
}

}  // namespace atelier::app
