#include "brushes/pixel_buffer_surface.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <stdexcept>
#include <string>

#include "brushes/dab_renderer.h"

namespace atelier::brushes {

PixelBufferSurface::PixelBufferSurface(int width, int height, PixelFormat format)
    : width_(width), height_(height), format_(format) {
    if (width < 0 || height < 0 || (width > 0 && height > (1 << 30) / width)) {
        throw std::invalid_argument("PixelBufferSurface: bad size " + std::to_string(width) + "x" +
                                    std::to_string(height));
    }
    bytes_.assign(std::size_t(width) * height * bytesPerPixel(format), 0);
}

PixelView PixelBufferSurface::view() {
    PixelView v;
    v.data = bytes_.data();
    v.format = format_;
    v.rect = {0, 0, width_, height_};
    v.strideBytes = std::ptrdiff_t(width_) * bytesPerPixel(format_);
    return v;
}

void PixelBufferSurface::drawDab(const Dab& dab) {
    const PixelView v = view();
    renderDab(dab, v);
    dirty_ = dirty_.united(dabBounds(dab).intersected(v.rect));
    ++dabsDrawn_;
}

ColorF PixelBufferSurface::sampleColor(float x, float y, float radius) {
    ColorAccumulator acc(x, y, radius);
    acc.add(view());
    return acc.average();
}

void PixelBufferSurface::beginAtomic() {
    if (inAtomic_) throw std::logic_error("PixelBufferSurface: nested beginAtomic()");
    inAtomic_ = true;
}

void PixelBufferSurface::endAtomic() {
    if (!inAtomic_) throw std::logic_error("PixelBufferSurface: endAtomic() without beginAtomic()");
    inAtomic_ = false;
    ++atomicGroups_;
}

void PixelBufferSurface::fill(const ColorF& color) {
    auto level = [](float v, float max) { return std::lround(std::clamp(v, 0.0f, 1.0f) * max); };
    const float a = std::clamp(color.a, 0.0f, 1.0f);
    const std::size_t n = std::size_t(width_) * height_;
    switch (format_) {
        case PixelFormat::Rgba8Premultiplied: {
            const std::uint8_t p[4] = {
                std::uint8_t(level(color.r * a, 255)), std::uint8_t(level(color.g * a, 255)),
                std::uint8_t(level(color.b * a, 255)), std::uint8_t(level(a, 255))};
            for (std::size_t i = 0; i < n; ++i) std::memcpy(&bytes_[i * 4], p, 4);
            break;
        }
        case PixelFormat::Rgba16Premultiplied: {
            const std::uint16_t p[4] = {
                std::uint16_t(level(color.r * a, 65535)), std::uint16_t(level(color.g * a, 65535)),
                std::uint16_t(level(color.b * a, 65535)), std::uint16_t(level(a, 65535))};
            for (std::size_t i = 0; i < n; ++i) std::memcpy(&bytes_[i * 8], p, 8);
            break;
        }
        case PixelFormat::Grey8:
            std::fill(bytes_.begin(), bytes_.end(), std::uint8_t(level(a, 255)));
            break;
    }
    dirty_ = {0, 0, width_, height_};
}

PixelRect PixelBufferSurface::takeDirty() {
    const PixelRect d = dirty_;
    dirty_ = {};
    return d;
}

}  // namespace atelier::brushes
