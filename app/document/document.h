#pragma once
// The document: canvas size, the layer tree, the selection and inpaint-mask channels, the
// composite cache and the undo history. Every change made through this API is one undo step;
// the raw mutators at the end exist for the undo commands and for file loading.
#include "app/document/layer.h"
#include "app/document/tile_grid.h"
#include "app/document/undo_history.h"

#include <QHash>
#include <QImage>
#include <QSet>
#include <QSize>

#include <functional>
#include <memory>

namespace atelier::document {

// Which tiled channel an edit writes.
struct ChannelRef {
    enum class Kind { LayerPixels, LayerMask, Selection, InpaintMask };
    Kind kind = Kind::LayerPixels;
    LayerPtr layer;  // for LayerPixels / LayerMask
    static ChannelRef pixels(LayerPtr l) { return {Kind::LayerPixels, std::move(l)}; }
    static ChannelRef layerMask(LayerPtr l) { return {Kind::LayerMask, std::move(l)}; }
    static ChannelRef selection() { return {Kind::Selection, nullptr}; }
    static ChannelRef inpaintMask() { return {Kind::InpaintMask, nullptr}; }
};

class PixelEdit;

// What an inpainting request takes from the document, as plain values: the area around the
// inpaint mask, its composite and the mask, and the revision to detect a stale result.
struct InpaintRegion {
    QRect area;        // mask bounds plus padding, clipped to the canvas; empty: no mask
    QImage composite;  // Format_RGBA8888, straight alpha
    QImage mask;       // Format_Grayscale8
    quint64 revision = 0;
};

class Document {
public:
    explicit Document(QSize canvasSize);
    ~Document();
    Document(const Document&) = delete;
    Document& operator=(const Document&) = delete;

    QSize size() const { return size_; }
    QRect bounds() const { return {QPoint(0, 0), size_}; }
    double xResolution = 72, yResolution = 72;  // dots per inch, as stack.xml's xres/yres
    // stack.xml's <image> attributes from other programs, written back.
    QVector<ForeignAttribute> imageForeignAttributes;
    // Archive members other programs' attributes refer to (MyPaint's strokemaps, background
    // tile, settings), kept as bytes and written back so those references stay valid.
    QHash<QString, QByteArray> foreignMembers;

    Layer& root() { return *root_; }
    const Layer& root() const { return *root_; }
    LayerPtr rootPtr() const { return root_; }
    LayerPtr findLayer(int id) const;
    // All layers depth first, parents before children, bottom to top.
    QVector<LayerPtr> allLayers() const;

    // The selection: 255 selected. Inactive means "everything" (edits are not clipped).
    const TileGrid& selection() const { return selection_; }
    bool hasSelection() const { return selectionActive_; }
    // The inpaint mask: soft grey values, 255 = regenerate fully.
    const TileGrid& inpaintMask() const { return inpaintMask_; }

    UndoHistory& history() { return *history_; }

    // ---- Undoable changes (one undo step each) ----
    void addLayer(LayerPtr layer, Layer* parent = nullptr, int index = -1);  // -1: on top
    void removeLayer(const LayerPtr& layer);
    void moveLayer(const LayerPtr& layer, Layer* newParent, int newIndex);
    // mergeKey >= 0 makes consecutive changes with the same key and layer one step (a slider
    // drag); use the kMerge* constants.
    void setLayerProperties(const LayerPtr& layer, const LayerProperties& props, int mergeKey = -1);
    void setOpacity(const LayerPtr& layer, float opacity);  // merges while dragging
    void setVisible(const LayerPtr& layer, bool visible);
    void setBlendMode(const LayerPtr& layer, BlendMode mode);
    // A copy of the layer (and, for groups, its children) just above it, tiles shared.
    LayerPtr duplicateLayer(const LayerPtr& layer);
    void addLayerMask(const LayerPtr& layer);
    void removeLayerMask(const LayerPtr& layer);
    // Replaces the selection (new grid, active flag) as one step named text.
    void setSelection(const TileGrid& selection, bool active, const QString& text);
    void clearInpaintMask();

    // A pixel-edit transaction on one channel (one brush stroke = one undo step). Null with
    // *whyNot set when the channel cannot be edited (edit-locked layer, a group's pixels).
    std::unique_ptr<PixelEdit> beginPixelEdit(const ChannelRef& target, const QString& text,
                                              QString* whyNot = nullptr);

    // A copy of the document as of the last completed change, for saving (or encoding on another
    // thread): strokes still being painted are left out, so the copy is always a state the user
    // saw. Tiles are shared copy-on-write, so the copy costs little; it has no undo history.
    std::unique_ptr<Document> snapshot() const;

    // Increases with every change to pixels, layers, the selection or the inpaint mask.
    quint64 revision() const { return revision_; }
    InpaintRegion inpaintRegion(int padding);

    // ---- The composite ----
    // The flattened tile at c, recomputed only if it was marked dirty; null = transparent.
    TilePtr compositeTile(TileCoord c);
    // The composite of an area (Format_RGBA8888_Premultiplied), from the cache.
    QImage composite(const QRect& area);
    QImage flatten() { return composite(bounds()); }
    // Renders an area from scratch, bypassing and not touching the cache (for tests).
    QImage renderUncached(const QRect& area) const;
    // The composite cache holds at most this many bytes (default 1 GiB); past it, arbitrary
    // tiles are dropped and rendered again when next needed.
    void setCompositeCacheBudget(qint64 bytes) { cacheBudget_ = bytes; }
    qint64 compositeCacheBytes() const { return cacheBytes_; }
    // How many tiles the cache has rendered so far (tests check that only dirty ones are).
    qint64 tilesRendered() const { return tilesRendered_; }
    // Called after every change with the pixel area whose composite changed.
    std::function<void(const QRect&)> onChanged;

    // ---- Raw mutators (no undo): for undo commands and loaders ----
    TileGrid* channel(const ChannelRef& ref);
    void markDirty(const QVector<TileCoord>& tiles);
    void markLayerDirty(const Layer& layer);
    void markAllDirty();
    void setSize(QSize size) { size_ = size; }
    void replaceSelection(const TileGrid& selection, bool active);
    void replaceInpaintMask(const TileGrid& mask);
    // Memory of all tiles (layers, masks, channels, composite cache), shared tiles in full.
    qint64 bytesUsed() const;

    // PixelEdit registers itself while it is open (see snapshot()).
    void editStarted(PixelEdit* edit) { activeEdits_.insert(edit); }
    void editFinished(PixelEdit* edit) { activeEdits_.remove(edit); }

    static constexpr int kMergeOpacity = 1001;
    static constexpr int kMergeName = 1002;

private:
    QSize size_;
    LayerPtr root_;
    TileGrid selection_{1, 0};
    bool selectionActive_ = false;
    TileGrid inpaintMask_{1, 0};
    // Valid composite tiles (a null value: known transparent); marking dirty removes entries.
    QHash<TileCoord, TilePtr> cache_;
    qint64 tilesRendered_ = 0;
    qint64 cacheBytes_ = 0;
    qint64 cacheBudget_ = qint64(1) << 30;
    quint64 revision_ = 0;
    QSet<PixelEdit*> activeEdits_;
    std::unique_ptr<UndoHistory> history_;
};

}  // namespace atelier::document
