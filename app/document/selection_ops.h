#pragma once
// Building selections: 8-bit grey tiled channels (255 = selected, soft edges allowed). Each
// function returns a new grid; Document::setSelection() makes it one undo step.
#include "app/document/layer.h"
#include "app/document/tile_grid.h"

#include <QPolygonF>
#include <QRect>
#include <QRectF>

namespace atelier::document::selection {

enum class Combine { Replace, Add, Subtract, Intersect };

TileGrid rectangle(const QRect& r);
// Anti-aliased edges unless antialias is false.
TileGrid ellipse(const QRectF& bounds, bool antialias = true);
// A closed polygon (the lasso is a polygon of the pointer's path); odd-even fill.
TileGrid polygon(const QPolygonF& points, bool antialias = true);
// The layer's alpha (a group: its children's alpha as composited), times its mask.
TileGrid fromAlpha(const Layer& layer);
// 255 - s over the canvas (what lies outside the canvas stays unselected).
TileGrid invert(const TileGrid& s, const QRect& canvas);
// Grows (radius > 0) or shrinks (radius < 0) by |radius| pixels with a round brush.
TileGrid grow(const TileGrid& s, int radius, const QRect& canvas);
// Softens the edge with a Gaussian of the given radius (about 2 sigma).
TileGrid feather(const TileGrid& s, double radius, const QRect& canvas);
// Combines b into a (add = max, subtract = a * (1 - b), intersect = min).
TileGrid combine(const TileGrid& a, const TileGrid& b, Combine mode);

}  // namespace atelier::document::selection
