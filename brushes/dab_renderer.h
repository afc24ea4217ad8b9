#pragma once
// The rasteriser: paints one dab into one view, and samples colour from one view. A surface made
// of several buffers (tiles) calls these once per buffer the dab touches; each pixel's value
// depends only on the dab and the pixel's canvas coordinates, so the split never shows.
//
// Dab profile, for a pixel whose centre lies at normalised (elliptical) distance r from the dab's
// centre, with hardness h:
//     falloff(r) = 1                                for r <= h
//                = ((1 - r^2) / (1 - h^2))^2        for h < r < 1
//                = 0                                for r >= 1
//     edge(r)    = clamp((1 - r) * minorRadius, 0, 1)   the last pixel inside the edge ramps
//                                                        (Krita's inward anti-aliasing)
//     alpha      = opacity * falloff(r) * edge(r)
// Dabs smaller than one pixel are drawn at radius 1 with their opacity scaled by area (r^2), and
// ellipses thinner than one pixel likewise; so tiny dabs fade instead of flickering.
//
// Blending, in premultiplied values scaled to [0, 1] (d = destination, c = dab colour, straight):
//     Paint:     rgb = c * alpha + d.rgb * (1 - alpha)          a = alpha + d.a * (1 - alpha)
//     Erase:     rgba = d.rgba * (1 - alpha)
//     LockAlpha: rgb = c * alpha * d.a + d.rgb * (1 - alpha)    a = d.a
// Grey views behave as an alpha channel: Paint raises, Erase lowers, LockAlpha keeps. Results
// are rounded to the nearest integer level.
#include "brushes/color.h"
#include "brushes/dab.h"
#include "brushes/pixel_view.h"

namespace atelier::brushes {

void renderDab(const Dab& dab, const PixelView& view);

// The dab's alpha at one pixel (before blending): what renderDab() uses, for tests and tools.
float dabAlphaAt(const Dab& dab, int pixelX, int pixelY);

// Sums the pixels under a soft disc (hardness 0.5) over any number of views, then averages.
class ColorAccumulator {
public:
    ColorAccumulator(float x, float y, float radius);
    void add(const PixelView& view);
    ColorF average() const;  // straight RGBA; {0, 0, 0, 0} where nothing was covered
    PixelRect bounds() const;

private:
    Dab probe_;
    double weight_ = 0.0;
    double r_ = 0.0, g_ = 0.0, b_ = 0.0, a_ = 0.0;  // weighted premultiplied sums in [0, 1]
};

}  // namespace atelier::brushes
