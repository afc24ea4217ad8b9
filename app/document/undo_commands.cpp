#include "app/document/undo_commands.h"

#include <QSet>

namespace atelier::document {
namespace {

qint64 tileBytes(const TilePtr& t) { return t ? qint64(t->byteSize()) : 0; }

// Bytes of the tiles of a that b does not share.
qint64 unsharedBytes(const TileGrid& a, const TileGrid& b) {
    qint64 total = 0;
    for (const TileCoord& c : a.tileCoords()) {
        const TilePtr t = a.tile(c);
        if (t != b.tile(c)) total += tileBytes(t);
    }
    return total;
}

}  // namespace

// ---- PixelEditCommand ----

PixelEditCommand::PixelEditCommand(Document& doc, ChannelRef target,
                                   QHash<TileCoord, TileChange> changes, const QString& text)
    : DocumentCommand(text), doc_(doc), target_(std::move(target)), changes_(std::move(changes)) {}

void PixelEditCommand::apply(bool useNew) {
    TileGrid* grid = doc_.channel(target_);
    if (!grid) return;
    QVector<TileCoord> touched;
    touched.reserve(int(changes_.size()));
    for (auto it = changes_.cbegin(); it != changes_.cend(); ++it) {
        grid->setTile(it.key(), useNew ? it.value().second : it.value().first);
        touched.push_back(it.key());
    }
    doc_.markDirty(touched);
    applied_ = useNew;
}

void PixelEditCommand::redo() {
    if (!applied_) apply(true);
}

void PixelEditCommand::undo() {
    if (applied_) apply(false);
}

qint64 PixelEditCommand::bytes() const {
    // What only this step keeps alive: tiles the channel does not hold right now.
    TileGrid* grid = doc_.channel(target_);
    qint64 total = 0;
    for (auto it = changes_.cbegin(); it != changes_.cend(); ++it) {
        const TilePtr now = grid ? grid->tile(it.key()) : nullptr;
        if (it.value().first != now) total += tileBytes(it.value().first);
        if (it.value().second != now) total += tileBytes(it.value().second);
    }
    return total;
}

// ---- AddLayerCommand ----

AddLayerCommand::AddLayerCommand(Document& doc, LayerPtr layer, LayerPtr parent, int index,
                                 bool remove)
    : DocumentCommand(remove ? QStringLiteral("Remove layer %1").arg(layer->props.name)
                             : QStringLiteral("Add layer %1").arg(layer->props.name)),
      doc_(doc),
      layer_(std::move(layer)),
      parent_(std::move(parent)),
      index_(index),
      remove_(remove) {}

void AddLayerCommand::insert() {
    parent_->insertChild(index_, layer_);
    doc_.markLayerDirty(*layer_);
}

void AddLayerCommand::take() {
    doc_.markLayerDirty(*layer_);
    parent_->takeChild(parent_->indexOf(layer_.get()));
}

void AddLayerCommand::redo() { remove_ ? take() : insert(); }
void AddLayerCommand::undo() { remove_ ? insert() : take(); }
qint64 AddLayerCommand::bytes() const {
    // Only a layer out of the tree (removed, or its addition undone) is kept alive by this step.
    return layer_->parent() ? 0 : layer_->bytesUsed();
}

// ---- MoveLayerCommand ----

MoveLayerCommand::MoveLayerCommand(Document& doc, LayerPtr layer, LayerPtr newParent, int newIndex)
    : DocumentCommand(QStringLiteral("Move layer %1").arg(layer->props.name)),
      doc_(doc),
      layer_(std::move(layer)),
      oldParent_(layer_->parent()->shared_from_this()),
      newParent_(std::move(newParent)),
      oldIndex_(oldParent_->indexOf(layer_.get())),
      newIndex_(newIndex) {}

void MoveLayerCommand::redo() {
    doc_.markLayerDirty(*layer_);
    oldParent_->takeChild(oldParent_->indexOf(layer_.get()));
    newParent_->insertChild(newIndex_, layer_);
}

void MoveLayerCommand::undo() {
    doc_.markLayerDirty(*layer_);
    newParent_->takeChild(newParent_->indexOf(layer_.get()));
    oldParent_->insertChild(oldIndex_, layer_);
}

// ---- LayerPropertiesCommand ----

LayerPropertiesCommand::LayerPropertiesCommand(Document& doc, LayerPtr layer, LayerProperties after,
                                               int mergeKey)
    : DocumentCommand(QStringLiteral("Layer properties of %1").arg(layer->props.name)),
      doc_(doc),
      layer_(std::move(layer)),
      before_(layer_->props),
      after_(std::move(after)),
      mergeKey_(mergeKey) {}

void LayerPropertiesCommand::apply(const LayerProperties& p) {
    // Before and after: a mode like dst-in reaches beyond the layer's content.
    doc_.markLayerDirty(*layer_);
    layer_->props = p;
    doc_.markLayerDirty(*layer_);
}

void LayerPropertiesCommand::redo() { apply(after_); }
void LayerPropertiesCommand::undo() { apply(before_); }

bool LayerPropertiesCommand::mergeWith(const QUndoCommand* other) {
    const auto* o = dynamic_cast<const LayerPropertiesCommand*>(other);
    if (!o || o->layer_ != layer_ || mergeKey_ < 0) return false;
    after_ = o->after_;
    setObsolete(after_ == before_);
    return true;
}

// ---- LayerMaskCommand ----

LayerMaskCommand::LayerMaskCommand(Document& doc, LayerPtr layer, std::optional<TileGrid> after,
                                   const QString& text)
    : DocumentCommand(text),
      doc_(doc),
      layer_(std::move(layer)),
      before_(layer_->mask),
      after_(std::move(after)) {}

void LayerMaskCommand::redo() {
    layer_->mask = after_;
    doc_.markLayerDirty(*layer_);
}

void LayerMaskCommand::undo() {
    layer_->mask = before_;
    doc_.markLayerDirty(*layer_);
}

qint64 LayerMaskCommand::bytes() const {
    return (before_ ? before_->bytesUsed() : 0) + (after_ ? after_->bytesUsed() : 0);
}

// ---- ChannelCommand ----

ChannelCommand::ChannelCommand(Document& doc, ChannelRef::Kind which, TileGrid after,
                               bool afterActive, const QString& text)
    : DocumentCommand(text),
      doc_(doc),
      which_(which),
      before_(which == ChannelRef::Kind::Selection ? doc.selection() : doc.inpaintMask()),
      after_(std::move(after)),
      beforeActive_(which == ChannelRef::Kind::Selection ? doc.hasSelection() : true),
      afterActive_(afterActive) {}

void ChannelCommand::apply(const TileGrid& grid, bool active) {
    if (which_ == ChannelRef::Kind::Selection)
        doc_.replaceSelection(grid, active);
    else
        doc_.replaceInpaintMask(grid);
}

void ChannelCommand::redo() { apply(after_, afterActive_); }
void ChannelCommand::undo() { apply(before_, beforeActive_); }

qint64 ChannelCommand::bytes() const {
    return unsharedBytes(before_, after_) + unsharedBytes(after_, before_);
}

}  // namespace atelier::document
