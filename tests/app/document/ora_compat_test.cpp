// Documents written the way GIMP (plug-ins/python/file-openraster.py), Krita
// (plugins/impex/ora/kis_open_raster_stack_save_visitor.cpp) and MyPaint (lib/layer/*.py
// save_to_openraster) write them: their archive order and compression, attribute sets, group
// nesting, offsets, hidden layers and composite ops. Their mergedimage.png holds the values the
// scene must flatten to, worked out by hand below; Atelier's flatten must match within 2 levels.
#include "app/document/ora.h"

#include "test_support.h"

#include <catch2/catch.hpp>

using namespace atelier::document;
using namespace atelier::document::test;

namespace {

// The scene, on a 96 x 64 canvas (straight colours):
//   Background: white, everywhere.
//   Red:   (255,0,0) at (16,8) 40x40, opacity 0.5, src-over.
//   Blue:  (0,0,255) at (40,24) 40x32, multiply.
//   Ghost: (0,255,0) everywhere, hidden.
//   Group (isolated, opacity 0.5) holding Green: (0,255,0) at (0,48) 16x16, screen.
// Expected, region by region:
//   white only                          (255,255,255)
//   red over white at 0.5               (255,128,128)   (127.5 rounds either way)
//   red, then blue multiplied           (  0,  0,128)   (1,.5,.5) * (0,0,1)
//   blue multiplied on white            (  0,  0,255)
//   group: green screened onto nothing inside the group = green; at 0.5 over white
//                                       (128,255,128)
QImage expectedMerged() {
    QImage m(96, 64, QImage::Format_RGBA8888);
    m.fill(QColor(255, 255, 255));
    auto fill = [&](QRect r, QColor c) {
        for (int y = r.top(); y <= r.bottom(); ++y)
            for (int x = r.left(); x <= r.right(); ++x) m.setPixelColor(x, y, c);
    };
    fill(QRect(16, 8, 40, 40), QColor(255, 128, 128));
    fill(QRect(40, 24, 40, 32), QColor(0, 0, 255));
    fill(QRect(40, 24, 16, 24), QColor(0, 0, 128));
    fill(QRect(0, 48, 16, 16), QColor(128, 255, 128));
    return m;
}

QByteArray rectPng(QSize canvas, QRect r, QColor c, bool sixteenBit = false) {
    QImage img(canvas, sixteenBit ? QImage::Format_RGBA64 : QImage::Format_RGBA8888);
    img.fill(Qt::transparent);
    for (int y = r.top(); y <= r.bottom(); ++y)
        for (int x = r.left(); x <= r.right(); ++x) img.setPixelColor(x, y, c);
    return pngOf(img);
}

void checkFlattensToMerged(const QByteArray& ora, const char* who) {
    INFO(who);
    OraLoadResult r = loadOraFromBytes(ora, QString::fromLatin1(who));
    INFO(r.error.toStdString());
    REQUIRE(r.ok());
    CHECK(r.document->size() == QSize(96, 64));
    const QImage flat = r.document->flatten();
    CHECK(maxDifference(flat, expectedMerged()) <= 2);
}

}  // namespace

