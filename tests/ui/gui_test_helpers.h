#pragma once
// Shared by the GUI tests: a shown main window and synthetic pointer strokes on its canvas.
#include "ui/canvas_view.h"
#include "ui/main_window.h"

#include <QApplication>
#include <QMouseEvent>
#include <QTest>

#include <catch2/catch.hpp>

namespace atelier::ui::testing {

struct ShownWindow {
    MainWindow window;
    ShownWindow() {
        window.resize(1000, 700);
        window.show();
        REQUIRE(QTest::qWaitForWindowExposed(&window));
        window.askToSave = [] { return QMessageBox::Discard; };
    }
    CanvasView* canvas() { return window.canvas(); }
    document::Document& doc() { return *window.document(); }
};

// A left-button drag through image points, as mouse events with timestamps 10 ms apart.
inline void dragOnCanvas(CanvasView* canvas, const QVector<QPointF>& imagePoints,
                         Qt::KeyboardModifiers modifiers = Qt::NoModifier) {
    ulong t = 1000;
    for (int i = 0; i < imagePoints.size(); ++i) {
        const QPointF w = canvas->imageToWidget(imagePoints[i]);
        const QEvent::Type type = i == 0                        ? QEvent::MouseButtonPress
                                  : i + 1 == imagePoints.size() ? QEvent::MouseButtonRelease
                                                                : QEvent::MouseMove;
        const Qt::MouseButton button = type == QEvent::MouseMove ? Qt::NoButton : Qt::LeftButton;
        const Qt::MouseButtons buttons =
            type == QEvent::MouseButtonRelease ? Qt::NoButton : Qt::LeftButton;
        QMouseEvent e(type, w, canvas->mapToGlobal(w), button, buttons, modifiers);
        e.setTimestamp(t);
        t += 10;
        QApplication::sendEvent(canvas, &e);
    }
}

// The points of a straight line, n steps.
inline QVector<QPointF> line(QPointF a, QPointF b, int n = 12) {
    QVector<QPointF> out;
    for (int i = 0; i <= n; ++i) out.push_back(a + (b - a) * (double(i) / n));
    return out;
}

}  // namespace atelier::ui::testing
