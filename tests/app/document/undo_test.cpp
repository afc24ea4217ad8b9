// Undo and redo restore every state byte for byte; one stroke is one step; slider drags merge;
// the history keeps to its byte budget.
#include "app/document/document.h"
#include "app/document/pixel_edit.h"

#include "test_support.h"

#include <QCryptographicHash>
#include <QDataStream>
#include <QIODevice>

#include <catch2/catch.hpp>

using namespace atelier::document;
using namespace atelier::document::test;

namespace {

void hashGrid(QCryptographicHash& h, const TileGrid& g) {
    QVector<TileCoord> coords = g.tileCoords();
    std::sort(coords.begin(), coords.end(),
              [](TileCoord a, TileCoord b) { return a.y != b.y ? a.y < b.y : a.x < b.x; });
    for (const TileCoord& c : coords) {
        h.addData(QByteArray::number(c.x) + ',' + QByteArray::number(c.y) + ':');
        const TilePtr t = g.tile(c);
        h.addData(QByteArrayView(reinterpret_cast<const char*>(t->bytes.data()),
                                 qsizetype(t->bytes.size())));
    }
}

void hashLayer(QCryptographicHash& h, const Layer& l) {
    QByteArray props;
    QDataStream s(&props, QIODevice::WriteOnly);
    s << l.id() << l.props.name << l.props.opacity << l.props.visible << int(l.props.mode)
      << l.props.lockAlpha << l.props.editLocked << l.props.passThrough << bool(l.mask)
      << int(l.children().size());
    h.addData(props);
    hashGrid(h, l.pixels);
    if (l.mask) hashGrid(h, *l.mask);
    for (const LayerPtr& c : l.children()) hashLayer(h, *c);
}

// Everything undo must restore: the tree, all pixels, the selection and inpaint mask.
QByteArray fingerprint(const Document& doc) {
    QCryptographicHash h(QCryptographicHash::Sha256);
    hashLayer(h, doc.root());
    hashGrid(h, doc.selection());
    h.addData(doc.hasSelection() ? "S" : "s");
    hashGrid(h, doc.inpaintMask());
    return h.result();
}

void stroke(Document& doc, const ChannelRef& ch, int y, uint8_t v) {
    auto edit = doc.beginPixelEdit(ch, QStringLiteral("stroke"));
    REQUIRE(edit);
    for (int x = -20; x < 150; x += 3) {
        uint8_t* p = edit->writablePixel(x, y + x / 10);
        for (int k = 0; k < edit->channels(); ++k) p[k] = v;
    }
    REQUIRE(edit->commit());
}

}  // namespace

TEST_CASE("undo and redo round-trip every change byte for byte", "[undo]") {
    Document doc(QSize(128, 128));
    QVector<QByteArray> states{fingerprint(doc)};
    auto step = [&] { states.push_back(fingerprint(doc)); };

    LayerPtr a = Layer::makePaint(QStringLiteral("a"));
    doc.addLayer(a);
    step();
    stroke(doc, ChannelRef::pixels(a), 10, 200);
    step();
    stroke(doc, ChannelRef::pixels(a), 40, 90);
    step();
    LayerPtr g = Layer::makeGroup(QStringLiteral("g"));
    doc.addLayer(g);
    step();
    LayerPtr b = Layer::makePaint(QStringLiteral("b"));
    doc.addLayer(b, g.get());
    step();
    stroke(doc, ChannelRef::pixels(b), 60, 255);
    step();
    doc.moveLayer(a, g.get(), 0);
    step();
    doc.setOpacity(b, 0.3f);
    step();
    doc.setBlendMode(a, BlendMode::Screen);
    step();
    doc.addLayerMask(a);
    step();
    stroke(doc, ChannelRef::layerMask(a), 20, 0);
    step();
    TileGrid sel(1, 0);
    sel.writableTile({0, 0})->bytes.assign(64 * 64, 255);
    doc.setSelection(sel, true, QStringLiteral("select"));
    step();
    stroke(doc, ChannelRef::pixels(b), 5, 17);  // clipped by the selection
    step();
    stroke(doc, ChannelRef::inpaintMask(), 30, 128);
    step();
    doc.removeLayer(g);
    step();

    REQUIRE(doc.history().count() == states.size() - 1);
    for (int i = states.size() - 1; i > 0; --i) {
        CHECK(fingerprint(doc) == states[i]);
        doc.history().undo();
    }
    CHECK(fingerprint(doc) == states[0]);
    for (int i = 1; i < states.size(); ++i) {
        doc.history().redo();
        CHECK(fingerprint(doc) == states[i]);
    }
    // And the composite agrees with the restored pixels after all that.
    CHECK(doc.flatten() == doc.renderUncached(doc.bounds()));
}

