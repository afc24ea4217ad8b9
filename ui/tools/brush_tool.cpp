#include "ui/tools/brush_tool.h"

#include "app/document/pixel_edit.h"

#include <QCoreApplication>

namespace atelier::ui {

BrushTool::BrushTool(ToolContext& context, BrushRole role) : context_(context), role_(role) {}

BrushTool::~BrushTool() { cancel(); }

document::ChannelRef BrushTool::targetChannel(QString* whyNot) const {
    const brushes::BrushPreset preset = context_.preset(role_);
    if (preset.target == brushes::PresetTarget::Mask && !context_.editLayerMask())
        return document::ChannelRef::inpaintMask();
    const document::LayerPtr layer = context_.currentLayer();
    if (!layer) {
        *whyNot = QCoreApplication::translate("BrushTool", "There is no layer to paint on.");
        return {};
    }
    if (context_.editLayerMask() && layer->mask) return document::ChannelRef::layerMask(layer);
    if (preset.target == brushes::PresetTarget::Mask) return document::ChannelRef::inpaintMask();
    return document::ChannelRef::pixels(layer);
}

void BrushTool::press(const PointerInput& input) {
    cancel();
    document::Document* doc = context_.document();
    if (!doc) return;
    QString whyNot;
    const document::ChannelRef target = targetChannel(&whyNot);
    if (whyNot.isEmpty()) {
        const QString text =
            role_ == BrushRole::Erase  ? QCoreApplication::translate("BrushTool", "Erase")
            : role_ == BrushRole::Mask ? QCoreApplication::translate("BrushTool", "Mask stroke")
                                       : QCoreApplication::translate("BrushTool", "Brush stroke");
        edit_ = doc->beginPixelEdit(target, text, &whyNot);
    }
    if (!edit_) {
        context_.message(whyNot);
        return;
    }
    brushes::BrushPreset preset = context_.preset(role_);
    const QColor c = context_.color();
    surface_ = std::make_unique<document::BrushSurface>(*edit_);
    engine_ = std::make_unique<brushes::StrokeEngine>(
        std::move(preset),
        brushes::ColorF{float(c.redF()), float(c.greenF()), float(c.blueF()), 1.f}, *surface_);
    addEvent(input);
}

void BrushTool::addEvent(const PointerInput& input) {
    brushes::InputEvent e;
    e.x = input.imagePos.x();
    e.y = input.imagePos.y();
    e.pressure = input.pressure;
    e.tiltX = input.tiltX;
    e.tiltY = input.tiltY;
    e.timeMs = input.timeMs;
    engine_->addEvent(e);
}

void BrushTool::move(const PointerInput& input) {
    if (engine_) addEvent(input);
}

void BrushTool::release(const PointerInput& input) {
    if (!engine_) return;
    addEvent(input);
    engine_->finish();
    edit_->commit();  // false (no step) when the stroke changed nothing
    engine_.reset();
    surface_.reset();
    edit_.reset();
}

void BrushTool::cancel() {
    engine_.reset();
    surface_.reset();
    if (edit_) edit_->cancel();
    edit_.reset();
}

}  // namespace atelier::ui
