#pragma once
// The move tool: drags the current layer's pixels (or its mask, while that is edited) by whole
// pixels. The drag is shown live and becomes one undo step on release; Esc puts it back.
#include "app/document/pixel_edit.h"
#include "ui/tools/tool.h"
#include "ui/tools/tool_context.h"

#include <QImage>
#include <memory>

namespace atelier::ui {

class MoveTool : public Tool {
public:
    explicit MoveTool(ToolContext& context) : context_(context) {}
    ~MoveTool() override { cancel(); }

    void press(const PointerInput& input) override;
    void move(const PointerInput& input) override;
    void release(const PointerInput& input) override;
    void cancel() override;
    QCursor cursor() const override { return Qt::SizeAllCursor; }

private:
    void moveTo(QPoint offset);

    ToolContext& context_;
    document::ChannelRef target_;
    QPointF start_;
    QRect bounds_;    // the content's tight bounds when the drag began
    QImage content_;  // those pixels, as TileGrid::toImage gives them
    QPoint offset_;
    std::unique_ptr<document::PixelEdit> edit_;
    bool dragging_ = false;
};

}  // namespace atelier::ui
