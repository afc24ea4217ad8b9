#pragma once
// A Surface over one plain, owned pixel buffer: for tests, benchmarks and small previews (brush
// preset thumbnails). The document's tiled surface does the same per tile.
#include <cstdint>
#include <vector>

#include "brushes/pixel_view.h"
#include "brushes/surface.h"

namespace atelier::brushes {

class PixelBufferSurface : public Surface {
public:
    // A transparent (all zero) buffer covering canvas [0, width) x [0, height).
    PixelBufferSurface(int width, int height, PixelFormat format);

    void drawDab(const Dab& dab) override;
    ColorF sampleColor(float x, float y, float radius) override;
    void beginAtomic() override;
    void endAtomic() override;

    // Sets every pixel to `color` (straight RGBA, premultiplied and rounded here; grey views take
    // the colour's alpha as their value).
    void fill(const ColorF& color);

    PixelView view();
    int width() const { return width_; }
    int height() const { return height_; }
    PixelFormat format() const { return format_; }
    std::vector<std::uint8_t>& bytes() { return bytes_; }
    const std::vector<std::uint8_t>& bytes() const { return bytes_; }

    // Pixels changed since the last takeDirty(), and the dabs drawn and atomic groups closed.
    PixelRect takeDirty();
    int dabsDrawn() const { return dabsDrawn_; }
    int atomicGroups() const { return atomicGroups_; }

private:
    int width_;
    int height_;
    PixelFormat format_;
    std::vector<std::uint8_t> bytes_;
    PixelRect dirty_;
    int dabsDrawn_ = 0;
    int atomicGroups_ = 0;
    bool inAtomic_ = false;
};

}  // namespace atelier::brushes
