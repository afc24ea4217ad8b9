#include "app/imaging/inpaint_region.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <random>

#include "test_images.h"

using namespace atelier::app;
using atelier::app::test::rectMask;

namespace {

void checkWorkingSize(PixelSize ws, const InpaintRegionOptions& o) {
    CHECK(ws.width % o.sizeMultiple == 0);
    CHECK(ws.height % o.sizeMultiple == 0);
    CHECK(ws.width >= o.sizeMultiple);
    CHECK(ws.height >= o.sizeMultiple);
    CHECK(long(ws.width) * ws.height <= long(o.nativeResolution) * o.nativeResolution);
}

double distortion(const InpaintRegion& r) {
    const double crop = double(r.crop.width) / r.crop.height;
    const double working = double(r.workingSize.width) / r.workingSize.height;
    return std::abs(std::log(crop / working));
}

}  // namespace

TEST_CASE("mask bounds are the smallest rectangle of values above 0", "[inpaint_region]") {
    atelier::inference::ImageF m(50, 40, 1);
    CHECK(maskBounds(m).empty());
    m.at(7, 5, 0) = 0.01f;
    m.at(30, 22, 0) = 1.f;
    m.at(12, 35, 0) = -1.f;  // negative counts as unmasked
    CHECK(maskBounds(m) == PixelRect{7, 5, 24, 18});
}

TEST_CASE("a small mask gets its padding and the crop grows to the working aspect",
          "[inpaint_region]") {
    const InpaintRegionOptions o;  // padding 32, 512, multiple 64
    // bounds 100x60 at (900, 700): padded 164x124 (aspect 1.32). Hand-checked candidates:
    // 576x448 covers 258048 x 0.972 working pixels of it, 512x384 only 196608 / 1.008.
    const InpaintRegion r = inpaintRegion(rectMask(2000, 2000, 900, 700, 100, 60), o);
    CHECK(r.maskBounds == PixelRect{900, 700, 100, 60});
    CHECK(r.workingSize == PixelSize{576, 448});
    // 164 wide at 576:448 -> 127.6 -> 128 high, centred: y = 668 - 2.
    CHECK(r.crop == PixelRect{868, 666, 164, 128});
    CHECK(r.crop.contains({868, 668, 164, 124}));
}

TEST_CASE("square masks work at the native resolution, 768 for 768-v", "[inpaint_region]") {
    InpaintRegionOptions o;
    const auto mask = rectMask(1000, 1000, 400, 400, 200, 200);
    CHECK(inpaintRegion(mask, o).workingSize == PixelSize{512, 512});
    CHECK(inpaintRegion(mask, o).crop == PixelRect{368, 368, 264, 264});
    o.nativeResolution = 768;
    CHECK(inpaintRegion(mask, o).workingSize == PixelSize{768, 768});
    o.padding = 0;
    CHECK(inpaintRegion(mask, o).crop == PixelRect{400, 400, 200, 200});
}

TEST_CASE("the crop is clamped at the image's borders and stays inside it", "[inpaint_region]") {
    const InpaintRegionOptions o;
    // Top-left corner: padding only where the image has room.
    const InpaintRegion corner = inpaintRegion(rectMask(300, 200, 0, 0, 10, 10), o);
    CHECK(corner.crop == PixelRect{0, 0, 42, 42});
    CHECK(corner.workingSize == PixelSize{512, 512});
    // Bottom-right: the crop is shifted inward rather than cut.
    const InpaintRegion far = inpaintRegion(rectMask(300, 200, 280, 150, 20, 50), o);
    CHECK(far.crop.right() == 300);
    CHECK(far.crop.bottom() == 200);
    CHECK(far.crop.contains({248, 118, 52, 82}));
    CHECK(distortion(far) < 0.01);
}

TEST_CASE("tiny masks are upscaled to the working size, huge ones downscaled", "[inpaint_region]") {
    InpaintRegionOptions o;
    o.padding = 0;
    const InpaintRegion one = inpaintRegion(rectMask(64, 64, 31, 40, 1, 1), o);
    CHECK(one.crop == PixelRect{31, 40, 1, 1});
    CHECK(one.workingSize == PixelSize{512, 512});

    o.padding = 32;
    const InpaintRegion all = inpaintRegion(rectMask(4000, 3000, 0, 0, 4000, 3000), o);
    CHECK(all.crop == PixelRect{0, 0, 4000, 3000});
    // 4:3 within 5 %: 576x448 (3.6 % off) is the largest; 640x448 exceeds 512^2.
    CHECK(all.workingSize == PixelSize{576, 448});
    o.nativeResolution = 768;
    const InpaintRegion all768 = inpaintRegion(rectMask(3000, 2000, 0, 0, 3000, 2000), o);
    // 3:2 within 5 % and 768^2: 896x576 (1.556, 3.7 %, 516096) beats 832x576 and 768x512.
    CHECK(all768.workingSize == PixelSize{896, 576});
    checkWorkingSize(all768.workingSize, o);
}

