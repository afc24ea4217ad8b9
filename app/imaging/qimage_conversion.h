#pragma once
// QImage <-> inference::ImageF. The document hands out ARGB32_Premultiplied (and 16-bit
// RGBA64_Premultiplied); its colours are un-premultiplied first, because the model and the
// compositor work on straight colour. Formats with more than 8 bits per channel are read at 16
// bits; 8-bit values map k -> k / 255.f, so an 8-bit opaque image survives a round trip exactly.
#include <QImage>

#include "inference/image_types.h"

namespace atelier::app {

// RGB in [0, 1], alpha dropped (un-premultiplied first). A null image gives an empty ImageF.
inference::ImageF imageFromQImage(const QImage& image);

// The alpha channel in [0, 1] (all 1 for a format without alpha).
inference::ImageF alphaFromQImage(const QImage& image);

// A 1-channel mask: Grayscale8/16 as they are, Alpha8 its alpha, anything else its luminance.
inference::ImageF maskFromQImage(const QImage& image);

enum class QImageDepth { Bits8, Bits16 };

// 1 channel -> Grayscale8/16, 3 -> RGB888/RGBX64, 4 -> RGBA8888/RGBA64 (straight alpha). Values
// are clamped to [0, 1] and rounded. Throws InpaintError for another channel count.
QImage toQImage(const inference::ImageF& image, QImageDepth depth = QImageDepth::Bits8);

// RGB plus a separate alpha of the same size (a staged patch) -> RGBA8888/RGBA64.
QImage toQImage(const inference::ImageF& rgb, const inference::ImageF& alpha,
                QImageDepth depth = QImageDepth::Bits8);

}  // namespace atelier::app
