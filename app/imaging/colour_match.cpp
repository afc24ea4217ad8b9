#include "app/imaging/colour_match.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "app/imaging/image_ops.h"
#include "app/imaging/mask_feather.h"

namespace atelier::app {
namespace {

void requireSameSize(const inference::ImageF& a, const inference::ImageF& b, const char* what) {
    if (a.width != b.width || a.height != b.height) {
        throw InpaintError(std::string(what) + " does not have the image's size");
    }
}

ColourStats statsOf(const inference::ImageF& rgb, const inference::ImageF& where) {
    ColourStats s;
    double sum[3] = {0, 0, 0}, sumSq[3] = {0, 0, 0};
    const std::size_t pixels = where.data.size();
    for (std::size_t i = 0; i < pixels; ++i) {
        if (!(where.data[i] > 0.f)) continue;
        for (int c = 0; c < 3; ++c) {
            const double v = rgb.data[3 * i + c];
            sum[c] += v;
            sumSq[c] += v * v;
        }
        ++s.count;
    }
    if (s.count == 0) return s;
    for (int c = 0; c < 3; ++c) {
        s.mean[c] = sum[c] / s.count;
        s.stddev[c] = std::sqrt(std::max(sumSq[c] / s.count - s.mean[c] * s.mean[c], 0.0));
    }
    return s;
}

}  // namespace

ColourStats colourStats(const inference::ImageF& rgb, const inference::ImageF& where) {
    requireImage(rgb, 3, "the image");
    requireImage(where, 1, "the reference mask");
    requireSameSize(rgb, where, "the reference mask");
    return statsOf(rgb, where);
}

inference::ImageF referenceRing(const inference::ImageF& repaint, int ringPx,
                                std::size_t minPixels) {
    inference::ImageF ring = repaintMask(repaint, std::max(ringPx, 1));
    std::size_t count = 0;
    for (std::size_t i = 0; i < ring.data.size(); ++i) {
        ring.data[i] = repaint.data[i] > 0.f ? 0.f : ring.data[i];
        count += ring.data[i] > 0.f;
    }
    if (count >= minPixels) return ring;
    for (std::size_t i = 0; i < ring.data.size(); ++i) ring.data[i] = repaint.data[i] > 0.f ? 0 : 1;
    return ring;
}

bool matchColours(inference::ImageF& generated, const inference::ImageF& original,
                  const inference::ImageF& reference) {
    requireImage(generated, 3, "the generated image");
    requireImage(original, 3, "the original image");
    requireImage(reference, 1, "the reference mask");
    requireSameSize(generated, original, "the original image");
    requireSameSize(generated, reference, "the reference mask");

    const ColourStats from = statsOf(generated, reference);
    if (from.count == 0) return false;
    const ColourStats to = statsOf(original, reference);

    // A reference flatter than this (about one 8-bit step) says nothing about contrast: match
    // the mean only.
    constexpr double kFlat = 1.0 / 255.0;
    float scale[3], shift[3];
    for (int c = 0; c < 3; ++c) {
        const double k = from.stddev[c] < kFlat || to.stddev[c] < kFlat
                             ? 1.0
                             : std::clamp(to.stddev[c] / from.stddev[c], 0.5, 2.0);
        scale[c] = static_cast<float>(k);
        shift[c] = static_cast<float>(to.mean[c] - from.mean[c] * k);
    }
    const std::size_t pixels = generated.data.size() / 3;
    for (std::size_t i = 0; i < pixels; ++i) {
        for (int c = 0; c < 3; ++c) {
            float& v = generated.data[3 * i + c];
            v = std::clamp(v * scale[c] + shift[c], 0.f, 1.f);
        }
    }
    return true;
}

}  // namespace atelier::app
