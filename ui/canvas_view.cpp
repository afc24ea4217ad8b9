#include "ui/canvas_view.h"

#include "ui/tools/tool.h"

#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QTabletEvent>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace atelier::ui {
namespace {

constexpr double kZoomStep = 1.25;
constexpr int kFitMargin = 16;
constexpr double kMaskOverlayAlpha = 0.5;  // the inpaint mask's red at full mask value

QBrush checkerboardBrush() {
    QPixmap tile(16, 16);
    tile.fill(QColor(200, 200, 200));
    QPainter p(&tile);
    p.fillRect(0, 0, 8, 8, QColor(235, 235, 235));
    p.fillRect(8, 8, 8, 8, QColor(235, 235, 235));
    return QBrush(tile);
}

// Tints premultiplied ARGB32 pixels red by the mask value (Format_Grayscale8, same size).
void tintByMask(QImage& image, const QImage& mask) {
    for (int y = 0; y < image.height(); ++y) {
        auto* px = reinterpret_cast<QRgb*>(image.scanLine(y));
        const uchar* m = mask.constScanLine(y);
        for (int x = 0; x < image.width(); ++x) {
            if (!m[x]) continue;
            const double a = kMaskOverlayAlpha * m[x] / 255.0;
            const QRgb d = px[x];
            px[x] = qRgba(int(255 * a + qRed(d) * (1 - a) + 0.5), int(qGreen(d) * (1 - a) + 0.5),
                          int(qBlue(d) * (1 - a) + 0.5), int(255 * a + qAlpha(d) * (1 - a) + 0.5));
        }
    }
}

// The boundary between selected (>= 128) and unselected pixels as axis-aligned segments in
// image coordinates, merged into runs: what the marching ants trace.
QVector<QLineF> selectionEdges(const QImage& mask, QPoint origin) {
    QVector<QLineF> lines;
    const int w = mask.width(), h = mask.height();
    auto on = [&](int x, int y) {
        return x >= 0 && y >= 0 && x < w && y < h && mask.constScanLine(y)[x] >= 128;
    };
    for (int y = 0; y <= h; ++y) {  // horizontal edges above row y
        int start = -1;
        for (int x = 0; x <= w; ++x) {
            const bool edge = x < w && on(x, y - 1) != on(x, y);
            if (edge && start < 0) start = x;
            if (!edge && start >= 0) {
                lines.push_back(
                    QLineF(origin.x() + start, origin.y() + y, origin.x() + x, origin.y() + y));
                start = -1;
            }
        }
    }
    for (int x = 0; x <= w; ++x) {  // vertical edges left of column x
        int start = -1;
        for (int y = 0; y <= h; ++y) {
            const bool edge = y < h && on(x - 1, y) != on(x, y);
            if (edge && start < 0) start = y;
            if (!edge && start >= 0) {
                lines.push_back(
                    QLineF(origin.x() + x, origin.y() + start, origin.x() + x, origin.y() + y));
                start = -1;
            }
        }
    }
    return lines;
}

}  // namespace

CanvasView::CanvasView(QWidget* parent) : QWidget(parent) {
    setFocusPolicy(Qt::StrongFocus);
    setMouseTracking(true);
    setTabletTracking(true);
    setAttribute(Qt::WA_OpaquePaintEvent);
    setMinimumSize(200, 150);
    antsTimer_.setInterval(200);
    connect(&antsTimer_, &QTimer::timeout, this, [this] {
        antsOffset_ = (antsOffset_ + 1) % 8;
        update();
    });
}

void CanvasView::setDocument(document::Document* document) {
    if (tool_) tool_->cancel();
    toolActive_ = false;
    document_ = document;
    preview_ = QImage();
    rebuildDisplay();
    selectionChanged();
    fitPending_ = true;
    fitToView();
}

void CanvasView::setTool(Tool* tool) {
    if (tool_ && toolActive_) tool_->cancel();
    toolActive_ = false;
    tool_ = tool;
    updateCursor();
    update();
}

void CanvasView::rebuildDisplay() {
    if (!document_) {
        display_ = QImage();
        return;
    }
    display_ = QImage(document_->size(), QImage::Format_ARGB32_Premultiplied);
    display_.fill(Qt::transparent);
    refreshDisplay(document_->bounds());
}

