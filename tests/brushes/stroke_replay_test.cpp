// Recorded strokes (tests/data/brushes/strokes/*.json) replayed through the shipped presets into
// a buffer and compared with reference images (tests/data/brushes/reference/*.pam, format in
// pam_image.h). To rewrite the references after an intended change:
//     ATELIER_REGENERATE_BRUSH_REFERENCES=1 build/tests/brushes/test_brushes "[replay]"
// then look at them (tests/data/brushes/README.md) before committing. Besides the comparison,
// each stroke is checked against what it must look like, so a wrong reference cannot hide.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "brushes/pixel_buffer_surface.h"
#include "brushes/stroke_engine.h"
#include "pam_image.h"

using namespace atelier::brushes;
using atelier::brushes::test::PamImage;

namespace {

const std::string kDataDir = std::string(ATELIER_TEST_DATA_DIR) + "/brushes";
const std::string kPresetDir = std::string(ATELIER_SOURCE_DIR) + "/resources/brushes";

PixelFormat formatNamed(const std::string& name) {
    if (name == "rgba8") return PixelFormat::Rgba8Premultiplied;
    if (name == "rgba16") return PixelFormat::Rgba16Premultiplied;
    if (name == "grey8") return PixelFormat::Grey8;
    throw std::runtime_error("unknown canvas format " + name);
}

struct Replay {
    PixelBufferSurface surface;
    double maxRadius = 0;   // over all dabs: how far paint may reach from an event
    PixelRect eventBounds;  // of all event positions
};

Replay replay(const std::string& name) {
    std::ifstream in(kDataDir + "/strokes/" + name + ".json");
    REQUIRE(in);
    const nlohmann::json doc = nlohmann::json::parse(in);
    const auto& canvas = doc.at("canvas");
    Replay r{PixelBufferSurface(canvas.at("width"), canvas.at("height"),
                                formatNamed(canvas.at("format"))),
             0.0,
             {}};
    if (canvas.contains("fill")) {
        const auto& f = canvas["fill"];
        r.surface.fill({f[0], f[1], f[2], f[3]});
    }
    for (const auto& stroke : doc.at("strokes")) {
        const BrushPreset preset =
            loadPresetFile(kPresetDir + "/" + stroke.at("preset").get<std::string>());
        const auto& c = stroke.at("color");
        StrokeEngine engine(preset, {c[0], c[1], c[2], 1.0f}, r.surface);
        for (const auto& e : stroke.at("events")) {
            engine.addEvent({e[0], e[1], e[2], e[3], e[4], e[5]});
            const int x = int(e[0].get<double>()), y = int(e[1].get<double>());
            r.eventBounds = r.eventBounds.united({x, y, 1, 1});
        }
        engine.finish();
        // The largest radius any input can give (curves multiply the base).
        BrushInputs strongest;
        for (float p : {0.0f, 1.0f}) {
            for (float t : {0.0f, 1.0f}) {
                strongest.pressure = p;
                strongest.tilt = t;
                r.maxRadius = std::max<double>(
                    r.maxRadius, preset.settings.evaluate(BrushSetting::Radius, strongest));
            }
        }
    }
    return r;
}

// Compares with the stored reference, or rewrites it when asked to.
void compareWithReference(const std::string& name, PixelBufferSurface& surface) {
    const std::string path = kDataDir + "/reference/" + name + ".pam";
    const char* regenerate = std::getenv("ATELIER_REGENERATE_BRUSH_REFERENCES");
    if (regenerate != nullptr && std::string(regenerate) == "1") {
        atelier::brushes::test::writePam(
            path, {surface.width(), surface.height(), surface.format(), surface.bytes()});
        WARN("rewrote " << path);
        return;
    }
    PamImage ref;
    try {
        ref = atelier::brushes::test::readPam(path);
    } catch (const std::exception& e) {
        FAIL(e.what() << " (ATELIER_REGENERATE_BRUSH_REFERENCES=1 writes it)");
    }
    REQUIRE(ref.width == surface.width());
    REQUIRE(ref.height == surface.height());
    REQUIRE(ref.format == surface.format());
    // Another compiler or libm may round a sample the other way: allow a level (of 255) on a
    // few samples, nothing more.
    const bool wide = surface.format() == PixelFormat::Rgba16Premultiplied;
    const int tolerance = wide ? 257 : 1;
    const std::size_t samples = wide ? ref.bytes.size() / 2 : ref.bytes.size();
    std::size_t differing = 0;
    int maxDiff = 0;
    for (std::size_t i = 0; i < samples; ++i) {
        int a, b;
        if (wide) {
            std::uint16_t x, y;
            std::memcpy(&x, &ref.bytes[2 * i], 2);
            std::memcpy(&y, &surface.bytes()[2 * i], 2);
            a = x, b = y;
        } else {
            a = ref.bytes[i], b = surface.bytes()[i];
        }
        differing += a != b;
        maxDiff = std::max(maxDiff, std::abs(a - b));
    }
    INFO(name << ": " << differing << " of " << samples << " samples differ, by up to " << maxDiff);
    CHECK(maxDiff <= tolerance);
    CHECK(differing <= samples / 1000);
}

// Straight colour and alpha of a pixel, in [0, 1].
ColorF pixelAt(PixelBufferSurface& s, int x, int y) {
    const std::uint8_t* p = s.view().pixel(x, y);
    float v[4];
    if (s.format() == PixelFormat::Rgba16Premultiplied) {
        std::uint16_t q[4];
        std::memcpy(q, p, 8);
        for (int i = 0; i < 4; ++i) v[i] = q[i] / 65535.0f;
    } else if (s.format() == PixelFormat::Rgba8Premultiplied) {
        for (int i = 0; i < 4; ++i) v[i] = p[i] / 255.0f;
    } else {
        return {0, 0, 0, p[0] / 255.0f};
    }
    if (v[3] == 0) return {0, 0, 0, 0};
    return {v[0] / v[3], v[1] / v[3], v[2] / v[3], v[3]};
}

// The pixels that were painted (alpha or mask value != 0) for transparent canvases.
PixelRect paintedBounds(PixelBufferSurface& s) {
    PixelRect b;
    for (int y = 0; y < s.height(); ++y) {
        for (int x = 0; x < s.width(); ++x) {
            if (pixelAt(s, x, y).a > 0) b = b.united({x, y, 1, 1});
        }
    }
    return b;
}

void checkPaintStaysNearEvents(Replay& r) {
    const int reach = int(std::ceil(r.maxRadius)) + 2;
    const PixelRect allowed{r.eventBounds.x - reach, r.eventBounds.y - reach,
                            r.eventBounds.width + 2 * reach, r.eventBounds.height + 2 * reach};
    const PixelRect painted = paintedBounds(r.surface);
    REQUIRE_FALSE(painted.empty());
    CHECK(painted.intersected(allowed) == painted);
}

}  // namespace

