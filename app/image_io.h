#pragma once
// Reading and writing flat images (PNG, JPEG, TIFF, WebP through Qt's image plugins).
// Reading checks the declared size against a pixel budget before anything is decoded, so a file
// that declares 100000 x 100000 is refused instead of exhausting memory. Writing is atomic.
#include <QImage>
#include <QString>

namespace atelier {

struct ImageLoadResult {
    QImage image;   // Format_ARGB32_Premultiplied on success, null on failure
    QString error;  // names the file and what is wrong; empty on success
    bool ok() const { return !image.isNull(); }
};

struct ImageLimits {
    qint64 maxPixels = qint64(16384) * 16384;  // 1 GiB as 8-bit RGBA
    int maxSide = 65535;
};

ImageLoadResult loadImage(const QString& path, const ImageLimits& limits = {});

// Writes `image` as PNG through a temporary file that replaces `path` only once complete;
// an existing file is never left half-written. Returns an empty string or the error.
QString savePngAtomically(const QImage& image, const QString& path);

// The same for any format Qt's image plugins write (PNG, JPEG, TIFF, WebP), chosen by format
// ("png", "jpg", "tiff", "webp") or, when empty, by the file name's suffix. quality: -1 for the
// plugin's default, else 0..100 (JPEG, WebP). JPEG has no alpha: the image is flattened on white.
QString saveImageAtomically(const QImage& image, const QString& path, QByteArray format = {},
                            int quality = -1);

}  // namespace atelier
