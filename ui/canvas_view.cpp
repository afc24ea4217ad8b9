#include "ui/canvas_view.h"

#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace atelier::ui {
namespace {

constexpr double kZoomStep = 1.25;
constexpr int kFitMargin = 16;

QBrush checkerboardBrush() {
    QPixmap tile(16, 16);
    tile.fill(QColor(200, 200, 200));
    QPainter p(&tile);
    p.fillRect(0, 0, 8, 8, QColor(235, 235, 235));
    p.fillRect(8, 8, 8, 8, QColor(235, 235, 235));
    return QBrush(tile);
}

}  // namespace

CanvasView::CanvasView(QWidget* parent) : QWidget(parent) {
    setFocusPolicy(Qt::StrongFocus);
    setMouseTracking(true);
    setAttribute(Qt::WA_OpaquePaintEvent);
    setMinimumSize(200, 150);
}

void CanvasView::setImage(const QImage& image) {
    image_ = image;
    fitPending_ = true;
    fitToView();
}

void CanvasView::fitToView() {
    if (image_.isNull() || width() <= 0 || height() <= 0) {
        update();
        return;
    }
    const double availableW = std::max(1, width() - 2 * kFitMargin);
    const double availableH = std::max(1, height() - 2 * kFitMargin);
    zoom_ = std::clamp(std::min(availableW / image_.width(), availableH / image_.height()),
                       kMinZoom, kMaxZoom);
    pan_ = QPointF((width() - image_.width() * zoom_) / 2.0,
                   (height() - image_.height() * zoom_) / 2.0);
    fitPending_ = true;
    Q_EMIT zoomChanged(zoom_);
    update();
}

void CanvasView::zoomBy(double factor, QPointF anchor) {
    const double newZoom = std::clamp(zoom_ * factor, kMinZoom, kMaxZoom);
    if (newZoom == zoom_) return;
    // Keep the image point under the anchor fixed on screen.
    const QPointF imagePoint = widgetToImage(anchor);
    zoom_ = newZoom;
    pan_ = anchor - imagePoint * zoom_;
    fitPending_ = false;
    Q_EMIT zoomChanged(zoom_);
    update();
}

void CanvasView::zoomIn() { zoomBy(kZoomStep, QPointF(width() / 2.0, height() / 2.0)); }
void CanvasView::zoomOut() { zoomBy(1.0 / kZoomStep, QPointF(width() / 2.0, height() / 2.0)); }

QPointF CanvasView::widgetToImage(QPointF p) const { return (p - pan_) / zoom_; }
QPointF CanvasView::imageToWidget(QPointF p) const { return p * zoom_ + pan_; }

void CanvasView::paintEvent(QPaintEvent* event) {
    QPainter painter(this);
    painter.fillRect(event->rect(), palette().color(QPalette::Dark));
    if (image_.isNull()) {
        painter.setPen(palette().color(QPalette::BrightText));
        painter.drawText(rect(), Qt::AlignCenter,
                         tr("File > Open an image, or drop one here, to start."));
        return;
    }
    // Whole device pixels, so the backdrop never peeks out along a fractional edge.
    const QRect target =
        QRectF(pan_, QSizeF(image_.width() * zoom_, image_.height() * zoom_)).toAlignedRect();
    painter.fillRect(target, checkerboardBrush());
    // Nearest-neighbour when magnified so artists see real pixels; smooth when reduced.
    painter.setRenderHint(QPainter::SmoothPixmapTransform, zoom_ < 1.0);
    painter.drawImage(target, image_);
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

void CanvasView::mousePressEvent(QMouseEvent* event) {
    if (event->button() == Qt::MiddleButton || (event->button() == Qt::LeftButton && spaceHeld_)) {
        panning_ = true;
        lastMouse_ = event->position();
        updateCursor();
        event->accept();
        return;
    }
    QWidget::mousePressEvent(event);
}

void CanvasView::mouseMoveEvent(QMouseEvent* event) {
    if (panning_) {
        pan_ += event->position() - lastMouse_;
        lastMouse_ = event->position();
        fitPending_ = false;
        update();
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
    QWidget::mouseReleaseEvent(event);
}

void CanvasView::keyPressEvent(QKeyEvent* event) {
    if (event->key() == Qt::Key_Space && !event->isAutoRepeat()) {
        spaceHeld_ = true;
        updateCursor();
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

void CanvasView::updateCursor() {
    if (panning_) setCursor(Qt::ClosedHandCursor);
    else if (spaceHeld_) setCursor(Qt::OpenHandCursor);
    else unsetCursor();
}

}  // namespace atelier::ui
