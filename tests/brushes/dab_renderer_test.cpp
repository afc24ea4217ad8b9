// The rasteriser against hand-computed values: profile, anti-aliased edge, sub-pixel centres,
// ellipses, the blending formulas per format and mode, and tiles == one buffer.
#include <catch2/catch.hpp>

#include <cstring>
#include <random>

#include "brushes/dab_renderer.h"
#include "brushes/pixel_buffer_surface.h"
#include "test_surfaces.h"

using namespace atelier::brushes;
using Catch::Detail::Approx;

namespace {

Dab dabAt(float x, float y, float radius, float hardness, float opacity = 1.0f) {
    Dab d;
    d.x = x;
    d.y = y;
    d.radius = radius;
    d.hardness = hardness;
    d.opacity = opacity;
    return d;
}

}  // namespace

TEST_CASE("hardness falloff follows ((1 - r^2) / (1 - h^2))^2 beyond r = h", "[brushes][dab]") {
    // Centre on pixel (10, 10)'s centre, radius 4, hardness 0.5: pixel (10 + k, 10) is k px out.
    const Dab d = dabAt(10.5f, 10.5f, 4.0f, 0.5f);
    CHECK(dabAlphaAt(d, 10, 10) == Approx(1.0));
    CHECK(dabAlphaAt(d, 11, 10) == Approx(1.0));                     // r = 0.25 < h
    CHECK(dabAlphaAt(d, 12, 10) == Approx(1.0));                     // r = 0.5 = h exactly
    CHECK(dabAlphaAt(d, 13, 10) == Approx(0.340278).epsilon(1e-5));  // r = .75: (.4375/.75)^2
    CHECK(dabAlphaAt(d, 14, 10) == 0.0f);                            // r = 1: on the edge
    // 3.5 px out (r = 0.875): falloff (0.234375 / 0.75)^2 = 0.09765625, in the last pixel
    // before the edge: edge factor (1 - 0.875) * 4 = 0.5.
    CHECK(dabAlphaAt(dabAt(10.0f, 10.5f, 4.0f, 0.5f), 13, 10) == Approx(0.048828125).epsilon(1e-5));
    CHECK(dabAlphaAt(d, 7, 10) == Approx(dabAlphaAt(d, 13, 10)));  // symmetric
    CHECK(dabAlphaAt(d, 10, 13) == Approx(dabAlphaAt(d, 13, 10)));

    // Hardness 0: soft to the centre.
    const Dab soft = dabAt(10.5f, 10.5f, 4.0f, 0.0f);
    CHECK(dabAlphaAt(soft, 10, 10) == Approx(1.0));
    CHECK(dabAlphaAt(soft, 12, 10) == Approx(0.5625));  // (1 - 0.25)^2
    // Opacity scales everything.
    CHECK(dabAlphaAt(dabAt(10.5f, 10.5f, 4.0f, 0.0f, 0.5f), 12, 10) == Approx(0.28125));
}

TEST_CASE("a hard dab's edge is anti-aliased over the last pixel, at sub-pixel centres",
          "[brushes][dab]") {
    // Radius 3, centre x = 10.25: pixel centres at distances 2.25 and 2.75 are 0.75 and 0.25
    // inside the edge.
    const Dab d = dabAt(10.25f, 10.5f, 3.0f, 1.0f);
    CHECK(dabAlphaAt(d, 12, 10) == Approx(0.75));
    CHECK(dabAlphaAt(d, 7, 10) == Approx(0.25));
    CHECK(dabAlphaAt(d, 8, 10) == Approx(1.0));
    CHECK(dabAlphaAt(d, 13, 10) == 0.0f);  // 3.25 px out
    CHECK(dabAlphaAt(d, 6, 10) == 0.0f);
    // Diagonal: (12.5, 12.5) is sqrt(2.25^2 + 2^2) = 3.0104 px out.
    CHECK(dabAlphaAt(d, 12, 12) == 0.0f);
    // (12.5, 11.5): sqrt(2.25^2 + 1) = 2.4622 -> 0.5378 inside.
    CHECK(dabAlphaAt(d, 12, 11) == Approx(0.53779).epsilon(1e-4));

    // Moving the centre by a quarter pixel moves the coverage with it.
    const Dab moved = dabAt(10.5f, 10.5f, 3.0f, 1.0f);
    CHECK(dabAlphaAt(moved, 12, 10) == Approx(1.0));  // 2.0 px out
    CHECK(dabAlphaAt(moved, 13, 10) == Approx(0.0));  // 3.0 px out: on the edge
    CHECK(dabAlphaAt(dabAt(10.75f, 10.5f, 3.0f, 1.0f), 13, 10) == Approx(0.25));
}

