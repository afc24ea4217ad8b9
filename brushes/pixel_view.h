#pragma once
// A rectangle of pixels in canvas coordinates: what a surface hands to the rasteriser. A tiled
// surface makes one view per tile; a plain buffer is one view. The view does not own its pixels.
#include <algorithm>
#include <cstddef>
#include <cstdint>

namespace atelier::brushes {

enum class PixelFormat {
    Rgba8Premultiplied,   // 4 x uint8 per pixel, R G B A, colour premultiplied by alpha
    Rgba16Premultiplied,  // 4 x uint16 (native endian) per pixel, R G B A, premultiplied
    Grey8,                // 1 x uint8: masks and selections (0 = nothing, 255 = full)
};

constexpr int bytesPerPixel(PixelFormat format) {
    switch (format) {
        case PixelFormat::Rgba8Premultiplied:
            return 4;
        case PixelFormat::Rgba16Premultiplied:
            return 8;
        case PixelFormat::Grey8:
            return 1;
    }
    return 0;
}

const char* pixelFormatName(PixelFormat format);

// A half-open rectangle of whole pixels: [x, x + width) x [y, y + height).
struct PixelRect {
    int x = 0;
    int y = 0;
    int width = 0;
    int height = 0;

    bool empty() const { return width <= 0 || height <= 0; }
    int right() const { return x + width; }    // one past the last column
    int bottom() const { return y + height; }  // one past the last row

    PixelRect intersected(const PixelRect& o) const {
        const int x0 = std::max(x, o.x), y0 = std::max(y, o.y);
        const int x1 = std::min(right(), o.right()), y1 = std::min(bottom(), o.bottom());
        if (x1 <= x0 || y1 <= y0) return {};
        return {x0, y0, x1 - x0, y1 - y0};
    }
    PixelRect united(const PixelRect& o) const {
        if (empty()) return o;
        if (o.empty()) return *this;
        const int x0 = std::min(x, o.x), y0 = std::min(y, o.y);
        const int x1 = std::max(right(), o.right()), y1 = std::max(bottom(), o.bottom());
        return {x0, y0, x1 - x0, y1 - y0};
    }
    bool operator==(const PixelRect& o) const {
        return x == o.x && y == o.y && width == o.width && height == o.height;
    }
};

struct PixelView {
    std::uint8_t* data = nullptr;  // the pixel at canvas (rect.x, rect.y)
    PixelFormat format = PixelFormat::Rgba8Premultiplied;
    PixelRect rect;                  // where these pixels lie on the canvas
    std::ptrdiff_t strideBytes = 0;  // from one row to the next

    std::uint8_t* row(int canvasY) const { return data + (canvasY - rect.y) * strideBytes; }
    std::uint8_t* pixel(int canvasX, int canvasY) const {
        return row(canvasY) + (canvasX - rect.x) * bytesPerPixel(format);
    }
};

}  // namespace atelier::brushes
