#pragma once
// A canvas tool: receives pointer input in image coordinates (mouse or tablet) and may draw an
// overlay on the canvas. The canvas view owns the view transform and panning; tools only see
// image positions.
#include <QCursor>
#include <QPointF>
#include <QTransform>

class QPainter;

namespace atelier::ui {

struct PointerInput {
    QPointF imagePos;       // image pixels, (0, 0) the canvas's top-left corner
    float pressure = 1.0f;  // 0..1; a mouse sends 1
    float tiltX = 0.0f;     // degrees, as QTabletEvent::xTilt()
    float tiltY = 0.0f;
    double timeMs = 0.0;
    Qt::KeyboardModifiers modifiers;
};

class Tool {
public:
    virtual ~Tool() = default;
    virtual void press(const PointerInput& input) = 0;
    virtual void move(const PointerInput& input) = 0;  // only between press and release
    virtual void release(const PointerInput& input) = 0;
    // Abandons what press() started (focus lost, document replaced, Esc).
    virtual void cancel() {}
    // Radius in image pixels of the brush outline drawn around the pointer; 0: none.
    virtual double outlineRadius() const { return 0.0; }
    // Draws the tool's own feedback (the selection being dragged) over the canvas.
    virtual void paintOverlay(QPainter&, const QTransform& /*imageToWidget*/) const {}
    virtual QCursor cursor() const { return Qt::CrossCursor; }
};

}  // namespace atelier::ui