TEST_CASE("ellipses: aspect ratio squeezes the minor axis, angle turns the major axis",
          "[brushes][dab]") {
    Dab d = dabAt(20.5f, 20.5f, 4.0f, 0.5f);
    d.aspectRatio = 2.0f;
    // Along the major axis (x) distances count as for a circle, along y double. The edge ramp
    // is measured in minor-radius pixels (2 here): (1 - r) * 2.
    CHECK(dabAlphaAt(d, 23, 20) == Approx(0.340278 * 0.5).epsilon(1e-5));  // r = 0.75
    CHECK(dabAlphaAt(d, 20, 21) == Approx(1.0));                           // 1 px * 2 = r 0.5
    // 1.5 px down: r = 0.75 as well.
    d.y = 20.0f;  // pixel (20, 21)'s centre is 1.5 px away
    CHECK(dabAlphaAt(d, 20, 21) == Approx(0.340278 * 0.5).epsilon(1e-4));
    CHECK(dabAlphaAt(d, 20, 22) == 0.0f);  // 2.5 px -> r = 1.25

    Dab turned = dabAt(20.5f, 20.5f, 4.0f, 0.5f);
    turned.aspectRatio = 2.0f;
    turned.angle = float(3.14159265358979 / 2);  // major axis along y
    CHECK(dabAlphaAt(turned, 20, 23) == Approx(0.340278 * 0.5).epsilon(1e-4));
    CHECK(dabAlphaAt(turned, 21, 20) == Approx(1.0));
    CHECK(dabAlphaAt(turned, 23, 20) == 0.0f);
}

TEST_CASE("tiny and degenerate dabs fade or paint nothing, and never crash", "[brushes][dab]") {
    // Radius 0.5: drawn at radius 1 with a quarter of the opacity.
    CHECK(dabAlphaAt(dabAt(5.5f, 5.5f, 0.5f, 1.0f), 5, 5) == Approx(0.25));
    CHECK(dabAlphaAt(dabAt(5.5f, 5.5f, 0.5f, 1.0f), 6, 5) == 0.0f);
    CHECK(dabBounds(dabAt(5.5f, 5.5f, 0.0f, 1.0f)).empty());
    CHECK(dabBounds(dabAt(5.5f, 5.5f, 3.0f, 1.0f, 0.0f)).empty());
    CHECK(dabBounds(dabAt(NAN, 5.5f, 3.0f, 1.0f)).empty());
    CHECK(dabBounds(dabAt(5.5f, 5.5f, INFINITY, 1.0f)).empty());
    CHECK(dabBounds(dabAt(3e9f, 5.5f, 3.0f, 1.0f)).empty());  // beyond int range

    PixelBufferSurface s(16, 16, PixelFormat::Rgba8Premultiplied);
    const std::vector<std::uint8_t> before = s.bytes();
    for (const Dab& d : {dabAt(NAN, 5, 3, 1), dabAt(5, 5, NAN, 1), dabAt(5, 5, 3, 1, NAN),
                         dabAt(-1e9f, 5, 3, 1), dabAt(5, 5, 3, NAN, 0)}) {
        s.drawDab(d);
    }
    CHECK(s.bytes() == before);
    Dab weird = dabAt(8, 8, 3, NAN);  // NaN hardness/angle/aspect fall back to defaults
    weird.angle = NAN;
    weird.aspectRatio = NAN;
    s.drawDab(weird);
    CHECK(s.bytes() != before);
}

TEST_CASE("dab bounds contain every pixel the dab changes", "[brushes][dab]") {
    std::mt19937 rng(7);
    std::uniform_real_distribution<float> u(0.0f, 1.0f);
    for (int i = 0; i < 200; ++i) {
        Dab d = dabAt(20 + 24 * u(rng), 20 + 24 * u(rng), 0.3f + 18 * u(rng), u(rng));
        d.aspectRatio = 1 + 4 * u(rng);
        d.angle = 7 * u(rng);
        const PixelRect b = dabBounds(d);
        for (int y = 0; y < 64; ++y) {
            for (int x = 0; x < 64; ++x) {
                const bool inside = x >= b.x && x < b.right() && y >= b.y && y < b.bottom();
                if (!inside) REQUIRE(dabAlphaAt(d, x, y) == 0.0f);
            }
        }
    }
}

