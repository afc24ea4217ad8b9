// Curves and settings-as-data: interpolation, extrapolation, multiplication, clamping.
#include <catch2/catch.hpp>

#include <cmath>
#include <stdexcept>

#include "brushes/brush_settings.h"
#include "brushes/curve.h"
#include "brushes/stroke_engine.h"

using namespace atelier::brushes;
using Catch::Detail::Approx;

TEST_CASE("piecewise-linear curves interpolate and hold their end values", "[brushes][curve]") {
    const Curve c({{0.0f, 0.2f}, {0.5f, 1.0f}, {1.0f, 0.6f}});
    CHECK(c(0.0f) == Approx(0.2));
    CHECK(c(0.25f) == Approx(0.6));
    CHECK(c(0.5f) == Approx(1.0));
    CHECK(c(0.75f) == Approx(0.8));
    CHECK(c(1.0f) == Approx(0.6));
    CHECK(c(-3.0f) == Approx(0.2));  // held before the first point
    CHECK(c(7.0f) == Approx(0.6));   // and after the last
    CHECK(c(NAN) == Approx(0.2));
    CHECK(Curve()(0.3f) == 1.0f);  // no points: the identity multiplier
    CHECK(Curve({{0.4f, 3.0f}})(0.9f) == 3.0f);

    CHECK_THROWS_AS(Curve(std::vector<CurvePoint>{}), std::invalid_argument);
    CHECK_THROWS_AS(Curve({{0.5f, 1.0f}, {0.5f, 2.0f}}), std::invalid_argument);
    CHECK_THROWS_AS(Curve({{0.5f, 1.0f}, {0.2f, 2.0f}}), std::invalid_argument);
    CHECK_THROWS_AS(Curve({{0.0f, NAN}, {1.0f, 2.0f}}), std::invalid_argument);
}

TEST_CASE("a setting is its base times one curve per input, clamped to its range",
          "[brushes][settings]") {
    BrushSettings s;
    CHECK(s.base(BrushSetting::Radius) == settingInfo(BrushSetting::Radius).defaultValue);
    s.setBase(BrushSetting::Radius, 20.0f);
    BrushInputs in;
    in.pressure = 0.5f;
    in.tilt = 0.25f;
    in.speed = 2.0f;
    CHECK(s.evaluate(BrushSetting::Radius, in) == Approx(20.0));  // no curves
    s.setCurve(BrushSetting::Radius, BrushInput::Pressure, Curve({{0, 0}, {1, 1}}));
    CHECK(s.evaluate(BrushSetting::Radius, in) == Approx(10.0));
    s.setCurve(BrushSetting::Radius, BrushInput::Tilt, Curve({{0, 1}, {1, 3}}));  // 1.5 at .25
    CHECK(s.evaluate(BrushSetting::Radius, in) == Approx(15.0));
    s.setCurve(BrushSetting::Radius, BrushInput::Speed, Curve({{0, 1}, {4, 0.5}}));  // .75 at 2
    CHECK(s.evaluate(BrushSetting::Radius, in) == Approx(11.25));

    // Clamped to the setting's range: radius never below 0.5 px, opacity never above 1.
    in.pressure = 0.0f;
    CHECK(s.evaluate(BrushSetting::Radius, in) == Approx(0.5));
    s.setBase(BrushSetting::Opacity, 1.0f);
    s.setCurve(BrushSetting::Opacity, BrushInput::Pressure, Curve({{0, 5}, {1, 5}}));
    CHECK(s.evaluate(BrushSetting::Opacity, in) == 1.0f);
    s.setBase(BrushSetting::Hardness, NAN);
    CHECK(s.evaluate(BrushSetting::Hardness, in) ==
          settingInfo(BrushSetting::Hardness).defaultValue);
}

TEST_CASE("tilt input is the pen's angle from upright over 90 degrees", "[brushes][settings]") {
    CHECK(tiltInput(0, 0) == 0.0f);
    CHECK(tiltInput(30, 0) == Approx(1.0 / 3));
    CHECK(tiltInput(0, -30) == Approx(1.0 / 3));
    // (45, 45): direction (1, 1, 1), atan(sqrt 2) = 54.7356 degrees.
    CHECK(tiltInput(45, 45) == Approx(54.7356 / 90).epsilon(1e-4));
    CHECK(tiltInput(90, 0) == Approx(1.0).epsilon(1e-4));
    CHECK(tiltInput(NAN, 400) == Approx(1.0).epsilon(1e-4));  // NaN -> 0, 400 -> 90
}
