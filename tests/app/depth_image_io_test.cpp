// Depth maps as 16-bit grey PNG files, and the round trip `atelier-cli depth` -> edit elsewhere ->
// `depth2img --depth`: the depth channel from the file equals the one computed in place.
#include "app/depth_image_io.h"
#include "app/image_io.h"
#include "inference/depth_estimator.h"
#include "inference/depth_map.h"
#include "inference/weights/safetensors_file.h"

#include <QDir>
#include <QImage>
#include <QTemporaryDir>

#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>

using namespace atelier;
using Catch::Matchers::Contains;

namespace {

const QString kData = QStringLiteral(ATELIER_TEST_DATA_DIR);

double maxAbsDiff(const std::vector<float>& a, const std::vector<float>& b) {
    REQUIRE(a.size() == b.size());
    double worst = 0;
    for (size_t i = 0; i < a.size(); ++i) worst = std::max(worst, std::fabs(double(a[i]) - b[i]));
    return worst;
}

}  // namespace

TEST_CASE("16-bit grey depth PNG: written and read back exactly", "[depth]") {
    QTemporaryDir dir;
    const QString path = dir.filePath("depth.png");
    std::vector<uint16_t> grey(7 * 3);
    for (size_t i = 0; i < grey.size(); ++i) grey[i] = uint16_t(i * 3121 + 1);
    grey.back() = 65535;
    REQUIRE(saveGrey16PngAtomically(7, 3, grey, path).isEmpty());
    CHECK(QImage(path).format() == QImage::Format_Grayscale16);
    const DepthImageLoadResult back = loadDepthImage(path);
    REQUIRE(back.ok());
    CHECK(back.width == 7);
    CHECK(back.height == 3);
    CHECK(back.grey == grey);

    CHECK_THAT(saveGrey16PngAtomically(7, 3, {1, 2}, path).toStdString(), Contains("7 x 3 values"));
    CHECK(loadDepthImage(path).grey == grey);  // a refused save leaves the old file
}

TEST_CASE("8-bit grey depth PNG: widened exactly to 16 bits", "[depth]") {
    QTemporaryDir dir;
    QImage image(4, 1, QImage::Format_Grayscale8);
    const uint8_t values[4] = {0, 1, 128, 255};
    std::memcpy(image.scanLine(0), values, 4);
    REQUIRE(image.save(dir.filePath("grey8.png")));
    const DepthImageLoadResult back = loadDepthImage(dir.filePath("grey8.png"));
    REQUIRE(back.ok());
    CHECK(back.grey == std::vector<uint16_t>{0, 257, 128 * 257, 65535});
}

TEST_CASE("Depth images that cannot be read", "[depth]") {
    QTemporaryDir dir;
    CHECK_THAT(loadDepthImage(dir.filePath("none.png")).error.toStdString(),
               Contains("none.png: no such file"));
    QFile text(dir.filePath("text.png"));
    REQUIRE(text.open(QIODevice::WriteOnly));
    text.write("not a png");
    text.close();
    CHECK_THAT(loadDepthImage(text.fileName()).error.toStdString(), Contains("not a depth image"));
}

TEST_CASE("Depth exported to a 16-bit PNG conditions depth2img like depth computed in place",
          "[depth][parity]") {
    const ImageLoadResult loaded = loadImage(kData + "/dpt/depth2img_image.png");
    REQUIRE(loaded.ok());
    const QImage rgb = loaded.image.convertToFormat(QImage::Format_RGB888);
    inference::Rgb8Image image{rgb.width(), rgb.height(), {}};
    for (int y = 0; y < rgb.height(); ++y) {
        const uint8_t* row = rgb.constScanLine(y);
        image.rgb.insert(image.rgb.end(), row, row + rgb.width() * 3);
    }
    const inference::DepthEstimator estimator = inference::DepthEstimator::load(
        (kData + "/reference/models/depth/diffusers").toStdString());
    const inference::FloatImage depth = estimator.estimate(image);
    const inference::FloatImage inPlace = inference::depthConditioning(depth, 32, 32);

    QTemporaryDir dir;
    const QString path = dir.filePath("depth.png");
    const inference::FloatImage atImageSize =
        inference::resizeDepthBicubic(depth, image.width, image.height);
    REQUIRE(saveGrey16PngAtomically(image.width, image.height,
                                    inference::depthToGrey16(atImageSize), path)
                .isEmpty());
    const DepthImageLoadResult file = loadDepthImage(path);
    REQUIRE(file.ok());
    const inference::FloatImage fromFile = inference::depthConditioning(
        inference::depthFromGrey16(file.width, file.height, file.grey), 32, 32);
    CHECK(maxAbsDiff(fromFile.values, inPlace.values) <= 1e-4);

    // And both equal the reference pipeline's depth channel.
    const auto ref = inference::SafetensorsFile::open(
        (kData + "/reference/pipelines/depth2img_dpt.safetensors").toStdString());
    const inference::TensorInfo* expected = ref.find("input.depth_map_normalized_latent_res");
    REQUIRE(expected);
    std::vector<float> reference(expected->numel());
    std::memcpy(reference.data(), ref.data(*expected), expected->byteSize());
    CHECK(maxAbsDiff(fromFile.values, reference) <= 1e-4);
    CHECK(maxAbsDiff(inPlace.values, reference) <= 1e-4);
}
