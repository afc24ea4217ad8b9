#include "brushes/dab_renderer.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>

namespace atelier::brushes {

const char* pixelFormatName(PixelFormat format) {
    switch (format) {
        case PixelFormat::Rgba8Premultiplied:
            return "rgba8";
        case PixelFormat::Rgba16Premultiplied:
            return "rgba16";
        case PixelFormat::Grey8:
            return "grey8";
    }
    return "?";
}

const char* dabModeName(DabMode mode) {
    switch (mode) {
        case DabMode::Paint:
            return "paint";
        case DabMode::Erase:
            return "erase";
        case DabMode::LockAlpha:
            return "lock-alpha";
    }
    return "?";
}

namespace {

// Everything about a dab that is the same for all its pixels, computed once per renderDab().
// The per-pixel arithmetic below must not depend on the view (only on canvas coordinates), so
// that a dab split over tiles gives the same pixels as one buffer.
struct DabShape {
    float cx = 0, cy = 0;
    float cosA = 1, sinA = 0;
    float aspect = 1;
    float invRadius2 = 1;
    float minorRadius = 1;
    float invSoftness = 1;  // 1 / (1 - h^2); huge for a flat disc
    float opacity = 0;
    float radius = 1;
    // Quadratic form of the ellipse: r^2 * radius^2 = qa dx^2 + qb dx dy + qc dy^2.
    float qa = 1, qb = 0, qc = 1;
    bool paintsNothing = true;
};

DabShape shapeOf(const Dab& dab) {
    DabShape s;
    if (!(dab.opacity > 0.0f) || !(dab.radius > 0.0f) || !std::isfinite(dab.x) ||
        !std::isfinite(dab.y) || !std::isfinite(dab.radius)) {
        return s;
    }
    float radius = dab.radius;
    float opacity = std::min(dab.opacity, 1.0f);
    if (radius < 1.0f) {  // sub-pixel dab: fade by area instead of disappearing
        opacity *= radius * radius;
        radius = 1.0f;
    }
    float aspect = std::isfinite(dab.aspectRatio) ? std::max(dab.aspectRatio, 1.0f) : 1.0f;
    if (radius / aspect < 1.0f) {  // ellipse thinner than a pixel: keep it one pixel, fade it
        opacity *= radius / aspect;
        aspect = radius;
    }
    const float h = std::clamp(std::isfinite(dab.hardness) ? dab.hardness : 1.0f, 0.0f, 1.0f);
    s.cx = dab.x;
    s.cy = dab.y;
    const float angle = std::isfinite(dab.angle) ? dab.angle : 0.0f;
    s.cosA = std::cos(angle);
    s.sinA = std::sin(angle);
    s.aspect = aspect;
    s.radius = radius;
    s.invRadius2 = 1.0f / (radius * radius);
    s.minorRadius = radius / aspect;
    s.invSoftness = h >= 1.0f ? 1e30f : 1.0f / (1.0f - h * h);
    s.opacity = opacity;
    const float k2 = aspect * aspect;
    s.qa = s.cosA * s.cosA + k2 * s.sinA * s.sinA;
    s.qb = 2.0f * s.cosA * s.sinA * (1.0f - k2);
    s.qc = s.sinA * s.sinA + k2 * s.cosA * s.cosA;
    s.paintsNothing = opacity <= 0.0f;
    return s;
}

// Written with value selects rather than std::min/max (which return references) so that GCC
// turns the loop over a row into vector code.
inline float clamp01(float v) {
    v = v > 0.0f ? v : 0.0f;
    return v < 1.0f ? v : 1.0f;
}

inline float alphaAt(const DabShape& s, float dx, float dy) {
    const float u = dx * s.cosA + dy * s.sinA;
    const float v = (dy * s.cosA - dx * s.sinA) * s.aspect;
    const float rr = (u * u + v * v) * s.invRadius2;
    const float t = clamp01((1.0f - rr) * s.invSoftness);
    const float edge = clamp01((1.0f - std::sqrt(rr)) * s.minorRadius);
    return s.opacity * t * t * edge;
}

PixelRect boundsOf(const DabShape& s) {
    if (s.paintsNothing) return {};
    const float minor = s.minorRadius;
    const float ex =
        std::sqrt(s.radius * s.radius * s.cosA * s.cosA + minor * minor * s.sinA * s.sinA);
    const float ey =
        std::sqrt(s.radius * s.radius * s.sinA * s.sinA + minor * minor * s.cosA * s.cosA);
    // Pixel i is inside when its centre i + 0.5 is; one pixel of margin absorbs float error.
    const double x0 = std::floor(double(s.cx) - ex) - 1, x1 = std::ceil(double(s.cx) + ex) + 1;
    const double y0 = std::floor(double(s.cy) - ey) - 1, y1 = std::ceil(double(s.cy) + ey) + 1;
    constexpr double kLimit = 1 << 30;  // far-away dabs would overflow int: they touch nothing
    if (x0 < -kLimit || y0 < -kLimit || x1 > kLimit || y1 > kLimit) return {};
    return {int(x0), int(y0), int(x1 - x0), int(y1 - y0)};
}

// Columns of row `dy` (relative to the centre) that can be inside the ellipse: solves
// qa dx^2 + qb dy dx + qc dy^2 < radius^2 for dx, widened by two pixels each side so that float
// error and truncation towards zero never cut a covered pixel (the per-pixel formula decides).
// Called for every row of every tile a dab touches, so the constants are precomputed.
struct RowSpans {
    float k1, k2, halfQb, inv2Qa, cx;
    explicit RowSpans(const DabShape& s)
        : k1(s.qb * s.qb - 4.0f * s.qa * s.qc),
          k2(4.0f * s.qa * s.radius * s.radius),
          halfQb(0.5f * s.qb),
          inv2Qa(0.5f / s.qa),
          cx(s.cx - 0.5f) {}
    bool operator()(float dy, int& x0, int& x1) const {
        const float disc = dy * dy * k1 + k2;  // b^2 - 4 qa c with b = qb dy, c = qc dy^2 - r^2
        if (disc < 0.0f) return false;
        const float half = std::sqrt(disc) * inv2Qa;
        const float mid = cx - halfQb * dy * (2.0f * inv2Qa);
        x0 = int(mid - half) - 2;
        x1 = int(mid + half) + 3;
        return true;
    }
};

constexpr int kChunk = 256;  // alpha is computed for this many pixels at a time (vectorisable)

// The blends work on a run of pixels with no branches, so GCC vectorises them. A zero alpha
// leaves a (valid, premultiplied) pixel exactly as it was, so runs may include uncovered pixels.
inline float minF(float a, float b) { return a < b ? a : b; }

struct Paint8 {
    float c0, c1, c2;  // colour * 255
    void operator()(std::uint8_t* __restrict p, const float* __restrict alpha, int n) const {
        for (int i = 0; i < n; ++i, p += 4) {
            const float a = alpha[i], ia = 1.0f - a;
            const float outA = 255.0f * a + p[3] * ia;
            p[0] = std::uint8_t(minF(c0 * a + p[0] * ia, outA) + 0.5f);
            p[1] = std::uint8_t(minF(c1 * a + p[1] * ia, outA) + 0.5f);
            p[2] = std::uint8_t(minF(c2 * a + p[2] * ia, outA) + 0.5f);
            p[3] = std::uint8_t(outA + 0.5f);
        }
    }
};
struct Erase8 {
    void operator()(std::uint8_t* __restrict p, const float* __restrict alpha, int n) const {
        for (int i = 0; i < n; ++i, p += 4) {
            const float ia = 1.0f - alpha[i];
            for (int k = 0; k < 4; ++k) p[k] = std::uint8_t(p[k] * ia + 0.5f);
        }
    }
};
struct LockAlpha8 {
    float c0, c1, c2;  // straight colour in [0, 1]
    void operator()(std::uint8_t* __restrict p, const float* __restrict alpha, int n) const {
        for (int i = 0; i < n; ++i, p += 4) {
            const float a = alpha[i], ia = 1.0f - a;
            const float da = p[3];
            p[0] = std::uint8_t(minF(c0 * a * da + p[0] * ia, da) + 0.5f);
            p[1] = std::uint8_t(minF(c1 * a * da + p[1] * ia, da) + 0.5f);
            p[2] = std::uint8_t(minF(c2 * a * da + p[2] * ia, da) + 0.5f);
        }
    }
};
struct Paint16 {
    float c0, c1, c2;  // colour * 65535
    void operator()(std::uint8_t* __restrict bytes, const float* __restrict alpha, int n) const {
        auto* __restrict p = reinterpret_cast<std::uint16_t*>(bytes);
        for (int i = 0; i < n; ++i, p += 4) {
            const float a = alpha[i], ia = 1.0f - a;
            const float outA = 65535.0f * a + p[3] * ia;
            p[0] = std::uint16_t(minF(c0 * a + p[0] * ia, outA) + 0.5f);
            p[1] = std::uint16_t(minF(c1 * a + p[1] * ia, outA) + 0.5f);
            p[2] = std::uint16_t(minF(c2 * a + p[2] * ia, outA) + 0.5f);
            p[3] = std::uint16_t(outA + 0.5f);
        }
    }
};
struct Erase16 {
    void operator()(std::uint8_t* __restrict bytes, const float* __restrict alpha, int n) const {
        auto* __restrict p = reinterpret_cast<std::uint16_t*>(bytes);
        for (int i = 0; i < n; ++i, p += 4) {
            const float ia = 1.0f - alpha[i];
            for (int k = 0; k < 4; ++k) p[k] = std::uint16_t(p[k] * ia + 0.5f);
        }
    }
};
struct LockAlpha16 {
    float c0, c1, c2;
    void operator()(std::uint8_t* __restrict bytes, const float* __restrict alpha, int n) const {
        auto* __restrict p = reinterpret_cast<std::uint16_t*>(bytes);
        for (int i = 0; i < n; ++i, p += 4) {
            const float a = alpha[i], ia = 1.0f - a;
            const float da = p[3];
            p[0] = std::uint16_t(minF(c0 * a * da + p[0] * ia, da) + 0.5f);
            p[1] = std::uint16_t(minF(c1 * a * da + p[1] * ia, da) + 0.5f);
            p[2] = std::uint16_t(minF(c2 * a * da + p[2] * ia, da) + 0.5f);
        }
    }
};
struct PaintGrey {
    void operator()(std::uint8_t* __restrict p, const float* __restrict alpha, int n) const {
        for (int i = 0; i < n; ++i)
            p[i] = std::uint8_t(255.0f * alpha[i] + p[i] * (1.0f - alpha[i]) + 0.5f);
    }
};
struct EraseGrey {
    void operator()(std::uint8_t* __restrict p, const float* __restrict alpha, int n) const {
        for (int i = 0; i < n; ++i) p[i] = std::uint8_t(p[i] * (1.0f - alpha[i]) + 0.5f);
    }
};

// On x86-64 the loops are also compiled for AVX2 (8 floats a step instead of SSE2's 4), chosen
// at load time. The arithmetic is the same IEEE operations either way (no FMA contraction in
// ISO C++ mode), so both versions give the same pixels.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define ATELIER_VECTOR_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define ATELIER_VECTOR_CLONES
#endif

template <typename Blend>
ATELIER_VECTOR_CLONES void rasterise(const DabShape& s, const PixelView& view,
                                     const PixelRect& area, Blend blend) {
    const int bpp = bytesPerPixel(view.format);
    const RowSpans rowSpan(s);
    float alpha[kChunk];
    for (int y = area.y; y < area.bottom(); ++y) {
        const float dy = (float(y) + 0.5f) - s.cy;
        int spanX0 = 0, spanX1 = 0;
        if (!rowSpan(dy, spanX0, spanX1)) continue;
        const int x0 = std::max(area.x, spanX0), x1 = std::min(area.right(), spanX1);
        std::uint8_t* row = view.row(y);
        for (int chunkX = x0; chunkX < x1; chunkX += kChunk) {
            const int n = std::min(kChunk, x1 - chunkX);
            for (int i = 0; i < n; ++i)
                alpha[i] = alphaAt(s, (float(chunkX + i) + 0.5f) - s.cx, dy);
            blend(row + std::ptrdiff_t(chunkX - view.rect.x) * bpp, alpha, n);
        }
    }
}

}  // namespace

PixelRect dabBounds(const Dab& dab) { return boundsOf(shapeOf(dab)); }

float dabAlphaAt(const Dab& dab, int pixelX, int pixelY) {
    const DabShape s = shapeOf(dab);
    if (s.paintsNothing) return 0.0f;
    return alphaAt(s, (float(pixelX) + 0.5f) - s.cx, (float(pixelY) + 0.5f) - s.cy);
}

void renderDab(const Dab& dab, const PixelView& view) {
    if (view.data == nullptr) return;
    const DabShape s = shapeOf(dab);
    const PixelRect area = boundsOf(s).intersected(view.rect);
    if (area.empty()) return;
    const ColorF& c = dab.color;
    const float r = std::clamp(c.r, 0.0f, 1.0f), g = std::clamp(c.g, 0.0f, 1.0f),
                b = std::clamp(c.b, 0.0f, 1.0f);
    switch (view.format) {
        case PixelFormat::Rgba8Premultiplied:
            switch (dab.mode) {
                case DabMode::Paint:
                    return rasterise(s, view, area, Paint8{r * 255, g * 255, b * 255});
                case DabMode::Erase:
                    return rasterise(s, view, area, Erase8{});
                case DabMode::LockAlpha:
                    return rasterise(s, view, area, LockAlpha8{r, g, b});
            }
            return;
        case PixelFormat::Rgba16Premultiplied:
            switch (dab.mode) {
                case DabMode::Paint:
                    return rasterise(s, view, area, Paint16{r * 65535, g * 65535, b * 65535});
                case DabMode::Erase:
                    return rasterise(s, view, area, Erase16{});
                case DabMode::LockAlpha:
                    return rasterise(s, view, area, LockAlpha16{r, g, b});
            }
            return;
        case PixelFormat::Grey8:
            switch (dab.mode) {
                case DabMode::Paint:
                    return rasterise(s, view, area, PaintGrey{});
                case DabMode::Erase:
                    return rasterise(s, view, area, EraseGrey{});
                case DabMode::LockAlpha:
                    return;  // a mask has no colour to change
            }
            return;
    }
}

ColorAccumulator::ColorAccumulator(float x, float y, float radius) {
    probe_.x = x;
    probe_.y = y;
    probe_.radius = radius;
    probe_.hardness = 0.5f;
    probe_.opacity = 1.0f;
}

PixelRect ColorAccumulator::bounds() const { return dabBounds(probe_); }

void ColorAccumulator::add(const PixelView& view) {
    if (view.data == nullptr) return;
    const DabShape s = shapeOf(probe_);
    const PixelRect area = boundsOf(s).intersected(view.rect);
    for (int y = area.y; y < area.bottom(); ++y) {
        const float dy = (float(y) + 0.5f) - s.cy;
        for (int x = area.x; x < area.right(); ++x) {
            const float w = alphaAt(s, (float(x) + 0.5f) - s.cx, dy);
            if (w <= 0.0f) continue;
            const std::uint8_t* p = view.pixel(x, y);
            double px[4] = {0, 0, 0, 0};
            switch (view.format) {
                case PixelFormat::Rgba8Premultiplied:
                    for (int i = 0; i < 4; ++i) px[i] = p[i] / 255.0;
                    break;
                case PixelFormat::Rgba16Premultiplied: {
                    std::uint16_t q[4];
                    std::memcpy(q, p, sizeof q);
                    for (int i = 0; i < 4; ++i) px[i] = q[i] / 65535.0;
                    break;
                }
                case PixelFormat::Grey8:  // an opaque grey: masks have no alpha of their own
                    px[0] = px[1] = px[2] = p[0] / 255.0;
                    px[3] = 1.0;
                    break;
            }
            weight_ += w;
            r_ += w * px[0];
            g_ += w * px[1];
            b_ += w * px[2];
            a_ += w * px[3];
        }
    }
}

ColorF ColorAccumulator::average() const {
    if (weight_ <= 0.0 || a_ <= 0.0) return {0, 0, 0, 0};
    return {float(r_ / a_), float(g_ / a_), float(b_ / a_), float(a_ / weight_)};
}

}  // namespace atelier::brushes
