// The layer tree's composite, the per-tile cache and pixel-edit transactions.
#include "app/document/document.h"
#include "app/document/image_document.h"
#include "app/document/pixel_edit.h"

#include "test_support.h"

#include <QRandomGenerator>

#include <catch2/catch.hpp>

using namespace atelier::document;
using namespace atelier::document::test;

namespace {
LayerPtr addPaint(Document& doc, const QString& name, Layer* parent = nullptr) {
    LayerPtr l = Layer::makePaint(name);
    doc.addLayer(l, parent);
    return l;
}
}  // namespace

TEST_CASE("the composite stacks layers with opacity, visibility and modes", "[document]") {
    Document doc(QSize(128, 64));
    LayerPtr bottom = addPaint(doc, QStringLiteral("bottom"));
    fillRect(*bottom, QRect(0, 0, 128, 64), QColor(200, 100, 50));
    LayerPtr top = addPaint(doc, QStringLiteral("top"));
    fillRect(*top, QRect(64, 0, 64, 64), QColor(0, 0, 255));
    doc.markAllDirty();

    QImage flat = doc.flatten();
    CHECK(straightAt(flat, 10, 10) == QColor(200, 100, 50));
    CHECK(straightAt(flat, 100, 10) == QColor(0, 0, 255));

    doc.setOpacity(top, 0.5f);
    flat = doc.flatten();
    // 0.5 * (0,0,255) + 0.5 * (200,100,50), rounded once at the end.
    CHECK(closeTo(straightAt(flat, 100, 10), QColor(100, 50, 153)));

    doc.setBlendMode(top, BlendMode::Multiply);
    doc.setOpacity(top, 1.f);
    flat = doc.flatten();
    CHECK(straightAt(flat, 100, 10) == QColor(0, 0, 50));

    doc.setVisible(top, false);
    CHECK(straightAt(doc.flatten(), 100, 10) == QColor(200, 100, 50));
}

TEST_CASE("isolated groups blend as a whole, pass-through groups do not", "[document]") {
    Document doc(QSize(64, 64));
    LayerPtr base = addPaint(doc, QStringLiteral("base"));
    fillRect(*base, QRect(0, 0, 64, 64), QColor(255, 0, 0));
    LayerPtr group = Layer::makeGroup(QStringLiteral("group"));
    doc.addLayer(group);
    LayerPtr inner = addPaint(doc, QStringLiteral("inner"), group.get());
    fillRect(*inner, QRect(0, 0, 64, 64), QColor(0, 255, 0));
    LayerPtr props = inner;
    doc.setBlendMode(inner, BlendMode::Multiply);
    doc.markAllDirty();
    // Isolated: multiply has nothing below it inside the group, so the group is plain green.
    CHECK(straightAt(doc.flatten(), 5, 5) == QColor(0, 255, 0));
    LayerProperties p = group->props;
    p.passThrough = true;
    doc.setLayerProperties(group, p);
    // Pass-through: green multiplies the red base.
    CHECK(straightAt(doc.flatten(), 5, 5) == QColor(0, 0, 0));
}

TEST_CASE("a layer mask hides where it is black", "[document]") {
    Document doc(QSize(64, 64));
    LayerPtr l = addPaint(doc, QStringLiteral("l"));
    fillRect(*l, QRect(0, 0, 64, 64), QColor(10, 20, 30));
    doc.addLayerMask(l);
    REQUIRE(l->mask.has_value());
    CHECK(straightAt(doc.flatten(), 3, 3) == QColor(10, 20, 30));  // a new mask reveals all
    auto edit = doc.beginPixelEdit(ChannelRef::layerMask(l), QStringLiteral("mask"));
    REQUIRE(edit);
    *edit->writablePixel(3, 3) = 0;
    *edit->writablePixel(4, 3) = 128;
    REQUIRE(edit->commit());
    const QImage flat = doc.flatten();
    CHECK(flat.pixelColor(3, 3).alpha() == 0);
    CHECK(flat.pixelColor(4, 3).alpha() == 128);
    CHECK(flat.pixelColor(5, 3).alpha() == 255);
}

