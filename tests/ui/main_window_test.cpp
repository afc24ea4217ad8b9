#include "ui/main_window.h"
#include "ui/canvas_view.h"

#include <QApplication>
#include <QFileInfo>
#include <QMouseEvent>
#include <QTemporaryDir>
#include <QTest>
#include <QWheelEvent>

#include <catch2/catch.hpp>

using atelier::ui::CanvasView;
using atelier::ui::MainWindow;

namespace {

QString testImage(const char* name) {
    return QStringLiteral(ATELIER_TEST_DATA_DIR "/images/") + QString::fromUtf8(name);
}

struct ShownWindow {
    MainWindow window;
    ShownWindow() {
        window.resize(800, 600);
        window.show();
        REQUIRE(QTest::qWaitForWindowExposed(&window));
    }
    CanvasView* canvas() { return window.canvas(); }
    QImage grabCanvas() { return canvas()->grab().toImage(); }
};

}  // namespace

TEST_CASE("an opened image is shown fitted to the canvas", "[gui]") {
    ShownWindow w;
    REQUIRE(w.window.openImage(testImage("red_blue_64x32.png")).isEmpty());
    QCoreApplication::processEvents();

    CanvasView* canvas = w.canvas();
    const QImage shot = w.grabCanvas();
    const double zoom = canvas->zoom();
    // Fitted: the 2:1 image fills the canvas width (minus margins), centred.
    CHECK(zoom == Approx((canvas->width() - 32) / 64.0).epsilon(0.01));
    const QPointF centre = canvas->imageToWidget(QPointF(32, 16));
    CHECK(centre.x() == Approx(canvas->width() / 2.0).margin(1));
    CHECK(centre.y() == Approx(canvas->height() / 2.0).margin(1));

    const double dpr = shot.devicePixelRatio();
    auto pixelAt = [&](QPointF imagePoint) {
        const QPointF p = canvas->imageToWidget(imagePoint) * dpr;
        return shot.pixelColor(p.toPoint());
    };
    CHECK(pixelAt({8, 16}) == QColor(255, 0, 0));
    CHECK(pixelAt({56, 16}) == QColor(0, 0, 255));
    // Above the image is the canvas background, not the artwork.
    const QColor outside = shot.pixelColor(QPoint(int(canvas->width() / 2 * dpr), 2));
    CHECK(outside != QColor(255, 0, 0));
    CHECK(outside != QColor(0, 0, 255));
    // An image opens as a new document, to be saved as .ora.
    CHECK(w.window.windowTitle().contains(QStringLiteral("red_blue_64x32.ora")));
}

TEST_CASE("wheel zoom keeps the point under the cursor in place", "[gui]") {
    ShownWindow w;
    REQUIRE(w.window.openImage(testImage("red_blue_64x32.png")).isEmpty());
    CanvasView* canvas = w.canvas();
    const double before = canvas->zoom();
    const QPointF cursor(canvas->width() * 0.3, canvas->height() * 0.5);
    const QPointF imagePointBefore = canvas->widgetToImage(cursor);

    QWheelEvent wheel(cursor, canvas->mapToGlobal(cursor), QPoint(), QPoint(0, 120), Qt::NoButton,
                      Qt::NoModifier, Qt::NoScrollPhase, false);
    QApplication::sendEvent(canvas, &wheel);

    CHECK(canvas->zoom() == Approx(before * 1.25));
    const QPointF imagePointAfter = canvas->widgetToImage(cursor);
    CHECK(imagePointAfter.x() == Approx(imagePointBefore.x()).margin(1e-6));
    CHECK(imagePointAfter.y() == Approx(imagePointBefore.y()).margin(1e-6));
}

TEST_CASE("keyboard zoom and middle-button pan move the view", "[gui]") {
    ShownWindow w;
    REQUIRE(w.window.openImage(testImage("red_blue_64x32.png")).isEmpty());
    CanvasView* canvas = w.canvas();
    w.window.activateWindow();
    canvas->setFocus();
    REQUIRE(QTest::qWaitForWindowActive(&w.window));

    const double fitted = canvas->zoom();
    QTest::keyClick(&w.window, Qt::Key_Equal, Qt::ControlModifier);
    CHECK(canvas->zoom() == Approx(fitted * 1.25));
    QTest::keyClick(&w.window, Qt::Key_Minus, Qt::ControlModifier);
    CHECK(canvas->zoom() == Approx(fitted));

    const QPointF panBefore = canvas->pan();
    const QPointF start(100, 100), end(160, 130);
    QMouseEvent press(QEvent::MouseButtonPress, start, canvas->mapToGlobal(start), Qt::MiddleButton,
                      Qt::MiddleButton, Qt::NoModifier);
    QMouseEvent move(QEvent::MouseMove, end, canvas->mapToGlobal(end), Qt::NoButton,
                     Qt::MiddleButton, Qt::NoModifier);
    QMouseEvent release(QEvent::MouseButtonRelease, end, canvas->mapToGlobal(end), Qt::MiddleButton,
                        Qt::NoButton, Qt::NoModifier);
    QApplication::sendEvent(canvas, &press);
    QApplication::sendEvent(canvas, &move);
    QApplication::sendEvent(canvas, &release);
    CHECK(canvas->pan() == panBefore + (end - start));

    // Space + left drag pans too.
    QTest::keyPress(canvas, Qt::Key_Space);
    const QPointF panMid = canvas->pan();
    QMouseEvent lpress(QEvent::MouseButtonPress, start, canvas->mapToGlobal(start), Qt::LeftButton,
                       Qt::LeftButton, Qt::NoModifier);
    QMouseEvent lmove(QEvent::MouseMove, end, canvas->mapToGlobal(end), Qt::NoButton,
                      Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(canvas, &lpress);
    QApplication::sendEvent(canvas, &lmove);
    QTest::keyRelease(canvas, Qt::Key_Space);
    CHECK(canvas->pan() == panMid + (end - start));

    QTest::keyClick(&w.window, Qt::Key_0, Qt::ControlModifier);
    CHECK(canvas->zoom() == Approx(fitted));
}

TEST_CASE("a broken or absurdly large image gives an error and keeps the current one", "[gui]") {
    ShownWindow w;
    REQUIRE(w.window.openImage(testImage("red_blue_64x32.png")).isEmpty());
    for (const char* name : {"declares_100000x100000.png", "truncated.png", "not_an_image.png"}) {
        INFO(name);
        const QString error = w.window.openImage(testImage(name));
        CHECK(error.contains(QString::fromUtf8(name)));
        CHECK(w.window.document()->size() == QSize(64, 32));
        CHECK(w.window.windowTitle().contains(QStringLiteral("red_blue_64x32")));
    }
}

TEST_CASE("Export PNG writes what the canvas shows", "[gui]") {
    ShownWindow w;
    QTemporaryDir dir;
    const QString out = dir.filePath(QStringLiteral("export.png"));
    REQUIRE(w.window.openImage(testImage("red_blue_64x32.png")).isEmpty());
    REQUIRE(w.window.exportPng(out).isEmpty());
    QImage written(out);
    REQUIRE(written.size() == QSize(64, 32));
    CHECK(written.pixelColor(0, 0) == QColor(255, 0, 0));
    CHECK(written.pixelColor(63, 31) == QColor(0, 0, 255));
}
