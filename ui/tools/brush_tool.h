#pragma once
// Brush, eraser and mask brush: one stroke = one StrokeEngine on one PixelEdit = one undo step.
// Where it paints: the mask brush (and the eraser after it) the inpaint mask; brush and eraser
// the current layer's pixels, or its layer mask while that is being edited.
#include "app/document/brush_surface.h"
#include "brushes/stroke_engine.h"
#include "ui/tools/tool.h"
#include "ui/tools/tool_context.h"

#include <memory>

namespace atelier::ui {

class BrushTool : public Tool {
public:
    BrushTool(ToolContext& context, BrushRole role);
    ~BrushTool() override;

    void press(const PointerInput& input) override;
    void move(const PointerInput& input) override;
    void release(const PointerInput& input) override;
    void cancel() override;
    double outlineRadius() const override { return context_.radius(role_); }
    bool stroking() const { return engine_ != nullptr; }

private:
    document::ChannelRef targetChannel(QString* whyNot) const;
    void addEvent(const PointerInput& input);

    ToolContext& context_;
    BrushRole role_;
    std::unique_ptr<document::PixelEdit> edit_;
    std::unique_ptr<document::BrushSurface> surface_;
    std::unique_ptr<brushes::StrokeEngine> engine_;
};

}  // namespace atelier::ui
