#include "app/imaging/mask_feather.h"

#include <catch2/catch.hpp>

#include "app/imaging/inpaint_compositor.h"
#include "test_images.h"

using namespace atelier::app;
using atelier::inference::ImageF;
namespace t = atelier::app::test;

TEST_CASE("the feather is 0 outside, rises monotonically inside, and is 1 past its width",
          "[mask_feather]") {
    const ImageF disc = t::discMask(200, 200, 100, 100, 60);
    for (const int feather : {1, 4, 8, 20}) {
        INFO("feather " << feather);
        const ImageF f = featherMask(disc, feather);
        // Along rays from outside to the centre: never decreasing.
        for (const auto& [dx, dy] : {std::pair{1, 0}, {0, 1}, {-1, 0}, {0, -1}, {1, 1}}) {
            float previous = 0.f;
            for (int s = 99; s >= 0; --s) {
                const int x = 100 + dx * s, y = 100 + dy * s;
                if (x < 0 || y < 0 || x >= 200 || y >= 200) continue;
                const float v = f.at(x, y, 0);
                if (disc.at(x, y, 0) == 0.f) REQUIRE(v == 0.f);
                REQUIRE(v >= previous);
                previous = v;
            }
        }
        // Edge pixels are faint (a 1 px feather keeps them: the ramp starts half a pixel out),
        // pixels deeper than the feather are fully in.
        if (feather >= 4) CHECK(f.at(100 + 59, 100, 0) < 0.1f);
        CHECK(f.at(100 + 60 - feather - 1, 100, 0) == 1.f);
        CHECK(f.at(100, 100, 0) == 1.f);
    }
    // Feather 0: the binary mask.
    CHECK(featherMask(disc, 0).data == repaintMask(disc, 0).data);
}

TEST_CASE("a stroke thinner than the feather still reaches full strength", "[mask_feather]") {
    const ImageF line = t::rectMask(100, 100, 10, 48, 80, 4);  // 4 px wide
    const ImageF f = featherMask(line, 8);
    CHECK(f.at(50, 49, 0) == 1.f);
    CHECK(f.at(50, 50, 0) == 1.f);
    CHECK(f.at(50, 48, 0) > 0.f);
    CHECK(f.at(50, 48, 0) < 1.f);
    CHECK(f.at(50, 47, 0) == 0.f);
    const ImageF hair = t::rectMask(100, 100, 10, 50, 80, 1);  // 1 px wide
    CHECK(featherMask(hair, 8).at(50, 50, 0) == 1.f);
}

TEST_CASE("the paste alpha is the soft mask times the feather, exactly 0 where the mask is",
          "[mask_feather]") {
    ImageF soft = t::discMask(120, 120, 60, 60, 40, 0.6f);
    soft.at(60, 60, 0) = 1.7f;  // out of range is clamped
    const ImageF f = featherMask(soft, 6);
    const ImageF a = pasteAlpha(soft, 6);
    for (std::size_t i = 0; i < a.data.size(); ++i) {
        if (soft.data[i] <= 0.f)
            REQUIRE(a.data[i] == 0.f);
        else
            REQUIRE(a.data[i] == Approx(f.data[i] * std::min(soft.data[i], 1.f)));
    }
    CHECK(a.at(60, 60, 0) == 1.f);
    CHECK(a.at(60, 40, 0) == Approx(0.6f));
}

TEST_CASE("the repaint mask is every pixel above 0, grown by the given distance",
          "[mask_feather]") {
    ImageF m(50, 50, 1);
    m.at(25, 25, 0) = 0.01f;
    const ImageF r = repaintMask(m, 3);
    CHECK(r.at(25, 25, 0) == 1.f);
    CHECK(r.at(28, 25, 0) == 1.f);
    CHECK(r.at(29, 25, 0) == 0.f);
    CHECK(r.at(27, 27, 0) == 1.f);  // 2.83 px away
    CHECK(r.at(28, 28, 0) == 0.f);  // 4.24 px away
    CHECK_THROWS_AS(repaintMask(ImageF(4, 4, 3), 1), InpaintError);
}

TEST_CASE("the image's border is no seam, a crop's inner side is", "[mask_feather]") {
    InpaintOptions options;
    options.region.padding = 0;
    // The left 100 columns of a 400x300 image: the mask meets the image's left, top and bottom.
    const ImageF image(400, 300, 3, 0.5f);
    const InpaintJob left = prepareInpaint(image, t::rectMask(400, 300, 0, 0, 100, 300), options);
    REQUIRE(left.region.crop.x == 0);
    CHECK(left.cropAlpha.at(0, 150, 0) == 1.f);
    CHECK(left.cropAlpha.at(50, 0, 0) == 1.f);
    // Its right edge is a seam, even though the crop (padding 0) may end right there.
    const int edge = 99 - left.region.crop.x;
    CHECK(left.cropAlpha.at(edge, 150, 0) < 0.05f);
    // A square mask inside the image with padding 0: the crop is the mask, every side a seam.
    const InpaintJob inner =
        prepareInpaint(image, t::rectMask(400, 300, 100, 100, 128, 128), options);
    REQUIRE(inner.region.crop == PixelRect{100, 100, 128, 128});
    CHECK(inner.cropAlpha.at(0, 64, 0) < 0.05f);
    CHECK(inner.cropAlpha.at(127, 64, 0) < 0.05f);
    CHECK(inner.cropAlpha.at(64, 0, 0) < 0.05f);
    CHECK(inner.cropAlpha.at(64, 64, 0) == 1.f);
}