void CanvasView::refreshDisplay(const QRect& area) {
    if (!document_ || display_.isNull()) return;
    const QRect r = area & document_->bounds();
    if (r.isEmpty()) return;
    QImage part = document_->composite(r).convertToFormat(QImage::Format_ARGB32_Premultiplied);
    if (maskVisible_ && !document_->inpaintMask().isEmpty())
        tintByMask(part, document_->inpaintMask().toImage(r));
    QPainter p(&display_);
    p.setCompositionMode(QPainter::CompositionMode_Source);
    p.drawImage(r.topLeft(), part);
}

void CanvasView::documentChanged(const QRect& area) {
    if (!document_) return;
    if (display_.size() != document_->size()) {
        rebuildDisplay();
        update();
        return;
    }
    refreshDisplay(area);
    updateImageArea(area);
}

void CanvasView::selectionChanged() {
    const QVector<QLineF> old;
    selectionPath_ = QPainterPath();
    if (document_ && document_->hasSelection()) {
        const QRect area = document_->selection().contentBounds() & document_->bounds();
        if (!area.isEmpty()) {
            for (const QLineF& l :
                 selectionEdges(document_->selection().toImage(area), area.topLeft())) {
                selectionPath_.moveTo(l.p1());
                selectionPath_.lineTo(l.p2());
            }
        }
    }
    if (selectionPath_.isEmpty())
        antsTimer_.stop();
    else if (!antsTimer_.isActive())
        antsTimer_.start();
    update();
}

void CanvasView::setPreviewImage(const QImage& image, const QRect& area) {
    const QRect old = previewArea_;
    preview_ = image;
    previewArea_ = image.isNull() ? QRect() : area;
    updateImageArea(QRectF(old | previewArea_));
}

void CanvasView::setMaskOverlayVisible(bool visible) {
    if (visible == maskVisible_) return;
    maskVisible_ = visible;
    if (document_) documentChanged(document_->bounds());
}

void CanvasView::refreshOverlay() { update(); }

QTransform CanvasView::imageToWidgetTransform() const {
    QTransform t;
    t.translate(pan_.x(), pan_.y());
    t.rotate(rotation_);
    t.scale(zoom_, zoom_);
    return t;
}

QPointF CanvasView::widgetToImage(QPointF p) const {
    return imageToWidgetTransform().inverted().map(p);
}
QPointF CanvasView::imageToWidget(QPointF p) const { return imageToWidgetTransform().map(p); }

void CanvasView::updateImageArea(const QRectF& area) {
    if (area.isEmpty()) return;
    update(imageToWidgetTransform().mapRect(area).toAlignedRect().adjusted(-2, -2, 2, 2));
}

void CanvasView::viewTransformChanged() {
    moveOutline(outlinePos_);
    Q_EMIT viewChanged();
    update();
}

void CanvasView::fitToView() {
    if (!document_ || width() <= 0 || height() <= 0) {
        update();
        return;
    }
    const QSize size = document_->size();
    const double availableW = std::max(1, width() - 2 * kFitMargin);
    const double availableH = std::max(1, height() - 2 * kFitMargin);
    rotation_ = 0;
    zoom_ = std::clamp(std::min(availableW / size.width(), availableH / size.height()), kMinZoom,
                       kMaxZoom);
    pan_ =
        QPointF((width() - size.width() * zoom_) / 2.0, (height() - size.height() * zoom_) / 2.0);
    fitPending_ = true;
    Q_EMIT zoomChanged(zoom_);
    viewTransformChanged();
}

void CanvasView::zoomBy(double factor, QPointF anchor) {
    const double newZoom = std::clamp(zoom_ * factor, kMinZoom, kMaxZoom);
    if (newZoom == zoom_) return;
    // Keep the image point under the anchor fixed on screen.
    const QPointF imagePoint = widgetToImage(anchor);
    zoom_ = newZoom;
    pan_ += anchor - imageToWidget(imagePoint);
    fitPending_ = false;
    Q_EMIT zoomChanged(zoom_);
    viewTransformChanged();
}

void CanvasView::zoomIn() { zoomBy(kZoomStep, QPointF(width() / 2.0, height() / 2.0)); }
void CanvasView::zoomOut() { zoomBy(1.0 / kZoomStep, QPointF(width() / 2.0, height() / 2.0)); }