TEST_CASE("recompositing dirty tiles equals compositing everything", "[document]") {
    Document doc(QSize(300, 200));
    QRandomGenerator rng(1234);
    QVector<LayerPtr> layers;
    for (int i = 0; i < 6; ++i) {
        LayerPtr l = addPaint(doc, QStringLiteral("l%1").arg(i));
        for (int k = 0; k < 5; ++k) {
            const QRect r(rng.bounded(-40, 280), rng.bounded(-40, 180), rng.bounded(1, 90),
                          rng.bounded(1, 90));
            fillRect(
                *l, r,
                QColor(rng.bounded(256), rng.bounded(256), rng.bounded(256), rng.bounded(256)));
        }
        doc.setBlendMode(l, BlendMode(rng.bounded(kBlendModeCount)));
        doc.setOpacity(l, float(rng.bounded(100)) / 100.f);
        layers.push_back(l);
    }
    doc.markAllDirty();
    doc.flatten();  // fill the cache
    const qint64 rendered = doc.tilesRendered();
    CHECK(doc.flatten() == doc.renderUncached(doc.bounds()));
    CHECK(doc.tilesRendered() == rendered);  // all from the cache

    // A stroke-like edit on one layer dirties only the tiles it touched.
    auto edit = doc.beginPixelEdit(ChannelRef::pixels(layers[2]), QStringLiteral("stroke"));
    for (int x = 100; x < 140; ++x) {
        uint8_t* p = edit->writablePixel(x, 70);
        p[0] = p[1] = p[2] = p[3] = 200;
    }
    REQUIRE(edit->commit());
    const QImage cached = doc.flatten();
    CHECK(doc.tilesRendered() - rendered == edit->touchedTiles().size());
    CHECK(cached == doc.renderUncached(doc.bounds()));

    doc.setOpacity(layers[4], 0.25f);
    doc.moveLayer(layers[0], nullptr, 5);
    CHECK(doc.flatten() == doc.renderUncached(doc.bounds()));
    doc.history().undo();
    doc.history().undo();
    CHECK(doc.flatten() == doc.renderUncached(doc.bounds()));
}

TEST_CASE("a selection clips edits; lock alpha keeps alpha; locked layers refuse", "[document]") {
    Document doc(QSize(64, 64));
    LayerPtr l = addPaint(doc, QStringLiteral("l"));
    fillRect(*l, QRect(0, 0, 32, 64), QColor(0, 0, 0, 255));

    TileGrid sel(1, 0);
    QImage s(64, 64, QImage::Format_Grayscale8);
    s.fill(0);
    for (int y = 0; y < 64; ++y) s.scanLine(y)[10] = 255, s.scanLine(y)[11] = 128;
    sel.writeImage(s, QPoint(0, 0));
    doc.setSelection(sel, true, QStringLiteral("select"));

    auto edit = doc.beginPixelEdit(ChannelRef::pixels(l), QStringLiteral("paint"));
    for (int x = 0; x < 64; ++x) {
        uint8_t* p = edit->writablePixel(x, 5);
        p[0] = 255, p[1] = 255, p[2] = 255, p[3] = 255;
    }
    REQUIRE(edit->commit());
    uint8_t px[4];
    l->pixels.pixel(10, 5, px);
    CHECK(px[0] == 255);
    l->pixels.pixel(11, 5, px);
    CHECK(int(px[0]) == 128);  // half selected: halfway from black to white
    l->pixels.pixel(12, 5, px);
    CHECK(px[0] == 0);
    l->pixels.pixel(40, 5, px);
    CHECK(px[3] == 0);  // outside the selection, nothing

    doc.setSelection(TileGrid(1, 0), false, QStringLiteral("deselect"));
    LayerProperties p = l->props;
    p.lockAlpha = true;
    doc.setLayerProperties(l, p);
    edit = doc.beginPixelEdit(ChannelRef::pixels(l), QStringLiteral("paint"));
    for (int x = 0; x < 64; ++x) {
        uint8_t* q = edit->writablePixel(x, 6);
        q[0] = 255, q[1] = 0, q[2] = 0, q[3] = 255;
    }
    REQUIRE(edit->commit());
    l->pixels.pixel(5, 6, px);
    CHECK((px[0] == 255 && px[3] == 255));
    l->pixels.pixel(40, 6, px);
    CHECK(px[3] == 0);  // was transparent: stays transparent

    p.editLocked = true;
    doc.setLayerProperties(l, p);
    QString why;
    CHECK_FALSE(doc.beginPixelEdit(ChannelRef::pixels(l), QStringLiteral("x"), &why));
    CHECK(why.contains(QLatin1String("locked")));
}

