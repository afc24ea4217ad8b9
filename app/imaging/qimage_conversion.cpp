#include "app/imaging/qimage_conversion.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "app/imaging/image_ops.h"

namespace atelier::app {
namespace {

bool deeperThan8Bits(const QImage& image) {
    const QPixelFormat pf = image.pixelFormat();
    return image.format() == QImage::Format_Grayscale16 || pf.redSize() > 8 || pf.greenSize() > 8 ||
           pf.blueSize() > 8 || pf.alphaSize() > 8;
}

// Reads channels [first, first + count) of straight RGBA8888 or RGBA64.
inference::ImageF readRgba(const QImage& image, int first, int count) {
    if (image.isNull()) return {};
    inference::ImageF out(image.width(), image.height(), count);
    if (deeperThan8Bits(image)) {
        const QImage straight = image.convertToFormat(QImage::Format_RGBA64);
        for (int y = 0; y < straight.height(); ++y) {
            const auto* row = reinterpret_cast<const quint16*>(straight.constScanLine(y));
            for (int x = 0; x < straight.width(); ++x) {
                for (int c = 0; c < count; ++c) {
                    out.at(x, y, c) = static_cast<float>(row[4 * x + first + c]) / 65535.f;
                }
            }
        }
    } else {
        const QImage straight = image.convertToFormat(QImage::Format_RGBA8888);
        for (int y = 0; y < straight.height(); ++y) {
            const uchar* row = straight.constScanLine(y);
            for (int x = 0; x < straight.width(); ++x) {
                for (int c = 0; c < count; ++c) {
                    out.at(x, y, c) = static_cast<float>(row[4 * x + first + c]) / 255.f;
                }
            }
        }
    }
    return out;
}

template <typename T>
T quantise(float v, float max) {
    const float clamped = v > 0.f ? std::min(v, 1.f) : 0.f;  // NaN -> 0
    return static_cast<T>(std::lround(clamped * max));
}

// Writes `sources` (each a plane with `channels`) interleaved into a QImage of `format`, whose
// pixels hold `stride` channels of type T (a missing 4th channel is written as opaque).
template <typename T>
QImage write(const inference::ImageF& rgbOrGrey, const inference::ImageF* alpha,
             QImage::Format format, int stride, float max) {
    QImage out(rgbOrGrey.width, rgbOrGrey.height, format);
    if (out.isNull()) throw InpaintError("not enough memory for the image");
    const int colours = rgbOrGrey.channels;
    for (int y = 0; y < rgbOrGrey.height; ++y) {
        T* row = reinterpret_cast<T*>(out.scanLine(y));
        for (int x = 0; x < rgbOrGrey.width; ++x) {
            T* px = row + static_cast<std::size_t>(x) * stride;
            for (int c = 0; c < colours; ++c) px[c] = quantise<T>(rgbOrGrey.at(x, y, c), max);
            if (stride > colours) {
                px[colours] = alpha ? quantise<T>(alpha->at(x, y, 0), max) : static_cast<T>(max);
            }
        }
    }
    return out;
}

}  // namespace

inference::ImageF imageFromQImage(const QImage& image) { return readRgba(image, 0, 3); }

inference::ImageF alphaFromQImage(const QImage& image) { return readRgba(image, 3, 1); }

inference::ImageF maskFromQImage(const QImage& image) {
    if (image.isNull()) return {};
    if (image.format() == QImage::Format_Alpha8) return alphaFromQImage(image);
    inference::ImageF out(image.width(), image.height(), 1);
    if (image.format() == QImage::Format_Grayscale8) {
        for (int y = 0; y < image.height(); ++y) {
            const uchar* row = image.constScanLine(y);
            for (int x = 0; x < image.width(); ++x) out.at(x, y, 0) = row[x] / 255.f;
        }
        return out;
    }
    const QImage grey = image.convertToFormat(QImage::Format_Grayscale16);
    for (int y = 0; y < grey.height(); ++y) {
        const auto* row = reinterpret_cast<const quint16*>(grey.constScanLine(y));
        for (int x = 0; x < grey.width(); ++x) out.at(x, y, 0) = row[x] / 65535.f;
    }
    return out;
}

QImage toQImage(const inference::ImageF& image, QImageDepth depth) {
    const bool deep = depth == QImageDepth::Bits16;
    switch (image.channels) {
        case 1:
            requireImage(image, 1, "the image");
            return deep ? write<quint16>(image, nullptr, QImage::Format_Grayscale16, 1, 65535.f)
                        : write<uchar>(image, nullptr, QImage::Format_Grayscale8, 1, 255.f);
        case 3:
            requireImage(image, 3, "the image");
            return deep ? write<quint16>(image, nullptr, QImage::Format_RGBX64, 4, 65535.f)
                        : write<uchar>(image, nullptr, QImage::Format_RGB888, 3, 255.f);
        case 4:
            requireImage(image, 4, "the image");
            return deep ? write<quint16>(image, nullptr, QImage::Format_RGBA64, 4, 65535.f)
                        : write<uchar>(image, nullptr, QImage::Format_RGBA8888, 4, 255.f);
        default:
            throw InpaintError("cannot make a QImage of " + std::to_string(image.channels) +
                               " channels");
    }
}

QImage toQImage(const inference::ImageF& rgb, const inference::ImageF& alpha, QImageDepth depth) {
    requireImage(rgb, 3, "the image");
    requireImage(alpha, 1, "the alpha");
    if (alpha.width != rgb.width || alpha.height != rgb.height) {
        throw InpaintError("the alpha does not have the image's size");
    }
    return depth == QImageDepth::Bits16
               ? write<quint16>(rgb, &alpha, QImage::Format_RGBA64, 4, 65535.f)
               : write<uchar>(rgb, &alpha, QImage::Format_RGBA8888, 4, 255.f);
}

}  // namespace atelier::app
