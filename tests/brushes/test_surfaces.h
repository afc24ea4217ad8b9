#pragma once
// Surfaces for the brush tests: one that records dabs, and a tiled one that works the way the
// document's does (separate 64x64 tiles, renderDab() once per tile a dab touches).
#include <cstdint>
#include <map>
#include <utility>
#include <vector>

#include "brushes/dab_renderer.h"
#include "brushes/surface.h"

namespace atelier::brushes::test {

class RecordingSurface : public Surface {
public:
    void drawDab(const Dab& dab) override { dabs.push_back(dab); }
    ColorF sampleColor(float, float, float) override { return {}; }
    void beginAtomic() override { ++begins; }
    void endAtomic() override { ++ends; }

    std::vector<Dab> dabs;
    int begins = 0;
    int ends = 0;
};

class TiledSurface : public Surface {
public:
    static constexpr int kTile = 64;
    explicit TiledSurface(PixelFormat format) : format_(format) {}

    void drawDab(const Dab& dab) override {
        const PixelRect b = dabBounds(dab);
        if (b.empty()) return;
        for (int ty = floorDiv(b.y); ty <= floorDiv(b.bottom() - 1); ++ty) {
            for (int tx = floorDiv(b.x); tx <= floorDiv(b.right() - 1); ++tx) {
                renderDab(dab, tileView(tx, ty));
            }
        }
    }
    ColorF sampleColor(float x, float y, float radius) override {
        ColorAccumulator acc(x, y, radius);
        const PixelRect b = acc.bounds();
        for (int ty = floorDiv(b.y); ty <= floorDiv(b.bottom() - 1); ++ty) {
            for (int tx = floorDiv(b.x); tx <= floorDiv(b.right() - 1); ++tx)
                acc.add(tileView(tx, ty));
        }
        return acc.average();
    }

    // Copies tiles into `view` (tiles never painted read as zero).
    void copyTo(const PixelView& view) {
        const int bpp = bytesPerPixel(format_);
        for (int y = view.rect.y; y < view.rect.bottom(); ++y) {
            for (int x = view.rect.x; x < view.rect.right(); ++x) {
                const PixelView t = tileView(floorDiv(x), floorDiv(y));
                const std::uint8_t* src = t.pixel(x, y);
                std::copy(src, src + bpp, view.pixel(x, y));
            }
        }
    }
    // Copies `view` into the tiles (for a starting canvas that is not empty).
    void copyFrom(const PixelView& view) {
        const int bpp = bytesPerPixel(format_);
        for (int y = view.rect.y; y < view.rect.bottom(); ++y) {
            for (int x = view.rect.x; x < view.rect.right(); ++x) {
                const PixelView t = tileView(floorDiv(x), floorDiv(y));
                const std::uint8_t* src = view.pixel(x, y);
                std::copy(src, src + bpp, t.pixel(x, y));
            }
        }
    }
    std::size_t tileCount() const { return tiles_.size(); }

private:
    static int floorDiv(int v) { return v >= 0 ? v / kTile : -((-v + kTile - 1) / kTile); }
    PixelView tileView(int tx, int ty) {
        auto& tile = tiles_[{tx, ty}];
        const int bpp = bytesPerPixel(format_);
        if (tile.empty()) tile.assign(kTile * kTile * bpp, 0);
        return {tile.data(), format_, {tx * kTile, ty * kTile, kTile, kTile}, kTile * bpp};
    }

    PixelFormat format_;
    std::map<std::pair<int, int>, std::vector<std::uint8_t>> tiles_;
};

}  // namespace atelier::brushes::test
