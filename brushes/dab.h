#pragma once
// One dab: the unit the stroke engine hands to a surface (libmypaint's draw_dab, as a struct).
// Every field is final: dynamics, spacing and smoothing were applied by the engine already.
#include "brushes/color.h"
#include "brushes/pixel_view.h"

namespace atelier::brushes {

enum class DabMode {
    Paint,      // source-over: colour on RGBA, raises the value of a grey mask
    Erase,      // removes alpha (RGBA) or lowers the mask value (grey), by the dab's coverage
    LockAlpha,  // paints colour where there is alpha already; alpha itself is kept
};

const char* dabModeName(DabMode mode);

struct Dab {
    float x = 0.0f;  // centre, canvas pixels; pixel (i, j) covers [i, i+1) x [j, j+1)
    float y = 0.0f;
    float radius = 1.0f;       // pixels, along the major axis
    float hardness = 1.0f;     // 0 = soft all the way to the edge, 1 = flat disc
    float opacity = 1.0f;      // alpha at the dab's centre (the engine folds flow into it)
    float aspectRatio = 1.0f;  // major / minor axis, >= 1
    float angle = 0.0f;        // radians, direction of the major axis (x towards y)
    ColorF color;              // straight RGB; a is ignored (use opacity)
    DabMode mode = DabMode::Paint;
};

// The pixels a dab can touch (a conservative bounding box); empty for a dab that paints nothing.
PixelRect dabBounds(const Dab& dab);

}  // namespace atelier::brushes
