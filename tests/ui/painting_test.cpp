#include "gui_test_helpers.h"

#include <QLineEdit>
#include <QStatusBar>

#include "ui/colour_panel.h"

#include "app/document/pixel_edit.h"
#include "ui/tools/tool.h"
#include "ui/tools/tool_context.h"

#include <QPointingDevice>
#include <QTabletEvent>

using namespace atelier;
using atelier::ui::MainWindow;
using atelier::ui::testing::dragOnCanvas;
using atelier::ui::testing::line;
using atelier::ui::testing::ShownWindow;

namespace {

QByteArray layerBytes(const document::Document& doc, const document::LayerPtr& layer) {
    const QImage img = layer->pixels.toImage(doc.bounds());
    return QByteArray(reinterpret_cast<const char*>(img.constBits()), int(img.sizeInBytes()));
}

QByteArray maskBytes(const document::Document& doc) {
    const QImage img = doc.inpaintMask().toImage(doc.bounds());
    return QByteArray(reinterpret_cast<const char*>(img.constBits()), int(img.sizeInBytes()));
}

}  // namespace

TEST_CASE("a brush stroke paints the layer and undo restores it byte for byte", "[gui]") {
    ShownWindow w;
    w.window.newDocument(QSize(200, 120));
    const document::LayerPtr layer = w.window.currentLayer();
    REQUIRE(layer);
    w.window.toolContext().setColor(QColor(200, 20, 10));
    w.window.selectTool(MainWindow::ToolId::Brush);
    w.window.toolContext().setRadius(ui::BrushRole::Paint, 6);
    const QByteArray before = layerBytes(w.doc(), layer);
    const int stepsBefore = w.doc().history().count();

    dragOnCanvas(w.canvas(), line({20, 60}, {180, 60}));

    CHECK(w.doc().history().count() == stepsBefore + 1);  // one stroke, one step
    const QColor mid = w.doc().flatten().pixelColor(100, 60);
    CHECK(mid.red() == 200);
    CHECK(mid.green() == 20);
    CHECK(mid.alpha() == 255);
    CHECK(w.doc().flatten().pixelColor(100, 10).alpha() == 0);  // outside the 6 px stroke
    // The canvas shows it: its display cache holds the stroke.
    CHECK(QColor(w.canvas()->displayImage().pixel(100, 60)) == QColor(200, 20, 10));
    CHECK(w.window.isModified());
    CHECK(w.window.windowTitle().contains(QStringLiteral("[*]")));
    CHECK(w.window.isWindowModified());

    w.doc().history().undo();
    CHECK(layerBytes(w.doc(), layer) == before);
    CHECK(w.canvas()->displayImage().pixel(100, 60) == 0u);
    CHECK_FALSE(w.window.isWindowModified());
    w.doc().history().redo();
    CHECK(w.doc().flatten().pixelColor(100, 60).red() == 200);
}

TEST_CASE("Ctrl+Z and Ctrl+Shift+Z undo and redo a stroke", "[gui]") {
    ShownWindow w;
    w.window.newDocument(QSize(100, 100));
    w.window.selectTool(MainWindow::ToolId::Brush);
    dragOnCanvas(w.canvas(), line({10, 50}, {90, 50}));
    REQUIRE(w.doc().flatten().pixelColor(50, 50).alpha() == 255);
    w.window.activateWindow();
    REQUIRE(QTest::qWaitForWindowActive(&w.window));
    QTest::keyClick(&w.window, Qt::Key_Z, Qt::ControlModifier);
    CHECK(w.doc().flatten().pixelColor(50, 50).alpha() == 0);
    QTest::keyClick(&w.window, Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);
    CHECK(w.doc().flatten().pixelColor(50, 50).alpha() == 255);
}

TEST_CASE("the mask brush paints the inpaint mask, shown red, not the layer", "[gui]") {
    ShownWindow w;
    w.window.newDocument(QSize(160, 100));
    const document::LayerPtr layer = w.window.currentLayer();
    const QByteArray layerBefore = layerBytes(w.doc(), layer);
    w.window.selectTool(MainWindow::ToolId::MaskBrush);
    w.window.toolContext().setRadius(ui::BrushRole::Mask, 10);
    dragOnCanvas(w.canvas(), line({20, 50}, {140, 50}));

    uint8_t m = 0;
    w.doc().inpaintMask().pixel(80, 50, &m);
    CHECK(m == 255);  // the stroke's centre line reaches full mask
    w.doc().inpaintMask().pixel(80, 5, &m);
    CHECK(m == 0);
    CHECK(layerBytes(w.doc(), layer) == layerBefore);
    const QColor shown = QColor::fromRgba(qUnpremultiply(w.canvas()->displayImage().pixel(80, 50)));
    CHECK(shown.red() == 255);  // red at 50 % over transparency
    CHECK(shown.green() == 0);
    CHECK(shown.alpha() == 128);
    // The mask is the inpainting request's region.
    const document::InpaintRegion region = w.doc().inpaintRegion(0);
    CHECK(region.area.contains(QRect(25, 45, 110, 10)));

    // The eraser after the mask brush erases the mask; undo brings it back exactly.
    const QByteArray painted = maskBytes(w.doc());
    w.window.selectTool(MainWindow::ToolId::Eraser);
    CHECK(w.window.toolContext().eraserOnMask());
    w.window.toolContext().setRadius(ui::BrushRole::Erase, 20);
    dragOnCanvas(w.canvas(), line({20, 50}, {140, 50}));
    w.doc().inpaintMask().pixel(80, 50, &m);
    CHECK(m == 0);
    w.doc().history().undo();
    CHECK(maskBytes(w.doc()) == painted);
}

