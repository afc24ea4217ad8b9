// The stroke engine: dab placement by spacing (even across events), smoothing, dynamics, the
// per-dab opacity rule and the surface protocol.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <random>

#include "brushes/dab_renderer.h"
#include "brushes/pixel_buffer_surface.h"
#include "brushes/stroke_engine.h"
#include "brushes/stroke_smoother.h"
#include "test_surfaces.h"

using namespace atelier::brushes;
using atelier::brushes::test::RecordingSurface;
using Catch::Detail::Approx;

namespace {

BrushPreset roundBrush(float radius, float spacing, double smoothingMs = 0) {
    BrushPreset p;
    p.name = "test";
    p.smoothingMs = smoothingMs;
    p.settings.setBase(BrushSetting::Radius, radius);
    p.settings.setBase(BrushSetting::Spacing, spacing);
    p.settings.setBase(BrushSetting::Hardness, 1.0f);
    return p;
}

std::vector<Dab> strokeAlong(const BrushPreset& preset, const std::vector<InputEvent>& events) {
    RecordingSurface surface;
    StrokeEngine engine(preset, {}, surface);
    for (const auto& e : events) engine.addEvent(e);
    engine.finish();
    return surface.dabs;
}

}  // namespace

TEST_CASE("dabs are spacing * radius apart however the events split the stroke",
          "[brushes][stroke][spacing]") {
    const BrushPreset brush = roundBrush(10.0f, 0.5f);  // a dab every 5 px
    // A line from x = 10 to 212: dabs at 10, 15, ..., 210.
    std::vector<std::vector<InputEvent>> splits(3);
    splits[0] = {{10, 50, 1, 0, 0, 0}, {212, 50, 1, 0, 0, 100}};
    for (double x = 10; x < 212; x += 7.3) splits[1].push_back({x, 50, 1, 0, 0, x});
    splits[1].push_back({212, 50, 1, 0, 0, 300});
    std::mt19937 rng(5);
    std::uniform_real_distribution<double> step(0.01, 3.0);
    for (double x = 10; x < 212; x += step(rng)) splits[2].push_back({x, 50, 1, 0, 0, x});
    splits[2].push_back({212, 50, 1, 0, 0, 300});

    for (const auto& events : splits) {
        INFO(events.size() << " events");
        const auto dabs = strokeAlong(brush, events);
        REQUIRE(dabs.size() == 41);
        for (std::size_t i = 0; i < dabs.size(); ++i) {
            CHECK(dabs[i].x == Approx(10 + 5.0 * i).margin(1e-3));
            CHECK(dabs[i].y == 50.0f);
        }
    }
}

TEST_CASE("spacing is measured along the path, around corners", "[brushes][stroke][spacing]") {
    // An L: 12 px right, then 23 px down; dabs every 5 px of path length.
    const auto dabs = strokeAlong(
        roundBrush(10.0f, 0.5f), {{0, 0, 1, 0, 0, 0}, {12, 0, 1, 0, 0, 10}, {12, 23, 1, 0, 0, 20}});
    REQUIRE(dabs.size() == 8);  // path length 35: 0, 5, ..., 35
    CHECK(dabs[2].x == Approx(10));
    CHECK(dabs[3].x == Approx(12));
    CHECK(dabs[3].y == Approx(3));  // 2 px before the corner + 3 px after
    CHECK(dabs[7].y == Approx(23));
}

TEST_CASE("spacing follows the radius as pressure changes it", "[brushes][stroke][dynamics]") {
    BrushPreset brush = roundBrush(20.0f, 0.25f);
    brush.settings.setCurve(BrushSetting::Radius, BrushInput::Pressure, Curve({{0, 0}, {1, 1}}));
    const auto dabs = strokeAlong(brush, {{0, 0, 0.2f, 0, 0, 0}, {300, 0, 1.0f, 0, 0, 100}});
    REQUIRE(dabs.size() > 20);
    CHECK(dabs.front().radius == Approx(4.0));  // 20 * 0.2
    for (std::size_t i = 1; i < dabs.size(); ++i) {
        // Pressure is interpolated along the segment, and each step is spacing * the radius
        // at the previous dab.
        const double pressure = 0.2 + 0.8 * dabs[i].x / 300.0;
        CHECK(dabs[i].radius == Approx(20 * pressure).epsilon(1e-4));
        CHECK(dabs[i].x - dabs[i - 1].x == Approx(0.25 * dabs[i - 1].radius).epsilon(1e-4));
    }
}

TEST_CASE("speed is an input, in pixels per millisecond, smoothed", "[brushes][stroke][dynamics]") {
    BrushPreset brush = roundBrush(10.0f, 0.2f);
    brush.settings.setCurve(BrushSetting::Radius, BrushInput::Speed, Curve({{0, 1}, {4, 0.5}}));
    std::vector<InputEvent> events;
    for (int t = 0; t <= 200; t += 5) events.push_back({2.0 * t, 0, 1, 0, 0, double(t)});
    const auto dabs = strokeAlong(brush, events);
    CHECK(dabs.front().radius == Approx(10.0));  // at rest
    // 2 px/ms for 200 ms: speed settled at 2 -> curve 0.75.
    CHECK(dabs.back().radius == Approx(7.5).margin(0.01));
}

