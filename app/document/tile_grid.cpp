#include "app/document/tile_grid.h"

#include <algorithm>
#include <cstring>

namespace atelier::document {

int floorDiv(int a, int b) {
    const int q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

QVector<TileCoord> tilesCovering(const QRect& pixels) {
    QVector<TileCoord> out;
    if (pixels.isEmpty()) return out;
    const int x0 = floorDiv(pixels.left(), kTileSize), x1 = floorDiv(pixels.right(), kTileSize);
    const int y0 = floorDiv(pixels.top(), kTileSize), y1 = floorDiv(pixels.bottom(), kTileSize);
    out.reserve((x1 - x0 + 1) * (y1 - y0 + 1));
    for (int ty = y0; ty <= y1; ++ty)
        for (int tx = x0; tx <= x1; ++tx) out.push_back({tx, ty});
    return out;
}

Tile::Tile(int channelCount, uint8_t fill)
    : channels(channelCount), bytes(size_t(kTileSize) * kTileSize * channelCount, fill) {}

TileGrid::TileGrid(int channels, uint8_t fill) : channels_(channels), fill_(fill) {}

Tile* TileGrid::writableTile(TileCoord c) {
    auto it = tiles_.find(c);
    if (it == tiles_.end()) {
        auto fresh = std::make_shared<Tile>(channels_, fill_);
        Tile* raw = fresh.get();
        tiles_.insert(c, std::move(fresh));
        return raw;
    }
    if (it.value().use_count() > 1) {
        // Shared with an undo step or another grid: detach before writing.
        it.value() = std::make_shared<Tile>(*it.value());
    }
    return const_cast<Tile*>(it.value().get());
}

void TileGrid::setTile(TileCoord c, TilePtr tile) {
    if (tile)
        tiles_.insert(c, std::move(tile));
    else
        tiles_.remove(c);
}

QVector<TileCoord> TileGrid::tileCoords() const {
    QVector<TileCoord> out;
    out.reserve(int(tiles_.size()));
    for (auto it = tiles_.cbegin(); it != tiles_.cend(); ++it) out.push_back(it.key());
    return out;
}

QRect TileGrid::tileBounds() const {
    QRect r;
    for (auto it = tiles_.cbegin(); it != tiles_.cend(); ++it) r |= it.key().pixelRect();
    return r;
}

bool TileGrid::tileIsFill(const Tile& t) const {
    return std::all_of(t.bytes.begin(), t.bytes.end(), [&](uint8_t b) { return b == fill_; });
}

QRect TileGrid::contentBounds() const {
    QRect r;
    for (auto it = tiles_.cbegin(); it != tiles_.cend(); ++it) {
        const Tile& t = *it.value();
        const QRect tr = it.key().pixelRect();
        if (tr.united(r) == r) continue;  // cannot grow the bounds
        int minX = kTileSize, minY = kTileSize, maxX = -1, maxY = -1;
        for (int y = 0; y < kTileSize; ++y) {
            const uint8_t* row = t.row(y);
            for (int x = 0; x < kTileSize; ++x) {
                const uint8_t* p = row + x * channels_;
                bool differs = false;
                for (int ch = 0; ch < channels_; ++ch) differs |= p[ch] != fill_;
                if (!differs) continue;
                minX = std::min(minX, x), maxX = std::max(maxX, x);
                minY = std::min(minY, y), maxY = std::max(maxY, y);
            }
        }
        if (maxX >= 0) r |= QRect(tr.x() + minX, tr.y() + minY, maxX - minX + 1, maxY - minY + 1);
    }
    return r;
}

qint64 TileGrid::bytesUsed() const {
    qint64 total = 0;
    for (auto it = tiles_.cbegin(); it != tiles_.cend(); ++it)
        total += qint64(it.value()->byteSize());
    return total;
}

void TileGrid::pixel(int x, int y, uint8_t* out) const {
    const TileCoord c{floorDiv(x, kTileSize), floorDiv(y, kTileSize)};
    const TilePtr t = tile(c);
    if (!t) {
        std::memset(out, fill_, size_t(channels_));
        return;
    }
    const int lx = x - c.x * kTileSize, ly = y - c.y * kTileSize;
    std::memcpy(out, t->row(ly) + lx * channels_, size_t(channels_));
}

QImage TileGrid::toImage(const QRect& area) const {
    const QImage::Format format =
        channels_ == 4 ? QImage::Format_RGBA8888_Premultiplied : QImage::Format_Grayscale8;
    QImage image(area.size(), format);
    if (image.isNull()) return image;
    std::memset(image.bits(), fill_, size_t(image.sizeInBytes()));
    for (const TileCoord& c : tilesCovering(area)) {
        const TilePtr t = tile(c);
        if (!t) continue;
        const QRect part = c.pixelRect() & area;
        for (int y = part.top(); y <= part.bottom(); ++y) {
            const uint8_t* src =
                t->row(y - c.y * kTileSize) + (part.left() - c.x * kTileSize) * channels_;
            uint8_t* dst = image.scanLine(y - area.top()) + (part.left() - area.left()) * channels_;
            std::memcpy(dst, src, size_t(part.width()) * channels_);
        }
    }
    return image;
}

void TileGrid::writeImage(const QImage& source, QPoint topLeft) {
    const QImage::Format format =
        channels_ == 4 ? QImage::Format_RGBA8888_Premultiplied : QImage::Format_Grayscale8;
    const QImage image = source.format() == format ? source : source.convertToFormat(format);
    const QRect area(topLeft, image.size());
    for (const TileCoord& c : tilesCovering(area)) {
        const QRect part = c.pixelRect() & area;
        Tile* t = writableTile(c);
        for (int y = part.top(); y <= part.bottom(); ++y) {
            const uint8_t* src =
                image.constScanLine(y - area.top()) + (part.left() - area.left()) * channels_;
            uint8_t* dst =
                t->row(y - c.y * kTileSize) + (part.left() - c.x * kTileSize) * channels_;
            std::memcpy(dst, src, size_t(part.width()) * channels_);
        }
        if (tileIsFill(*t)) tiles_.remove(c);
    }
}

void TileGrid::dropFillTiles() {
    for (auto it = tiles_.begin(); it != tiles_.end();) {
        if (tileIsFill(*it.value()))
            it = tiles_.erase(it);
        else
            ++it;
    }
}

}  // namespace atelier::document