TEST_CASE("premultiplied blending: paint, erase, lock alpha on 8-bit RGBA", "[brushes][blend]") {
    // A flat dab of opacity 0.5 over one pixel: alpha at its centre is exactly 0.5.
    auto blendOnce = [](DabMode mode, ColorF color, float opacity) {
        PixelBufferSurface s(3, 3, PixelFormat::Rgba8Premultiplied);
        for (int i = 0; i < 9; ++i) {
            const std::uint8_t px[4] = {100, 50, 20, 200};
            std::memcpy(&s.bytes()[i * 4], px, 4);
        }
        Dab d = dabAt(1.5f, 1.5f, 10.0f, 1.0f, opacity);
        d.color = color;
        d.mode = mode;
        s.drawDab(d);
        return std::vector<int>(s.bytes().begin() + 16, s.bytes().begin() + 20);  // pixel (1, 1)
    };
    // rgb = c * 255 * a + d * (1 - a); a = 255 a + d.a (1 - a); rounded half up.
    CHECK(blendOnce(DabMode::Paint, {1.0f, 0.5f, 0.0f}, 0.5f) ==
          std::vector<int>{178, 89, 10, 228});
    CHECK(blendOnce(DabMode::Paint, {1.0f, 1.0f, 1.0f}, 1.0f) ==
          std::vector<int>{255, 255, 255, 255});
    CHECK(blendOnce(DabMode::Erase, {1.0f, 0.5f, 0.0f}, 0.5f) == std::vector<int>{50, 25, 10, 100});
    CHECK(blendOnce(DabMode::Erase, {}, 1.0f) == std::vector<int>{0, 0, 0, 0});
    // rgb = c * a * d.a + d * (1 - a): 1 * .5 * 200 + 50 = 150, .5 * .5 * 200 + 25 = 75, 10.
    CHECK(blendOnce(DabMode::LockAlpha, {1.0f, 0.5f, 0.0f}, 0.5f) ==
          std::vector<int>{150, 75, 10, 200});
    CHECK(blendOnce(DabMode::LockAlpha, {0.0f, 1.0f, 0.0f}, 1.0f) ==
          std::vector<int>{0, 200, 0, 200});
}

TEST_CASE("lock alpha leaves transparent pixels transparent", "[brushes][blend]") {
    PixelBufferSurface s(8, 8, PixelFormat::Rgba8Premultiplied);
    Dab d = dabAt(4, 4, 6, 1);
    d.mode = DabMode::LockAlpha;
    d.color = {1, 0, 0};
    s.drawDab(d);
    for (auto b : s.bytes()) REQUIRE(b == 0);
}

TEST_CASE("premultiplied blending on 16-bit RGBA", "[brushes][blend]") {
    auto blendOnce = [](DabMode mode, ColorF color, float opacity) {
        PixelBufferSurface s(1, 1, PixelFormat::Rgba16Premultiplied);
        const std::uint16_t px[4] = {30000, 10000, 5000, 40000};
        std::memcpy(s.bytes().data(), px, 8);
        Dab d = dabAt(0.5f, 0.5f, 10.0f, 1.0f, opacity);
        d.color = color;
        d.mode = mode;
        s.drawDab(d);
        std::uint16_t out[4];
        std::memcpy(out, s.bytes().data(), 8);
        return std::vector<int>(out, out + 4);
    };
    // .2 * 65535 * .25 + 30000 * .75 = 25776.75; .6 -> 17330.25; 1 -> 20133.75; a 46383.75
    CHECK(blendOnce(DabMode::Paint, {0.2f, 0.6f, 1.0f}, 0.25f) ==
          std::vector<int>{25777, 17330, 20134, 46384});
    CHECK(blendOnce(DabMode::Erase, {}, 0.25f) == std::vector<int>{22500, 7500, 3750, 30000});
    // .2 * .25 * 40000 + 22500 = 24500; .6 -> 6000 + 7500; 1 -> 10000 + 3750
    CHECK(blendOnce(DabMode::LockAlpha, {0.2f, 0.6f, 1.0f}, 0.25f) ==
          std::vector<int>{24500, 13500, 13750, 40000});
}

