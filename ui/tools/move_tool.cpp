#include "ui/tools/move_tool.h"

#include <QCoreApplication>

#include <cmath>
#include <cstring>

namespace atelier::ui {

void MoveTool::press(const PointerInput& input) {
    cancel();
    document::Document* doc = context_.document();
    const document::LayerPtr layer = context_.currentLayer();
    if (!doc || !layer) return;
    if (layer->isGroup()) {
        context_.message(QCoreApplication::translate(
            "MoveTool", "Groups cannot be moved yet; move their layers."));
        return;
    }
    target_ = context_.editLayerMask() && layer->mask ? document::ChannelRef::layerMask(layer)
                                                      : document::ChannelRef::pixels(layer);
    const document::TileGrid* grid = doc->channel(target_);
    bounds_ = grid->contentBounds();
    if (bounds_.isEmpty()) return;  // nothing to move
    content_ = grid->toImage(bounds_);
    start_ = input.imagePos;
    offset_ = QPoint();
    dragging_ = true;
}

void MoveTool::moveTo(QPoint offset) {
    document::Document* doc = context_.document();
    if (offset == offset_ && edit_) return;
    // Start again from the untouched layer: the old edit puts its tiles back.
    if (edit_) edit_->cancel();
    edit_.reset();
    offset_ = offset;
    QString whyNot;
    edit_ = doc->beginPixelEdit(target_, QCoreApplication::translate("MoveTool", "Move"), &whyNot);
    if (!edit_) {
        context_.message(whyNot);
        dragging_ = false;
        return;
    }
    const QRect dest = bounds_.translated(offset);
    const int channels = edit_->channels();
    const uint8_t fill = edit_->grid().fill();
    edit_->paintTiles(bounds_ | dest, [&](document::Tile& tile, QPoint origin) {
        const QRect tileRect(origin, QSize(document::kTileSize, document::kTileSize));
        const QRect vacated = tileRect & bounds_;
        for (int y = vacated.top(); y <= vacated.bottom(); ++y)
            std::memset(tile.row(y - origin.y()) + (vacated.left() - origin.x()) * channels, fill,
                        size_t(vacated.width()) * channels);
        const QRect copied = tileRect & dest;
        for (int y = copied.top(); y <= copied.bottom(); ++y) {
            const uchar* src =
                content_.constScanLine(y - dest.top()) + (copied.left() - dest.left()) * channels;
            std::memcpy(tile.row(y - origin.y()) + (copied.left() - origin.x()) * channels, src,
                        size_t(copied.width()) * channels);
        }
    });
    edit_->preview();
}

void MoveTool::move(const PointerInput& input) {
    if (!dragging_) return;
    const QPointF d = input.imagePos - start_;
    moveTo(QPoint(int(std::lround(d.x())), int(std::lround(d.y()))));
}

void MoveTool::release(const PointerInput& input) {
    if (!dragging_) return;
    move(input);
    dragging_ = false;
    if (edit_) edit_->commit();  // no step when the drag ended where it began
    edit_.reset();
    content_ = QImage();
}

void MoveTool::cancel() {
    dragging_ = false;
    if (edit_) edit_->cancel();
    edit_.reset();
    content_ = QImage();
}

}  // namespace atelier::ui
