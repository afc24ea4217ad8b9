#pragma once
// The undo commands behind Document's changes. Each holds what it needs to go both ways:
// pixel edits hold only the touched tiles (shared pointers, so unchanged tiles cost nothing).
#include "app/document/document.h"

#include <QHash>

#include <optional>
#include <utility>

namespace atelier::document {

class PixelEditCommand : public DocumentCommand {
public:
    using TileChange = std::pair<TilePtr, TilePtr>;  // old, new (null = no tile)
    PixelEditCommand(Document& doc, ChannelRef target, QHash<TileCoord, TileChange> changes,
                     const QString& text);
    void redo() override;
    void undo() override;
    qint64 bytes() const override;

private:
    void apply(bool useNew);
    Document& doc_;
    ChannelRef target_;
    QHash<TileCoord, TileChange> changes_;
    bool applied_ = true;  // the edit was painted before the command was pushed
};

class AddLayerCommand : public DocumentCommand {
public:
    AddLayerCommand(Document& doc, LayerPtr layer, LayerPtr parent, int index, bool remove);
    void redo() override;
    void undo() override;
    qint64 bytes() const override;

private:
    void insert();
    void take();
    Document& doc_;
    LayerPtr layer_, parent_;
    int index_;
    bool remove_;  // the inverse: a "remove layer" step
};

class MoveLayerCommand : public DocumentCommand {
public:
    MoveLayerCommand(Document& doc, LayerPtr layer, LayerPtr newParent, int newIndex);
    void redo() override;
    void undo() override;

private:
    Document& doc_;
    LayerPtr layer_, oldParent_, newParent_;
    int oldIndex_, newIndex_;
};

class LayerPropertiesCommand : public DocumentCommand {
public:
    LayerPropertiesCommand(Document& doc, LayerPtr layer, LayerProperties after, int mergeKey);
    void redo() override;
    void undo() override;
    int id() const override { return mergeKey_; }
    bool mergeWith(const QUndoCommand* other) override;

private:
    void apply(const LayerProperties& p);
    Document& doc_;
    LayerPtr layer_;
    LayerProperties before_, after_;
    int mergeKey_;
};

// Adds, removes or replaces a layer mask as a whole.
class LayerMaskCommand : public DocumentCommand {
public:
    LayerMaskCommand(Document& doc, LayerPtr layer, std::optional<TileGrid> after,
                     const QString& text);
    void redo() override;
    void undo() override;
    qint64 bytes() const override;

private:
    Document& doc_;
    LayerPtr layer_;
    std::optional<TileGrid> before_, after_;
};

// Replaces the selection or the inpaint mask as a whole (grids are copy-on-write, so keeping
// both versions costs only the tiles that differ).
class ChannelCommand : public DocumentCommand {
public:
    ChannelCommand(Document& doc, ChannelRef::Kind which, TileGrid after, bool afterActive,
                   const QString& text);
    void redo() override;
    void undo() override;
    qint64 bytes() const override;

private:
    void apply(const TileGrid& grid, bool active);
    Document& doc_;
    ChannelRef::Kind which_;
    TileGrid before_, after_;
    bool beforeActive_, afterActive_;
};

}  // namespace atelier::document