TEST_CASE("a document written like GIMP's exporter flattens to its merged image", "[ora][compat]") {
    // GIMP: everything stored, stack.xml written last, layers data/NNN.png and data/G-NNN.png
    // inside groups, offsets on layers, opacity as Python floats, no isolation attribute.
    const QByteArray xml =
        "<?xml version='1.0' encoding='UTF-8'?>\n"
        "<image w=\"96\" h=\"64\"><stack>"
        "<stack name=\"Group\" opacity=\"0.5\" visibility=\"visible\" "
        "composite-op=\"svg:src-over\">"
        "<layer src=\"data/000-000.png\" name=\"Green\" x=\"0\" y=\"48\" opacity=\"1.0\" "
        "visibility=\"visible\" composite-op=\"svg:screen\" /></stack>"
        "<layer src=\"data/001.png\" name=\"Ghost\" x=\"0\" y=\"0\" opacity=\"1.0\" "
        "visibility=\"hidden\" composite-op=\"svg:src-over\" />"
        "<layer src=\"data/002.png\" name=\"Blue\" x=\"40\" y=\"24\" opacity=\"1.0\" "
        "visibility=\"visible\" composite-op=\"svg:multiply\" />"
        "<layer src=\"data/003.png\" name=\"Red\" x=\"16\" y=\"8\" opacity=\"0.5\" "
        "visibility=\"visible\" composite-op=\"svg:src-over\" />"
        "<layer src=\"data/004.png\" name=\"Background\" x=\"0\" y=\"0\" opacity=\"1.0\" "
        "visibility=\"visible\" composite-op=\"svg:src-over\" />"
        "</stack></image>";
    const QByteArray ora = makeZip({
        {QStringLiteral("mimetype"), "image/openraster", true},
        {QStringLiteral("data/000-000.png"), solidPng(16, 16, QColor(0, 255, 0)), true},
        {QStringLiteral("data/001.png"), solidPng(96, 64, QColor(0, 255, 0)), true},
        {QStringLiteral("data/002.png"), solidPng(40, 32, QColor(0, 0, 255)), true},
        {QStringLiteral("data/003.png"), solidPng(40, 40, QColor(255, 0, 0)), true},
        {QStringLiteral("data/004.png"), solidPng(96, 64, QColor(255, 255, 255)), true},
        {QStringLiteral("mergedimage.png"), pngOf(expectedMerged()), true},
        {QStringLiteral("Thumbnails/thumbnail.png"), pngOf(expectedMerged()), true},
        {QStringLiteral("stack.xml"), xml, true},
    });
    checkFlattensToMerged(ora, "gimp.ora");
    OraLoadResult r = loadOraFromBytes(ora, QStringLiteral("gimp.ora"));
    REQUIRE(r.ok());
    const auto& top = r.document->root().children();
    REQUIRE(top.size() == 5);
    CHECK(top.back()->isGroup());  // first in stack.xml = topmost
    CHECK(top.back()->props.name == QLatin1String("Group"));
    CHECK_FALSE(top.back()->props.passThrough);
    CHECK(top[3]->props.name == QLatin1String("Ghost"));
    CHECK_FALSE(top[3]->props.visible);
    CHECK(top[2]->props.mode == BlendMode::Multiply);
    CHECK(top[1]->props.opacity == Approx(0.5f));
    CHECK(r.warnings.isEmpty());
}

