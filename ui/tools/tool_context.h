#pragma once
// What the tools share: the open document, the layer they work on (and whether its mask is
// being edited), the colour, the brush presets and sizes. The main window and the panels write
// it; the tools read it. Problems the artist should see go out through message().
#include "app/document/document.h"
#include "brushes/brush_preset.h"

#include <QColor>
#include <QObject>
#include <QString>

namespace atelier::ui {

// The three ways of painting; each keeps its own preset and size.
enum class BrushRole { Paint, Erase, Mask };

class ToolContext : public QObject {
    Q_OBJECT
public:
    explicit ToolContext(QObject* parent = nullptr);

    document::Document* document() const { return document_; }
    void setDocument(document::Document* document);

    // The layer tools work on; falls back to the topmost paint layer.
    document::LayerPtr currentLayer() const;
    void setCurrentLayer(const document::LayerPtr& layer);
    // Paint on the current layer's mask instead of its pixels (when it has one).
    bool editLayerMask() const { return editLayerMask_; }
    void setEditLayerMask(bool on);

    QColor color() const { return color_; }
    void setColor(const QColor& color);

    // The preset of a role, with the role's radius as its base radius.
    brushes::BrushPreset preset(BrushRole role) const;
    void setPreset(BrushRole role, const brushes::BrushPreset& preset);
    QString presetName(BrushRole role) const;
    double radius(BrushRole role) const { return radius_[int(role)]; }
    void setRadius(BrushRole role, double radius);  // clamped to the engine's 0.5..1000
    // The eraser works on the inpaint mask (after the mask brush) or on layers.
    bool eraserOnMask() const { return eraserOnMask_; }
    void setEraserOnMask(bool on);

    void message(const QString& text) { Q_EMIT messageRequested(text); }

Q_SIGNALS:
    void documentChanged();
    void currentLayerChanged();
    void colorChanged(const QColor& color);
    void brushChanged();  // a preset, a radius or the eraser's target
    void messageRequested(const QString& text);

private:
    document::Document* document_ = nullptr;
    int currentLayerId_ = -1;
    bool editLayerMask_ = false;
    QColor color_ = QColor(30, 30, 40);
    brushes::BrushPreset presets_[3];
    double radius_[3] = {12, 20, 30};
    bool eraserOnMask_ = false;
};

}  // namespace atelier::ui
