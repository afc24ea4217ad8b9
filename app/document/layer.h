#pragma once
// A node of the layer tree: a paint layer (tiled pixels) or a group of layers.
// Layers have no fixed size: pixels live in an unbounded tile grid, and the document's canvas
// size only decides what is flattened and saved.
#include "app/document/blend_modes.h"
#include "app/document/tile_grid.h"

#include <QHash>
#include <QString>
#include <QVector>

#include <memory>
#include <optional>
#include <vector>

namespace atelier::document {

// An attribute from another program's stack.xml, written back as it was read.
struct ForeignAttribute {
    QString qualifiedName;  // e.g. "mypaint:foo" or "background_tile"
    QString value;
    bool operator==(const ForeignAttribute& o) const {
        return qualifiedName == o.qualifiedName && value == o.value;
    }
};

// Where a generated layer came from; saved as atelier:* attributes in stack.xml.
struct Provenance {
    QString modelHash;
    QString prompt;
    QString negativePrompt;
    QString sampler;
    qint64 seed = -1;  // -1: not set
    int steps = 0;
    double strength = -1;  // -1: not set
    double guidanceScale = -1;
    QString pipeline;  // e.g. "inpaint", "txt2img", "depth", "upscale"
    bool isEmpty() const { return modelHash.isEmpty() && prompt.isEmpty() && seed < 0; }
    bool operator==(const Provenance& o) const;
};

// The properties one "layer properties" undo step changes together.
struct LayerProperties {
    QString name;
    float opacity = 1.f;  // [0, 1]
    bool visible = true;
    BlendMode mode = BlendMode::Normal;
    bool lockAlpha = false;    // painting keeps each pixel's alpha (ORA alpha-preserve)
    bool editLocked = false;   // no edits at all (ORA edit-locked)
    bool passThrough = false;  // groups only: children blend with what is below the group
    bool operator==(const LayerProperties& o) const;
    bool operator!=(const LayerProperties& o) const { return !(*this == o); }
};

class Layer : public std::enable_shared_from_this<Layer> {
public:
    enum class Kind { Paint, Group };
    static std::shared_ptr<Layer> makePaint(const QString& name);
    static std::shared_ptr<Layer> makeGroup(const QString& name);

    Kind kind() const { return kind_; }
    bool isGroup() const { return kind_ == Kind::Group; }
    int id() const { return id_; }  // unique in the process, for lookups from the UI

    LayerProperties props;
    bool selected = false;  // ORA "selected": the active layer when saved
    TileGrid pixels{4, 0};
    // The layer mask: 255 reveals, 0 hides; a missing tile reveals. Absent: no mask.
    std::optional<TileGrid> mask;
    Provenance provenance;
    QVector<ForeignAttribute> foreignAttributes;
    // A composite op read from a file that Atelier does not know (drawn as Normal, written back
    // unchanged as long as the mode stays Normal).
    QString unknownCompositeOp;

    // Children bottom to top (index 0 is drawn first). Only groups have children.
    const std::vector<std::shared_ptr<Layer>>& children() const { return children_; }
    Layer* parent() const { return parent_; }
    void insertChild(int index, std::shared_ptr<Layer> child);
    std::shared_ptr<Layer> takeChild(int index);
    int indexOf(const Layer* child) const;

    // Tiles that hold content in this layer or (groups) any visible or hidden descendant.
    QVector<TileCoord> contentTiles() const;
    // Tight pixel bounds of this layer's (or the group's descendants') content.
    QRect contentBounds() const;
    // Bytes of the tiles this subtree stores.
    qint64 bytesUsed() const;
    Layer* findById(int id);
    // A copy of this layer and its descendants (tiles shared copy-on-write, new ids). copies
    // receives original -> copy for every layer of the subtree.
    std::shared_ptr<Layer> cloneTree(QHash<const Layer*, Layer*>* copies = nullptr) const;
    int depth() const;

private:
    Layer(Kind kind, const QString& name);
    Kind kind_;
    int id_;
    Layer* parent_ = nullptr;
    std::vector<std::shared_ptr<Layer>> children_;
};
using LayerPtr = std::shared_ptr<Layer>;

}  // namespace atelier::document