TEST_CASE("a document written like Krita's exporter flattens to its merged image",
          "[ora][compat]") {
    // Krita: a root <stack> with layer info and isolation, full-canvas layer PNGs without x/y,
    // opacity as n/255, edit-locked / selected flags, adjustment layers as <filter>,
    // a 16-bit layer PNG (16-bit images), deflated members after a stored mimetype.
    const QSize canvas(96, 64);
    const QByteArray xml =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<!DOCTYPE image>\n"  // QDomDocument("image") writes one
        "<image xres=\"72\" yres=\"72\" version=\"0.0.1\" h=\"64\" w=\"96\">\n"
        " <stack isolation=\"isolate\" composite-op=\"svg:src-over\" visibility=\"visible\" "
        "opacity=\"1\" name=\"root\">\n"
        "  <stack isolation=\"isolate\" composite-op=\"svg:src-over\" visibility=\"visible\" "
        "opacity=\"0.501961\" name=\"Group\">\n"
        "   <layer src=\"data/layer5.png\" composite-op=\"svg:screen\" visibility=\"visible\" "
        "opacity=\"1\" name=\"Green\"/>\n"
        "  </stack>\n"
        "  <filter type=\"applications:krita:levels\" composite-op=\"svg:src-over\" "
        "visibility=\"hidden\" opacity=\"1\" name=\"Levels\"/>\n"
        "  <layer src=\"data/layer4.png\" composite-op=\"svg:src-over\" visibility=\"hidden\" "
        "opacity=\"1\" name=\"Ghost\"/>\n"
        "  <layer src=\"data/layer3.png\" composite-op=\"svg:multiply\" visibility=\"visible\" "
        "opacity=\"1\" name=\"Blue\" selected=\"true\"/>\n"
        "  <layer src=\"data/layer2.png\" composite-op=\"svg:src-over\" visibility=\"visible\" "
        "opacity=\"0.498039\" name=\"Red\"/>\n"
        "  <layer src=\"data/layer1.png\" composite-op=\"svg:src-over\" visibility=\"visible\" "
        "opacity=\"1\" name=\"Background\" edit-locked=\"true\"/>\n"
        " </stack>\n"
        "</image>\n";
    const QByteArray ora = makeZip({
        {QStringLiteral("mimetype"), "image/openraster", true},
        {QStringLiteral("stack.xml"), xml, false},
        {QStringLiteral("data/layer1.png"), rectPng(canvas, QRect(0, 0, 96, 64), Qt::white), false},
        {QStringLiteral("data/layer2.png"), rectPng(canvas, QRect(16, 8, 40, 40), Qt::red), false},
        {QStringLiteral("data/layer3.png"), rectPng(canvas, QRect(40, 24, 40, 32), Qt::blue, true),
         false},
        {QStringLiteral("data/layer4.png"), rectPng(canvas, QRect(0, 0, 96, 64), Qt::green), false},
        {QStringLiteral("data/layer5.png"), rectPng(canvas, QRect(0, 48, 16, 16), Qt::green),
         false},
        {QStringLiteral("mergedimage.png"), pngOf(expectedMerged()), false},
        {QStringLiteral("Thumbnails/thumbnail.png"), pngOf(expectedMerged()), false},
    });
    checkFlattensToMerged(ora, "krita.ora");
    OraLoadResult r = loadOraFromBytes(ora, QStringLiteral("krita.ora"));
    REQUIRE(r.ok());
    const auto& top = r.document->root().children();
    REQUIRE(top.size() == 5);  // the <filter> is skipped
    CHECK(r.warnings.join(QLatin1Char('\n')).contains(QLatin1String("filter")));
    CHECK(top[0]->props.editLocked);
    CHECK(top[2]->selected);
}