TEST_CASE("replay: ink signature", "[brushes][replay]") {
    Replay r = replay("ink_signature");
    checkPaintStaysNearEvents(r);
    // Opaque ink in the ink's colour: along the stroke alpha reaches 1, and where the paint is
    // dense its straight colour is the ink's (up to 8-bit premultiplied rounding, which each
    // overlapping dab adds to: a few levels, more where alpha is low).
    float maxAlpha = 0;
    for (int y = 0; y < r.surface.height(); ++y) {
        for (int x = 0; x < r.surface.width(); ++x) {
            const ColorF c = pixelAt(r.surface, x, y);
            maxAlpha = std::max(maxAlpha, c.a);
            if (c.a > 0.9f) {
                REQUIRE(std::abs(c.r - 0.05f) < 0.012f);
                REQUIRE(std::abs(c.b - 0.12f) < 0.012f);
            }
        }
    }
    CHECK(maxAlpha == 1.0f);
    compareWithReference("ink_signature", r.surface);
}

TEST_CASE("replay: pencil hatching on paper, broader as the pen tilts", "[brushes][replay]") {
    Replay r = replay("pencil_hatching");
    // Mid-height (y = 80), each line's darkened width grows with its tilt (0 .. 60 + 30 deg).
    std::vector<int> widths;
    for (int k = 0; k < 6; ++k) {
        int width = 0;
        for (int x = 20 + 30 * k; x < 90 + 30 * k && x < r.surface.width(); ++x) {
            // x0 = 30 + 30k + 40 s at y = 20 + 120 s, s = 0.5
            if (std::abs(x - (50 + 30 * k)) > 15) continue;
            width += pixelAt(r.surface, x, 80).r < 0.90f;
        }
        widths.push_back(width);
    }
    INFO("widths " << widths[0] << " " << widths[1] << " " << widths[2] << " " << widths[3] << " "
                   << widths[4] << " " << widths[5]);
    CHECK(widths[0] >= 2);
    CHECK(widths[5] > 2 * widths[0]);
    CHECK(std::is_sorted(widths.begin(), widths.end()));
    // Paper stays opaque and untouched away from the lines.
    CHECK(pixelAt(r.surface, 5, 5).a == 1.0f);
    CHECK(pixelAt(r.surface, 5, 5).r == Catch::Detail::Approx(0.96).margin(0.003));
    compareWithReference("pencil_hatching", r.surface);
}

