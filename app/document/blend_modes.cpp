#include "app/document/blend_modes.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <type_traits>

namespace atelier::document {
namespace {

struct ModeName {
    BlendMode mode;
    const char* op;
};
constexpr std::array<ModeName, kBlendModeCount> kNames{{
    {BlendMode::Normal, "svg:src-over"},
    {BlendMode::Multiply, "svg:multiply"},
    {BlendMode::Screen, "svg:screen"},
    {BlendMode::Overlay, "svg:overlay"},
    {BlendMode::Darken, "svg:darken"},
    {BlendMode::Lighten, "svg:lighten"},
    {BlendMode::ColorDodge, "svg:color-dodge"},
    {BlendMode::ColorBurn, "svg:color-burn"},
    {BlendMode::HardLight, "svg:hard-light"},
    {BlendMode::SoftLight, "svg:soft-light"},
    {BlendMode::Difference, "svg:difference"},
    {BlendMode::Exclusion, "svg:exclusion"},
    {BlendMode::Hue, "svg:hue"},
    {BlendMode::Saturation, "svg:saturation"},
    {BlendMode::Color, "svg:color"},
    {BlendMode::Luminosity, "svg:luminosity"},
    {BlendMode::Plus, "svg:plus"},
    {BlendMode::DestinationIn, "svg:dst-in"},
    {BlendMode::DestinationOut, "svg:dst-out"},
    {BlendMode::SourceAtop, "svg:src-atop"},
    {BlendMode::DestinationAtop, "svg:dst-atop"},
}};

float multiply(float b, float s) { return b * s; }
float screen(float b, float s) { return b + s - b * s; }
float hardLight(float b, float s) {
    return s <= 0.5f ? multiply(b, 2.f * s) : screen(b, 2.f * s - 1.f);
}
float colorDodge(float b, float s) {
    if (b == 0.f) return 0.f;
    if (s >= 1.f) return 1.f;
    return std::min(1.f, b / (1.f - s));
}
float colorBurn(float b, float s) {
    if (b >= 1.f) return 1.f;
    if (s <= 0.f) return 0.f;
    return 1.f - std::min(1.f, (1.f - b) / s);
}
float softLight(float b, float s) {
    if (s <= 0.5f) return b - (1.f - 2.f * s) * b * (1.f - b);
    const float d = b <= 0.25f ? ((16.f * b - 12.f) * b + 4.f) * b : std::sqrt(b);
    return b + (2.f * s - 1.f) * (d - b);
}

template <BlendMode mode>
inline float separable(float b, float s) {
    switch (mode) {
        case BlendMode::Multiply:
            return multiply(b, s);
        case BlendMode::Screen:
            return screen(b, s);
        case BlendMode::Overlay:
            return hardLight(s, b);
        case BlendMode::Darken:
            return std::min(b, s);
        case BlendMode::Lighten:
            return std::max(b, s);
        case BlendMode::ColorDodge:
            return colorDodge(b, s);
        case BlendMode::ColorBurn:
            return colorBurn(b, s);
        case BlendMode::HardLight:
            return hardLight(b, s);
        case BlendMode::SoftLight:
            return softLight(b, s);
        case BlendMode::Difference:
            return std::fabs(b - s);
        case BlendMode::Exclusion:
            return b + s - 2.f * b * s;
        default:
            return s;
    }
}

// The non-separable helpers of the W3C spec, on straight RGB.
struct Rgb {
    float r, g, b;
};
float lum(Rgb c) { return 0.3f * c.r + 0.59f * c.g + 0.11f * c.b; }
Rgb clipColor(Rgb c) {
    const float l = lum(c);
    const float n = std::min({c.r, c.g, c.b});
    const float x = std::max({c.r, c.g, c.b});
    if (n < 0.f) {
        const float d = l - n;
        c = {l + (c.r - l) * l / d, l + (c.g - l) * l / d, l + (c.b - l) * l / d};
    }
    if (x > 1.f) {
        const float d = x - l;
        c = {l + (c.r - l) * (1.f - l) / d, l + (c.g - l) * (1.f - l) / d,
             l + (c.b - l) * (1.f - l) / d};
    }
    return c;
}
Rgb setLum(Rgb c, float l) {
    const float d = l - lum(c);
    return clipColor({c.r + d, c.g + d, c.b + d});
}
float sat(Rgb c) { return std::max({c.r, c.g, c.b}) - std::min({c.r, c.g, c.b}); }
Rgb setSat(Rgb c, float s) {
    float* ch[3] = {&c.r, &c.g, &c.b};
    std::sort(ch, ch + 3, [](const float* a, const float* b) { return *a < *b; });
    float& mn = *ch[0];
    float& mid = *ch[1];
    float& mx = *ch[2];
    if (mx > mn) {
        mid = (mid - mn) * s / (mx - mn);
        mx = s;
    } else {
        mid = mx = 0.f;
    }
    mn = 0.f;
    return c;
}

template <BlendMode mode>
inline Rgb nonSeparable(Rgb b, Rgb s) {
    switch (mode) {
        case BlendMode::Hue:
            return setLum(setSat(s, sat(b)), lum(b));
        case BlendMode::Saturation:
            return setLum(setSat(b, sat(s)), lum(b));
        case BlendMode::Color:
            return setLum(s, lum(b));
        default:
            return setLum(b, lum(s));  // Luminosity
    }
}

}  // namespace

QString oraCompositeOp(BlendMode mode) { return QString::fromLatin1(kNames[size_t(mode)].op); }

std::optional<BlendMode> blendModeFromOra(QStringView op) {
    for (const ModeName& n : kNames)
        if (op == QLatin1String(n.op)) return n.mode;
    return std::nullopt;
}

namespace {

// One pixel with the mode fixed at compile time, so spans run without a switch per pixel.
template <BlendMode mode>
inline void blendOne(const float* src, float* dst) {
    const float as = src[3], ab = dst[3];
    if constexpr (mode == BlendMode::Plus) {
        for (int i = 0; i < 4; ++i) dst[i] = std::min(1.f, dst[i] + src[i]);
        return;
    } else if constexpr (mode == BlendMode::DestinationIn) {
        for (int i = 0; i < 4; ++i) dst[i] *= as;
    } else if constexpr (mode == BlendMode::DestinationOut) {
        for (int i = 0; i < 4; ++i) dst[i] *= 1.f - as;
    } else if constexpr (mode == BlendMode::SourceAtop) {
        for (int i = 0; i < 3; ++i) dst[i] = src[i] * ab + dst[i] * (1.f - as);
    } else if constexpr (mode == BlendMode::DestinationAtop) {
        for (int i = 0; i < 3; ++i) dst[i] = src[i] * (1.f - ab) + dst[i] * as;
        dst[3] = as;
    } else {
        if (mode == BlendMode::Normal || ab <= 0.f) {
            // With an empty backdrop every mode reduces to source-over (B's term vanishes).
            for (int i = 0; i < 4; ++i) dst[i] = src[i] + dst[i] * (1.f - as);
            return;
        }
        if (as <= 0.f) return;
        const float both = as * ab;
        float blended[3];
        if constexpr (mode >= BlendMode::Hue) {
            const Rgb b{dst[0] / ab, dst[1] / ab, dst[2] / ab};
            const Rgb s{src[0] / as, src[1] / as, src[2] / as};
            const Rgb r = nonSeparable<mode>(b, s);
            blended[0] = r.r, blended[1] = r.g, blended[2] = r.b;
        } else {
            const float ia = 1.f / ab, is = 1.f / as;
            for (int i = 0; i < 3; ++i) blended[i] = separable<mode>(dst[i] * ia, src[i] * is);
        }
        for (int i = 0; i < 3; ++i)
            dst[i] = src[i] * (1.f - ab) + dst[i] * (1.f - as) + both * blended[i];
        dst[3] = as + ab * (1.f - as);
    }
}

template <BlendMode mode>
void blendSpanOf(const float* src, float* dst, int n) {
    for (int p = 0; p < n; ++p, src += 4, dst += 4) blendOne<mode>(src, dst);
}

template <typename F>
void withMode(BlendMode mode, F&& f) {
    using B = BlendMode;
    switch (mode) {
        case B::Normal:
            return f(std::integral_constant<B, B::Normal>{});
        case B::Multiply:
            return f(std::integral_constant<B, B::Multiply>{});
        case B::Screen:
            return f(std::integral_constant<B, B::Screen>{});
        case B::Overlay:
            return f(std::integral_constant<B, B::Overlay>{});
        case B::Darken:
            return f(std::integral_constant<B, B::Darken>{});
        case B::Lighten:
            return f(std::integral_constant<B, B::Lighten>{});
        case B::ColorDodge:
            return f(std::integral_constant<B, B::ColorDodge>{});
        case B::ColorBurn:
            return f(std::integral_constant<B, B::ColorBurn>{});
        case B::HardLight:
            return f(std::integral_constant<B, B::HardLight>{});
        case B::SoftLight:
            return f(std::integral_constant<B, B::SoftLight>{});
        case B::Difference:
            return f(std::integral_constant<B, B::Difference>{});
        case B::Exclusion:
            return f(std::integral_constant<B, B::Exclusion>{});
        case B::Hue:
            return f(std::integral_constant<B, B::Hue>{});
        case B::Saturation:
            return f(std::integral_constant<B, B::Saturation>{});
        case B::Color:
            return f(std::integral_constant<B, B::Color>{});
        case B::Luminosity:
            return f(std::integral_constant<B, B::Luminosity>{});
        case B::Plus:
            return f(std::integral_constant<B, B::Plus>{});
        case B::DestinationIn:
            return f(std::integral_constant<B, B::DestinationIn>{});
        case B::DestinationOut:
            return f(std::integral_constant<B, B::DestinationOut>{});
        case B::SourceAtop:
            return f(std::integral_constant<B, B::SourceAtop>{});
        case B::DestinationAtop:
            return f(std::integral_constant<B, B::DestinationAtop>{});
    }
}

}  // namespace

void blendPixel(BlendMode mode, const float* src, float* dst) {
    withMode(mode, [&](auto m) { blendOne<decltype(m)::value>(src, dst); });
}

void blendSpan(BlendMode mode, const float* src, float* dst, int n) {
    withMode(mode, [&](auto m) { blendSpanOf<decltype(m)::value>(src, dst, n); });
}

}  // namespace atelier::document