TEST_CASE("the eraser removes paint from the layer", "[gui]") {
    ShownWindow w;
    w.window.newDocument(QSize(100, 100));
    w.window.selectTool(MainWindow::ToolId::Brush);
    w.window.toolContext().setRadius(ui::BrushRole::Paint, 20);
    dragOnCanvas(w.canvas(), line({10, 50}, {90, 50}));
    REQUIRE(w.doc().flatten().pixelColor(50, 50).alpha() == 255);
    w.window.selectTool(MainWindow::ToolId::Eraser);
    CHECK_FALSE(w.window.toolContext().eraserOnMask());
    w.window.toolContext().setRadius(ui::BrushRole::Erase, 10);
    dragOnCanvas(w.canvas(), line({50, 10}, {50, 90}));
    CHECK(w.doc().flatten().pixelColor(50, 50).alpha() == 0);
    CHECK(w.doc().flatten().pixelColor(20, 50).alpha() == 255);
}

TEST_CASE("a locked layer refuses the brush and says why", "[gui]") {
    ShownWindow w;
    w.window.newDocument(QSize(64, 64));
    document::LayerPtr layer = w.window.currentLayer();
    document::LayerProperties p = layer->props;
    p.editLocked = true;
    w.doc().setLayerProperties(layer, p);
    const int steps = w.doc().history().count();
    w.window.selectTool(MainWindow::ToolId::Brush);
    dragOnCanvas(w.canvas(), line({10, 30}, {50, 30}));
    CHECK(w.doc().history().count() == steps);
    CHECK(w.doc().flatten().pixelColor(30, 30).alpha() == 0);
    CHECK_FALSE(w.window.statusBar()->currentMessage().isEmpty());
}

TEST_CASE("tablet pressure sets the stroke's width", "[gui]") {
    ShownWindow w;
    w.window.newDocument(QSize(200, 100));
    w.window.selectTool(MainWindow::ToolId::Brush);  // Hard round: radius x 0.3..1 by pressure
    w.window.toolContext().setRadius(ui::BrushRole::Paint, 20);
    ui::CanvasView* canvas = w.canvas();
    auto send = [&](QEvent::Type type, QPointF imagePos, double pressure, ulong t) {
        const QPointF pos = canvas->imageToWidget(imagePos);
        QTabletEvent e(type, QPointingDevice::primaryPointingDevice(), pos,
                       canvas->mapToGlobal(pos), pressure, 10, -5, 0, 0, 0, Qt::NoModifier,
                       type == QEvent::TabletMove ? Qt::NoButton : Qt::LeftButton,
                       type == QEvent::TabletRelease ? Qt::NoButton : Qt::LeftButton);
        e.setTimestamp(t);
        QApplication::sendEvent(canvas, &e);
        return e.isAccepted();
    };
    // Light pressure on the left half, full pressure on the right half.
    CHECK(send(QEvent::TabletPress, {20, 50}, 0.0, 1000));
    for (int i = 1; i <= 16; ++i)
        send(QEvent::TabletMove, {20 + i * 10.0, 50}, i <= 8 ? 0.0 : 1.0, 1000 + i * 10);
    send(QEvent::TabletRelease, {180, 50}, 1.0, 1200);
    const QImage img = w.doc().flatten();
    auto thickness = [&](int x) {
        int n = 0;
        for (int y = 0; y < 100; ++y) n += img.pixelColor(x, y).alpha() > 128;
        return n;
    };
    CHECK(thickness(60) == Approx(12).margin(3));   // 2 x 20 x 0.3
    CHECK(thickness(160) == Approx(40).margin(3));  // 2 x 20
}

