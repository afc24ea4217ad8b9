#include "ui/tools/tool_context.h"

#include <algorithm>

namespace atelier::ui {
namespace {

brushes::BrushPreset fallbackPreset(BrushRole role) {
    brushes::BrushPreset p;
    p.name = role == BrushRole::Paint ? "Round" : role == BrushRole::Erase ? "Eraser" : "Mask";
    p.mode = role == BrushRole::Erase ? brushes::DabMode::Erase : brushes::DabMode::Paint;
    p.target = role == BrushRole::Mask ? brushes::PresetTarget::Mask : brushes::PresetTarget::Layer;
    p.settings.setBase(brushes::BrushSetting::Hardness, role == BrushRole::Mask ? 0.6f : 0.9f);
    return p;
}

}  // namespace

ToolContext::ToolContext(QObject* parent) : QObject(parent) {
    for (int r = 0; r < 3; ++r) presets_[r] = fallbackPreset(BrushRole(r));
}

void ToolContext::setDocument(document::Document* document) {
    document_ = document;
    currentLayerId_ = -1;
    editLayerMask_ = false;
    Q_EMIT documentChanged();
    Q_EMIT currentLayerChanged();
}

document::LayerPtr ToolContext::currentLayer() const {
    if (!document_) return nullptr;
    if (currentLayerId_ >= 0)
        if (document::LayerPtr l = document_->findLayer(currentLayerId_)) return l;
    const QVector<document::LayerPtr> layers = document_->allLayers();
    for (auto it = layers.rbegin(); it != layers.rend(); ++it)
        if (!(*it)->isGroup()) return *it;
    return nullptr;
}

void ToolContext::setCurrentLayer(const document::LayerPtr& layer) {
    const int id = layer ? layer->id() : -1;
    if (id == currentLayerId_) return;
    currentLayerId_ = id;
    if (layer && !layer->mask) editLayerMask_ = false;
    Q_EMIT currentLayerChanged();
}

void ToolContext::setEditLayerMask(bool on) {
    if (on == editLayerMask_) return;
    editLayerMask_ = on;
    Q_EMIT currentLayerChanged();
}

void ToolContext::setColor(const QColor& color) {
    if (color == color_ || !color.isValid()) return;
    color_ = color;
    Q_EMIT colorChanged(color_);
}

brushes::BrushPreset ToolContext::preset(BrushRole role) const {
    brushes::BrushPreset p = presets_[int(role)];
    p.settings.setBase(brushes::BrushSetting::Radius, float(radius_[int(role)]));
    if (role == BrushRole::Erase) p.mode = brushes::DabMode::Erase;
    if (role == BrushRole::Erase && eraserOnMask_) p.target = brushes::PresetTarget::Mask;
    return p;
}

void ToolContext::setPreset(BrushRole role, const brushes::BrushPreset& preset) {
    presets_[int(role)] = preset;
    radius_[int(role)] = preset.settings.base(brushes::BrushSetting::Radius);
    Q_EMIT brushChanged();
}

QString ToolContext::presetName(BrushRole role) const {
    return QString::fromStdString(presets_[int(role)].name);
}

void ToolContext::setRadius(BrushRole role, double radius) {
    radius_[int(role)] = std::clamp(radius, 0.5, 1000.0);
    Q_EMIT brushChanged();
}

void ToolContext::setEraserOnMask(bool on) {
    if (on == eraserOnMask_) return;
    eraserOnMask_ = on;
    Q_EMIT brushChanged();
}

}  // namespace atelier::ui
