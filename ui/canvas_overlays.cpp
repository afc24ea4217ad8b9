#include "ui/canvas_overlays.h"

#include <QPainter>
#include <QPixmap>

namespace atelier::ui {

QBrush checkerboardBrush() {
    QPixmap tile(16, 16);
    tile.fill(QColor(200, 200, 200));
    QPainter p(&tile);
    p.fillRect(0, 0, 8, 8, QColor(235, 235, 235));
    p.fillRect(8, 8, 8, 8, QColor(235, 235, 235));
    return QBrush(tile);
}

void tintByMask(QImage& image, const QImage& mask) {
    for (int y = 0; y < image.height(); ++y) {
        auto* px = reinterpret_cast<QRgb*>(image.scanLine(y));
        const uchar* m = mask.constScanLine(y);
        for (int x = 0; x < image.width(); ++x) {
            if (!m[x]) continue;
            const double a = kMaskOverlayAlpha * m[x] / 255.0;
            const QRgb d = px[x];
            px[x] = qRgba(int(255 * a + qRed(d) * (1 - a) + 0.5), int(qGreen(d) * (1 - a) + 0.5),
                          int(qBlue(d) * (1 - a) + 0.5), int(255 * a + qAlpha(d) * (1 - a) + 0.5));
        }
    }
}

// The boundary between selected (>= 128) and unselected pixels as axis-aligned segments in
// image coordinates, merged into runs: what the marching ants trace.
QVector<QLineF> selectionEdges(const QImage& mask, QPoint origin) {
    QVector<QLineF> lines;
    const int w = mask.width(), h = mask.height();
    auto on = [&](int x, int y) {
        return x >= 0 && y >= 0 && x < w && y < h && mask.constScanLine(y)[x] >= 128;
    };
    for (int y = 0; y <= h; ++y) {  // horizontal edges above row y
        int start = -1;
        for (int x = 0; x <= w; ++x) {
            const bool edge = x < w && on(x, y - 1) != on(x, y);
            if (edge && start < 0) start = x;
            if (!edge && start >= 0) {
                lines.push_back(
                    QLineF(origin.x() + start, origin.y() + y, origin.x() + x, origin.y() + y));
                start = -1;
            }
        }
    }
    for (int x = 0; x <= w; ++x) {  // vertical edges left of column x
        int start = -1;
        for (int y = 0; y <= h; ++y) {
            const bool edge = y < h && on(x - 1, y) != on(x, y);
            if (edge && start < 0) start = y;
            if (!edge && start >= 0) {
                lines.push_back(
                    QLineF(origin.x() + x, origin.y() + start, origin.x() + x, origin.y() + y));
                start = -1;
            }
        }
    }
    return lines;
}

bool sameTiles(const document::TileGrid& a, const document::TileGrid& b) {
    if (a.tileCount() != b.tileCount() || a.fill() != b.fill()) return false;
    for (const document::TileCoord& c : a.tileCoords())
        if (a.tile(c) != b.tile(c)) return false;
    return true;
}

}  // namespace atelier::ui
