#include "app/image_io.h"

#include <QFile>
#include <QTemporaryDir>

#include <catch2/catch.hpp>

using namespace atelier;

namespace {
QString testImage(const char* name) {
    return QStringLiteral(ATELIER_TEST_DATA_DIR "/images/") + QString::fromUtf8(name);
}
}  // namespace

TEST_CASE("a valid PNG loads with its pixels", "[image_io]") {
    const ImageLoadResult r = loadImage(testImage("red_blue_64x32.png"));
    REQUIRE(r.ok());
    CHECK(r.error.isEmpty());
    CHECK(r.image.size() == QSize(64, 32));
    CHECK(r.image.pixelColor(5, 5) == QColor(255, 0, 0));
    CHECK(r.image.pixelColor(60, 20) == QColor(0, 0, 255));
}

TEST_CASE("bad images are refused with an error that names the file", "[image_io]") {
    for (const char* name : {"declares_100000x100000.png", "truncated.png", "not_an_image.png",
                             "does_not_exist.png"}) {
        INFO(name);
        const ImageLoadResult r = loadImage(testImage(name));
        CHECK_FALSE(r.ok());
        CHECK(r.error.contains(QString::fromUtf8(name)));
    }
}

TEST_CASE("an image over the pixel budget is refused before decoding", "[image_io]") {
    const ImageLoadResult r = loadImage(testImage("declares_100000x100000.png"));
    CHECK(r.error.contains(QStringLiteral("100000 x 100000")));
    ImageLimits tight;
    tight.maxPixels = 100;
    CHECK_FALSE(loadImage(testImage("red_blue_64x32.png"), tight).ok());
}

TEST_CASE("PNG export writes a file that reads back identically", "[image_io]") {
    QTemporaryDir dir;
    const QString out = dir.filePath(QStringLiteral("out.png"));
    const ImageLoadResult in = loadImage(testImage("red_blue_64x32.png"));
    REQUIRE(in.ok());
    REQUIRE(savePngAtomically(in.image, out).isEmpty());
    const ImageLoadResult back = loadImage(out);
    REQUIRE(back.ok());
    CHECK(back.image == in.image);
}

TEST_CASE("a failed export leaves the existing file untouched", "[image_io]") {
    QTemporaryDir dir;
    const QString out = dir.filePath(QStringLiteral("keep.png"));
    {
        QFile f(out);
        REQUIRE(f.open(QIODevice::WriteOnly));
        f.write("previous contents");
    }
    CHECK_FALSE(savePngAtomically(QImage(), out).isEmpty());
    // A path whose folder does not exist cannot be written at all.
    CHECK_FALSE(savePngAtomically(QImage(4, 4, QImage::Format_ARGB32),
                                  dir.filePath(QStringLiteral("missing/dir/x.png")))
                    .isEmpty());
    QFile f(out);
    REQUIRE(f.open(QIODevice::ReadOnly));
    CHECK(f.readAll() == QByteArray("previous contents"));
}

TEST_CASE("export writes TIFF, WebP and JPEG by extension, atomically", "[image_io]") {
    QTemporaryDir dir;
    QImage img(16, 8, QImage::Format_ARGB32);
    img.fill(QColor(10, 200, 30, 255));
    for (const char* name : {"x.tiff", "x.tif", "x.webp", "x.jpg", "x.png"}) {
        INFO(name);
        const QString out = dir.filePath(QString::fromLatin1(name));
        REQUIRE(saveImageAtomically(img, out).isEmpty());
        const ImageLoadResult back = loadImage(out);
        REQUIRE(back.ok());
        CHECK(back.image.size() == img.size());
        const QColor c = back.image.pixelColor(3, 3);
        CHECK(std::abs(c.green() - 200) <= 8);  // JPEG and lossy WebP are close, not exact
    }
    // JPEG has no alpha: transparent pixels come out white, not black.
    QImage clear(8, 8, QImage::Format_ARGB32);
    clear.fill(Qt::transparent);
    const QString jpg = dir.filePath(QStringLiteral("clear.jpg"));
    REQUIRE(saveImageAtomically(clear, jpg).isEmpty());
    CHECK(loadImage(jpg).image.pixelColor(2, 2).lightness() > 240);
    const QString err = saveImageAtomically(img, dir.filePath(QStringLiteral("x.xyz")));
    CHECK(err.contains(QLatin1String("cannot write \"xyz\"")));
}
