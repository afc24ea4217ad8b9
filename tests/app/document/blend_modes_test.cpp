// Blend modes against values computed by hand from the W3C Compositing and Blending formulas
// (backdrop Cb = (0.8, 0.4, 0.2), source Cs = (0.5, 0.25, 0.9), both opaque unless stated).
#include "app/document/blend_modes.h"

#include <catch2/catch.hpp>

#include <array>

using namespace atelier::document;

namespace {
struct Expected {
    BlendMode mode;
    float r, g, b;
};

void blendOpaque(BlendMode mode, float* out) {
    const float src[4] = {0.5f, 0.25f, 0.9f, 1.f};
    float dst[4] = {0.8f, 0.4f, 0.2f, 1.f};
    blendPixel(mode, src, dst);
    for (int i = 0; i < 4; ++i) out[i] = dst[i];
}
}  // namespace

TEST_CASE("each blend mode gives the W3C value for opaque colours", "[blend]") {
    // Worked by hand, channel by channel (see the formulas in blend_modes.h).
    const Expected cases[] = {
        {BlendMode::Normal, 0.5f, 0.25f, 0.9f},
        {BlendMode::Multiply, 0.4f, 0.1f, 0.18f},
        {BlendMode::Screen, 0.9f, 0.55f, 0.92f},
        {BlendMode::Overlay, 0.8f, 0.2f, 0.36f},
        {BlendMode::Darken, 0.5f, 0.25f, 0.2f},
        {BlendMode::Lighten, 0.8f, 0.4f, 0.9f},
        {BlendMode::ColorDodge, 1.f, 0.533333f, 1.f},
        {BlendMode::ColorBurn, 0.6f, 0.f, 0.111111f},
        {BlendMode::HardLight, 0.8f, 0.2f, 0.84f},
        {BlendMode::SoftLight, 0.8f, 0.28f, 0.3984f},
        {BlendMode::Difference, 0.3f, 0.15f, 0.7f},
        {BlendMode::Exclusion, 0.5f, 0.45f, 0.74f},
        {BlendMode::Plus, 1.f, 0.65f, 1.f},
        // Lum(Cb) = 0.498, Lum(Cs) = 0.3965; Sat(Cb) = 0.6, Sat(Cs) = 0.65.
        {BlendMode::Luminosity, 0.6985f, 0.2985f, 0.0985f},
        {BlendMode::Color, 0.601192f, 0.351936f, 1.f},
        {BlendMode::Saturation, 0.825167f, 0.391833f, 0.175167f},
        {BlendMode::Hue, 0.593538f, 0.362769f, 0.962769f},
    };
    for (const Expected& e : cases) {
        INFO(oraCompositeOp(e.mode).toStdString());
        float out[4];
        blendOpaque(e.mode, out);
        CHECK(out[0] == Approx(e.r).margin(1e-5));
        CHECK(out[1] == Approx(e.g).margin(1e-5));
        CHECK(out[2] == Approx(e.b).margin(1e-5));
        CHECK(out[3] == Approx(1.f));
    }
}

TEST_CASE("translucent colours composite with the source-over formula", "[blend]") {
    // as = ab = 0.5: co = cs (1 - ab) + cb (1 - as) + as ab B(Cb, Cs), ao = 0.75.
    const float src[4] = {0.25f, 0.125f, 0.45f, 0.5f};  // Cs premultiplied
    float dst[4] = {0.4f, 0.2f, 0.1f, 0.5f};            // Cb premultiplied
    blendPixel(BlendMode::Multiply, src, dst);
    CHECK(dst[0] == Approx(0.125f + 0.2f + 0.25f * 0.4f));
    CHECK(dst[1] == Approx(0.0625f + 0.1f + 0.25f * 0.1f));
    CHECK(dst[2] == Approx(0.225f + 0.05f + 0.25f * 0.18f));
    CHECK(dst[3] == Approx(0.75f));

    float dst2[4] = {0.4f, 0.2f, 0.1f, 0.5f};
    blendPixel(BlendMode::Normal, src, dst2);
    CHECK(dst2[0] == Approx(0.25f + 0.4f * 0.5f));
    CHECK(dst2[3] == Approx(0.75f));

    // Plus adds premultiplied values, alpha included.
    float dst3[4] = {0.4f, 0.2f, 0.1f, 0.5f};
    blendPixel(BlendMode::Plus, src, dst3);
    CHECK(dst3[0] == Approx(0.65f));
    CHECK(dst3[3] == Approx(1.f));
}

TEST_CASE("Porter-Duff operators follow their formulas", "[blend]") {
    // cs = (0.25, 0.125, 0.45), as = 0.5; cb = (0.4, 0.2, 0.1), ab = 0.5 (premultiplied).
    const float src[4] = {0.25f, 0.125f, 0.45f, 0.5f};
    auto run = [&](BlendMode m) {
        std::array<float, 4> d{0.4f, 0.2f, 0.1f, 0.5f};
        blendPixel(m, src, d.data());
        return d;
    };
    auto in = run(BlendMode::DestinationIn);  // cb as, ab as
    CHECK(in[0] == Approx(0.2f));
    CHECK(in[3] == Approx(0.25f));
    auto out = run(BlendMode::DestinationOut);  // cb (1 - as), ab (1 - as)
    CHECK(out[0] == Approx(0.2f));
    CHECK(out[3] == Approx(0.25f));
    auto atop = run(BlendMode::SourceAtop);  // cs ab + cb (1 - as), ab
    CHECK(atop[0] == Approx(0.125f + 0.2f));
    CHECK(atop[2] == Approx(0.225f + 0.05f));
    CHECK(atop[3] == Approx(0.5f));
    auto datop = run(BlendMode::DestinationAtop);  // cs (1 - ab) + cb as, as
    CHECK(datop[1] == Approx(0.0625f + 0.1f));
    CHECK(datop[3] == Approx(0.5f));
    // An empty source clears the backdrop in dst-in and dst-atop only.
    const float none[4] = {0, 0, 0, 0};
    for (int m = 0; m < kBlendModeCount; ++m) {
        float d[4] = {0.3f, 0.2f, 0.1f, 0.6f};
        blendPixel(BlendMode(m), none, d);
        CHECK(actsWhereEmpty(BlendMode(m)) == (d[3] == 0.f));
    }
}

TEST_CASE("a transparent source leaves the backdrop unchanged in every mode", "[blend]") {
    for (int m = 0; m < kBlendModeCount; ++m) {
        if (actsWhereEmpty(BlendMode(m))) continue;
        const float src[4] = {0, 0, 0, 0};
        float dst[4] = {0.3f, 0.2f, 0.1f, 0.6f};
        blendPixel(BlendMode(m), src, dst);
        CHECK(dst[0] == Approx(0.3f));
        CHECK(dst[3] == Approx(0.6f));
    }
}

TEST_CASE("blend modes map to and from the OpenRaster op names", "[blend]") {
    for (int m = 0; m < kBlendModeCount; ++m) {
        const QString op = oraCompositeOp(BlendMode(m));
        CHECK(op.startsWith(QLatin1String("svg:")));
        REQUIRE(blendModeFromOra(op).has_value());
        CHECK(*blendModeFromOra(op) == BlendMode(m));
    }
    CHECK(oraCompositeOp(BlendMode::Normal) == QLatin1String("svg:src-over"));
    CHECK(oraCompositeOp(BlendMode::Plus) == QLatin1String("svg:plus"));
    CHECK_FALSE(blendModeFromOra(u"krita:linear_burn").has_value());
    CHECK_FALSE(blendModeFromOra(u"").has_value());
}