TEST_CASE("an edit that changes nothing records no step; cancel restores", "[document]") {
    Document doc(QSize(64, 64));
    LayerPtr l = addPaint(doc, QStringLiteral("l"));
    const int steps = doc.history().count();
    auto edit = doc.beginPixelEdit(ChannelRef::pixels(l), QStringLiteral("nothing"));
    edit->writableTile({0, 0});
    CHECK_FALSE(edit->commit());
    CHECK(doc.history().count() == steps);
    CHECK(l->pixels.isEmpty());

    fillRect(*l, QRect(0, 0, 8, 8), QColor(1, 2, 3));
    const TilePtr before = l->pixels.tile({0, 0});
    {
        auto e = doc.beginPixelEdit(ChannelRef::pixels(l), QStringLiteral("cancelled"));
        e->writablePixel(0, 0)[0] = 99;
    }  // destroyed without commit
    CHECK(l->pixels.tile({0, 0}) == before);
}

TEST_CASE("flat images open as one-layer documents, bad ones are refused", "[document]") {
    const QString dir = QStringLiteral(ATELIER_TEST_DATA_DIR "/images/");
    ImageDocumentResult r = openImageAsDocument(dir + QStringLiteral("red_blue_64x32.png"));
    REQUIRE(r.ok());
    CHECK(r.document->size() == QSize(64, 32));
    REQUIRE(r.document->root().children().size() == 1);
    CHECK(r.document->root().children()[0]->props.name == QLatin1String("red_blue_64x32"));
    const QImage flat = r.document->flatten();
    CHECK(straightAt(flat, 5, 5) == QColor(255, 0, 0));
    CHECK(straightAt(flat, 60, 20) == QColor(0, 0, 255));
    ImageDocumentResult bad =
        openImageAsDocument(dir + QStringLiteral("declares_100000x100000.png"));
    CHECK_FALSE(bad.ok());
    CHECK(bad.error.contains(QLatin1String("declares_100000x100000.png")));
}

TEST_CASE("previews recomposite only what was painted since the last one", "[document]") {
    Document doc(QSize(512, 64));
    LayerPtr l = addPaint(doc, QStringLiteral("l"));
    doc.flatten();
    auto edit = doc.beginPixelEdit(ChannelRef::pixels(l), QStringLiteral("stroke"));
    qint64 last = doc.tilesRendered();
    for (int x = 0; x < 512; x += 8) {
        uint8_t* p = edit->writablePixel(x, 10);
        p[0] = p[3] = 255;
        edit->preview();
        doc.composite(QRect(0, 0, 512, 64));
        CHECK(doc.tilesRendered() - last <= 1);  // one dab, one tile
        last = doc.tilesRendered();
    }
    REQUIRE(edit->commit());
}

TEST_CASE("duplicating a layer is one step and shares its tiles", "[document]") {
    Document doc(QSize(64, 64));
    LayerPtr l = addPaint(doc, QStringLiteral("paint"));
    fillRect(*l, QRect(0, 0, 64, 64), QColor(4, 5, 6));
    l->provenance.seed = 5;
    const int steps = doc.history().count();
    LayerPtr copy = doc.duplicateLayer(l);
    REQUIRE(copy);
    CHECK(doc.history().count() == steps + 1);
    CHECK(copy->props.name == QLatin1String("paint copy"));
    CHECK(copy->provenance.seed == 5);
    CHECK(copy->pixels.tile({0, 0}) == l->pixels.tile({0, 0}));
    CHECK(doc.root().indexOf(copy.get()) == doc.root().indexOf(l.get()) + 1);
    doc.history().undo();
    CHECK(doc.root().children().size() == 1);
}