TEST_CASE("a document written like MyPaint flattens to its merged image", "[ora][compat]") {
    // MyPaint: layers cropped to their tiles with (possibly negative) x/y, a background layer
    // with MyPaint's own background_tile attribute, groups with x/y and isolation="isolate",
    // edit-locked="false" written out, layer names like data/layer001.png.
    const QByteArray xml =
        "<?xml version='1.0' encoding='UTF-8'?>\n"
        "<image h=\"64\" version=\"0.0.5\" w=\"96\" xres=\"72\" yres=\"72\">"
        "<stack>"
        "<stack composite-op=\"svg:src-over\" isolation=\"isolate\" name=\"Group\" "
        "opacity=\"0.5\" visibility=\"visible\" x=\"0\" y=\"0\">"
        "<layer composite-op=\"svg:screen\" name=\"Green\" opacity=\"1.0\" "
        "src=\"data/layer004.png\" visibility=\"visible\" x=\"-64\" y=\"0\" />"
        "</stack>"
        "<layer composite-op=\"svg:src-over\" name=\"Ghost\" opacity=\"1.0\" "
        "src=\"data/layer003.png\" visibility=\"hidden\" x=\"0\" y=\"0\" />"
        "<layer composite-op=\"svg:multiply\" edit-locked=\"false\" name=\"Blue\" opacity=\"1.0\" "
        "selected=\"true\" src=\"data/layer002.png\" visibility=\"visible\" x=\"0\" y=\"0\" />"
        "<layer composite-op=\"svg:src-over\" name=\"Red\" opacity=\"0.5\" "
        "src=\"data/layer001.png\" visibility=\"visible\" x=\"0\" y=\"0\" />"
        "<layer background_tile=\"data/background_tile.png\" composite-op=\"svg:src-over\" "
        "name=\"background\" opacity=\"1.0\" src=\"data/background.png\" visibility=\"visible\" "
        "x=\"0\" y=\"0\" />"
        "</stack></image>";
    // MyPaint crops to whole 64 px tiles: Green sits in the tiles from x=-64.
    const QByteArray green = rectPng(QSize(128, 64), QRect(64, 48, 16, 16), Qt::green);
    const QSize tiles(128, 64);
    const QByteArray ora = makeZip({
        {QStringLiteral("mimetype"), "image/openraster", true},
        {QStringLiteral("data/background_tile.png"), solidPng(64, 64, Qt::white), false},
        {QStringLiteral("data/background.png"),
         rectPng(QSize(96, 64), QRect(0, 0, 96, 64), Qt::white), false},
        {QStringLiteral("data/layer001.png"), rectPng(tiles, QRect(16, 8, 40, 40), Qt::red), false},
        {QStringLiteral("data/layer002.png"), rectPng(tiles, QRect(40, 24, 40, 32), Qt::blue),
         false},
        {QStringLiteral("data/layer003.png"), rectPng(tiles, QRect(0, 0, 128, 64), Qt::green),
         false},
        {QStringLiteral("data/layer004.png"), green, false},
        {QStringLiteral("stack.xml"), xml, false},
        {QStringLiteral("mergedimage.png"), pngOf(expectedMerged()), false},
        {QStringLiteral("Thumbnails/thumbnail.png"), pngOf(expectedMerged()), false},
    });
    checkFlattensToMerged(ora, "mypaint.ora");
    OraLoadResult r = loadOraFromBytes(ora, QStringLiteral("mypaint.ora"));
    REQUIRE(r.ok());
    const Layer& bg = *r.document->root().children().front();
    REQUIRE(bg.foreignAttributes.size() == 1);
    CHECK(bg.foreignAttributes[0].qualifiedName == QLatin1String("background_tile"));
    // Unknown attributes go back out on save.
    QString error;
    const QByteArray saved = encodeOra(*r.document, &error);
    OraLoadResult again = loadOraFromBytes(saved, QStringLiteral("again.ora"));
    REQUIRE(again.ok());
    CHECK(again.document->root().children().front()->foreignAttributes == bg.foreignAttributes);
    CHECK(maxDifference(again.document->flatten(), r.document->flatten()) == 0);
}

TEST_CASE("pass-through groups from Krita and MyPaint, unknown ops fall back", "[ora][compat]") {
    const QByteArray xml =
        "<image w=\"8\" h=\"8\"><stack>"
        "<stack name=\"pt\" isolation=\"auto\" composite-op=\"svg:src-over\">"
        "<layer src=\"data/a.png\" name=\"burn\" composite-op=\"krita:linear_burn\"/>"
        "</stack>"
        "<stack name=\"pt2\" composite-op=\"svg:pass-through\"/>"
        "</stack></image>";
    const QByteArray ora = makeZip({
        {QStringLiteral("mimetype"), "image/openraster", true},
        {QStringLiteral("stack.xml"), xml},
        {QStringLiteral("data/a.png"), solidPng(8, 8, QColor(10, 20, 30))},
    });
    OraLoadResult r = loadOraFromBytes(ora, QStringLiteral("pt.ora"));
    REQUIRE(r.ok());
    const auto& top = r.document->root().children();
    REQUIRE(top.size() == 2);
    CHECK(top[0]->props.passThrough);  // pt2 (listed second = lower)
    CHECK(top[1]->props.passThrough);
    const Layer& burn = *top[1]->children().front();
    CHECK(burn.props.mode == BlendMode::Normal);
    CHECK(burn.unknownCompositeOp == QLatin1String("krita:linear_burn"));
    CHECK(r.warnings.join(QLatin1Char('\n')).contains(QLatin1String("krita:linear_burn")));
    CHECK(straightAt(r.document->flatten(), 2, 2) == QColor(10, 20, 30));
    // Written back unchanged, so Krita still sees its own mode.
    QString error;
    OraLoadResult again = loadOraFromBytes(encodeOra(*r.document, &error), QStringLiteral("x"));
    REQUIRE(again.ok());
    CHECK(again.document->root().children()[1]->children().front()->unknownCompositeOp ==
          QLatin1String("krita:linear_burn"));
}