TEST_CASE("tilt is an input", "[brushes][stroke][dynamics]") {
    BrushPreset brush = roundBrush(4.0f, 0.5f);
    brush.settings.setCurve(BrushSetting::Radius, BrushInput::Tilt, Curve({{0, 1}, {1, 4}}));
    const auto dabs = strokeAlong(brush, {{0, 0, 1, 30, 0, 0}, {100, 0, 1, 30, 0, 10}});
    for (const Dab& d : dabs) CHECK(d.radius == Approx(4.0 * 2.0));  // tilt 1/3 -> x2
}

TEST_CASE("smoothing: an exponential filter in time, independent of the event rate",
          "[brushes][stroke][smoothing]") {
    StrokeSmoother s(10.0);
    CHECK(s.add({0, 0}, 0).x == 0.0);
    CHECK(s.add({10, 0}, 10).x == Approx(10 * (1 - std::exp(-1.0))));  // 6.3212
    CHECK(s.add({10, 0}, 20).x == Approx(10 * (1 - std::exp(-2.0))));  // 8.6466
    CHECK(s.add({10, 0}, 15).x == Approx(10 * (1 - std::exp(-2.0))));  // time going back: no move

    StrokeSmoother fine(10.0);
    fine.add({0, 0}, 0);
    for (int t = 1; t <= 10; ++t) fine.add({10, 5}, t);  // the same pen, reported every ms
    CHECK(fine.position().x == Approx(10 * (1 - std::exp(-1.0))));
    CHECK(fine.position().y == Approx(5 * (1 - std::exp(-1.0))));

    StrokeSmoother off(0.0);
    off.add({1, 2}, 0);
    CHECK(off.add({7, 9}, 1).x == 7.0);
}

TEST_CASE("a smoothed stroke lags the pen, and finish() draws it to the pen's last point",
          "[brushes][stroke][smoothing]") {
    RecordingSurface surface;
    StrokeEngine engine(roundBrush(2.0f, 0.5f, 50.0), {}, surface);  // a dab every 1 px
    engine.addEvent({0, 0, 1, 0, 0, 0});
    engine.addEvent({100, 0, 1, 0, 0, 10});
    const double lagged = 100 * (1 - std::exp(-10.0 / 50.0));  // 18.13
    REQUIRE(surface.dabs.size() == 19);
    CHECK(surface.dabs.back().x == Approx(18.0));
    CHECK(surface.dabs.back().x <= lagged);
    engine.finish();
    CHECK(surface.dabs.size() == 101);
    CHECK(surface.dabs.back().x == Approx(100.0));
    engine.finish();  // idempotent, and nothing after it
    engine.addEvent({200, 0, 1, 0, 0, 20});
    CHECK(surface.dabs.size() == 101);
    CHECK(surface.begins == surface.ends);
    CHECK(surface.ends == 3);  // two events and finish()
}

TEST_CASE("the engine brackets each event's dabs with begin/endAtomic and ignores bad events",
          "[brushes][stroke]") {
    PixelBufferSurface surface(64, 64, PixelFormat::Rgba8Premultiplied);  // throws on nesting
    StrokeEngine engine(roundBrush(3.0f, 0.3f), {1, 0, 0}, surface);
    engine.addEvent({10, 10, 1, 0, 0, 0});
    engine.addEvent({NAN, 10, 1, 0, 0, 5});        // dropped
    engine.addEvent({1e12, 10, 1, 0, 0, 5});       // dropped, or it would ask for 1e12 dabs
    engine.addEvent({10, -INFINITY, 1, 0, 0, 5});  // dropped
    engine.addEvent({30, 10, NAN, 0, 0, 10});      // NaN pressure reads as 1
    engine.addEvent({40, 10, 1, 0, 0, NAN});       // NaN time reads as the last time
    engine.finish();
    CHECK(surface.atomicGroups() == 3);
    CHECK(surface.dabsDrawn() == engine.dabCount());
    CHECK(engine.dabCount() == 1 + int(30 / 0.9));
}

