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
    // Porter-Duff operators of the OpenRaster list (Krita writes erasing layers as svg:dst-out
    // and alpha-locked ones as svg:src-atop; MyPaint offers all four):
    DestinationIn,    // svg:dst-in    co = cb as,                 ao = ab as
    DestinationOut,   // svg:dst-out   co = cb (1 - as),           ao = ab (1 - as)
    SourceAtop,       // svg:src-atop  co = cs ab + cb (1 - as),   ao = ab
    DestinationAtop,  // svg:dst-atop  co = cs (1 - ab) + cb as,   ao = as
};
constexpr int kBlendModeCount = int(BlendMode::DestinationAtop) + 1;

// Modes that change the backdrop even where the layer is empty (dst-in and dst-atop clear it):
// the compositor cannot skip such a layer's missing tiles.
constexpr bool actsWhereEmpty(BlendMode m) {
    return m == BlendMode::DestinationIn || m == BlendMode::DestinationAtop;
}

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