TEST_CASE("erasing (dst-out) and clipping (dst-in) layers composite over the whole canvas",
          "[document]") {
    Document doc(QSize(128, 64));
    LayerPtr base = addPaint(doc, QStringLiteral("base"));
    fillRect(*base, QRect(0, 0, 128, 64), QColor(200, 10, 10));
    LayerPtr eraser = addPaint(doc, QStringLiteral("eraser"));
    fillRect(*eraser, QRect(0, 0, 16, 16), QColor(0, 0, 0, 255));
    doc.setBlendMode(eraser, BlendMode::DestinationOut);
    doc.markAllDirty();
    QImage flat = doc.flatten();
    CHECK(flat.pixelColor(5, 5).alpha() == 0);       // erased
    CHECK(flat.pixelColor(100, 40).alpha() == 255);  // elsewhere untouched
    // dst-in keeps the backdrop only where the layer is: also in tiles where it has nothing.
    doc.setBlendMode(eraser, BlendMode::DestinationIn);
    flat = doc.flatten();
    CHECK(flat.pixelColor(5, 5).alpha() == 255);
    CHECK(flat.pixelColor(100, 40).alpha() == 0);
    CHECK(flat == doc.renderUncached(doc.bounds()));
    // And back: the tiles it cleared are recomposited too.
    doc.history().undo();
    CHECK(doc.flatten() == doc.renderUncached(doc.bounds()));
    CHECK(doc.flatten().pixelColor(100, 40).alpha() == 255);
}

TEST_CASE("an inpainting request gets the masked area, its composite and a revision",
          "[document]") {
    Document doc(QSize(200, 100));
    LayerPtr l = addPaint(doc, QStringLiteral("l"));
    fillRect(*l, QRect(0, 0, 200, 100), QColor(30, 60, 90));
    doc.markAllDirty();
    CHECK(doc.inpaintRegion(16).area.isEmpty());  // no mask yet
    auto edit = doc.beginPixelEdit(ChannelRef::inpaintMask(), QStringLiteral("Mask"));
    for (int y = 40; y < 50; ++y)
        for (int x = 100; x < 120; ++x) *edit->writablePixel(x, y) = 200;
    REQUIRE(edit->commit());
    const InpaintRegion r = doc.inpaintRegion(16);
    CHECK(r.area == QRect(84, 24, 52, 42));
    CHECK(r.composite.size() == r.area.size());
    CHECK(r.composite.pixelColor(0, 0) == QColor(30, 60, 90));
    CHECK(r.mask.format() == QImage::Format_Grayscale8);
    CHECK(qGray(r.mask.pixel(16, 16)) == 200);
    CHECK(qGray(r.mask.pixel(0, 0)) == 0);
    // Padding stops at the canvas edge.
    CHECK(doc.inpaintRegion(500).area == doc.bounds());
    // Any change makes an earlier request stale.
    const quint64 before = r.revision;
    doc.setOpacity(l, 0.5f);
    CHECK(doc.revision() > before);
}

TEST_CASE("the composite cache stays within its budget and stays correct", "[document]") {
    Document doc(QSize(640, 640));  // 100 tiles
    LayerPtr l = addPaint(doc, QStringLiteral("l"));
    fillRect(*l, QRect(0, 0, 640, 640), QColor(10, 20, 30));
    doc.markAllDirty();
    doc.setCompositeCacheBudget(20 * 64 * 64 * 4);
    const QImage flat = doc.flatten();
    CHECK(doc.compositeCacheBytes() <= 20 * 64 * 64 * 4);
    CHECK(doc.compositeCacheBytes() > 0);
    CHECK(flat == doc.renderUncached(doc.bounds()));
    CHECK(doc.flatten() == flat);
}