void CanvasView::rotateBy(double degrees) {
    const QPointF centre(width() / 2.0, height() / 2.0);
    const QPointF imagePoint = widgetToImage(centre);
    rotation_ = std::fmod(rotation_ + degrees + 360.0, 360.0);
    pan_ += centre - imageToWidget(imagePoint);
    fitPending_ = false;
    viewTransformChanged();
}

void CanvasView::resetRotation() { rotateBy(-rotation_); }

void CanvasView::paintEvent(QPaintEvent* event) {
    QPainter painter(this);
    painter.fillRect(event->rect(), palette().color(QPalette::Dark));
    if (!document_) {
        painter.setPen(palette().color(QPalette::BrightText));
        painter.drawText(rect(), Qt::AlignCenter, tr("File > New or File > Open to start."));
        return;
    }
    const QTransform t = imageToWidgetTransform();
    const QRectF bounds(document_->bounds());
    painter.setPen(Qt::NoPen);
    painter.setBrush(checkerboardBrush());
    painter.drawPolygon(t.map(bounds));

    // Only the exposed part of the display cache is drawn.
    const QRect source =
        t.inverted().mapRect(QRectF(event->rect())).toAlignedRect().adjusted(-1, -1, 1, 1) &
        document_->bounds();
    painter.setTransform(t);
    const bool axisAligned = std::fmod(rotation_, 90.0) == 0.0;
    // Nearest-neighbour when magnified so artists see real pixels; smooth when reduced or turned.
    painter.setRenderHint(QPainter::SmoothPixmapTransform, zoom_ < 1.0 || !axisAligned);
    if (!source.isEmpty()) painter.drawImage(QRectF(source), display_, QRectF(source));
    if (!preview_.isNull()) painter.drawImage(QRectF(previewArea_), preview_);

    if (!selectionPath_.isEmpty()) {
        QPen white(Qt::white, 0);
        painter.setPen(white);
        painter.setBrush(Qt::NoBrush);
        painter.drawPath(selectionPath_);
        QPen ants(Qt::black, 0, Qt::CustomDashLine);
        ants.setDashPattern({4, 4});
        ants.setDashOffset(antsOffset_);
        painter.setPen(ants);
        painter.drawPath(selectionPath_);
    }
    painter.resetTransform();
    painter.setRenderHint(QPainter::Antialiasing);
    if (tool_) tool_->paintOverlay(painter, t);
    if (outlineShown_ && tool_ && tool_->outlineRadius() > 0) {
        const double r = tool_->outlineRadius() * zoom_;
        painter.setBrush(Qt::NoBrush);
        painter.setPen(QPen(QColor(255, 255, 255, 200), 0));
        painter.drawEllipse(outlinePos_, r + 0.5, r + 0.5);
        painter.setPen(QPen(QColor(0, 0, 0, 200), 0));
        painter.drawEllipse(outlinePos_, r - 0.5 > 0 ? r - 0.5 : r, r - 0.5 > 0 ? r - 0.5 : r);
    }
}

void CanvasView::moveOutline(QPointF widgetPos) {
    outlinePos_ = widgetPos;
    QRectF now;
    if (outlineShown_ && tool_ && tool_->outlineRadius() > 0) {
        const double r = tool_->outlineRadius() * zoom_ + 2;
        now = QRectF(widgetPos - QPointF(r, r), QSizeF(2 * r, 2 * r));
    }
    update(outlineDrawn_.united(now).toAlignedRect().adjusted(-2, -2, 2, 2));
    outlineDrawn_ = now;
}

void CanvasView::resizeEvent(QResizeEvent*) {
    if (fitPending_) fitToView();
}

void CanvasView::wheelEvent(QWheelEvent* event) {
    const double steps = event->angleDelta().y() / 120.0;
    if (steps == 0) return;
    zoomBy(std::pow(kZoomStep, steps), event->position());
    event->accept();
}

bool CanvasView::startPan(QPointF widgetPos) {
    panning_ = true;
    lastMouse_ = widgetPos;
    updateCursor();
    return true;
}

void CanvasView::toolPress(const PointerInput& input) {
    if (!tool_ || !document_) return;
    toolActive_ = true;
    tool_->press(input);
    if (tool_->outlineRadius() <= 0) update();
}

void CanvasView::toolMove(const PointerInput& input) {
    if (!toolActive_ || !tool_) return;
    tool_->move(input);
    if (tool_->outlineRadius() <= 0) update();
}