TEST_CASE("replay: soft airbrush loop, 16-bit, building up", "[brushes][replay]") {
    Replay r = replay("airbrush_glow");
    checkPaintStaysNearEvents(r);
    // Low flow: one pass stays translucent, in the brush's orange; where the loop's last quarter
    // passes over its first (from the right, x = 250, down to the bottom; pressure 0.3 the first
    // time, ~0.95 the second) it builds up.
    const ColorF once = pixelAt(r.surface, 160, 60);    // passed once, at pressure ~0.65
    const ColorF twice = pixelAt(r.surface, 250, 130);  // the start, passed again at the end
    CHECK(once.a > 0.2f);
    CHECK(once.a < 0.9f);
    CHECK(twice.a > once.a);
    CHECK(once.r == Catch::Detail::Approx(1.0).margin(0.002));
    CHECK(once.g == Catch::Detail::Approx(0.55).margin(0.002));
    CHECK(pixelAt(r.surface, 160, 130).a < 0.02f);  // the loop's middle stays (nearly) clear
    compareWithReference("airbrush_glow", r.surface);
}

TEST_CASE("replay: eraser over a fill, light then heavy", "[brushes][replay]") {
    Replay r = replay("eraser_wave");
    // Erasing only removes alpha: colour stays the fill's, untouched pixels stay opaque. (Up to
    // 8-bit premultiplied rounding, a random walk over the overlapping dabs: a few levels.)
    float minAlpha = 1;
    for (int y = 0; y < r.surface.height(); ++y) {
        for (int x = 0; x < r.surface.width(); ++x) {
            const ColorF c = pixelAt(r.surface, x, y);
            minAlpha = std::min(minAlpha, c.a);
            if (c.a > 0.6f) {
                REQUIRE(std::abs(c.b - 0.8f) < 0.04f);
                REQUIRE(std::abs(c.g - 0.4f) < 0.04f);
            }
        }
    }
    // The heavy end: pressure ~0.95 -> opacity 0.96, so about 4 % of the paint is left.
    CHECK(minAlpha < 0.07f);
    CHECK(pixelAt(r.surface, 2, 2).a == 1.0f);  // far from the stroke
    // The light start (pressure ~0.1: opacity 0.28) leaves most of the paint.
    CHECK(pixelAt(r.surface, 27, 70).a > 0.5f);
    compareWithReference("eraser_wave", r.surface);
}

TEST_CASE("replay: mask brushes paint grey values, pressure = how much",
          "[brushes][replay][mask]") {
    Replay r = replay("mask_pressure");
    checkPaintStaysNearEvents(r);
    auto value = [&](int x, int y) { return int(r.surface.view().pixel(x, y)[0]); };
    // The pressure ramp (y = 40): faint where it starts, strong where it ends. The pen is at
    // x = 40 + 220 * ease(t) with pressure t, ease(t) = (1 - cos(pi t)) / 2: at x = 150, t = 0.5.
    CHECK(value(60, 40) < value(150, 40));
    CHECK(value(150, 40) < value(240, 40));
    CHECK(value(150, 40) == Catch::Detail::Approx(128).margin(10));
    // Half pressure (y = 105): the stroke's centre settles at half the mask.
    CHECK(value(150, 105) == Catch::Detail::Approx(128).margin(4));
    CHECK(value(150, 80) < value(150, 95));  // soft towards the edge
    // The hard brush at full pressure (centre y = 170 at x = 150, radius 20): full inside, a
    // crisp top edge near y = 150 (hardness 0.95: a 1 px ramp plus the anti-aliased pixel).
    CHECK(value(150, 170) == 255);
    CHECK(value(150, 155) == 255);
    CHECK(value(150, 147) == 0);
    int ramp = 0;
    for (int y = 141; y < 170; ++y) ramp += value(150, y) > 0 && value(150, y) < 255;
    CHECK(ramp >= 1);
    CHECK(ramp <= 3);
    compareWithReference("mask_pressure", r.surface);
}

TEST_CASE("reference image files: read back what was written, refuse broken ones",
          "[brushes][replay]") {
    const std::string path =
        std::filesystem::temp_directory_path().string() + "/atelier_pam_test.pam";
    PamImage img{3, 2, PixelFormat::Rgba16Premultiplied, std::vector<std::uint8_t>(48)};
    for (std::size_t i = 0; i < img.bytes.size(); ++i) img.bytes[i] = std::uint8_t(i * 37);
    atelier::brushes::test::writePam(path, img);
    const PamImage back = atelier::brushes::test::readPam(path);
    CHECK(back.format == img.format);
    CHECK(back.bytes == img.bytes);
    {
        std::ofstream(path, std::ios::binary) << "P7\nWIDTH 3\nHEIGHT 2\nDEPTH 1\nMAXVAL 255\n"
                                                 "TUPLTYPE GRAYSCALE\nENDHDR\nabc";
    }
    CHECK_THROWS_WITH(atelier::brushes::test::readPam(path), Catch::Contains("truncated"));
    std::remove(path.c_str());
}