TEST_CASE("[ and ] change the brush size", "[gui]") {
    ShownWindow w;
    w.window.selectTool(MainWindow::ToolId::Brush);
    w.window.activateWindow();
    REQUIRE(QTest::qWaitForWindowActive(&w.window));
    const double r = w.window.toolContext().radius(ui::BrushRole::Paint);
    QTest::keyClick(&w.window, Qt::Key_BracketRight);
    CHECK(w.window.toolContext().radius(ui::BrushRole::Paint) == Approx(r * 1.25));
    QTest::keyClick(&w.window, Qt::Key_BracketLeft);
    QTest::keyClick(&w.window, Qt::Key_BracketLeft);
    CHECK(w.window.toolContext().radius(ui::BrushRole::Paint) == Approx(r / 1.25));
    CHECK(w.canvas()->tool()->outlineRadius() == Approx(r / 1.25));
}

TEST_CASE("tool shortcuts B E Q M L I V pick the tools", "[gui]") {
    ShownWindow w;
    w.window.activateWindow();
    REQUIRE(QTest::qWaitForWindowActive(&w.window));
    const std::pair<Qt::Key, MainWindow::ToolId> keys[] = {
        {Qt::Key_E, MainWindow::ToolId::Eraser},     {Qt::Key_Q, MainWindow::ToolId::MaskBrush},
        {Qt::Key_M, MainWindow::ToolId::RectSelect}, {Qt::Key_L, MainWindow::ToolId::Lasso},
        {Qt::Key_I, MainWindow::ToolId::Picker},     {Qt::Key_B, MainWindow::ToolId::Brush}};
    for (const auto& [key, id] : keys) {
        QTest::keyClick(&w.window, key);
        CHECK(w.window.currentTool() == id);
        CHECK(w.canvas()->tool() == w.window.tool(id));
    }
}

TEST_CASE("rectangle, ellipse and lasso selections; painting stays inside", "[gui]") {
    ShownWindow w;
    w.window.newDocument(QSize(200, 200));
    w.window.selectTool(MainWindow::ToolId::RectSelect);
    dragOnCanvas(w.canvas(), line({50, 50}, {150, 150}, 4));
    REQUIRE(w.doc().hasSelection());
    uint8_t s = 0;
    w.doc().selection().pixel(100, 100, &s);
    CHECK(s == 255);
    w.doc().selection().pixel(40, 100, &s);
    CHECK(s == 0);
    CHECK(w.doc().selection().contentBounds() == QRect(50, 50, 100, 100));

    // Painting across the whole canvas only changes the selected square.
    w.window.selectTool(MainWindow::ToolId::Brush);
    w.window.toolContext().setRadius(ui::BrushRole::Paint, 8);
    dragOnCanvas(w.canvas(), line({0, 100}, {199, 100}, 30));
    const QImage img = w.doc().flatten();
    CHECK(img.pixelColor(100, 100).alpha() == 255);
    CHECK(img.pixelColor(30, 100).alpha() == 0);
    CHECK(img.pixelColor(170, 100).alpha() == 0);

    // Ellipse: the corners of its box are outside.
    w.window.selectTool(MainWindow::ToolId::EllipseSelect);
    dragOnCanvas(w.canvas(), line({0, 0}, {100, 100}, 4));
    w.doc().selection().pixel(50, 50, &s);
    CHECK(s == 255);
    w.doc().selection().pixel(3, 3, &s);
    CHECK(s == 0);

    // Lasso: a triangle; Shift adds it to the ellipse.
    w.window.selectTool(MainWindow::ToolId::Lasso);
    dragOnCanvas(w.canvas(), {{120, 120}, {190, 120}, {190, 190}, {120, 120}}, Qt::ShiftModifier);
    w.doc().selection().pixel(180, 130, &s);
    CHECK(s == 255);
    w.doc().selection().pixel(50, 50, &s);
    CHECK(s == 255);
    w.doc().selection().pixel(130, 180, &s);
    CHECK(s == 0);

    // A click without a drag deselects; undo brings the selection back.
    dragOnCanvas(w.canvas(), {{10, 190}, {10, 190}});
    CHECK_FALSE(w.doc().hasSelection());
    w.doc().history().undo();
    CHECK(w.doc().hasSelection());
}

TEST_CASE("the colour picker takes the composite's colour", "[gui]") {
    ShownWindow w;
    REQUIRE(w.window.openFile(QStringLiteral(ATELIER_TEST_DATA_DIR "/images/red_blue_64x32.png"))
                .isEmpty());
    w.window.selectTool(MainWindow::ToolId::Picker);
    dragOnCanvas(w.canvas(), {{56, 16}, {56, 16}});
    CHECK(w.window.toolContext().color() == QColor(0, 0, 255));
    dragOnCanvas(w.canvas(), {{4, 4}, {4, 4}});
    CHECK(w.window.toolContext().color() == QColor(255, 0, 0));
}

