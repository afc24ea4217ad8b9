#include "app/imaging/inpaint_region.h"

#include <algorithm>
#include <cmath>
#include <string>

namespace atelier::app {
namespace {

void validate(const InpaintRegionOptions& o) {
    if (o.padding < 0) throw InpaintError("inpaint padding must be >= 0 pixels");
    if (o.sizeMultiple < 8 || o.sizeMultiple > 512) {
        throw InpaintError("inpaint size multiple must be between 8 and 512 pixels");
    }
    if (o.nativeResolution < o.sizeMultiple || o.nativeResolution > 4096) {
        throw InpaintError("inpaint native resolution must be between the size multiple (" +
                           std::to_string(o.sizeMultiple) + ") and 4096 pixels");
    }
    if (!(o.maxAspect >= 1.0) || !std::isfinite(o.maxAspect)) {
        throw InpaintError("inpaint maximum aspect must be a finite ratio >= 1");
    }
}

// Among sizes W x H (multiples of m, W*H <= native^2) pick the one that spends the most working
// pixels on a crop of this aspect once the crop is grown to W:H: a crop grown by a factor r in
// one direction leaves W*H/r pixels for what was asked for. Ties go to the closer aspect
// (less context the user did not ask for), then to the smaller size (cheaper).
PixelSize bestWorkingSize(double aspect, const InpaintRegionOptions& o) {
    const long long m = o.sizeMultiple;
    const long long budget = static_cast<long long>(o.nativeResolution) * o.nativeResolution;
    PixelSize best;
    double bestCovered = -1.0;
    double bestError = 0.0;
    for (long long w = m; w * m <= budget; w += m) {
        const double idealH = static_cast<double>(w) / aspect;
        const long long below = std::max(m, static_cast<long long>(std::floor(idealH / m)) * m);
        for (const long long h : {below, below + m}) {
            if (w * h > budget) continue;
            const double error = std::abs(std::log(static_cast<double>(w) / h / aspect));
            const double covered = static_cast<double>(w * h) / std::exp(error);
            const bool clearlyMore = covered > bestCovered * (1.0 + 1e-9);
            const bool tie = !clearlyMore && covered >= bestCovered * (1.0 - 1e-9);
            if (clearlyMore || (tie && error < bestError - 1e-12)) {
                best = {static_cast<int>(w), static_cast<int>(h)};
                bestCovered = covered;
                bestError = error;
            }
        }
    }
    return best;
}

// For a crop that cannot grow any more, every aspect difference is distortion: the largest size
// within 5 % of the crop's aspect (the model hardly notices that, and the result is resized back
// exactly), else the closest aspect there is.
PixelSize fittedWorkingSize(double aspect, const InpaintRegionOptions& o) {
    const long long m = o.sizeMultiple;
    const long long budget = static_cast<long long>(o.nativeResolution) * o.nativeResolution;
    const double tolerance = std::log(1.05);
    PixelSize best;
    long long bestArea = 0;
    double bestError = 1e300;
    for (long long w = m; w * m <= budget; w += m) {
        const long long below = std::max(
            m, static_cast<long long>(std::floor(static_cast<double>(w) / aspect / m)) * m);
        for (const long long h : {below, below + m}) {
            if (w * h > budget) continue;
            const double error = std::abs(std::log(static_cast<double>(w) / h / aspect));
            const bool within = error <= tolerance, bestWithin = bestError <= tolerance;
            bool better;
            if (within != bestWithin) {
                better = within;
            } else if (within) {
                better = w * h > bestArea || (w * h == bestArea && error < bestError);
            } else {
                better = error < bestError || (error == bestError && w * h > bestArea);
            }
            if (better) {
                best = {static_cast<int>(w), static_cast<int>(h)};
                bestArea = w * h;
                bestError = error;
            }
        }
    }
    return best;
}

double aspectOf(const PixelRect& r) { return static_cast<double>(r.width) / r.height; }

// Grows `crop` (never shrinks it) towards the aspect of `size`, centred on itself and shifted
// to stay inside the image; a side that would exceed the image stops at the image's side.
PixelRect growToAspect(const PixelRect& crop, PixelSize size, PixelSize image) {
    const double target = static_cast<double>(size.width) / size.height;
    PixelRect grown = crop;
    if (crop.width < crop.height * target) {
        grown.width = static_cast<int>(std::lround(crop.height * target));
        grown.width = std::clamp(grown.width, crop.width, image.width);
    } else {
        grown.height = static_cast<int>(std::lround(crop.width / target));
        grown.height = std::clamp(grown.height, crop.height, image.height);
    }
    grown.x = std::clamp(crop.x - (grown.width - crop.width) / 2, 0, image.width - grown.width);
    grown.y = std::clamp(crop.y - (grown.height - crop.height) / 2, 0, image.height - grown.height);
    return grown;
}

// True when the crop is the size's aspect up to rounding to whole pixels.
bool matchesAspect(const PixelRect& crop, PixelSize size) {
    const double target = static_cast<double>(size.width) / size.height;
    return std::abs(crop.width - crop.height * target) <= 1.0 &&
           std::abs(crop.height - crop.width / target) <= 1.0;
}

}  // namespace

PixelRect maskBounds(const inference::ImageF& mask) {
    if (mask.channels != 1) throw InpaintError("a mask must have one channel");
    if (mask.width < 0 || mask.height < 0 ||
        mask.data.size() != static_cast<std::size_t>(mask.width) * mask.height) {
        throw InpaintError("the mask's pixel buffer does not match its size");
    }
    int x0 = mask.width, y0 = mask.height, x1 = -1, y1 = -1;
    for (int y = 0; y < mask.height; ++y) {
        const float* row = mask.data.data() + static_cast<std::size_t>(y) * mask.width;
        int first = -1, last = -1;
        for (int x = 0; x < mask.width; ++x) {
            if (row[x] > 0.f) {
                if (first < 0) first = x;
                last = x;
            }
        }
        if (first < 0) continue;
        x0 = std::min(x0, first);
        x1 = std::max(x1, last);
        y0 = std::min(y0, y);
        y1 = y;
    }
    if (x1 < 0) return {};
    return {x0, y0, x1 - x0 + 1, y1 - y0 + 1};
}

PixelSize workingSizeFor(PixelSize crop, const InpaintRegionOptions& options) {
    validate(options);
    if (crop.width <= 0 || crop.height <= 0) throw InpaintError("the inpaint crop is empty");
    const double aspect = std::clamp(static_cast<double>(crop.width) / crop.height,
                                     1.0 / options.maxAspect, options.maxAspect);
    return bestWorkingSize(aspect, options);
}

InpaintRegion inpaintRegionForBounds(PixelSize image, PixelRect bounds,
                                     const InpaintRegionOptions& options) {
    validate(options);
    if (image.width <= 0 || image.height <= 0) throw InpaintError("the image is empty");
    // Only the part of the bounds inside the image counts.
    const int bx0 = std::max(bounds.x, 0), by0 = std::max(bounds.y, 0);
    const int bx1 = std::min(bounds.right(), image.width);
    const int by1 = std::min(bounds.bottom(), image.height);
    if (bounds.empty() || bx1 <= bx0 || by1 <= by0) {
        throw InpaintError(
            "the mask is empty: paint where the image should change (no mask "
            "pixel is above 0)");
    }
    InpaintRegion region;
    region.maskBounds = {bx0, by0, bx1 - bx0, by1 - by0};

    const int p = options.padding;
    const int px0 = std::max(bx0 - p, 0), py0 = std::max(by0 - p, 0);
    const int px1 = std::min(bx1 + p, image.width), py1 = std::min(by1 + p, image.height);
    const PixelRect padded{px0, py0, px1 - px0, py1 - py0};

    // Grow to the working aspect; where the image stops the growth, choose the working size for
    // the crop the image allows (its own aspect, beyond maxAspect if need be: distorting would
    // be worse than a thin generation) and try again.
    PixelSize working = workingSizeFor({padded.width, padded.height}, options);
    PixelRect crop = padded;
    for (int attempt = 0; attempt < 4; ++attempt) {
        crop = growToAspect(crop, working, image);
        if (matchesAspect(crop, working)) break;
        working = fittedWorkingSize(aspectOf(crop), options);
    }
    if (!matchesAspect(crop, working)) working = fittedWorkingSize(aspectOf(crop), options);
    region.crop = crop;
    region.workingSize = working;
    return region;
}

InpaintRegion inpaintRegion(const inference::ImageF& mask, const InpaintRegionOptions& options) {
    validate(options);
    if (mask.empty()) throw InpaintError("the mask has no pixels");
    return inpaintRegionForBounds({mask.width, mask.height}, maskBounds(mask), options);
}

}  // namespace atelier::app
