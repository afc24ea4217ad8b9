#include "app/document/tile_grid.h"

#include "test_support.h"

#include <catch2/catch.hpp>

using namespace atelier::document;

TEST_CASE("missing tiles read as the fill value and cost nothing", "[tiles]") {
    TileGrid grid(4);
    CHECK(grid.bytesUsed() == 0);
    uint8_t px[4] = {9, 9, 9, 9};
    grid.pixel(-1000000, 123456, px);
    CHECK(px[0] == 0);
    CHECK(px[3] == 0);
    TileGrid mask(1, 255);
    uint8_t m = 0;
    mask.pixel(5, 5, &m);
    CHECK(m == 255);
    CHECK(mask.bytesUsed() == 0);
}

TEST_CASE("tile coordinates floor for negative pixels", "[tiles]") {
    CHECK(floorDiv(-1, 64) == -1);
    CHECK(floorDiv(-64, 64) == -1);
    CHECK(floorDiv(-65, 64) == -2);
    CHECK(floorDiv(63, 64) == 0);
    const QVector<TileCoord> t = tilesCovering(QRect(-1, -1, 2, 2));
    CHECK(t.size() == 4);
    CHECK(tilesCovering(QRect(0, 0, 64, 64)).size() == 1);
    CHECK(tilesCovering(QRect(10, 10, 256, 256)).size() == 25);
}

TEST_CASE("copying a grid shares tiles until one side writes", "[tiles]") {
    TileGrid a(4);
    a.writableTile({0, 0})->bytes[0] = 7;
    a.writableTile({1, 0})->bytes[0] = 8;
    TileGrid b = a;
    CHECK(b.tile({0, 0}) == a.tile({0, 0}));  // the same memory
    b.writableTile({0, 0})->bytes[0] = 42;    // detaches b's copy only
    CHECK(a.tile({0, 0})->bytes[0] == 7);
    CHECK(b.tile({0, 0})->bytes[0] == 42);
    CHECK(b.tile({0, 0}) != a.tile({0, 0}));
    CHECK(b.tile({1, 0}) == a.tile({1, 0}));  // untouched tile still shared
    // A tile with no other owner is written in place.
    const Tile* before = b.tile({0, 0}).get();
    CHECK(b.writableTile({0, 0}) == before);
}

TEST_CASE("images go in and out of the grid at any offset", "[tiles]") {
    TileGrid grid(4);
    QImage img(100, 70, QImage::Format_RGBA8888_Premultiplied);
    for (int y = 0; y < img.height(); ++y)
        for (int x = 0; x < img.width(); ++x)
            img.setPixelColor(x, y, QColor(x * 2, y * 3, 50, 255));
    grid.writeImage(img, QPoint(-30, 40));
    CHECK(grid.toImage(QRect(-30, 40, 100, 70)) == img);
    CHECK(grid.contentBounds() == QRect(-30, 40, 100, 70));
    CHECK(grid.tileCount() == tilesCovering(QRect(-30, 40, 100, 70)).size());
    // Writing transparency drops the tiles that become empty.
    QImage clear(100, 70, QImage::Format_RGBA8888_Premultiplied);
    clear.fill(Qt::transparent);
    grid.writeImage(clear, QPoint(-30, 40));
    CHECK(grid.isEmpty());
}

TEST_CASE("grey grids hold one byte per pixel", "[tiles]") {
    TileGrid grey(1, 0);
    QImage g(10, 10, QImage::Format_Grayscale8);
    g.fill(128);
    grey.writeImage(g, QPoint(60, 60));
    uint8_t v = 0;
    grey.pixel(65, 65, &v);
    CHECK(v == 128);
    CHECK(grey.tileCount() == 4);
    CHECK(grey.bytesUsed() == 4 * 64 * 64);
}