TEST_CASE("rotating the view keeps the centre and maps pointer input", "[gui]") {
    ShownWindow w;
    w.window.newDocument(QSize(200, 100));
    ui::CanvasView* c = w.canvas();
    const QPointF centre(c->width() / 2.0, c->height() / 2.0);
    const QPointF before = c->widgetToImage(centre);
    c->rotateBy(90);
    CHECK(c->rotation() == Approx(90));
    const QPointF after = c->widgetToImage(centre);
    CHECK(after.x() == Approx(before.x()).margin(1e-6));
    CHECK(after.y() == Approx(before.y()).margin(1e-6));
    const QPointF p = c->widgetToImage(c->imageToWidget({30, 70}));
    CHECK(p.x() == Approx(30).margin(1e-9));
    CHECK(p.y() == Approx(70).margin(1e-9));
    // A stroke drawn in the rotated view lands where the image coordinates say.
    w.window.selectTool(MainWindow::ToolId::Brush);
    w.window.toolContext().setRadius(ui::BrushRole::Paint, 4);
    dragOnCanvas(c, line({100, 20}, {100, 80}));
    CHECK(w.doc().flatten().pixelColor(100, 50).alpha() == 255);
    CHECK(w.doc().flatten().pixelColor(50, 50).alpha() == 0);
}

TEST_CASE("a stroke recomposites only the tiles it touched", "[gui]") {
    ShownWindow w;
    w.window.newDocument(QSize(1024, 1024));  // 256 tiles
    w.window.selectTool(MainWindow::ToolId::Brush);
    w.window.toolContext().setRadius(ui::BrushRole::Paint, 5);
    const qint64 rendered = w.doc().tilesRendered();
    dragOnCanvas(w.canvas(), line({10, 10}, {100, 10}));  // 13 events within two tiles
    // Each event recomposites the (at most two) tiles its dabs touched, the commit those two
    // once more; a full refresh would be 256 per event.
    const qint64 n = w.doc().tilesRendered() - rendered;
    CHECK(n >= 2);
    CHECK(n <= 2 * 14);
}

TEST_CASE("the colour panel and the tools share the colour", "[gui]") {
    ShownWindow w;
    auto* panel = w.window.findChild<ui::ColourPanel*>();
    REQUIRE(panel);
    panel->setColour(QColor(0, 128, 255));
    CHECK(w.window.toolContext().color() == QColor(0, 128, 255));
    w.window.toolContext().setColor(QColor(250, 10, 20));
    CHECK(panel->colour() == QColor(250, 10, 20));
    auto* hex = panel->findChild<QLineEdit*>();
    REQUIRE(hex);
    CHECK(hex->text() == QStringLiteral("#fa0a14"));
    hex->setText(QStringLiteral("#102030"));
    Q_EMIT hex->editingFinished();
    CHECK(w.window.toolContext().color() == QColor(0x10, 0x20, 0x30));
}

TEST_CASE("the move tool shifts the layer by whole pixels as one undo step", "[gui]") {
    ShownWindow w;
    w.window.newDocument(QSize(200, 150));
    const document::LayerPtr layer = w.window.currentLayer();
    QImage square(30, 30, QImage::Format_RGBA8888_Premultiplied);
    square.fill(QColor(0, 200, 0));
    layer->pixels.writeImage(square, {60, 60});  // across tile edges
    w.doc().markAllDirty();
    const QByteArray before = layerBytes(w.doc(), layer);
    const int index = w.doc().history().index();

    w.window.selectTool(MainWindow::ToolId::Move);
    dragOnCanvas(w.canvas(), line({70, 70}, {95.2, 49.8}, 6));
    CHECK(w.doc().history().index() == index + 1);
    CHECK(layer->pixels.contentBounds() == QRect(85, 40, 30, 30));
    CHECK(w.doc().flatten().pixelColor(100, 50) == QColor(0, 200, 0));
    CHECK(w.doc().flatten().pixelColor(65, 85).alpha() == 0);  // vacated
    w.doc().history().undo();
    CHECK(layerBytes(w.doc(), layer) == before);

    // Esc mid-drag puts everything back and records nothing.
    ui::CanvasView* c = w.canvas();
    const QPointF a = c->imageToWidget({70, 70}), b = c->imageToWidget({120, 120});
    QMouseEvent press(QEvent::MouseButtonPress, a, c->mapToGlobal(a), Qt::LeftButton,
                      Qt::LeftButton, Qt::NoModifier);
    QMouseEvent move(QEvent::MouseMove, b, c->mapToGlobal(b), Qt::NoButton, Qt::LeftButton,
                     Qt::NoModifier);
    QApplication::sendEvent(c, &press);
    QApplication::sendEvent(c, &move);
    CHECK(layer->pixels.contentBounds() == QRect(110, 110, 30, 30));
    QTest::keyClick(c, Qt::Key_Escape);
    CHECK(layerBytes(w.doc(), layer) == before);
    CHECK(w.doc().history().index() == index);
}
