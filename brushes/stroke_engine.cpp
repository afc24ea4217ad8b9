#include "brushes/stroke_engine.h"

#include "brushes/stroke_opacity.h"

#include <algorithm>
#include <cmath>

namespace atelier::brushes {

namespace {

constexpr double kPi = 3.14159265358979323846;
// Speed is smoothed too, or every tablet jitter would flicker the dab size.
constexpr double kSpeedTimeConstantMs = 20.0;
// Stops a zero-length spacing (a bug elsewhere) from looping forever.
constexpr double kMinSpacingPixels = 0.05;
// Events beyond this are dropped: a dab there is not representable in float pixels, and a jump
// to 1e12 would otherwise ask for 1e13 dabs.
constexpr double kMaxCoordinate = 1 << 24;

float lerp(float a, float b, float t) { return a + (b - a) * t; }

BrushInputs lerp(const BrushInputs& a, const BrushInputs& b, float t) {
    return {lerp(a.pressure, b.pressure, t), lerp(a.tilt, b.tilt, t), lerp(a.speed, b.speed, t)};
}

float clean(float v, float lo, float hi, float fallback) {
    return std::isfinite(v) ? std::clamp(v, lo, hi) : fallback;
}

}  // namespace

float tiltInput(float tiltXDegrees, float tiltYDegrees) {
    const double tx = clean(tiltXDegrees, -90.0f, 90.0f, 0.0f) * kPi / 180.0;
    const double ty = clean(tiltYDegrees, -90.0f, 90.0f, 0.0f) * kPi / 180.0;
    // The pen's direction is (tan tx, tan ty, 1) up to scale; its angle from the z axis:
    const double a = std::tan(std::min(std::abs(tx), kPi / 2 - 1e-6));
    const double b = std::tan(std::min(std::abs(ty), kPi / 2 - 1e-6));
    return float(std::atan(std::sqrt(a * a + b * b)) / (kPi / 2));
}

Dab dabFor(const BrushPreset& preset, const ColorF& color, const BrushInputs& inputs, double x,
           double y) {
    const BrushSettings& s = preset.settings;
    Dab dab;
    dab.x = float(x);
    dab.y = float(y);
    dab.radius = s.evaluate(BrushSetting::Radius, inputs);
    dab.hardness = s.evaluate(BrushSetting::Hardness, inputs);
    dab.aspectRatio = s.evaluate(BrushSetting::AspectRatio, inputs);
    dab.angle = float(s.evaluate(BrushSetting::Angle, inputs) * kPi / 180.0);
    const double opacity = s.evaluate(BrushSetting::Opacity, inputs);
    const double flow = s.evaluate(BrushSetting::Flow, inputs);
    const double spacing = s.evaluate(BrushSetting::Spacing, inputs);
    dab.opacity =
        float(flow) * dabOpacityForStroke(float(opacity), dab.hardness, float(spacing), dab.radius);
    dab.color = color;
    dab.mode = preset.mode;
    return dab;
}

StrokeEngine::StrokeEngine(BrushPreset preset, ColorF color, Surface& surface)
    : preset_(std::move(preset)),
      color_(color),
      surface_(surface),
      smoother_(preset_.smoothingMs) {}

double StrokeEngine::spacingPixels(const BrushInputs& inputs) const {
    const double spacing = preset_.settings.evaluate(BrushSetting::Spacing, inputs);
    const double radius = preset_.settings.evaluate(BrushSetting::Radius, inputs);
    return std::max(spacing * radius, kMinSpacingPixels);
}

void StrokeEngine::placeDab(const Sample& at) {
    surface_.drawDab(dabFor(preset_, color_, at.inputs, at.position.x, at.position.y));
    ++dabCount_;
}

void StrokeEngine::advance(const Sample& to) {
    const double dx = to.position.x - last_.position.x, dy = to.position.y - last_.position.y;
    const double length = std::hypot(dx, dy);
    double t = 0.0;  // how far along this segment, in pixels
    while (length > 0.0) {
        const float f = float(t / length);
        const Sample here{{last_.position.x + dx * f, last_.position.y + dy * f},
                          lerp(last_.inputs, to.inputs, f)};
        const double step = spacingPixels(here.inputs);
        const double toNextDab = (1.0 - progress_) * step;
        if (t + toNextDab > length) {
            progress_ += (length - t) / step;
            break;
        }
        t += toNextDab;
        progress_ = 0.0;
        const double u = t / length;
        placeDab({{last_.position.x + dx * u, last_.position.y + dy * u},
                  lerp(last_.inputs, to.inputs, float(u))});
    }
    last_ = to;
}

void StrokeEngine::addEvent(const InputEvent& e) {
    if (finished_ || !(std::abs(e.x) <= kMaxCoordinate) || !(std::abs(e.y) <= kMaxCoordinate))
        return;
    const double time = std::isfinite(e.timeMs) ? e.timeMs : lastTimeMs_;
    Sample next;
    next.position = smoother_.add({e.x, e.y}, time);
    next.inputs.pressure = clean(e.pressure, 0.0f, 1.0f, 1.0f);
    next.inputs.tilt = tiltInput(e.tiltX, e.tiltY);

    surface_.beginAtomic();
    if (!started_) {
        started_ = true;
        next.inputs.speed = 0.0f;
        last_ = next;
        placeDab(next);
    } else {
        const double dt = std::max(time - lastTimeMs_, 0.0);
        const double distance =
            std::hypot(next.position.x - last_.position.x, next.position.y - last_.position.y);
        // Instantaneous speed over at least 1 ms (tablets repeat timestamps), then smoothed.
        const double instant = distance / std::max(dt, 1.0);
        const double k = 1.0 - std::exp(-std::max(dt, 1.0) / kSpeedTimeConstantMs);
        next.inputs.speed = float(last_.inputs.speed + (instant - last_.inputs.speed) * k);
        advance(next);
    }
    surface_.endAtomic();
    lastRaw_ = {e.x, e.y};
    lastTimeMs_ = lastTimeSet_ ? std::max(lastTimeMs_, time) : time;
    lastTimeSet_ = true;
}

void StrokeEngine::finish() {
    if (finished_) return;
    finished_ = true;
    if (!started_) return;
    if (last_.position.x == lastRaw_.x && last_.position.y == lastRaw_.y) return;
    Sample end = last_;
    end.position = lastRaw_;
    surface_.beginAtomic();
    advance(end);
    surface_.endAtomic();
}

}  // namespace atelier::brushes
