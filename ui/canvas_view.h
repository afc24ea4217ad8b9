#pragma once
// The canvas: shows the document's composite under a view transform (pan, zoom, rotation, fit)
// and hands pointer input (mouse, or tablet with pressure and tilt) to the current tool.
// Only dirty areas are redrawn: documentChanged(area) refreshes that part of a display cache
// from the document's composite tiles and repaints only where it lies on screen.
// Overlays: the inpaint mask (red), the selection outline (marching ants), the brush outline
// around the pointer, a preview image (the AI side's live preview) and the tool's own feedback.
#include "app/document/document.h"

#include <QImage>
#include <QPainterPath>
#include <QPointF>
#include <QTimer>
#include <QTransform>
#include <QWidget>

namespace atelier::ui {

class Tool;
struct PointerInput;

class CanvasView : public QWidget {
    Q_OBJECT
public:
    explicit CanvasView(QWidget* parent = nullptr);

    // The document shown (not owned); null shows the empty-canvas hint. Fits it to the view.
    void setDocument(document::Document* document);
    document::Document* document() const { return document_; }
    void setTool(Tool* tool);  // not owned; null: pointer input only pans
    Tool* tool() const { return tool_; }

    double zoom() const { return zoom_; }
    double rotation() const { return rotation_; }  // degrees, clockwise on screen
    QPointF pan() const { return pan_; }           // widget position of the image's origin
    void fitToView();
    void zoomBy(double factor, QPointF anchorInWidget);
    void zoomIn();
    void zoomOut();
    void rotateBy(double degrees);  // about the view's centre
    void resetRotation();

    // Maps between widget and image coordinates under the current view transform.
    QTransform imageToWidgetTransform() const;
    QPointF widgetToImage(QPointF p) const;
    QPointF imageToWidget(QPointF p) const;

    // Shows image over the document area (image pixels), e.g. a generation in progress; a null
    // image removes it.
    void setPreviewImage(const QImage& image, const QRect& area);
    void setMaskOverlayVisible(bool visible);
    bool maskOverlayVisible() const { return maskVisible_; }

    // The display cache (composite with the mask overlay), for tests.
    const QImage& displayImage() const { return display_; }

    static constexpr double kMinZoom = 1.0 / 64;
    static constexpr double kMaxZoom = 64.0;

public Q_SLOTS:
    // The document's composite or inpaint mask changed in area (image pixels).
    void documentChanged(const QRect& area);
    // Re-reads the selection outline (after a selection change or undo).
    void selectionChanged();
    // Redraws the tool's overlay and the brush outline.
    void refreshOverlay();

Q_SIGNALS:
    void zoomChanged(double zoom);
    void viewChanged();
    void pointerMoved(QPointF imagePos);

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void tabletEvent(QTabletEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void keyReleaseEvent(QKeyEvent* event) override;
    void leaveEvent(QEvent* event) override;
    void focusOutEvent(QFocusEvent* event) override;

private:
    void rebuildDisplay();
    void refreshDisplay(const QRect& area);
    void updateImageArea(const QRectF& area);
    void updateCursor();
    void moveOutline(QPointF widgetPos);
    void viewTransformChanged();
    bool startPan(QPointF widgetPos);
    void toolPress(const PointerInput& input);
    void toolMove(const PointerInput& input);
    void toolRelease(const PointerInput& input);

    document::Document* document_ = nullptr;
    Tool* tool_ = nullptr;
    QImage display_;  // ARGB32_Premultiplied, document-sized
    bool maskVisible_ = true;
    QImage preview_;
    QRect previewArea_;
    QPainterPath selectionPath_;  // image coordinates
    QTimer antsTimer_;
    int antsOffset_ = 0;

    double zoom_ = 1.0;
    double rotation_ = 0.0;
    QPointF pan_;
    bool fitPending_ = true;  // keep fitting on resize until the user zooms or pans
    bool spaceHeld_ = false;
    bool panning_ = false;
    bool toolActive_ = false;
    QPointF lastMouse_;
    QPointF outlinePos_;  // widget coordinates of the pointer, for the brush outline
    bool outlineShown_ = false;
    QRectF outlineDrawn_;
};

}  // namespace atelier::ui
