#pragma once
// The canvas: shows the artwork fitted to the view, with zoom (wheel, Ctrl +/-) and pan
// (space-drag, middle-button drag). View state only; the image itself belongs to the document.
#include <QImage>
#include <QPointF>
#include <QWidget>

namespace atelier::ui {

class CanvasView : public QWidget {
    Q_OBJECT
public:
    explicit CanvasView(QWidget* parent = nullptr);

    void setImage(const QImage& image);  // also fits it to the view
    const QImage& image() const { return image_; }

    double zoom() const { return zoom_; }
    QPointF pan() const { return pan_; }
    void fitToView();
    void zoomBy(double factor, QPointF anchorInWidget);
    void zoomIn();
    void zoomOut();

    // Maps between widget and image coordinates under the current view transform.
    QPointF widgetToImage(QPointF p) const;
    QPointF imageToWidget(QPointF p) const;

    static constexpr double kMinZoom = 1.0 / 64;
    static constexpr double kMaxZoom = 64.0;

Q_SIGNALS:
    void zoomChanged(double zoom);

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void keyReleaseEvent(QKeyEvent* event) override;

private:
    void updateCursor();

    QImage image_;
    double zoom_ = 1.0;
    QPointF pan_;  // widget position of the image's top-left corner
    bool fitPending_ = true;  // keep fitting on resize until the user zooms or pans
    bool spaceHeld_ = false;
    bool panning_ = false;
    QPointF lastMouse_;
};

}  // namespace atelier::ui