TEST_CASE("layers that are not PNG (MyPaint vector layers) load empty with a warning",
          "[ora][compat]") {
    const QByteArray xml =
        "<image w=\"8\" h=\"8\"><stack>"
        "<layer src=\"data/vector001.svg\" name=\"Ink\" composite-op=\"svg:src-over\"/>"
        "<layer src=\"data/a.png\" name=\"Paint\"/></stack></image>";
    const QByteArray ora = makeZip({
        {QStringLiteral("mimetype"), "image/openraster", true},
        {QStringLiteral("stack.xml"), xml},
        {QStringLiteral("data/vector001.svg"), "<svg xmlns=\"http://www.w3.org/2000/svg\"/>"},
        {QStringLiteral("data/a.png"), solidPng(8, 8, QColor(9, 8, 7))},
    });
    OraLoadResult r = loadOraFromBytes(ora, QStringLiteral("vector.ora"));
    REQUIRE(r.ok());
    REQUIRE(r.document->root().children().size() == 2);
    CHECK(r.document->root().children()[1]->pixels.isEmpty());
    CHECK(r.warnings.join(QString()).contains(QLatin1String("not a PNG")));
    CHECK(straightAt(r.document->flatten(), 1, 1) == QColor(9, 8, 7));
}

TEST_CASE("Krita's erase (svg:dst-out) and alpha-locked (svg:src-atop) layers", "[ora][compat]") {
    // White canvas 32 x 16; a half-transparent red layer written by Krita as svg:src-atop over
    // the left half: (1,0,0)*0.5*ab + white*(1 - 0.5) = (255,128,128), alpha stays 255;
    // an erasing layer (svg:dst-out, opaque) over the right half: transparent there.
    const QByteArray xml =
        "<image w=\"32\" h=\"16\"><stack>"
        "<layer src=\"data/erase.png\" name=\"Erase\" composite-op=\"svg:dst-out\" x=\"16\" "
        "y=\"0\"/>"
        "<layer src=\"data/red.png\" name=\"Red\" composite-op=\"svg:src-atop\"/>"
        "<layer src=\"data/white.png\" name=\"Background\"/></stack></image>";
    const QByteArray ora = makeZip({
        {QStringLiteral("mimetype"), "image/openraster", true},
        {QStringLiteral("stack.xml"), xml},
        {QStringLiteral("data/erase.png"), solidPng(16, 16, QColor(0, 0, 0, 255))},
        {QStringLiteral("data/red.png"), solidPng(16, 16, QColor(255, 0, 0, 128))},
        {QStringLiteral("data/white.png"), solidPng(32, 16, Qt::white)},
    });
    OraLoadResult r = loadOraFromBytes(ora, QStringLiteral("krita-erase.ora"));
    REQUIRE(r.ok());
    CHECK(r.warnings.isEmpty());
    const QImage flat = r.document->flatten();
    CHECK(closeTo(straightAt(flat, 4, 4), QColor(255, 128, 128), 1));
    CHECK(flat.pixelColor(20, 4).alpha() == 0);
}

