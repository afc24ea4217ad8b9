#pragma once
// Planning and writing a print: a physical size and a resolution decide the pixels needed, the
// x4 upscaler passes that get there (then a resample to the exact size), what the passes cost
// (from their tile count, before anything starts), and the file: PNG or TIFF, 16 bits per
// channel, the DPI written into it and an sRGB ICC profile embedded.
#include <QImage>
#include <QSize>
#include <QString>

namespace atelier::app {

enum class PrintUnit { Centimetres, Inches };

// Rough costs of the x4 upscaler, per latent tile and step. The defaults are NOT measured: they
// are order-of-magnitude guesses for the released model on a CPU (its UNet has about half the
// base model's parameters, see tests/data/reference/README.md), to be replaced by a benchmark.
struct UpscaleCostModel {
    double secondsPerTileStep = 6.0;          // one UNet step on a tileLatent^2 latent tile
    qint64 modelBytes = qint64(3600) << 20;   // UNet + VAE + text encoder, fp32
    qint64 bytesPerLatentPixel = 160 * 1024;  // working memory of a tile, per latent pixel side^2
};

struct PrintPlan {
    QSize source;
    QSize target;      // pixels of the print
    double scale = 1;  // target / source (width)
    int passes = 0;    // x4 upscaler passes (0: the source is already large enough)
    QSize upscaled;    // after the passes, before the final resample
    int tiles = 0;     // latent tiles over all passes
    double estimatedSeconds = 0;
    qint64 estimatedBytes = 0;
    QString describe() const;  // "3 x 4 tiles, about 2 min, about 4.1 GB"
};

// The print of `source` `width` units wide at `dpi` (height from the source's aspect).
// tileLatent: the tile side the upscale will run with (latent pixels = low-res pixels).
PrintPlan planPrint(QSize source, double width, PrintUnit unit, double dpi, int steps,
                    int tileLatent = 128, int tileOverlap = 16, const UpscaleCostModel& cost = {});

// Resamples to `target` when the size differs, converts to 16 bits per channel, tags sRGB and
// `dpi`, writes PNG or TIFF (by the suffix) atomically. Empty string on success, else the error.
QString exportPrint(const QImage& image, QSize target, double dpi, const QString& path);

}  // namespace atelier::app
