#pragma once
// What the stroke engine paints on (libmypaint's MyPaintSurface). The document implements it over
// its tiles, calling renderDab() once per tile a dab touches (see brushes/README.md).
#include "brushes/color.h"
#include "brushes/dab.h"

namespace atelier::brushes {

class Surface {
public:
    virtual ~Surface() = default;

    virtual void drawDab(const Dab& dab) = 0;
    // The average colour under a soft disc, straight RGBA (alpha = average coverage). For smudge
    // and colour pick-up; a transparent area gives {0, 0, 0, 0}.
    virtual ColorF sampleColor(float x, float y, float radius) = 0;

    // The engine brackets the dabs of each input event: a surface can defer dirty-region updates
    // or undo bookkeeping to endAtomic(). Calls are never nested.
    virtual void beginAtomic() {}
    virtual void endAtomic() {}
};

}  // namespace atelier::brushes
