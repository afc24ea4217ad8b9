#include "app/document/brush_surface.h"

#include "brushes/dab_renderer.h"

namespace atelier::document {
namespace {

brushes::PixelView viewOf(Tile& tile, TileCoord c, brushes::PixelFormat format) {
    return {tile.bytes.data(),
            format,
            {c.x * kTileSize, c.y * kTileSize, kTileSize, kTileSize},
            tile.stride()};
}

// A missing tile reads as the grid's fill; a dab that cannot change that value must not create
// the tile (the stroke would leave empty tiles, and the undo step would hold them).
bool dabCanChangeFill(brushes::DabMode mode, int channels, uint8_t fill) {
    if (fill == 0) return mode == brushes::DabMode::Paint;  // nothing to erase or recolour
    if (channels == 1 && fill == 255) return mode == brushes::DabMode::Erase;  // already full
    return true;
}

}  // namespace

BrushSurface::BrushSurface(PixelEdit& edit)
    : edit_(edit),
      format_(edit.channels() == 1 ? brushes::PixelFormat::Grey8
                                   : brushes::PixelFormat::Rgba8Premultiplied) {}

void BrushSurface::drawDab(const brushes::Dab& dab) {
    const brushes::PixelRect b = brushes::dabBounds(dab);
    if (b.empty()) return;
    const QRect area(b.x, b.y, b.width, b.height);
    const bool createMissing = dabCanChangeFill(dab.mode, edit_.channels(), edit_.grid().fill());
    for (const TileCoord& c : tilesCovering(area)) {
        if (!createMissing && !edit_.grid().tile(c)) continue;
        Tile* tile = edit_.writableTile(c);
        brushes::renderDab(dab, viewOf(*tile, c, format_));
    }
    painted_ |= area;
}

brushes::ColorF BrushSurface::sampleColor(float x, float y, float radius) {
    brushes::ColorAccumulator acc(x, y, radius);
    const brushes::PixelRect b = acc.bounds();
    if (b.empty()) return {0, 0, 0, 0};
    const TileGrid& grid = edit_.grid();
    Tile fillTile(grid.channels(), grid.fill());  // a missing tile still counts, as its fill
    for (const TileCoord& c : tilesCovering(QRect(b.x, b.y, b.width, b.height))) {
        const TilePtr tile = grid.tile(c);
        // The accumulator only reads the view.
        acc.add(viewOf(tile ? const_cast<Tile&>(*tile) : fillTile, c, format_));
    }
    return acc.average();
}

void BrushSurface::endAtomic() { edit_.preview(); }

}  // namespace atelier::document
