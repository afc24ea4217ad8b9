#pragma once
// The two masks an inpainting request derives from the artist's (soft, grey) mask.
//
// The model binarises its mask (SD2: >= 0.5 repaints) and its output near the mask's edge is
// the weakest: it continues the context through a VAE round trip. So the generator is asked to
// repaint a little more than will be pasted (the repaint mask: every pixel above 0, grown), and
// the paste fades in *inside* the mask (the feather), because a pixel whose mask is 0 must come
// back bit-identical: nothing generated may leak outside the mask, so the seam's soft band has
// to lie within it. Grey mask values then scale the paste: per-pixel strength.
#include "inference/image_types.h"

namespace atelier::app {

// 1 where `mask` > 0 or within growPx pixels (Euclidean) of such a pixel, else 0.
inference::ImageF repaintMask(const inference::ImageF& mask, int growPx);

// 0 where `mask` is 0, rising smoothly (smoothstep of the distance to the nearest 0) to 1 at
// featherPx inside; a stroke thinner than 2 x featherPx ramps over its own half-width instead,
// so thin strokes still reach full strength. Outside the given mask counts as mask: the image's
// own border is no seam (pad with zeros first where the mask continues beyond the crop).
// featherPx 0: 1 wherever mask > 0.
inference::ImageF featherMask(const inference::ImageF& mask, int featherPx);

// The paste alpha: clamp(mask, 0, 1) x featherMask(mask, featherPx). Exactly 0 where mask <= 0.
inference::ImageF pasteAlpha(const inference::ImageF& mask, int featherPx);

}  // namespace atelier::app
