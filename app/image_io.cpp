#include "app/image_io.h"

#include <QFileInfo>
#include <QImageReader>
#include <QImageWriter>
#include <QPainter>
#include <QSaveFile>

namespace atelier {

ImageLoadResult loadImage(const QString& path, const ImageLimits& limits) {
    ImageLoadResult result;
    const QString name = QFileInfo(path).fileName();
    if (!QFileInfo(path).isFile()) {
        result.error = QStringLiteral("%1: no such file").arg(path);
        return result;
    }
    QImageReader reader(path);
    reader.setAutoTransform(true);
    // Qt's own allocation guard, as a second line behind the pixel budget below.
    const qint64 budgetMiB = limits.maxPixels * 4 / (1024 * 1024) + 1;
    QImageReader::setAllocationLimit(int(std::min<qint64>(budgetMiB, INT_MAX)));

    if (!reader.canRead()) {
        result.error = QStringLiteral("%1: not an image Atelier can read (%2)")
                           .arg(name, reader.errorString());
        return result;
    }
    const QSize declared = reader.size();
    if (declared.isValid()) {
        const qint64 pixels = qint64(declared.width()) * declared.height();
        if (declared.width() > limits.maxSide || declared.height() > limits.maxSide ||
            pixels > limits.maxPixels) {
            result.error = QStringLiteral("%1: declares %2 x %3 pixels, more than Atelier opens "
                                          "(at most %4 megapixels)")
                               .arg(name)
                               .arg(declared.width())
                               .arg(declared.height())
                               .arg(limits.maxPixels / 1000000);
            return result;
        }
    }
    QImage image;
    if (!reader.read(&image) || image.isNull()) {
        result.error = QStringLiteral("%1: cannot be decoded (%2)").arg(name, reader.errorString());
        return result;
    }
    result.image = image.convertToFormat(QImage::Format_ARGB32_Premultiplied);
    return result;
}

QString savePngAtomically(const QImage& image, const QString& path) {
    return saveImageAtomically(image, path, "png");
}

QString saveImageAtomically(const QImage& source, const QString& path, QByteArray format,
                            int quality) {
    if (source.isNull()) return QStringLiteral("nothing to export: the image is empty");
    if (format.isEmpty()) format = QFileInfo(path).suffix().toLower().toLatin1();
    if (format == "jpeg") format = "jpg";
    if (format == "tif") format = "tiff";
    if (!QImageWriter::supportedImageFormats().contains(format)) {
        return QStringLiteral("%1: cannot write \"%2\" images (PNG, JPEG, TIFF and WebP are "
                              "supported)")
            .arg(path, QString::fromLatin1(format));
    }
    QImage image = source;
    if (format == "jpg") {
        // JPEG cannot store alpha; composite on white rather than let it turn black.
        QImage flat(source.size(), QImage::Format_RGB32);
        flat.fill(Qt::white);
        QPainter painter(&flat);
        painter.drawImage(0, 0, source);
        painter.end();
        image = flat;
    }
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        return QStringLiteral("%1: cannot be written (%2)").arg(path, file.errorString());
    }
    QImageWriter writer(&file, format);
    if (quality >= 0) writer.setQuality(quality);
    if (!writer.write(image)) {
        file.cancelWriting();
        return QStringLiteral("%1: %2 encoding failed (%3)")
            .arg(path, QString::fromLatin1(format.toUpper()), writer.errorString());
    }
    if (!file.commit()) {
        return QStringLiteral("%1: could not be saved (%2); the previous file is untouched")
            .arg(path, file.errorString());
    }
    return {};
}

}  // namespace atelier
