#pragma once
// Renders one tile of a layer tree: the projection, computed in premultiplied float and stored
// as 8-bit premultiplied RGBA. Groups are isolated (their children blend with each other, then
// the result blends with what is below) unless pass-through.
#include "app/document/layer.h"
#include "app/document/tile_grid.h"

namespace atelier::document {

constexpr int kTilePixels = kTileSize * kTileSize;

// Composites the visible children of `group` at tile c onto out (kTilePixels * 4 floats,
// premultiplied, the backdrop). The group's own opacity, mode and mask are not applied.
void renderChildren(const Layer& group, TileCoord c, float* out);

// The flattened tile of the whole tree under root over a transparent backdrop, or null where
// it is fully transparent.
TilePtr renderTile(const Layer& root, TileCoord c);

// 8-bit premultiplied <-> float conversions used by rendering and tests.
void tileToFloat(const Tile& tile, float* out);
void floatToTile(const float* in, Tile& tile);

}  // namespace atelier::document
