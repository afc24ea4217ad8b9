#pragma once
// Rectangle, ellipse and lasso selection. Dragging shows the outline; releasing replaces the
// selection (Shift adds to it, Alt subtracts) as one undo step. A click without a drag
// deselects.
#include "ui/tools/tool.h"
#include "ui/tools/tool_context.h"

#include <QPolygonF>

namespace atelier::ui {

class SelectionTool : public Tool {
public:
    enum class Shape { Rectangle, Ellipse, Lasso };
    SelectionTool(ToolContext& context, Shape shape);

    Shape shape() const { return shape_; }
    void press(const PointerInput& input) override;
    void move(const PointerInput& input) override;
    void release(const PointerInput& input) override;
    void cancel() override { dragging_ = false; }
    void paintOverlay(QPainter& painter, const QTransform& imageToWidget) const override;

    // The path the drag so far describes, image coordinates.
    QPainterPath path() const;

private:
    ToolContext& context_;
    Shape shape_;
    bool dragging_ = false;
    QPolygonF points_;  // press point, then every move (lasso) or the current corner
};

}  // namespace atelier::ui