TEST_CASE("grey masks: paint raises, erase lowers, by coverage", "[brushes][blend][mask]") {
    auto blendOnce = [](DabMode mode, float opacity, std::uint8_t start) {
        PixelBufferSurface s(1, 1, PixelFormat::Grey8);
        s.bytes()[0] = start;
        Dab d = dabAt(0.5f, 0.5f, 10.0f, 1.0f, opacity);
        d.mode = mode;
        s.drawDab(d);
        return int(s.bytes()[0]);
    };
    CHECK(blendOnce(DabMode::Paint, 0.5f, 100) == 178);  // 127.5 + 50
    CHECK(blendOnce(DabMode::Paint, 0.3f, 0) == 77);     // 76.5 -> 77
    CHECK(blendOnce(DabMode::Paint, 1.0f, 0) == 255);
    CHECK(blendOnce(DabMode::Erase, 0.5f, 100) == 50);
    CHECK(blendOnce(DabMode::Erase, 1.0f, 255) == 0);
    CHECK(blendOnce(DabMode::LockAlpha, 1.0f, 100) == 100);

    // A soft mask dab: soft grey values, exactly 255 * alpha on an empty mask.
    PixelBufferSurface s(9, 1, PixelFormat::Grey8);
    const Dab d = dabAt(4.5f, 0.5f, 4.0f, 0.0f, 1.0f);
    s.drawDab(d);
    // 1 px out: (1 - 1/16)^2 = .8789 -> 224.1; 2 px: .5625 -> 143.4; 3 px: .1914 -> 48.8.
    CHECK(s.bytes() == std::vector<std::uint8_t>{0, 49, 143, 224, 255, 224, 143, 49, 0});
}

TEST_CASE("repeated dabs keep pixels valid premultiplied (colour <= alpha)", "[brushes][blend]") {
    std::mt19937 rng(3);
    std::uniform_real_distribution<float> u(0.0f, 1.0f);
    for (PixelFormat f : {PixelFormat::Rgba8Premultiplied, PixelFormat::Rgba16Premultiplied}) {
        PixelBufferSurface s(48, 48, f);
        for (int i = 0; i < 300; ++i) {
            Dab d = dabAt(48 * u(rng), 48 * u(rng), 1 + 12 * u(rng), u(rng), u(rng));
            d.color = {u(rng), u(rng), u(rng)};
            d.mode = DabMode(i % 3);
            s.drawDab(d);
        }
        const int channels = 48 * 48 * 4;
        for (int i = 0; i < channels; i += 4) {
            int px[4];
            for (int k = 0; k < 4; ++k) {
                px[k] = f == PixelFormat::Rgba8Premultiplied
                            ? s.bytes()[i + k]
                            : reinterpret_cast<const std::uint16_t*>(s.bytes().data())[i + k];
            }
            REQUIRE(px[0] <= px[3]);
            REQUIRE(px[1] <= px[3]);
            REQUIRE(px[2] <= px[3]);
        }
    }
}

TEST_CASE("a dab split over 64x64 tiles gives exactly the pixels of one buffer",
          "[brushes][dab][tiles]") {
    using atelier::brushes::test::TiledSurface;
    std::mt19937 rng(11);
    std::uniform_real_distribution<float> u(0.0f, 1.0f);
    // The canvas starts at -70 so tiles at negative coordinates and partial tiles take part.
    const PixelRect canvas{-70, -70, 300, 260};
    for (PixelFormat format :
         {PixelFormat::Rgba8Premultiplied, PixelFormat::Rgba16Premultiplied, PixelFormat::Grey8}) {
        INFO(pixelFormatName(format));
        const int bpp = bytesPerPixel(format);
        std::vector<std::uint8_t> bytes(std::size_t(canvas.width) * canvas.height * bpp);
        const PixelView whole{bytes.data(), format, canvas, canvas.width * bpp};
        // A starting canvas with content, so erase and lock alpha have something to work on.
        Dab base = dabAt(60, 50, 140, 0.3f, 0.8f);
        base.color = {0.2f, 0.5f, 0.9f};
        renderDab(base, whole);
        TiledSurface tiles(format);
        tiles.copyFrom(whole);

        for (int i = 0; i < 400; ++i) {
            Dab d = dabAt(canvas.x - 20 + (canvas.width + 40) * u(rng),
                          canvas.y - 20 + (canvas.height + 40) * u(rng),
                          i % 10 == 0 ? 150 * u(rng) : 0.3f + 40 * u(rng), u(rng), u(rng));
            d.aspectRatio = i % 2 ? 1.0f : 1 + 5 * u(rng);
            d.angle = 6.3f * u(rng);
            d.color = {u(rng), u(rng), u(rng)};
            d.mode = DabMode(i % 3);
            renderDab(d, whole);
            tiles.drawDab(d);
        }
        std::vector<std::uint8_t> fromTiles(bytes.size());
        tiles.copyTo({fromTiles.data(), format, canvas, canvas.width * bpp});
        CHECK(tiles.tileCount() > 20);
        std::size_t differing = 0;
        for (std::size_t i = 0; i < bytes.size(); ++i) differing += bytes[i] != fromTiles[i];
        CHECK(differing == 0);
    }
}

