#include "app/print_export.h"

#include "app/image_io.h"

#include <QColorSpace>
#include <QFileInfo>
#include <QObject>

#include <algorithm>
#include <cmath>

namespace atelier::app {
namespace {

constexpr double kCmPerInch = 2.54;

int tilesAlong(int latent, int tile, int overlap) {
    if (latent <= tile) return 1;
    return 1 + int(std::ceil(double(latent - tile) / std::max(1, tile - overlap)));
}

}  // namespace

QString PrintPlan::describe() const {
    if (passes == 0)
        return QObject::tr("%1 x %2 px: no upscale needed (the image is resampled)")
            .arg(target.width())
            .arg(target.height());
    const double minutes = estimatedSeconds / 60.0;
    const QString time = minutes < 1.5 ? QObject::tr("about %1 s").arg(qRound(estimatedSeconds))
                                       : QObject::tr("about %1 min").arg(qRound(minutes));
    return QObject::tr("%1 x %2 px: %3 x4 pass(es), %4 tiles, %5, about %6 GB of memory")
        .arg(target.width())
        .arg(target.height())
        .arg(passes)
        .arg(tiles)
        .arg(time)
        .arg(estimatedBytes / double(qint64(1) << 30), 0, 'f', 1);
}

PrintPlan planPrint(QSize source, double width, PrintUnit unit, double dpi, int steps,
                    int tileLatent, int tileOverlap, const UpscaleCostModel& cost) {
    PrintPlan plan;
    plan.source = source;
    if (source.isEmpty() || width <= 0 || dpi <= 0) return plan;
    const double inches = unit == PrintUnit::Inches ? width : width / kCmPerInch;
    const int targetWidth = std::max(1, int(std::lround(inches * dpi)));
    const int targetHeight =
        std::max(1, int(std::lround(double(targetWidth) * source.height() / source.width())));
    plan.target = QSize(targetWidth, targetHeight);
    plan.scale = double(targetWidth) / source.width();
    QSize current = source;
    while (current.width() < targetWidth) {
        // The x4 upscaler's latent is the low-res image itself.
        plan.tiles += tilesAlong(current.width(), tileLatent, tileOverlap) *
                      tilesAlong(current.height(), tileLatent, tileOverlap);
        current *= 4;
        ++plan.passes;
    }
    plan.upscaled = current;
    plan.estimatedSeconds = plan.tiles * std::max(1, steps) * cost.secondsPerTileStep;
    if (plan.passes > 0) {
        const qint64 side = std::min(tileLatent, std::max(source.width(), source.height()));
        plan.estimatedBytes = cost.modelBytes + cost.bytesPerLatentPixel * side * side / 128 +
                              qint64(targetWidth) * targetHeight * 8 * 2;  // 16-bit out, twice
    }
    return plan;
}

QString exportPrint(const QImage& image, QSize target, double dpi, const QString& path) {
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix != QLatin1String("png") && suffix != QLatin1String("tif") &&
        suffix != QLatin1String("tiff"))
        return QObject::tr("%1: a print is exported as PNG or TIFF (.png, .tif, .tiff)").arg(path);
    if (image.isNull()) return QObject::tr("There is no image to export.");
    if (dpi <= 0) return QObject::tr("The resolution must be above 0 DPI.");
    QImage out = image.convertToFormat(image.hasAlphaChannel() ? QImage::Format_RGBA64
                                                               : QImage::Format_RGBX64);
    if (!target.isEmpty() && target != out.size())
        out = out.scaled(target, Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
    const int dotsPerMeter = int(std::lround(dpi / kCmPerInch * 100.0));
    out.setDotsPerMeterX(dotsPerMeter);
    out.setDotsPerMeterY(dotsPerMeter);
    out.setColorSpace(QColorSpace(QColorSpace::SRgb));  // written as an ICC profile
    return saveImageAtomically(out, path);
}

}  // namespace atelier::app
