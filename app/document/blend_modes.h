#pragma once
// The OpenRaster blend modes (the svg:* composite ops) with the W3C Compositing and Blending
// Level 1 formulas: a blend function B(Cb, Cs) on straight colours, composited source-over:
//   co = cs (1 - ab) + cb (1 - as) + as ab B(Cb, Cs),   ao = as + ab (1 - as)
// (premultiplied co, cs, cb). svg:plus is Porter-Duff "lighter": co = cs + cb, ao = as + ab,
// each clamped to 1.
#include <QString>
#include <QStringView>

#include <optional>

namespace atelier::document {

enum class BlendMode {
    Normal,  // svg:src-over
    Multiply,
    Screen,
    Overlay,
    Darken,
    Lighten,
    ColorDodge,
    ColorBurn,
    HardLight,
    SoftLight,
    Difference,
    Exclusion,
    Hue,
    Saturation,
    Color,
    Luminosity,
    Plus,  // svg:plus (add)
};
constexpr int kBlendModeCount = int(BlendMode::Plus) + 1;

// "svg:src-over", "svg:multiply", ... as stack.xml writes them.
QString oraCompositeOp(BlendMode mode);
// Null for ops Atelier does not know (callers fall back to Normal, as the spec says).
std::optional<BlendMode> blendModeFromOra(QStringView op);

// One pixel, premultiplied floats in [0, 1]: dst = src composited over dst with mode.
// src already carries the layer's opacity and mask.
void blendPixel(BlendMode mode, const float* src, float* dst);
// n pixels of 4 floats each.
void blendSpan(BlendMode mode, const float* src, float* dst, int n);

}  // namespace atelier::document