TEST_CASE("a pixel edit keeps only the touched tiles", "[undo]") {
    Document doc(QSize(1024, 1024));
    LayerPtr l = Layer::makePaint(QStringLiteral("l"));
    doc.addLayer(l);
    fillRect(*l, QRect(0, 0, 1024, 1024), QColor(9, 9, 9));  // 256 tiles
    const qint64 before = doc.history().bytesUsed();
    const TileGrid snapshot = l->pixels;         // shares every tile
    stroke(doc, ChannelRef::pixels(l), 100, 1);  // a short stroke over a few tiles
    const qint64 cost = doc.history().bytesUsed() - before;
    CHECK(cost > 0);
    CHECK(cost <= 2 * 12 * 64 * 64 * 4);  // old + new of at most a dozen tiles, not 256
    // The tiles the stroke missed are still the same memory, not copies.
    int shared = 0;
    for (const TileCoord& c : snapshot.tileCoords())
        shared += snapshot.tile(c) == l->pixels.tile(c);
    CHECK(shared >= 256 - 12);
    CHECK(shared < 256);
}

TEST_CASE("slider drags merge into one step", "[undo]") {
    Document doc(QSize(8, 8));
    LayerPtr l = Layer::makePaint(QStringLiteral("l"));
    doc.addLayer(l);
    const int steps = doc.history().count();
    for (int i = 0; i <= 10; ++i) doc.setOpacity(l, 1.f - i * 0.05f);
    CHECK(doc.history().count() == steps + 1);
    CHECK(l->props.opacity == Approx(0.5f));
    doc.history().undo();
    CHECK(l->props.opacity == 1.f);
    doc.history().redo();
    CHECK(l->props.opacity == Approx(0.5f));
    // A drag back to where it started leaves no step at all.
    doc.setOpacity(l, 0.9f);
    doc.setOpacity(l, 0.5f);
    CHECK(doc.history().count() == steps + 1);
    doc.history().undo();
    doc.setOpacity(l, 0.7f);
    doc.setOpacity(l, 1.f);
    CHECK(doc.history().count() == steps);
    CHECK(l->props.opacity == 1.f);
    doc.history().redo();  // nothing to redo: the drag replaced the undone step
    CHECK(l->props.opacity == 1.f);
    // A different change in between starts a new step.
    doc.setVisible(l, false);
    doc.setOpacity(l, 0.1f);
    CHECK(doc.history().count() == steps + 2);
}

TEST_CASE("the history drops its oldest steps past the byte budget", "[undo]") {
    Document doc(QSize(256, 256));
    LayerPtr l = Layer::makePaint(QStringLiteral("l"));
    doc.addLayer(l);
    const qint64 tile = 64 * 64 * 4;
    doc.history().setByteBudget(20 * tile);
    for (int i = 0; i < 12; ++i) {
        auto edit = doc.beginPixelEdit(ChannelRef::pixels(l), QStringLiteral("s%1").arg(i));
        for (int t = 0; t < 2; ++t) edit->writableTile({t, i % 4})->bytes[5] = uint8_t(i + 1);
        REQUIRE(edit->commit());
    }
    CHECK(doc.history().bytesUsed() <= 20 * tile);
    CHECK(doc.history().count() < 13);
    CHECK(doc.history().count() >= 4);
    CHECK(doc.history().undoText() == QLatin1String("s11"));
    // What is left still undoes and redoes correctly.
    const QByteArray now = fingerprint(doc);
    const int n = doc.history().count();
    for (int i = 0; i < n; ++i) doc.history().undo();
    CHECK_FALSE(doc.history().canUndo());
    for (int i = 0; i < n; ++i) doc.history().redo();
    CHECK(fingerprint(doc) == now);
    // Undone steps are never dropped (they are needed for redo).
    doc.history().undo();
    doc.history().setByteBudget(1);
    CHECK(doc.history().canRedo());
    doc.history().redo();
    CHECK(fingerprint(doc) == now);
}

TEST_CASE("a tiled brush surface paints a stroke tile by tile as one step", "[undo]") {
    // What the brush engine's tiled surface will do: rasterise each dab once per 64x64 tile it
    // touches, straight into the edit's writable tiles.
    Document doc(QSize(300, 200));
    LayerPtr l = Layer::makePaint(QStringLiteral("ink"));
    doc.addLayer(l);
    const int steps = doc.history().count();
    auto edit = doc.beginPixelEdit(ChannelRef::pixels(l), QStringLiteral("Brush stroke"));
    for (int i = 0; i < 20; ++i) {
        const QPoint centre(20 + i * 12, 100);
        const int r = 10;
        const QRect dab(centre - QPoint(r, r), QSize(2 * r + 1, 2 * r + 1));
        edit->paintTiles(dab, [&](Tile& tile, QPoint origin) {
            for (int y = 0; y < kTileSize; ++y)
                for (int x = 0; x < kTileSize; ++x) {
                    const QPoint p = origin + QPoint(x, y);
                    if ((p - centre).manhattanLength() > r) continue;
                    uint8_t* px = tile.row(y) + x * 4;
                    px[0] = 0, px[1] = 0, px[2] = 128, px[3] = 128;  // premultiplied
                }
        });
        edit->preview();
    }
    REQUIRE(edit->commit());
    CHECK(doc.history().count() == steps + 1);
    CHECK(doc.flatten().pixelColor(20, 100).alpha() == 128);
    CHECK(doc.flatten().pixelColor(20, 150).alpha() == 0);
    doc.history().undo();
    CHECK(l->pixels.isEmpty());
}