TEST_CASE("each dab's opacity makes the stroke's centre line reach the opacity, times flow",
          "[brushes][stroke][opacity]") {
    BrushPreset p = roundBrush(10.0f, 0.1f);
    p.settings.setBase(BrushSetting::Opacity, 0.5f);
    // A flat dab of radius 10 every 1 px: the 19 dabs 0..9 px away cover a centre-line pixel
    // fully (the 10th is on the edge), so 1 - (1 - a)^19 = 0.5.
    CHECK(dabFor(p, {}, {}, 0, 0).opacity == Approx(1 - std::pow(0.5, 1.0 / 19)));
    p.settings.setBase(BrushSetting::Flow, 0.5f);
    CHECK(dabFor(p, {}, {}, 0, 0).opacity == Approx(0.5 * (1 - std::pow(0.5, 1.0 / 19))));
    p.settings.setBase(BrushSetting::Spacing, 3.0f);  // dabs do not overlap: opacity itself
    CHECK(dabFor(p, {}, {}, 0, 0).opacity == Approx(0.25));
    p.settings.setBase(BrushSetting::Opacity, 1.0f);
    p.settings.setBase(BrushSetting::Flow, 1.0f);
    CHECK(dabFor(p, {}, {}, 0, 0).opacity == 1.0f);
    p.settings.setBase(BrushSetting::Opacity, 0.0f);
    CHECK(dabFor(p, {}, {}, 0, 0).opacity == 0.0f);

    // Soft and small dabs: the product over the overlapping dabs' coverage gives the opacity.
    for (float hardness : {0.0f, 0.3f, 0.8f}) {
        for (float spacing : {0.05f, 0.1f, 0.25f, 0.7f}) {
            for (float radius : {1.5f, 6.0f, 40.0f}) {
                for (float opacity : {0.1f, 0.5f, 0.9f}) {
                    BrushPreset q = roundBrush(radius, spacing);
                    q.settings.setBase(BrushSetting::Hardness, hardness);
                    q.settings.setBase(BrushSetting::Opacity, opacity);
                    const Dab d = dabFor(q, {}, {}, 0.5, 0.5);
                    double rest = 1.0;
                    for (int k = -100; k <= 100; ++k) {
                        Dab neighbour = d;
                        neighbour.x = 0.5f + k * spacing * radius;
                        rest *= 1.0 - dabAlphaAt(neighbour, 0, 0);
                    }
                    INFO("h " << hardness << " spacing " << spacing << " radius " << radius);
                    CHECK(1.0 - rest == Approx(opacity).epsilon(1e-4));
                }
            }
        }
    }
}

TEST_CASE("the mode and the geometry settings reach the dab", "[brushes][stroke]") {
    BrushPreset p = roundBrush(10.0f, 0.1f);
    p.mode = DabMode::Erase;
    p.settings.setBase(BrushSetting::Angle, 90.0f);
    p.settings.setBase(BrushSetting::AspectRatio, 3.0f);
    const Dab d = dabFor(p, {0.1f, 0.2f, 0.3f, 1.0f}, {}, 4.5, 6.5);
    CHECK(d.mode == DabMode::Erase);
    CHECK(d.angle == Approx(3.14159265 / 2));
    CHECK(d.aspectRatio == 3.0f);
    CHECK(d.color.g == 0.2f);
    CHECK(d.x == 4.5f);
    CHECK(d.y == 6.5f);
}

TEST_CASE("hard and soft strokes at opacity 0.5 reach 0.5 along their centre line",
          "[brushes][stroke][opacity]") {
    const float hardness = GENERATE(1.0f, 0.0f);
    BrushPreset p = roundBrush(10.0f, 0.1f);
    p.settings.setBase(BrushSetting::Hardness, hardness);
    p.settings.setBase(BrushSetting::Opacity, 0.5f);
    PixelBufferSurface surface(120, 40, PixelFormat::Rgba16Premultiplied);
    StrokeEngine engine(p, {0, 0, 0}, surface);
    engine.addEvent({10, 20.5, 1, 0, 0, 0});
    engine.addEvent({110, 20.5, 1, 0, 0, 100});
    engine.finish();
    auto alphaAt = [&](int x, int y) {
        std::uint16_t px[4];
        std::memcpy(px, &surface.bytes()[(std::size_t(y) * 120 + x) * 8], 8);
        return px[3] / 65535.0;
    };
    CHECK(alphaAt(60, 20) == Approx(0.5).margin(0.01));
    CHECK(alphaAt(60, 14) < alphaAt(60, 20));  // fewer dabs cover pixels off the centre line
    CHECK(alphaAt(60, 35) == 0.0);
}

TEST_CASE("the first event sets the clock, whatever its time", "[brushes][stroke]") {
    // Speed (and so the radius here) must not depend on where the clock starts.
    BrushPreset brush = roundBrush(10.0f, 0.2f);
    brush.settings.setCurve(BrushSetting::Radius, BrushInput::Speed, Curve({{0, 1}, {4, 0.5}}));
    auto radii = [&](double t0) {
        std::vector<float> r;
        for (const Dab& d : strokeAlong(
                 brush,
                 {{0, 0, 1, 0, 0, t0}, {10, 0, 1, 0, 0, t0 + 5}, {30, 0, 1, 0, 0, t0 + 10}})) {
            r.push_back(d.radius);
        }
        return r;
    };
    const std::vector<float> fromZero = radii(0);
    REQUIRE(fromZero.size() > 5);
    CHECK(fromZero.back() < 9.0f);  // 4 px/ms at the end: the speed curve takes effect
    CHECK(radii(-100) == fromZero);
    CHECK(radii(1e6) == fromZero);
}
