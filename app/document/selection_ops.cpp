#include "app/document/selection_ops.h"

#include "app/document/compositor.h"

#include <QImage>
#include <QPainter>
#include <QPainterPath>

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>

namespace atelier::document::selection {
namespace {

// Paints a shape white on transparent and keeps its coverage as grey.
TileGrid fromShape(const QPainterPath& path, bool antialias) {
    TileGrid out(1, 0);
    const QRect area = path.boundingRect().toAlignedRect().adjusted(-1, -1, 1, 1);
    if (area.isEmpty() || qint64(area.width()) * area.height() > (qint64(1) << 30)) return out;
    QImage canvas(area.size(), QImage::Format_Alpha8);
    canvas.fill(0);
    QPainter p(&canvas);
    p.setRenderHint(QPainter::Antialiasing, antialias);
    p.translate(-area.topLeft());
    p.fillPath(path, Qt::black);
    p.end();
    // Alpha8 and Grayscale8 share one byte per pixel.
    QImage grey(canvas.constBits(), canvas.width(), canvas.height(), canvas.bytesPerLine(),
                QImage::Format_Grayscale8);
    out.writeImage(grey.copy(), area.topLeft());
    return out;
}

cv::Mat toMat(const TileGrid& s, const QRect& area) {
    const QImage img = s.toImage(area);
    cv::Mat m(area.height(), area.width(), CV_8UC1);
    for (int y = 0; y < area.height(); ++y)
        std::copy_n(img.constScanLine(y), area.width(), m.ptr<uint8_t>(y));
    return m;
}

TileGrid fromMat(const cv::Mat& m, QPoint at) {
    QImage img(m.cols, m.rows, QImage::Format_Grayscale8);
    for (int y = 0; y < m.rows; ++y) std::copy_n(m.ptr<uint8_t>(y), m.cols, img.scanLine(y));
    TileGrid out(1, 0);
    out.writeImage(img, at);
    return out;
}

}  // namespace

TileGrid rectangle(const QRect& r) {
    TileGrid out(1, 0);
    if (r.isEmpty()) return out;
    QImage img(r.size(), QImage::Format_Grayscale8);
    img.fill(255);
    out.writeImage(img, r.topLeft());
    return out;
}

TileGrid ellipse(const QRectF& bounds, bool antialias) {
    QPainterPath path;
    path.addEllipse(bounds);
    return fromShape(path, antialias);
}

TileGrid polygon(const QPolygonF& points, bool antialias) {
    QPainterPath path;
    path.addPolygon(points);
    path.closeSubpath();
    path.setFillRule(Qt::OddEvenFill);
    return fromShape(path, antialias);
}

TileGrid fromAlpha(const Layer& layer) {
    TileGrid out(1, 0);
    for (const TileCoord& c : layer.contentTiles()) {
        TilePtr t;
        if (layer.isGroup()) {
            std::vector<float> px(size_t(kTilePixels) * 4, 0.f);
            renderChildren(layer, c, px.data());
            auto tile = std::make_shared<Tile>(4, 0);
            floatToTile(px.data(), *tile);
            t = tile;
        } else {
            t = layer.pixels.tile(c);
        }
        if (!t) continue;
        const TilePtr m = layer.mask ? layer.mask->tile(c) : nullptr;
        const int maskFill = layer.mask ? layer.mask->fill() : 255;
        Tile* dst = out.writableTile(c);
        for (int p = 0; p < kTilePixels; ++p) {
            const int mv = m ? m->bytes[size_t(p)] : maskFill;
            dst->bytes[size_t(p)] = uint8_t((t->bytes[size_t(p) * 4 + 3] * mv + 127) / 255);
        }
    }
    out.dropFillTiles();
    return out;
}

TileGrid invert(const TileGrid& s, const QRect& canvas) {
    TileGrid out(1, 0);
    for (const TileCoord& c : tilesCovering(canvas)) {
        const TilePtr t = s.tile(c);
        const QRect part = c.pixelRect() & canvas;
        Tile* dst = out.writableTile(c);
        for (int y = part.top(); y <= part.bottom(); ++y) {
            const int ly = y - c.y * kTileSize;
            for (int x = part.left(); x <= part.right(); ++x) {
                const int lx = x - c.x * kTileSize;
                const uint8_t v = t ? t->row(ly)[lx] : s.fill();
                dst->row(ly)[lx] = uint8_t(255 - v);
            }
        }
    }
    out.dropFillTiles();
    return out;
}

TileGrid grow(const TileGrid& s, int radius, const QRect& canvas) {
    if (radius == 0 || s.isEmpty()) return s;
    const int r = std::abs(radius);
    // Outside the canvas counts as unselected: a selection touching the edge shrinks from it.
    const QRect area = s.contentBounds().adjusted(-r, -r, r, r) & canvas;
    if (area.isEmpty()) return TileGrid(1, 0);
    const cv::Mat in = toMat(s, area);
    cv::Mat outMat;
    const cv::Mat kernel =
        cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(2 * r + 1, 2 * r + 1));
    if (radius > 0)
        cv::dilate(in, outMat, kernel);
    else
        cv::erode(in, outMat, kernel, cv::Point(-1, -1), 1, cv::BORDER_CONSTANT, cv::Scalar(0));
    return fromMat(outMat, area.topLeft());
}

TileGrid feather(const TileGrid& s, double radius, const QRect& canvas) {
    if (radius <= 0 || s.isEmpty()) return s;
    const double sigma = radius / 2.0;
    const int pad = int(std::ceil(3 * sigma)) + 1;
    const QRect area = s.contentBounds().adjusted(-pad, -pad, pad, pad) & canvas;
    if (area.isEmpty()) return TileGrid(1, 0);
    const cv::Mat in = toMat(s, area);
    cv::Mat outMat;
    cv::GaussianBlur(in, outMat, cv::Size(0, 0), sigma, sigma, cv::BORDER_CONSTANT);
    return fromMat(outMat, area.topLeft());
}

TileGrid combine(const TileGrid& a, const TileGrid& b, Combine mode) {
    if (mode == Combine::Replace) return b;
    TileGrid out(1, 0);
    QVector<TileCoord> coords = a.tileCoords();
    for (const TileCoord& c : b.tileCoords())
        if (!a.tile(c)) coords.push_back(c);
    for (const TileCoord& c : coords) {
        const TilePtr ta = a.tile(c), tb = b.tile(c);
        Tile* dst = out.writableTile(c);
        for (int p = 0; p < kTilePixels; ++p) {
            const int va = ta ? ta->bytes[size_t(p)] : a.fill();
            const int vb = tb ? tb->bytes[size_t(p)] : b.fill();
            int v = 0;
            switch (mode) {
                case Combine::Add:
                    v = std::max(va, vb);
                    break;
                case Combine::Subtract:
                    v = (va * (255 - vb) + 127) / 255;
                    break;
                default:
                    v = std::min(va, vb);
                    break;
            }
            dst->bytes[size_t(p)] = uint8_t(v);
        }
    }
    out.dropFillTiles();
    return out;
}

}  // namespace atelier::document::selection