TEST_CASE("a thin mask gets context up to the aspect limit, or keeps its own aspect",
          "[inpaint_region]") {
    const InpaintRegionOptions o;  // maxAspect 2
    // 1000x4 -> padded 1064x68: clamped to 2:1 -> 640x320 (704x320 and 768x320 spend as many
    // pixels on a 2:1 crop; the exact aspect wins the tie); the crop grows to 1064x532.
    const InpaintRegion r = inpaintRegion(rectMask(2000, 2000, 500, 1000, 1000, 4), o);
    CHECK(r.workingSize == PixelSize{640, 320});
    CHECK(r.crop.width == 1064);
    CHECK(r.crop.height == 532);
    // In a 100-pixel-high image it cannot: the working size follows the 1064x100 crop instead of
    // squeezing it: 1064x100 is 10.64:1, the largest size within 5 % is 1408x128 (11:1), and
    // the crop then grows sideways to 1100x100 to match it exactly.
    const InpaintRegion strip = inpaintRegion(rectMask(2000, 100, 500, 48, 1000, 4), o);
    CHECK(strip.workingSize == PixelSize{1408, 128});
    CHECK(strip.crop == PixelRect{450, 0, 1100, 100});
}

TEST_CASE("every region is valid, and undistorted where the image has room", "[inpaint_region]") {
    std::mt19937 rng(42);
    std::uniform_int_distribution<int> side(64, 3000);  // aspects up to 47:1
    for (int i = 0; i < 300; ++i) {
        InpaintRegionOptions o;
        o.padding = std::uniform_int_distribution<int>(0, 100)(rng);
        o.nativeResolution = i % 2 ? 512 : 768;
        const int w = side(rng), h = side(rng);
        const int mw = std::uniform_int_distribution<int>(1, w)(rng);
        const int mh = std::uniform_int_distribution<int>(1, h)(rng);
        const int mx = std::uniform_int_distribution<int>(0, w - mw)(rng);
        const int my = std::uniform_int_distribution<int>(0, h - mh)(rng);
        INFO("image " << w << "x" << h << " mask " << mx << "," << my << " " << mw << "x" << mh
                      << " padding " << o.padding << " native " << o.nativeResolution);
        const InpaintRegion r = inpaintRegionForBounds({w, h}, {mx, my, mw, mh}, o);
        checkWorkingSize(r.workingSize, o);
        CHECK(PixelRect{0, 0, w, h}.contains(r.crop));
        const PixelRect padded{std::max(mx - o.padding, 0), std::max(my - o.padding, 0), 0, 0};
        CHECK(r.crop.contains({padded.x, padded.y, std::min(mx + mw + o.padding, w) - padded.x,
                               std::min(my + mh + o.padding, h) - padded.y}));
        CHECK(distortion(r) <= std::log(1.05) + 1e-9);
        // With room on every side (the crop touches no border) the aspect matches to a pixel.
        if (r.crop.x > 0 && r.crop.y > 0 && r.crop.right() < w && r.crop.bottom() < h) {
            CHECK(std::abs(r.crop.width - r.crop.height * double(r.workingSize.width) /
                                              r.workingSize.height) <= 1.0);
        }
    }
}

TEST_CASE("an empty mask and bad options are clear errors", "[inpaint_region]") {
    const InpaintRegionOptions o;
    REQUIRE_THROWS_WITH(inpaintRegion(atelier::inference::ImageF(64, 64, 1), o),
                        Catch::Contains("the mask is empty"));
    CHECK_THROWS_WITH(inpaintRegion(atelier::inference::ImageF(), o), Catch::Contains("no pixels"));
    CHECK_THROWS_WITH(inpaintRegion(atelier::inference::ImageF(8, 8, 3, 1.f), o),
                      Catch::Contains("one channel"));
    CHECK_THROWS_WITH(inpaintRegionForBounds({100, 100}, {200, 200, 10, 10}, o),
                      Catch::Contains("empty"));
    InpaintRegionOptions bad;
    bad.padding = -1;
    CHECK_THROWS_AS(workingSizeFor({10, 10}, bad), InpaintError);
    bad = {};
    bad.nativeResolution = 32;
    CHECK_THROWS_WITH(workingSizeFor({10, 10}, bad), Catch::Contains("native resolution"));
    bad = {};
    bad.maxAspect = 0.5;
    CHECK_THROWS_AS(workingSizeFor({10, 10}, bad), InpaintError);
    CHECK_THROWS_AS(workingSizeFor({0, 10}, o), InpaintError);
}
