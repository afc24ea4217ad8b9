#pragma once
// Turns pen events into dabs: smoothing -> dab placement by spacing -> per-dab dynamics. One
// engine per stroke; it paints on a Surface and knows nothing else (Krita's paintop base class
// handles spacing the same way: the brush only says how far apart its dabs are).
//
// Placement: dabs lie on the polyline through the smoothed positions, one every
// spacing * radius pixels (both evaluated at the previous dab), the remainder carried from event
// to event so spacing stays even however the tablet splits the stroke. The first event places a
// dab; finish() draws the stretch the smoothing still lags behind the pen.
//
// Per-dab opacity: `opacity` is what a stroke reaches on its centre line, so each dab gets the
// alpha that makes its overlapping neighbours add up to it (stroke_opacity.h), times `flow`.
#include <vector>

#include "brushes/brush_preset.h"
#include "brushes/color.h"
#include "brushes/dab.h"
#include "brushes/stroke_smoother.h"
#include "brushes/surface.h"

namespace atelier::brushes {

struct InputEvent {
    double x = 0.0;  // canvas pixels
    double y = 0.0;
    float pressure = 1.0f;  // 0..1 (a mouse sends 1)
    float tiltX = 0.0f;     // degrees, -90..90, as Qt's QTabletEvent::xTilt()
    float tiltY = 0.0f;
    double timeMs = 0.0;
};

// Tilt input from the two tilt angles: the pen's angle from upright / 90 degrees.
float tiltInput(float tiltXDegrees, float tiltYDegrees);

// The dab the settings give for these inputs at (x, y), before placement.
Dab dabFor(const BrushPreset& preset, const ColorF& color, const BrushInputs& inputs, double x,
           double y);

class StrokeEngine {
public:
    StrokeEngine(BrushPreset preset, ColorF color, Surface& surface);

    // Events with NaN or huge (beyond 2^24 px) coordinates are dropped; NaN pressure reads as 1,
    // NaN time as the previous event's.
    void addEvent(const InputEvent& event);
    void finish();  // idempotent; no events are accepted after it

    int dabCount() const { return dabCount_; }
    const BrushPreset& preset() const { return preset_; }

private:
    struct Sample {
        Point position;
        BrushInputs inputs;
    };
    void advance(const Sample& to);
    void placeDab(const Sample& at);
    double spacingPixels(const BrushInputs& inputs) const;

    BrushPreset preset_;
    ColorF color_;
    Surface& surface_;
    StrokeSmoother smoother_;
    bool started_ = false;
    bool finished_ = false;
    Sample last_;    // the smoothed end of the stroke so far
    Point lastRaw_;  // the pen's last position, for finish()
    double lastTimeMs_ = 0.0;
    bool lastTimeSet_ = false;  // the first event sets the clock, even to a negative time
    double progress_ = 0.0;     // fraction of the spacing travelled since the last dab, [0, 1)
    int dabCount_ = 0;
};

}  // namespace atelier::brushes
