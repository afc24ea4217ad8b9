#include "inference/models/dpt/pil_resize.h"

#include <cmath>
#include <stdexcept>
#include <string>

namespace atelier::inference {
namespace {

// Pillow's 8-bit path: 32-bit accumulators, 22 fractional bits (libImaging/Resample.c).
constexpr int kPrecisionBits = 32 - 8 - 2;

double bicubic(double x) {
    constexpr double a = -0.5;
    x = std::fabs(x);
    if (x < 1.0) return ((a + 2.0) * x - (a + 3.0)) * x * x + 1.0;
    if (x < 2.0) return (((x - 5.0) * x + 8.0) * x - 4.0) * a;
    return 0.0;
}

double bilinear(double x) {
    x = std::fabs(x);
    return x < 1.0 ? 1.0 - x : 0.0;
}

struct Coefficients {
    int kernelSize = 0;
    std::vector<int> first;     // first input index per output index
    std::vector<int> count;     // number of taps per output index
    std::vector<int32_t> taps;  // kernelSize fixed-point weights per output index
};

// precompute_coeffs + normalize_coeffs_8bpc of Pillow, for the whole input range (box = image).
Coefficients coefficients(int inSize, int outSize, PilFilter filter) {
    const double support1 = filter == PilFilter::Bicubic ? 2.0 : 1.0;
    const double scale = double(inSize) / outSize;
    const double filterScale = scale < 1.0 ? 1.0 : scale;
    const double support = support1 * filterScale;
    Coefficients c;
    c.kernelSize = int(std::ceil(support)) * 2 + 1;
    c.first.resize(outSize);
    c.count.resize(outSize);
    c.taps.assign(size_t(outSize) * c.kernelSize, 0);
    std::vector<double> weights(c.kernelSize);
    for (int xx = 0; xx < outSize; ++xx) {
        const double center = (xx + 0.5) * scale;
        const double ss = 1.0 / filterScale;
        int xmin = int(center - support + 0.5);
        if (xmin < 0) xmin = 0;
        int xmax = int(center + support + 0.5);
        if (xmax > inSize) xmax = inSize;
        xmax -= xmin;
        double sum = 0.0;
        for (int x = 0; x < xmax; ++x) {
            const double arg = (x + xmin - center + 0.5) * ss;
            const double w = filter == PilFilter::Bicubic ? bicubic(arg) : bilinear(arg);
            weights[x] = w;
            sum += w;
        }
        for (int x = 0; x < xmax; ++x) {
            const double w = sum != 0.0 ? weights[x] / sum : weights[x];
            const double scaled = w * (1 << kPrecisionBits);
            c.taps[size_t(xx) * c.kernelSize + x] = int32_t(w < 0 ? -0.5 + scaled : 0.5 + scaled);
        }
        c.first[xx] = xmin;
        c.count[xx] = xmax;
    }
    return c;
}

uint8_t clip8(int64_t accumulator) {
    if (accumulator >= (int64_t(1) << kPrecisionBits << 8)) return 255;
    if (accumulator <= 0) return 0;
    return uint8_t(accumulator >> kPrecisionBits);
}

// One pass along x (stride 3 between taps) or y (stride 3*width between taps).
std::vector<uint8_t> horizontal(const std::vector<uint8_t>& in, int width, int height, int outWidth,
                                const Coefficients& c) {
    std::vector<uint8_t> out(size_t(outWidth) * height * 3);
    for (int y = 0; y < height; ++y) {
        const uint8_t* row = in.data() + size_t(y) * width * 3;
        for (int xx = 0; xx < outWidth; ++xx) {
            const int32_t* k = c.taps.data() + size_t(xx) * c.kernelSize;
            for (int ch = 0; ch < 3; ++ch) {
                // Pillow accumulates in a 32-bit int starting from the rounding half.
                int32_t ss = int32_t(1) << (kPrecisionBits - 1);
                for (int x = 0; x < c.count[xx]; ++x) {
                    ss += int32_t(row[size_t(c.first[xx] + x) * 3 + ch]) * k[x];
                }
                out[(size_t(y) * outWidth + xx) * 3 + ch] = clip8(ss);
            }
        }
    }
    return out;
}

std::vector<uint8_t> vertical(const std::vector<uint8_t>& in, int width, int outHeight,
                              const Coefficients& c) {
    std::vector<uint8_t> out(size_t(width) * outHeight * 3);
    for (int yy = 0; yy < outHeight; ++yy) {
        const int32_t* k = c.taps.data() + size_t(yy) * c.kernelSize;
        for (int x = 0; x < width; ++x) {
            for (int ch = 0; ch < 3; ++ch) {
                int32_t ss = int32_t(1) << (kPrecisionBits - 1);
                for (int y = 0; y < c.count[yy]; ++y) {
                    ss += int32_t(in[(size_t(c.first[yy] + y) * width + x) * 3 + ch]) * k[y];
                }
                out[(size_t(yy) * width + x) * 3 + ch] = clip8(ss);
            }
        }
    }
    return out;
}

}  // namespace

PilFilter pilFilterFromCode(int code) {
    switch (code) {
        case 2:
            return PilFilter::Bilinear;
        case 3:
            return PilFilter::Bicubic;
        default:
            throw std::invalid_argument("PIL resample filter " + std::to_string(code) +
                                        " is not supported (2 bilinear, 3 bicubic)");
    }
}

std::vector<uint8_t> pilResizeRgb8(const std::vector<uint8_t>& pixels, int width, int height,
                                   int outWidth, int outHeight, PilFilter filter) {
    if (width <= 0 || height <= 0 || outWidth <= 0 || outHeight <= 0) {
        throw std::invalid_argument("image sizes must be positive");
    }
    if (pixels.size() != size_t(width) * height * 3) {
        throw std::invalid_argument("RGB buffer does not hold width x height x 3 bytes");
    }
    if (width == outWidth && height == outHeight) return pixels;
    // Pillow skips a pass whose size does not change, and runs horizontal before vertical.
    std::vector<uint8_t> current = pixels;
    if (outWidth != width) {
        current =
            horizontal(current, width, height, outWidth, coefficients(width, outWidth, filter));
    }
    if (outHeight != height) {
        current = vertical(current, outWidth, outHeight, coefficients(height, outHeight, filter));
    }
    return current;
}

}  // namespace atelier::inference
