#pragma once
// Colour correction of a generated region (the most reported inpainting complaint is a colour
// shift at the seam: the VAE round trip and the sampler drift brightness, tint and saturation).
//
// Per-channel mean and standard deviation transfer, measured on reference pixels where the
// generated image and the original should agree (a ring just outside the repaint mask: the model
// reproduces its context there), then applied to the whole generated region. In the sRGB values
// themselves, not in Lab: a drift that is a gain and offset per channel (the common case) is
// undone exactly in RGB, while an affine map in Lab cannot undo it (Lab is nonlinear in RGB) and
// the float Lab round trip alone costs 0.002. Measured on the seam band of a textured test image
// (tests/app/imaging): mean / worst error after matching, RGB vs Lab: red +0.2: 0.0001 / 0.0008
// vs 0.0055 / 0.091; 0.92 v + tint: 0.0001 / 0.0008 vs 0.0041 / 0.069; 30 % desaturation +
// 0.05: 0.0053 / 0.024 vs 0.0028 / 0.039; gamma 1.3: 0.0008 / 0.005 vs 0.0027 / 0.034.
// Mean/std rather than a histogram match (A1111): the ring holds a few thousand pixels, whose
// histogram noise would be imprinted on the new content. A ring rather than the whole unmasked
// crop: the drift is what shows at the seam, and the crop may have been grown far beyond it.
#include <cstddef>

#include "inference/image_types.h"

namespace atelier::app {

struct ColourStats {
    double mean[3] = {0, 0, 0};  // R, G, B
    double stddev[3] = {0, 0, 0};
    std::size_t count = 0;  // reference pixels measured
};

// Stats of an RGB image over the pixels where `where` (1 channel, same size) is > 0.
ColourStats colourStats(const inference::ImageF& rgb, const inference::ImageF& where);

// 1 in a band of ringPx pixels just outside `repaint` (values > 0 inside), else 0. Where that
// band has fewer than minPixels pixels (the repaint mask fills the crop), every pixel outside
// `repaint` instead.
inference::ImageF referenceRing(const inference::ImageF& repaint, int ringPx,
                                std::size_t minPixels = 64);

// Maps `generated` so that its stats over `reference` become those of `original` there (each
// channel: (v - mean_g) x clamp(std_o / std_g, 0.5, 2) + mean_o, clamped to [0, 1]; the scale
// stays 1 where the reference is flat). Returns false and leaves `generated` as it is when the
// reference has no pixels. All three images have the same size.
bool matchColours(inference::ImageF& generated, const inference::ImageF& original,
                  const inference::ImageF& reference);

}  // namespace atelier::app
