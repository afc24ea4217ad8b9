#include "ui/tools/selection_tool.h"

#include <QCoreApplication>
#include <QPainter>
#include <QPainterPath>

namespace atelier::ui {

SelectionTool::SelectionTool(ToolContext& context, Shape shape)
    : context_(context), shape_(shape) {}

void SelectionTool::press(const PointerInput& input) {
    dragging_ = true;
    points_ = {input.imagePos};
}

void SelectionTool::move(const PointerInput& input) {
    if (!dragging_) return;
    if (shape_ == Shape::Lasso || points_.size() < 2)
        points_.push_back(input.imagePos);
    else
        points_.back() = input.imagePos;
}

QPainterPath SelectionTool::path() const {
    QPainterPath p;
    if (points_.size() < 2) return p;
    const QRectF box = QRectF(points_.front(), points_.back()).normalized();
    switch (shape_) {
        case Shape::Rectangle:
            p.addRect(box);
            break;
        case Shape::Ellipse:
            p.addEllipse(box);
            break;
        case Shape::Lasso:
            p.addPolygon(points_);
            p.closeSubpath();
            break;
    }
    return p;
}

void SelectionTool::release(const PointerInput& input) {
    if (!dragging_) return;
    move(input);
    dragging_ = false;
    document::Document* doc = context_.document();
    if (!doc) return;
    const QPainterPath shape = path();
    const QRect area = shape.boundingRect().toAlignedRect() & doc->bounds();
    const bool add = input.modifiers & Qt::ShiftModifier;
    const bool subtract = input.modifiers & Qt::AltModifier;
    if (area.width() < 1 || area.height() < 1 ||
        shape.boundingRect().width() * shape.boundingRect().height() < 1) {
        if (!add && !subtract && doc->hasSelection())
            doc->setSelection(document::TileGrid(1, 0), false,
                              QCoreApplication::translate("SelectionTool", "Deselect"));
        points_.clear();
        return;
    }
    // The shape, antialiased, as a grey image over its bounds.
    QImage mask(area.size(), QImage::Format_Grayscale8);
    mask.fill(0);
    {
        QPainter p(&mask);
        p.setRenderHint(QPainter::Antialiasing);
        p.translate(-area.topLeft());
        p.fillPath(shape, Qt::white);
    }
    document::TileGrid grid =
        doc->hasSelection() && (add || subtract) ? doc->selection() : document::TileGrid(1, 0);
    QImage current = grid.toImage(area);
    for (int y = 0; y < area.height(); ++y) {
        uchar* c = current.scanLine(y);
        const uchar* m = mask.constScanLine(y);
        for (int x = 0; x < area.width(); ++x) {
            if (subtract)
                c[x] = uchar(c[x] * (255 - m[x]) / 255);
            else
                c[x] = std::max(c[x], m[x]);
        }
    }
    grid.writeImage(current, area.topLeft());
    const bool any = !grid.isEmpty();
    const char* what = shape_ == Shape::Rectangle ? "Select rectangle"
                       : shape_ == Shape::Ellipse ? "Select ellipse"
                                                  : "Select lasso";
    doc->setSelection(grid, any, QCoreApplication::translate("SelectionTool", what));
    points_.clear();
}

void SelectionTool::paintOverlay(QPainter& painter, const QTransform& imageToWidget) const {
    if (!dragging_) return;
    const QPainterPath p = imageToWidget.map(path());
    painter.setBrush(Qt::NoBrush);
    painter.setPen(QPen(Qt::white, 0));
    painter.drawPath(p);
    painter.setPen(QPen(Qt::black, 0, Qt::DashLine));
    painter.drawPath(p);
}

}  // namespace atelier::ui
