// Not run by default ([.visual]): writes before/after PNGs to look at.
//   build/tests/app/imaging/test_imaging "[.visual]"   (into $ATELIER_VISUAL_DIR or
//   /tmp/atelier_visual)
#include <catch2/catch.hpp>

#include <QDir>
#include <cmath>
#include <cstdlib>

#include "app/image_io.h"
#include "app/imaging/inpaint_compositor.h"
#include "app/imaging/qimage_conversion.h"
#include "test_images.h"

using namespace atelier::app;
using atelier::inference::ImageF;
namespace t = atelier::app::test;

namespace {

// Something like a real model: inside its mask new content (rings), outside the context
// reproduced with a VAE-like softening and a colour drift (warmer, darker) everywhere.
ImageF fakeModel(const ImageF& image, const ImageF& mask, bool newContent) {
    ImageF out = image;
    for (int y = 0; y < image.height; ++y) {
        for (int x = 0; x < image.width; ++x) {
            const int x0 = std::max(x - 1, 0), x1 = std::min(x + 1, image.width - 1);
            for (int c = 0; c < 3; ++c) {
                float v = (image.at(x0, y, c) + 2 * image.at(x, y, c) + image.at(x1, y, c)) / 4;
                if (newContent && mask.at(x, y, 0) > 0.5f) {
                    const float r = std::hypot(x - image.width / 2.f, y - image.height / 2.f);
                    const float ring = 0.5f + 0.5f * std::sin(r * 0.15f + c);
                    v = 0.5f * v + 0.5f * ring;
                }
                const float drift[3] = {0.08f, 0.02f, -0.07f};
                out.at(x, y, c) = std::clamp(0.92f * v + drift[c], 0.f, 1.f);
            }
        }
    }
    return out;
}

void save(const QImage& image, const QString& dir, const char* name) {
    REQUIRE(atelier::savePngAtomically(image, dir + "/" + name).isEmpty());
}

// The disc's left edge and the soft stroke's top edge, 4x, side by side.
QImage zoomOnSeams(const ImageF& image) {
    const QImage full = toQImage(image);
    QImage out(2 * 320 + 8, 320, QImage::Format_RGB888);
    out.fill(Qt::white);
    const QImage a =
        full.copy(200, 180, 80, 80).scaled(320, 320, Qt::IgnoreAspectRatio, Qt::FastTransformation);
    const QImage b =
        full.copy(420, 270, 80, 80).scaled(320, 320, Qt::IgnoreAspectRatio, Qt::FastTransformation);
    for (int y = 0; y < 320; ++y) {
        for (int x = 0; x < 320; ++x) {
            out.setPixel(x, y, a.pixel(x, y));
            out.setPixel(328 + x, y, b.pixel(x, y));
        }
    }
    return out;
}

}  // namespace

TEST_CASE("visual check: before and after PNGs", "[.visual]") {
    const char* env = std::getenv("ATELIER_VISUAL_DIR");
    const QString dir = env ? QString::fromUtf8(env) : QStringLiteral("/tmp/atelier_visual");
    QDir().mkpath(dir);
    const ImageF image = t::quantisedTo8Bits(t::texturedImage(640, 480));
    ImageF mask = t::discMask(640, 480, 300, 220, 70);
    for (int y = 300; y < 360; ++y) {  // a soft-brush stroke: strength falls off sideways
        for (int x = 380; x < 560; ++x) {
            const float d = std::abs(y - 330) / 30.f;
            mask.at(x, y, 0) = std::max(mask.at(x, y, 0), std::clamp(1.2f - d, 0.f, 1.f));
        }
    }
    InpaintOptions options;
    ImageF generated;
    const ImageF after = composite(image, mask, options, [&](const ImageF& img, const ImageF& m) {
        generated = fakeModel(img, m, true);
        return generated;
    });
    // A model that reproduces the context inside the mask too: any seam left is colour drift
    // or the paste itself.
    auto faithful = [](const ImageF& img, const ImageF& m) { return fakeModel(img, m, false); };
    const ImageF faithfulMatched = composite(image, mask, options, faithful);
    options.colourMatch = false;
    const ImageF unmatched =
        composite(image, mask, options,
                  [](const ImageF& img, const ImageF& m) { return fakeModel(img, m, true); });
    const ImageF faithfulUnmatched = composite(image, mask, options, faithful);
    const InpaintJob job = prepareInpaint(image, mask, options);
    save(zoomOnSeams(faithfulUnmatched), dir, "faithful_seams_without_colour_match_4x.png");
    save(zoomOnSeams(faithfulMatched), dir, "faithful_seams_4x.png");
    save(zoomOnSeams(after), dir, "seams_4x.png");

    save(toQImage(image), dir, "before.png");
    save(toQImage(mask), dir, "mask.png");
    save(toQImage(job.cropAlpha), dir, "paste_alpha_crop.png");
    save(toQImage(generated), dir, "generated_working_size.png");
    save(toQImage(unmatched), dir, "after_without_colour_match.png");
    save(toQImage(after), dir, "after.png");
    INFO("crop " << job.region.crop.x << "," << job.region.crop.y << " " << job.region.crop.width
                 << "x" << job.region.crop.height << " working " << job.region.workingSize.width
                 << "x" << job.region.workingSize.height);
    SUCCEED();
}
