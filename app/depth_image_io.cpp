#include "app/depth_image_io.h"

#include <QFileInfo>
#include <QImageReader>

#include <cstring>

namespace atelier {

DepthImageLoadResult loadDepthImage(const QString& path, const ImageLimits& limits) {
    DepthImageLoadResult result;
    if (!QFileInfo(path).isFile()) {
        result.error = QStringLiteral("%1: no such file").arg(path);
        return result;
    }
    {
        // The same budget as loadImage, checked from the header before anything is decoded.
        QImageReader reader(path);
        const QSize declared = reader.size();
        if (declared.isValid() &&
            (declared.width() > limits.maxSide || declared.height() > limits.maxSide ||
             qint64(declared.width()) * declared.height() > limits.maxPixels)) {
            result.error = QStringLiteral("%1: declares %2 x %3 pixels, more than Atelier opens")
                               .arg(QFileInfo(path).fileName())
                               .arg(declared.width())
                               .arg(declared.height());
            return result;
        }
    }
    QImageReader reader(path);
    reader.setAutoTransform(true);
    QImage image;
    if (!reader.read(&image) || image.isNull()) {
        result.error = QStringLiteral("%1: not a depth image Atelier can read (%2)")
                           .arg(QFileInfo(path).fileName(), reader.errorString());
        return result;
    }
    const QImage grey = image.convertToFormat(QImage::Format_Grayscale16);
    result.width = grey.width();
    result.height = grey.height();
    result.grey.resize(size_t(result.width) * size_t(result.height));
    for (int y = 0; y < result.height; ++y) {
        std::memcpy(result.grey.data() + size_t(y) * result.width, grey.constScanLine(y),
                    size_t(result.width) * sizeof(uint16_t));
    }
    return result;
}

QString saveGrey16PngAtomically(int width, int height, const std::vector<uint16_t>& grey,
                                const QString& path) {
    if (width <= 0 || height <= 0 || grey.size() != size_t(width) * size_t(height)) {
        return QStringLiteral("%1: the depth map does not hold %2 x %3 values")
            .arg(path)
            .arg(width)
            .arg(height);
    }
    QImage image(width, height, QImage::Format_Grayscale16);
    if (image.isNull())
        return QStringLiteral("%1: not enough memory for a %2 x %3 image")
            .arg(path)
            .arg(width)
            .arg(height);
    for (int y = 0; y < height; ++y) {
        std::memcpy(image.scanLine(y), grey.data() + size_t(y) * width,
                    size_t(width) * sizeof(uint16_t));
    }
    return savePngAtomically(image, path);
}

}  // namespace atelier
