#include "app/document/pixel_edit.h"

#include "app/document/undo_commands.h"

#include <cstring>

namespace atelier::document {
namespace {

// out = old + (new - old) * s / 255, per byte, rounded: the edit faded by the selection.
void clipToSelection(const Tile* before, Tile& after, const TileGrid& selection, TileCoord c,
                     uint8_t beforeFill) {
    const TilePtr sel = selection.tile(c);
    const int ch = after.channels;
    for (int p = 0; p < kTileSize * kTileSize; ++p) {
        const int s = sel ? sel->bytes[size_t(p)] : selection.fill();
        if (s == 255) continue;
        for (int k = 0; k < ch; ++k) {
            const size_t i = size_t(p) * ch + k;
            const int o = before ? before->bytes[i] : beforeFill;
            const int n = after.bytes[i];
            after.bytes[i] = uint8_t(o + ((n - o) * s + (n >= o ? 127 : -127)) / 255);
        }
    }
}

// Alpha lock: each pixel keeps its old alpha; the new colour is re-premultiplied by it.
void keepAlpha(const Tile* before, Tile& after) {
    for (int p = 0; p < kTileSize * kTileSize; ++p) {
        uint8_t* n = &after.bytes[size_t(p) * 4];
        const int oldA = before ? before->bytes[size_t(p) * 4 + 3] : 0;
        if (n[3] == oldA) continue;
        if (n[3] == 0 || oldA == 0) {
            // No colour to keep (or none allowed): the pixel stays as it was.
            if (before)
                std::memcpy(n, &before->bytes[size_t(p) * 4], 4);
            else
                std::memset(n, 0, 4);
            continue;
        }
        for (int k = 0; k < 3; ++k) n[k] = uint8_t((n[k] * oldA + n[3] / 2) / n[3]);
        n[3] = uint8_t(oldA);
    }
}

}  // namespace

PixelEdit::PixelEdit(Document& document, ChannelRef target, QString text)
    : doc_(document),
      target_(std::move(target)),
      text_(std::move(text)),
      grid_(doc_.channel(target_)) {
    doc_.editStarted(this);
}

PixelEdit::~PixelEdit() {
    if (!done_) cancel();
}

Tile* PixelEdit::writableTile(TileCoord c) {
    if (!before_.contains(c)) before_.insert(c, grid_->tile(c));
    sincePreview_.insert(c);
    return grid_->writableTile(c);
}

void PixelEdit::paintTiles(const QRect& area,
                           const std::function<void(Tile& tile, QPoint origin)>& paint) {
    for (const TileCoord& c : tilesCovering(area)) paint(*writableTile(c), c.pixelRect().topLeft());
}

uint8_t* PixelEdit::writablePixel(int x, int y) {
    const TileCoord c{floorDiv(x, kTileSize), floorDiv(y, kTileSize)};
    Tile* t = writableTile(c);
    return t->row(y - c.y * kTileSize) + (x - c.x * kTileSize) * t->channels;
}

QVector<TileCoord> PixelEdit::touchedTiles() const {
    QVector<TileCoord> out;
    for (auto it = before_.cbegin(); it != before_.cend(); ++it) out.push_back(it.key());
    return out;
}

void PixelEdit::preview() {
    doc_.markDirty(QVector<TileCoord>(sincePreview_.begin(), sincePreview_.end()));
    sincePreview_.clear();
}

bool PixelEdit::commit() {
    if (done_) return false;
    done_ = true;
    doc_.editFinished(this);
    const bool clip = doc_.hasSelection() && target_.kind != ChannelRef::Kind::Selection;
    const bool lockAlpha = target_.kind == ChannelRef::Kind::LayerPixels && target_.layer &&
                           target_.layer->props.lockAlpha;
    QHash<TileCoord, PixelEditCommand::TileChange> changes;
    for (auto it = before_.cbegin(); it != before_.cend(); ++it) {
        const TileCoord c = it.key();
        const TilePtr& old = it.value();
        TilePtr now = grid_->tile(c);
        if (now && (clip || lockAlpha)) {
            Tile* t = grid_->writableTile(c);
            if (clip) clipToSelection(old.get(), *t, doc_.selection(), c, grid_->fill());
            if (lockAlpha) keepAlpha(old.get(), *t);
            now = grid_->tile(c);
        }
        if (now && grid_->tileIsFill(*now)) {
            grid_->setTile(c, nullptr);
            now = nullptr;
        }
        const bool same = now == old || (now && old && now->bytes == old->bytes);
        if (same) {
            grid_->setTile(c, old);  // share the old tile again instead of an equal copy
            continue;
        }
        changes.insert(c, {old, now});
    }
    doc_.markDirty(touchedTiles());
    if (changes.isEmpty()) return false;
    doc_.history().push(new PixelEditCommand(doc_, target_, std::move(changes), text_));
    return true;
}

void PixelEdit::cancel() {
    done_ = true;
    doc_.editFinished(this);
    for (auto it = before_.cbegin(); it != before_.cend(); ++it)
        grid_->setTile(it.key(), it.value());
    doc_.markDirty(touchedTiles());
}

}  // namespace atelier::document
