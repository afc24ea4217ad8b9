// Selection building: shapes, from alpha, invert, grow/shrink, feather, combining; as undo steps.
#include "app/document/document.h"
#include "app/document/selection_ops.h"

#include "test_support.h"

#include <catch2/catch.hpp>

using namespace atelier::document;
using namespace atelier::document::test;

namespace {
int at(const TileGrid& g, int x, int y) {
    uint8_t v = 0;
    g.pixel(x, y, &v);
    return v;
}
qint64 selectedPixels(const TileGrid& g, const QRect& area) {
    qint64 n = 0;
    for (int y = area.top(); y <= area.bottom(); ++y)
        for (int x = area.left(); x <= area.right(); ++x) n += at(g, x, y) >= 128;
    return n;
}
const QRect kCanvas(0, 0, 200, 200);
}  // namespace

TEST_CASE("rectangles, ellipses and polygons select their insides", "[selection]") {
    const TileGrid r = selection::rectangle(QRect(10, 20, 30, 40));
    CHECK(at(r, 10, 20) == 255);
    CHECK(at(r, 39, 59) == 255);
    CHECK(at(r, 40, 59) == 0);
    CHECK(at(r, 9, 20) == 0);
    CHECK(selectedPixels(r, kCanvas) == 30 * 40);

    const TileGrid e = selection::ellipse(QRectF(50, 50, 100, 60));
    CHECK(at(e, 100, 80) == 255);  // centre
    CHECK(at(e, 52, 52) == 0);     // bounding box corner
    // Area of the ellipse: pi * 50 * 30 = 4712, within a pixel's rim.
    CHECK(std::abs(selectedPixels(e, kCanvas) - 4712) < 160);
    // Anti-aliased: some edge pixels are partly selected.
    bool soft = false;
    for (int x = 50; x < 60; ++x) soft |= at(e, x, 80) > 0 && at(e, x, 80) < 255;
    CHECK(soft);

    const TileGrid tri =
        selection::polygon(QPolygonF({QPointF(0, 0), QPointF(100, 0), QPointF(0, 100)}), false);
    CHECK(at(tri, 10, 10) == 255);
    CHECK(at(tri, 90, 90) == 0);
    CHECK(std::abs(selectedPixels(tri, kCanvas) - 5000) < 120);
}

TEST_CASE("selecting from a layer's alpha, invert, combine", "[selection]") {
    LayerPtr l = Layer::makePaint(QStringLiteral("l"));
    fillRect(*l, QRect(5, 5, 10, 10), QColor(1, 2, 3, 200));
    const TileGrid a = selection::fromAlpha(*l);
    CHECK(at(a, 6, 6) == 200);
    CHECK(at(a, 20, 20) == 0);

    const TileGrid inv = selection::invert(a, kCanvas);
    CHECK(at(inv, 6, 6) == 55);
    CHECK(at(inv, 100, 100) == 255);
    CHECK(at(inv, 250, 10) == 0);  // outside the canvas

    const TileGrid r1 = selection::rectangle(QRect(0, 0, 10, 10));
    const TileGrid r2 = selection::rectangle(QRect(5, 0, 10, 10));
    CHECK(selectedPixels(selection::combine(r1, r2, selection::Combine::Add), kCanvas) == 150);
    CHECK(selectedPixels(selection::combine(r1, r2, selection::Combine::Intersect), kCanvas) == 50);
    CHECK(selectedPixels(selection::combine(r1, r2, selection::Combine::Subtract), kCanvas) == 50);
}

TEST_CASE("grow, shrink and feather change the edge", "[selection]") {
    const TileGrid r = selection::rectangle(QRect(50, 50, 40, 40));
    const TileGrid grown = selection::grow(r, 5, kCanvas);
    CHECK(at(grown, 46, 70) == 255);  // 4 px outside the left edge
    CHECK(at(grown, 44, 70) == 0);    // 6 px outside
    CHECK(at(grown, 46, 46) == 0);    // round corner: (4,4) is farther than 5
    const TileGrid shrunk = selection::grow(r, -5, kCanvas);
    CHECK(at(shrunk, 55, 70) == 255);
    CHECK(at(shrunk, 54, 70) == 0);
    CHECK(selectedPixels(shrunk, kCanvas) == 30 * 30);

    const TileGrid soft = selection::feather(r, 8, kCanvas);
    CHECK(at(soft, 70, 70) == 255);                // deep inside
    CHECK(std::abs(at(soft, 50, 70) - 128) < 20);  // on the edge: about half
    CHECK(at(soft, 40, 70) < 30);
    CHECK(at(soft, 40, 70) > 0);
}

TEST_CASE("selection changes are undo steps", "[selection]") {
    Document doc(QSize(200, 200));
    CHECK_FALSE(doc.hasSelection());
    doc.setSelection(selection::rectangle(QRect(0, 0, 10, 10)), true, QStringLiteral("Select"));
    CHECK(doc.hasSelection());
    doc.setSelection(selection::invert(doc.selection(), doc.bounds()), true,
                     QStringLiteral("Invert"));
    CHECK(at(doc.selection(), 5, 5) == 0);
    doc.history().undo();
    CHECK(at(doc.selection(), 5, 5) == 255);
    doc.history().undo();
    CHECK_FALSE(doc.hasSelection());
    doc.history().redo();
    CHECK(doc.hasSelection());
}
