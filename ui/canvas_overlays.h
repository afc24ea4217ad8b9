#pragma once
// What the canvas draws besides the artwork, as pure functions of images: the checkerboard
// behind transparency, the inpaint mask's red tint, the selection's outline.
#include "app/document/tile_grid.h"

#include <QBrush>
#include <QImage>
#include <QLineF>
#include <QVector>

namespace atelier::ui {

inline constexpr double kMaskOverlayAlpha = 0.5;  // the inpaint mask's red at full mask value

QBrush checkerboardBrush();
// Tints premultiplied ARGB32 pixels red by the mask value (Format_Grayscale8, same size).
void tintByMask(QImage& image, const QImage& mask);
// The boundary between selected (>= 128) and unselected pixels as axis-aligned segments in
// image coordinates, merged into runs: what the marching ants trace.
QVector<QLineF> selectionEdges(const QImage& mask, QPoint origin);
// The same tiles (shared pointers), so the same pixels: copies of a grid share its tiles.
bool sameTiles(const document::TileGrid& a, const document::TileGrid& b);

}  // namespace atelier::ui