TEST_CASE("MyPaint's tiled background and its own members survive", "[ora][compat]") {
    // MyPaint 2 stores the background as one 64 x 64 tile (src and mypaint:background-tile)
    // that repeats over the canvas, and strokemaps as members named by its attributes.
    QImage tile(64, 64, QImage::Format_RGBA8888);
    tile.fill(QColor(250, 240, 230));
    tile.setPixelColor(0, 0, QColor(255, 0, 0));  // marks each repeat's corner
    const QByteArray xml =
        "<image xmlns:mypaint=\"http://mypaint.org/ns/openraster\" w=\"150\" h=\"100\" "
        "mypaint:json-settings=\"data/mypaint-settings.json\"><stack>"
        "<layer name=\"ink\" src=\"data/layer000.png\" "
        "mypaint_strokemap_v2=\"data/layer000_strokemap.dat\" "
        "x=\"0\" y=\"0\"/>"
        "<layer background_tile=\"data/background-05-tile.png\" "
        "composite-op=\"mypaint:spectral-wgm\" "
        "name=\"background\" src=\"data/background-05-tile.png\" x=\"0\" y=\"0\" "
        "mypaint:background-tile=\"data/background-05-tile.png\"/></stack></image>";
    const QByteArray strokemap("\x01\x02strokes", 9);
    const QByteArray ora = makeZip({
        {QStringLiteral("mimetype"), "image/openraster", true},
        {QStringLiteral("stack.xml"), xml},
        {QStringLiteral("data/layer000.png"), solidPng(4, 4, QColor(0, 0, 0, 0))},
        {QStringLiteral("data/layer000_strokemap.dat"), strokemap},
        {QStringLiteral("data/background-05-tile.png"), pngOf(tile)},
        {QStringLiteral("data/mypaint-settings.json"), "{\"a\": 1}"},
    });
    OraLoadResult r = loadOraFromBytes(ora, QStringLiteral("mypaint2.ora"));
    REQUIRE(r.ok());
    const QImage flat = r.document->flatten();
    CHECK(straightAt(flat, 0, 0) == QColor(255, 0, 0));
    CHECK(straightAt(flat, 64, 64) == QColor(255, 0, 0));  // repeated
    CHECK(straightAt(flat, 128, 0) == QColor(255, 0, 0));
    CHECK(straightAt(flat, 149, 99) == QColor(250, 240, 230));  // covers the whole canvas
    CHECK(r.document->foreignMembers.size() == 3);

    QString error;
    OraLoadResult again =
        loadOraFromBytes(encodeOra(*r.document, &error), QStringLiteral("again.ora"));
    REQUIRE(again.ok());
    CHECK(again.document->foreignMembers.value(QStringLiteral("data/layer000_strokemap.dat")) ==
          strokemap);
    CHECK(again.document->foreignMembers.value(QStringLiteral("data/mypaint-settings.json")) ==
          QByteArray("{\"a\": 1}"));
    CHECK(again.document->flatten() == flat);
}

TEST_CASE("stacks without an isolation attribute are isolated only where the spec says",
          "[ora][compat]") {
    // OpenRaster: isolated if isolation="isolate", or opacity < 1, or an op other than
    // svg:src-over; GIMP writes no isolation attribute (its groups default to pass-through).
    const QByteArray xml =
        "<image w=\"8\" h=\"8\"><stack>"
        "<stack name=\"plain\"><layer src=\"data/a.png\" composite-op=\"svg:multiply\"/></stack>"
        "<stack name=\"faded\" opacity=\"0.5\"/>"
        "<stack name=\"screened\" composite-op=\"svg:screen\"/>"
        "<stack name=\"isolated\" isolation=\"isolate\"/>"
        "<layer src=\"data/b.png\" name=\"base\"/>"
        "</stack></image>";
    const QByteArray ora = makeZip({
        {QStringLiteral("mimetype"), "image/openraster", true},
        {QStringLiteral("stack.xml"), xml},
        {QStringLiteral("data/a.png"), solidPng(8, 8, QColor(0, 255, 0))},
        {QStringLiteral("data/b.png"), solidPng(8, 8, QColor(255, 255, 0))},
    });
    OraLoadResult r = loadOraFromBytes(ora, QStringLiteral("spec.ora"));
    REQUIRE(r.ok());
    const auto& top = r.document->root().children();
    REQUIRE(top.size() == 5);
    CHECK(top[4]->props.passThrough);  // plain
    CHECK_FALSE(top[3]->props.passThrough);
    CHECK_FALSE(top[2]->props.passThrough);
    CHECK_FALSE(top[1]->props.passThrough);
    // Non-isolated, the multiply reaches the yellow base: (1,1,0) * (0,1,0) = green.
    CHECK(straightAt(r.document->flatten(), 3, 3) == QColor(0, 255, 0));
    CHECK(top[4]->children().front()->props.mode == BlendMode::Multiply);
}
