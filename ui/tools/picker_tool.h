#pragma once
// The colour picker: the composite's colour under the pointer becomes the brush colour.
#include "ui/tools/tool.h"
#include "ui/tools/tool_context.h"

namespace atelier::ui {

class PickerTool : public Tool {
public:
    explicit PickerTool(ToolContext& context) : context_(context) {}
    void press(const PointerInput& input) override { pick(input.imagePos); }
    void move(const PointerInput& input) override { pick(input.imagePos); }
    void release(const PointerInput& input) override { pick(input.imagePos); }

    // Sets the context's colour from the composite at imagePos (ignored outside the canvas or
    // where it is fully transparent).
    void pick(QPointF imagePos);

private:
    ToolContext& context_;
};

}  // namespace atelier::ui
