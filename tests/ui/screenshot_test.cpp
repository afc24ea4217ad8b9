// Not a test: renders the documentation screenshot (docs/screenshots/main-window.png) from a
// scripted session. Hidden tag; run it under a real X server:
//   ATELIER_SCREENSHOT=docs/screenshots/main-window.png
//   xvfb-run -s "-screen 0 1400x900x24" build/tests/ui/test_ui "[.screenshot]"
#include "gui_test_helpers.h"

#include "app/document/layer.h"
#include "ui/layers_panel.h"
#include "ui/tools/tool_context.h"

#include <QLinearGradient>
#include <QPainter>

using namespace atelier;
using atelier::ui::MainWindow;
using atelier::ui::testing::dragOnCanvas;
using atelier::ui::testing::line;

TEST_CASE("documentation screenshot of the main window", "[.screenshot]") {
    const QString out = qEnvironmentVariable("ATELIER_SCREENSHOT");
    REQUIRE_FALSE(out.isEmpty());
    MainWindow window;
    window.askToSave = [] { return QMessageBox::Discard; };
    window.resize(1360, 860);
    window.show();
    REQUIRE(QTest::qWaitForWindowExposed(&window));
    window.newDocument(QSize(1024, 768));
    document::Document& doc = *window.document();

    // A painted backdrop: sky, sun, hills.
    QImage backdrop(doc.size(), QImage::Format_RGBA8888_Premultiplied);
    {
        QPainter p(&backdrop);
        p.setRenderHint(QPainter::Antialiasing);
        QLinearGradient sky(0, 0, 0, 768);
        sky.setColorAt(0, QColor(70, 120, 190));
        sky.setColorAt(1, QColor(250, 200, 150));
        p.fillRect(backdrop.rect(), sky);
        p.setBrush(QColor(255, 230, 160));
        p.setPen(Qt::NoPen);
        p.drawEllipse(QPointF(720, 300), 70, 70);
        QPainterPath hills;
        hills.moveTo(0, 560);
        hills.cubicTo(250, 430, 450, 640, 700, 520);
        hills.cubicTo(850, 450, 950, 520, 1024, 500);
        hills.lineTo(1024, 768);
        hills.lineTo(0, 768);
        p.setBrush(QColor(60, 110, 70));
        p.drawPath(hills);
    }
    window.currentLayer()->pixels.writeImage(backdrop, {0, 0});
    doc.markAllDirty();

    // Brush strokes on a new layer, then a mask painted over the sky for inpainting.
    window.layersPanel()->addLayer();
    window.toolContext().setColor(QColor(40, 30, 30));
    window.selectTool(MainWindow::ToolId::Brush);
    window.toolContext().setRadius(ui::BrushRole::Paint, 5);
    for (int i = 0; i < 5; ++i)
        dragOnCanvas(window.canvas(),
                     line({150.0 + i * 40, 620}, {170.0 + i * 40, 520.0 - i * 8}, 20));
    window.selectTool(MainWindow::ToolId::MaskBrush);
    window.toolContext().setRadius(ui::BrushRole::Mask, 40);
    dragOnCanvas(window.canvas(), line({180, 180}, {420, 230}, 30));
    window.selectTool(MainWindow::ToolId::EllipseSelect);
    dragOnCanvas(window.canvas(), line({600, 180}, {840, 420}, 4));
    window.selectTool(MainWindow::ToolId::Brush);
    window.toolContext().setRadius(ui::BrushRole::Paint, 18);
    QTest::qWait(600);  // thumbnails and the queued panel refresh
    const QPoint pointer = window.canvas()->imageToWidget({520, 420}).toPoint();
    QMouseEvent hover(QEvent::MouseMove, pointer, window.canvas()->mapToGlobal(pointer),
                      Qt::NoButton, Qt::NoButton, Qt::NoModifier);
    QApplication::sendEvent(window.canvas(), &hover);
    QTest::qWait(100);
    REQUIRE(window.grab().save(out, "PNG"));
}
