#include "ui/tools/picker_tool.h"

#include <cmath>

namespace atelier::ui {

void PickerTool::pick(QPointF imagePos) {
    document::Document* doc = context_.document();
    if (!doc) return;
    const QPoint p(int(std::floor(imagePos.x())), int(std::floor(imagePos.y())));
    if (!doc->bounds().contains(p)) return;
    const QImage px =
        doc->composite(QRect(p, QSize(1, 1))).convertToFormat(QImage::Format_RGBA8888);
    const QColor c = px.pixelColor(0, 0);
    if (c.alpha() == 0) return;
    context_.setColor(QColor(c.red(), c.green(), c.blue()));
}

}  // namespace atelier::ui
