#pragma once
// A pixel-edit transaction: one brush stroke (or fill, or pasted result) on one channel.
// A tiled brush surface asks for writable tiles as its dabs reach them; the first request for a
// tile records the tile as it was. commit() clips the change to the selection, keeps alpha on
// alpha-locked layers, and records one undo step holding only the touched tiles' old and new
// shared pointers. Destroying an uncommitted edit puts the old tiles back.
#include "app/document/document.h"

#include <QHash>
#include <QSet>

#include <functional>

namespace atelier::document {

class PixelEdit {
public:
    PixelEdit(Document& document, ChannelRef target, QString text);
    ~PixelEdit();
    PixelEdit(const PixelEdit&) = delete;
    PixelEdit& operator=(const PixelEdit&) = delete;

    // The pixels of tile c, private to this edit (copy-on-write detached). Rows of
    // kTileSize * channels() bytes; premultiplied RGBA for layer pixels, grey for masks.
    Tile* writableTile(TileCoord c);
    // Calls paint once for each tile the pixel area touches, with the writable tile and the
    // pixel position of its top-left corner: the shape a tiled brush surface needs (a dab
    // rasteriser run per 64 x 64 tile, as libmypaint and Krita do).
    void paintTiles(const QRect& area, const std::function<void(Tile& tile, QPoint origin)>& paint);
    // Convenience for tools and tests: the tile of pixel (x, y) and its offset in bytes.
    uint8_t* writablePixel(int x, int y);
    int channels() const { return grid_->channels(); }
    const TileGrid& grid() const { return *grid_; }
    const ChannelRef& target() const { return target_; }
    // The tiles as they were before this edit touched them (null: no tile).
    const QHash<TileCoord, TilePtr>& originalTiles() const { return before_; }
    // Tiles written so far (dirty in the composite once committed or previewed).
    QVector<TileCoord> touchedTiles() const;
    // Marks the tiles written since the last preview dirty, so the canvas can show the stroke
    // while it is painted (only those tiles are recomposited, not the whole stroke so far).
    void preview();

    // Records the step; false if nothing changed (then no step is recorded).
    bool commit();
    void cancel();

private:
    Document& doc_;
    ChannelRef target_;
    QString text_;
    TileGrid* grid_;
    QHash<TileCoord, TilePtr> before_;  // null: no tile there before
    QSet<TileCoord> sincePreview_;
    bool done_ = false;
};

}  // namespace atelier::document