TEST_CASE("pixels outside the dab keep their exact values", "[brushes][dab]") {
    PixelBufferSurface s(40, 40, PixelFormat::Rgba8Premultiplied);
    s.fill({0.3f, 0.6f, 0.9f, 0.7f});
    const std::vector<std::uint8_t> before = s.bytes();
    Dab d = dabAt(20.3f, 19.8f, 9.0f, 0.6f, 0.9f);
    d.color = {1, 0, 0};
    s.drawDab(d);
    int changed = 0;
    for (int y = 0; y < 40; ++y) {
        for (int x = 0; x < 40; ++x) {
            const bool same =
                std::memcmp(&before[(y * 40 + x) * 4], &s.bytes()[(y * 40 + x) * 4], 4) == 0;
            if (dabAlphaAt(d, x, y) == 0.0f) REQUIRE(same);
            changed += !same;
        }
    }
    CHECK(changed > 200);                             // about pi * 8.5^2
    CHECK(s.takeDirty() == PixelRect{0, 0, 40, 40});  // fill() dirtied everything
    s.drawDab(d);
    CHECK(s.takeDirty() == dabBounds(d));
    CHECK(s.takeDirty().empty());
}

TEST_CASE("sampleColor averages straight colour and coverage, on a buffer and over tiles",
          "[brushes][sample]") {
    PixelBufferSurface s(64, 64, PixelFormat::Rgba8Premultiplied);
    CHECK(s.sampleColor(32, 32, 5).a == 0.0f);
    s.fill({0.2f, 0.4f, 0.8f, 0.5f});  // premultiplied bytes 26, 51, 102, 128
    const ColorF c = s.sampleColor(32, 32, 5);
    CHECK(c.r == Approx(26.0 / 128).epsilon(1e-4));
    CHECK(c.g == Approx(51.0 / 128).epsilon(1e-4));
    CHECK(c.b == Approx(102.0 / 128).epsilon(1e-4));
    CHECK(c.a == Approx(128.0 / 255).epsilon(1e-4));

    // Half red (opaque), half transparent: straight colour stays red, coverage about one half.
    PixelBufferSurface half(64, 64, PixelFormat::Rgba8Premultiplied);
    for (int y = 0; y < 64; ++y) {
        for (int x = 0; x < 32; ++x) {
            const std::uint8_t red[4] = {255, 0, 0, 255};
            std::memcpy(&half.bytes()[(y * 64 + x) * 4], red, 4);
        }
    }
    const ColorF h = half.sampleColor(32, 32, 8);
    CHECK(h.r == Approx(1.0));
    CHECK(h.g == 0.0f);
    CHECK(h.a == Approx(0.5).margin(0.02));

    atelier::brushes::test::TiledSurface tiles(PixelFormat::Rgba8Premultiplied);
    tiles.copyFrom(half.view());
    const ColorF t = tiles.sampleColor(32, 32, 8);
    CHECK(t.r == Approx(h.r));
    CHECK(t.a == Approx(h.a));
}

TEST_CASE("renderDab paints every covered pixel: the row spans never cut the dab",
          "[brushes][dab]") {
    // On an empty grey view Paint writes round(255 * alpha): compare with the per-pixel formula
    // evaluated everywhere, for circles and thin turned ellipses, large and small.
    std::mt19937 rng(23);
    std::uniform_real_distribution<float> u(0.0f, 1.0f);
    for (int i = 0; i < 300; ++i) {
        Dab d = dabAt(-30 + 160 * u(rng), -30 + 160 * u(rng), 0.2f + (i % 3 ? 20 : 90) * u(rng),
                      u(rng), 0.2f + 0.8f * u(rng));
        d.aspectRatio = i % 2 ? 1.0f : 1 + 12 * u(rng);
        d.angle = 6.3f * u(rng);
        PixelBufferSurface s(100, 100, PixelFormat::Grey8);
        s.drawDab(d);
        for (int y = 0; y < 100; ++y) {
            for (int x = 0; x < 100; ++x) {
                const int expected = int(255.0f * dabAlphaAt(d, x, y) + 0.5f);
                if (s.bytes()[y * 100 + x] != expected) {
                    FAIL("dab " << i << " pixel " << x << "," << y << ": "
                                << int(s.bytes()[y * 100 + x]) << " != " << expected);
                }
            }
        }
    }
}
