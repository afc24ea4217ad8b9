#include <catch2/catch.hpp>

#include <opencv2/core.hpp>

#include "app/imaging/inpaint_region.h"
#include "app/imaging/mat_conversion.h"
#include "app/imaging/qimage_conversion.h"

using namespace atelier::app;
using atelier::inference::ImageF;

TEST_CASE("every 8-bit value survives QImage -> ImageF -> QImage", "[conversion]") {
    QImage in(256, 3, QImage::Format_RGB888);
    for (int x = 0; x < 256; ++x) {
        in.setPixel(x, 0, qRgb(x, 255 - x, x / 2));
        in.setPixel(x, 1, qRgb(x / 3, x, 255 - x));
        in.setPixel(x, 2, qRgb(255 - x, x / 5, x));
    }
    const ImageF f = imageFromQImage(in);
    REQUIRE(f.width == 256);
    REQUIRE(f.channels == 3);
    CHECK(f.at(51, 0, 0) == 51.f / 255.f);
    CHECK(f.at(51, 0, 1) == 204.f / 255.f);
    CHECK(toQImage(f) == in);
    // The document's own format reads the same.
    CHECK(imageFromQImage(in.convertToFormat(QImage::Format_ARGB32_Premultiplied)).data == f.data);
}

TEST_CASE("every 16-bit value survives QImage -> ImageF -> QImage", "[conversion]") {
    QImage in(256, 256, QImage::Format_RGBX64);
    for (int y = 0; y < 256; ++y) {
        for (int x = 0; x < 256; ++x) {
            const quint16 v = quint16(y * 256 + x);
            in.setPixelColor(x, y, QColor::fromRgba64(v, quint16(65535 - v), quint16(v ^ 0x5a5a)));
        }
    }
    const ImageF f = imageFromQImage(in);
    CHECK(f.at(7, 1, 0) == 263.f / 65535.f);
    CHECK(toQImage(f, QImageDepth::Bits16) == in);
    CHECK(toQImage(f) == in.convertToFormat(QImage::Format_RGB888));
}

TEST_CASE("premultiplied colour is un-premultiplied, alpha read apart", "[conversion]") {
    QImage pm(2, 1, QImage::Format_ARGB32_Premultiplied);
    pm.setPixel(0, 0, qRgba(100, 50, 0, 128));  // straight (199, 100, 0)
    pm.setPixel(1, 0, qRgba(0, 0, 0, 0));
    const ImageF rgb = imageFromQImage(pm);
    CHECK(rgb.at(0, 0, 0) == Approx(199.f / 255.f).margin(1.5f / 255.f));
    CHECK(rgb.at(0, 0, 1) == Approx(100.f / 255.f).margin(1.5f / 255.f));
    CHECK(rgb.at(1, 0, 0) == 0.f);
    const ImageF alpha = alphaFromQImage(pm);
    CHECK(alpha.at(0, 0, 0) == 128.f / 255.f);
    CHECK(alpha.at(1, 0, 0) == 0.f);
    CHECK(alphaFromQImage(QImage(3, 3, QImage::Format_RGB888)).data == ImageF(3, 3, 1, 1.f).data);

    QImage pm16(1, 1, QImage::Format_RGBA64_Premultiplied);
    auto* px = reinterpret_cast<quint16*>(pm16.scanLine(0));  // raw premultiplied R, G, B, A
    px[0] = 30000;
    px[1] = 10000;
    px[2] = 0;
    px[3] = 40000;
    const ImageF deep = imageFromQImage(pm16);
    CHECK(deep.at(0, 0, 0) == Approx(30000.0 / 40000.0).margin(1e-4));
    CHECK(deep.at(0, 0, 1) == Approx(10000.0 / 40000.0).margin(1e-4));
    CHECK(alphaFromQImage(pm16).at(0, 0, 0) == 40000.f / 65535.f);
    CHECK(imageFromQImage(QImage()).empty());
}

TEST_CASE("masks read from grey, 16-bit grey, alpha and colour images", "[conversion]") {
    QImage g8(2, 1, QImage::Format_Grayscale8);
    g8.setPixel(0, 0, qRgb(0, 0, 0));
    g8.setPixel(1, 0, qRgb(128, 128, 128));
    CHECK(maskFromQImage(g8).data == std::vector<float>{0.f, 128.f / 255.f});
    QImage g16(1, 1, QImage::Format_Grayscale16);
    reinterpret_cast<quint16*>(g16.scanLine(0))[0] = 12345;
    CHECK(maskFromQImage(g16).at(0, 0, 0) == 12345.f / 65535.f);
    QImage a8(1, 1, QImage::Format_Alpha8);
    a8.scanLine(0)[0] = 77;
    CHECK(maskFromQImage(a8).at(0, 0, 0) == 77.f / 255.f);
    QImage white(1, 1, QImage::Format_RGB32);
    white.fill(Qt::white);
    CHECK(maskFromQImage(white).at(0, 0, 0) == 1.f);
    // Back: 1 channel is grey; RGB plus alpha is straight RGBA.
    CHECK(toQImage(maskFromQImage(g8)) == g8);
    const QImage rgba = toQImage(ImageF(1, 1, 3, 1.f), ImageF(1, 1, 1, 0.5f));
    CHECK(rgba.format() == QImage::Format_RGBA8888);
    CHECK(qAlpha(rgba.pixel(0, 0)) == 128);
    CHECK_THROWS_AS(toQImage(ImageF(2, 2, 2)), InpaintError);
}

TEST_CASE("cv::Mat conversions keep values exact and put channels in order", "[conversion]") {
    cv::Mat bgr(2, 3, CV_8UC3);
    for (int i = 0; i < 18; ++i) bgr.data[i] = uchar(i * 14);
    const ImageF f = imageFromMat(bgr, ChannelOrder::Bgr);
    CHECK(f.at(0, 0, 0) == 28.f / 255.f);  // R was the third byte
    CHECK(f.at(0, 0, 2) == 0.f);
    const cv::Mat back = matFromImage(f, CV_8U, ChannelOrder::Bgr);
    CHECK(cv::norm(back, bgr, cv::NORM_INF) == 0.0);

    cv::Mat grey16(1, 65536, CV_16UC1);
    for (int i = 0; i < 65536; ++i) grey16.at<quint16>(0, i) = quint16(i);
    CHECK(cv::norm(matFromImage(imageFromMat(grey16), CV_16U), grey16, cv::NORM_INF) == 0.0);

    cv::Mat rgba(1, 1, CV_32FC4, cv::Scalar(0.1, 0.2, 0.3, 0.4));
    const ImageF noAlpha = imageFromMat(rgba);
    CHECK(noAlpha.channels == 3);
    CHECK(noAlpha.at(0, 0, 2) == 0.3f);
    CHECK_THROWS_WITH(imageFromMat(cv::Mat(2, 2, CV_64FC3)), Catch::Contains("depth"));
    CHECK_THROWS_WITH(imageFromMat(cv::Mat(2, 2, CV_8UC2)), Catch::Contains("2-channel"));

    ImageF shared(4, 2, 3, 0.f);
    matView(shared).at<cv::Vec3f>(1, 2)[1] = 0.75f;
    CHECK(shared.at(2, 1, 1) == 0.75f);
}
