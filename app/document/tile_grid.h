#pragma once
// A sparse, unbounded grid of 64x64 tiles with implicit sharing (copy-on-write).
// A missing tile reads as the grid's fill value (transparent for layers) and costs nothing.
// Copying a grid copies only the tile table, so undo can keep the old tiles of a change and the
// layer keeps the new ones, sharing everything the change did not touch (as Krita's tiles3 does).
#include <QHash>
#include <QImage>
#include <QRect>
#include <QVector>

#include <cstdint>
#include <memory>
#include <vector>

namespace atelier::document {

constexpr int kTileSize = 64;

struct TileCoord {
    int x = 0;  // in tiles: pixel x = x * kTileSize
    int y = 0;
    bool operator==(const TileCoord& o) const { return x == o.x && y == o.y; }
    bool operator!=(const TileCoord& o) const { return !(*this == o); }
    QRect pixelRect() const { return {x * kTileSize, y * kTileSize, kTileSize, kTileSize}; }
};

inline size_t qHash(const TileCoord& c, size_t seed = 0) {
    return ::qHash((quint64(quint32(c.x)) << 32) | quint32(c.y), seed);
}

// The tiles a pixel rectangle touches (floor division, so negative coordinates work).
QVector<TileCoord> tilesCovering(const QRect& pixels);
int floorDiv(int a, int b);

// One tile's pixels: kTileSize rows of kTileSize * channels bytes. For 4 channels the bytes are
// premultiplied R, G, B, A (QImage::Format_RGBA8888_Premultiplied order).
struct Tile {
    explicit Tile(int channels, uint8_t fill = 0);
    int channels;
    std::vector<uint8_t> bytes;
    uint8_t* row(int y) { return bytes.data() + size_t(y) * kTileSize * channels; }
    const uint8_t* row(int y) const { return bytes.data() + size_t(y) * kTileSize * channels; }
    int stride() const { return kTileSize * channels; }
    size_t byteSize() const { return bytes.size(); }
};
using TilePtr = std::shared_ptr<const Tile>;

class TileGrid {
public:
    // channels: 4 (premultiplied RGBA) or 1 (grey: masks, selection). fill: what a missing tile
    // reads as, per channel byte (0 = transparent / unselected; 255 for a layer mask = reveal all).
    explicit TileGrid(int channels = 4, uint8_t fill = 0);

    int channels() const { return channels_; }
    uint8_t fill() const { return fill_; }

    // The shared tile at c, or null where none is stored (reads as fill).
    TilePtr tile(TileCoord c) const { return tiles_.value(c); }
    // A tile private to this grid, created (filled) or detached from its sharers first.
    // The pointer stays valid until the grid's tile at c is replaced or the grid is destroyed.
    Tile* writableTile(TileCoord c);
    // Replaces or (null) removes the tile at c; used by undo to put old tiles back.
    void setTile(TileCoord c, TilePtr tile);
    void clear() { tiles_.clear(); }
    bool isEmpty() const { return tiles_.isEmpty(); }

    QVector<TileCoord> tileCoords() const;
    int tileCount() const { return int(tiles_.size()); }
    // Union of the stored tiles' pixel rectangles (not the tight content bounds).
    QRect tileBounds() const;
    // Tight bounds of the pixels that differ from fill.
    QRect contentBounds() const;
    // Bytes of the tiles this grid stores (shared tiles counted in full).
    qint64 bytesUsed() const;

    // Reads one pixel's channels into out (channels() bytes).
    void pixel(int x, int y, uint8_t* out) const;

    // Copies pixels in and out. Images are converted: 4 channels <-> Format_RGBA8888_Premultiplied,
    // 1 channel <-> Format_Grayscale8. Writing drops tiles that end up equal to fill.
    QImage toImage(const QRect& area) const;
    void writeImage(const QImage& image, QPoint topLeft);
    // Drops stored tiles that equal fill everywhere (after edits that erase).
    void dropFillTiles();
    bool tileIsFill(const Tile& t) const;

private:
    int channels_;
    uint8_t fill_;
    QHash<TileCoord, TilePtr> tiles_;
};

}  // namespace atelier::document
