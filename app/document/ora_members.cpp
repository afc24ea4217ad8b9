#include "app/document/ora_members.h"

#include <QBuffer>
#include <QImageReader>

#include <algorithm>
#include <climits>
#include <cstring>
#include <functional>

namespace atelier::document {
namespace {

// Qt refuses images over 256 MB by default; Atelier's own pixel budget is the limit that counts
// (checked before decoding; 16-bit PNGs decode to 8 bytes a pixel).
void allowDecoding(qint64 maxPixels) {
    const qint64 allocMiB = (maxPixels * 8 >> 20) + 1;
    if (QImageReader::allocationLimit() < allocMiB)
        QImageReader::setAllocationLimit(int(std::min<qint64>(allocMiB, INT_MAX)));
}

}  // namespace

bool isSafeMemberName(const QString& name) {
    if (name.isEmpty() || name.startsWith(QLatin1Char('/')) || name.contains(QLatin1Char('\\')) ||
        name.contains(QLatin1Char(':')) || name.contains(QChar(0)))
        return false;
    for (const QString& part : name.split(QLatin1Char('/')))
        if (part == QLatin1String("..") || part.isEmpty()) return false;
    return true;
}

bool MemberDecoder::decode(const QString& src, QImage& image, QString* error) {
    const std::optional<QByteArray> bytes = zip.read(src, error);
    if (!bytes) return false;
    QBuffer buffer;
    buffer.setData(*bytes);
    buffer.open(QIODevice::ReadOnly);
    allowDecoding(limits.maxLayerPixels);
    QImageReader reader(&buffer);
    const QSize size = reader.size();
    if (!reader.canRead() || !size.isValid()) {
        *error = QStringLiteral("%1 is not an image Atelier can read").arg(src);
        return false;
    }
    const qint64 pixels = qint64(size.width()) * size.height();
    if (size.width() > limits.maxSide || size.height() > limits.maxSide ||
        pixels > limits.maxLayerPixels) {
        *error = QStringLiteral("%1 declares %2 x %3 pixels, more than Atelier opens")
                     .arg(src)
                     .arg(size.width())
                     .arg(size.height());
        return false;
    }
    totalPixels += pixels;
    if (totalPixels > limits.maxTotalLayerPixels) {
        *error = QStringLiteral("%1: the layers hold more than %2 megapixels in all")
                     .arg(src)
                     .arg(limits.maxTotalLayerPixels / 1000000);
        return false;
    }
    if (!reader.read(&image) || image.isNull()) {
        *error = QStringLiteral("%1 cannot be decoded (%2)").arg(src, reader.errorString());
        return false;
    }
    return true;
}

bool MemberDecoder::reserveTiles(const QRect& area, int channels, QString* error) {
    if (area.isEmpty()) return true;
    const qint64 across =
        qint64(floorDiv(area.right(), kTileSize)) - floorDiv(area.left(), kTileSize) + 1;
    const qint64 down =
        qint64(floorDiv(area.bottom(), kTileSize)) - floorDiv(area.top(), kTileSize) + 1;
    tileBytes += across * down * kTileSize * kTileSize * channels;
    if (tileBytes > limits.maxTileBytes) {
        *error = QStringLiteral("the layers would take more than %1 MiB of tiles")
                     .arg(limits.maxTileBytes >> 20);
        return false;
    }
    return true;
}

void keepForeignMembers(ZipReader& zip, Document& document, qint64 maxBytes,
                        QStringList& warnings) {
    QVector<const QVector<ForeignAttribute>*> lists{&document.imageForeignAttributes};
    std::function<void(const Layer&)> walk = [&](const Layer& l) {
        lists.push_back(&l.foreignAttributes);
        for (const LayerPtr& c : l.children()) walk(*c);
    };
    walk(document.root());
    qint64 total = 0;
    for (const auto* list : lists) {
        for (const ForeignAttribute& a : *list) {
            if (!isSafeMemberName(a.value) || zip.indexOf(a.value) < 0 ||
                document.foreignMembers.contains(a.value))
                continue;
            QString why;
            std::optional<QByteArray> bytes =
                zip.read(a.value, &why, std::max<qint64>(maxBytes - total, 0));
            if (!bytes) {
                warnings << QStringLiteral("%1 is not kept: %2").arg(a.value, why);
                continue;
            }
            total += bytes->size();
            document.foreignMembers.insert(a.value, std::move(*bytes));
        }
    }
}

bool expandMyPaintBackground(Layer& layer, const QRect& canvas, MemberDecoder& decoder,
                             QString* error) {
    QString tileSrc;
    for (const ForeignAttribute& a : layer.foreignAttributes)
        if (a.qualifiedName == QLatin1String("background_tile") ||
            a.qualifiedName == QLatin1String("mypaint:background-tile"))
            tileSrc = a.value;
    if (tileSrc.isEmpty() || !isSafeMemberName(tileSrc)) return true;
    if (layer.pixels.contentBounds().contains(canvas)) return true;  // a full rendering
    QImage pattern;
    if (!decoder.decode(tileSrc, pattern, error)) return false;
    // The expanded background counts against the budgets like a canvas-sized layer.
    if (!decoder.reserveTiles(canvas, 4, error)) return false;
    decoder.totalPixels += qint64(canvas.width()) * canvas.height();
    if (decoder.totalPixels > decoder.limits.maxTotalLayerPixels) {
        *error = QStringLiteral("the layers hold more than %1 megapixels in all")
                     .arg(decoder.limits.maxTotalLayerPixels / 1000000);
        return false;
    }
    pattern.convertTo(QImage::Format_RGBA8888_Premultiplied);
    // One row of tiles across the canvas, then that row down it.
    QImage row(canvas.width(), pattern.height(), QImage::Format_RGBA8888_Premultiplied);
    for (int x = 0; x < canvas.width(); x += pattern.width())
        for (int y = 0; y < pattern.height(); ++y)
            std::memcpy(row.scanLine(y) + x * 4, pattern.constScanLine(y),
                        size_t(std::min(pattern.width(), canvas.width() - x)) * 4);
    for (int y = 0; y < canvas.height(); y += pattern.height())
        layer.pixels.writeImage(
            row.copy(0, 0, row.width(), std::min(row.height(), canvas.height() - y)),
            canvas.topLeft() + QPoint(0, y));
    return true;
}

}  // namespace atelier::document