void CanvasView::toolRelease(const PointerInput& input) {
    if (!toolActive_ || !tool_) return;
    toolActive_ = false;
    tool_->release(input);
    update();
}

void CanvasView::mousePressEvent(QMouseEvent* event) {
    if (event->button() == Qt::MiddleButton || (event->button() == Qt::LeftButton && spaceHeld_)) {
        startPan(event->position());
        event->accept();
        return;
    }
    if (event->button() == Qt::LeftButton) {
        PointerInput in;
        in.imagePos = widgetToImage(event->position());
        in.timeMs = double(event->timestamp());
        in.modifiers = event->modifiers();
        toolPress(in);
        event->accept();
        return;
    }
    QWidget::mousePressEvent(event);
}

void CanvasView::mouseMoveEvent(QMouseEvent* event) {
    outlineShown_ = true;
    moveOutline(event->position());
    Q_EMIT pointerMoved(widgetToImage(event->position()));
    if (panning_) {
        pan_ += event->position() - lastMouse_;
        lastMouse_ = event->position();
        fitPending_ = false;
        viewTransformChanged();
        event->accept();
        return;
    }
    if (toolActive_) {
        PointerInput in;
        in.imagePos = widgetToImage(event->position());
        in.timeMs = double(event->timestamp());
        in.modifiers = event->modifiers();
        toolMove(in);
        event->accept();
        return;
    }
    QWidget::mouseMoveEvent(event);
}

void CanvasView::mouseReleaseEvent(QMouseEvent* event) {
    if (panning_ && (event->button() == Qt::MiddleButton || event->button() == Qt::LeftButton)) {
        panning_ = false;
        updateCursor();
        event->accept();
        return;
    }
    if (event->button() == Qt::LeftButton && toolActive_) {
        PointerInput in;
        in.imagePos = widgetToImage(event->position());
        in.timeMs = double(event->timestamp());
        in.modifiers = event->modifiers();
        toolRelease(in);
        event->accept();
        return;
    }
    QWidget::mouseReleaseEvent(event);
}

void CanvasView::tabletEvent(QTabletEvent* event) {
    // Panning goes through the mouse events Qt synthesises from tablet events not accepted.
    if (spaceHeld_ || panning_) {
        event->ignore();
        return;
    }
    PointerInput in;
    in.imagePos = widgetToImage(event->position());
    in.pressure = float(event->pressure());
    in.tiltX = float(event->xTilt());
    in.tiltY = float(event->yTilt());
    in.timeMs = double(event->timestamp());
    in.modifiers = event->modifiers();
    switch (event->type()) {
        case QEvent::TabletPress:
            if (event->button() != Qt::LeftButton) {
                event->ignore();
                return;
            }
            toolPress(in);
            break;
        case QEvent::TabletMove:
            outlineShown_ = true;
            moveOutline(event->position());
            Q_EMIT pointerMoved(in.imagePos);
            toolMove(in);
            break;
        case QEvent::TabletRelease:
            toolRelease(in);
            break;
        default:
            event->ignore();
            return;
    }
    event->accept();
}

void CanvasView::keyPressEvent(QKeyEvent* event) {
    if (event->key() == Qt::Key_Space && !event->isAutoRepeat()) {
        spaceHeld_ = true;
        updateCursor();
        event->accept();
        return;
    }
    if (event->key() == Qt::Key_Escape && toolActive_ && tool_) {
        tool_->cancel();
        toolActive_ = false;
        update();
        event->accept();
        return;
    }
    QWidget::keyPressEvent(event);
}

void CanvasView::keyReleaseEvent(QKeyEvent* event) {
    if (event->key() == Qt::Key_Space && !event->isAutoRepeat()) {
        spaceHeld_ = false;
        updateCursor();
        event->accept();
        return;
    }
    QWidget::keyReleaseEvent(event);
}

void CanvasView::leaveEvent(QEvent*) {
    outlineShown_ = false;
    moveOutline(outlinePos_);
}

void CanvasView::focusOutEvent(QFocusEvent*) {
    spaceHeld_ = false;
    updateCursor();
}

void CanvasView::updateCursor() {
    if (panning_)
        setCursor(Qt::ClosedHandCursor);
    else if (spaceHeld_)
        setCursor(Qt::OpenHandCursor);
    else if (tool_)
        setCursor(tool_->cursor());
    else
        unsetCursor();
}

}  // namespace atelier::ui
