#include "app/document/document.h"

#include "app/document/compositor.h"
#include "app/document/pixel_edit.h"
#include "app/document/undo_commands.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace atelier::document {

Document::Document(QSize canvasSize)
    : size_(canvasSize),
      root_(Layer::makeGroup(QStringLiteral("root"))),
      history_(std::make_unique<UndoHistory>()) {}

Document::~Document() {
    // Commands refer to the document: delete them before the rest.
    history_.reset();
}

LayerPtr Document::findLayer(int id) const {
    Layer* l = root_->findById(id);
    return l ? l->shared_from_this() : nullptr;
}

QVector<LayerPtr> Document::allLayers() const {
    QVector<LayerPtr> out;
    std::function<void(const Layer&)> walk = [&](const Layer& g) {
        for (const LayerPtr& c : g.children()) {
            out.push_back(c);
            if (c->isGroup()) walk(*c);
        }
    };
    walk(*root_);
    return out;
}

// ---- Undoable changes ----

void Document::addLayer(LayerPtr layer, Layer* parent, int index) {
    Layer* p = parent ? parent : root_.get();
    if (index < 0 || index > int(p->children().size())) index = int(p->children().size());
    history_->push(
        new AddLayerCommand(*this, std::move(layer), p->shared_from_this(), index, false));
}

void Document::removeLayer(const LayerPtr& layer) {
    Layer* p = layer->parent();
    if (!p) return;
    history_->push(
        new AddLayerCommand(*this, layer, p->shared_from_this(), p->indexOf(layer.get()), true));
}

void Document::moveLayer(const LayerPtr& layer, Layer* newParent, int newIndex) {
    Layer* target = newParent ? newParent : root_.get();
    if (!layer->parent() || !target->isGroup()) return;
    // A group cannot move into itself or its descendants.
    for (const Layer* p = target; p; p = p->parent())
        if (p == layer.get()) return;
    history_->push(new MoveLayerCommand(*this, layer, target->shared_from_this(), newIndex));
}

void Document::setLayerProperties(const LayerPtr& layer, const LayerProperties& props,
                                  int mergeKey) {
    LayerProperties clean = props;
    clean.opacity = std::isfinite(clean.opacity) ? std::clamp(clean.opacity, 0.f, 1.f) : 1.f;
    if (clean == layer->props) return;
    history_->push(new LayerPropertiesCommand(*this, layer, clean, mergeKey));
}

void Document::setOpacity(const LayerPtr& layer, float opacity) {
    LayerProperties p = layer->props;
    p.opacity = opacity;
    setLayerProperties(layer, p, kMergeOpacity);
}

void Document::setVisible(const LayerPtr& layer, bool visible) {
    LayerProperties p = layer->props;
    p.visible = visible;
    setLayerProperties(layer, p);
}

void Document::setBlendMode(const LayerPtr& layer, BlendMode mode) {
    LayerProperties p = layer->props;
    p.mode = mode;
    setLayerProperties(layer, p);
}

LayerPtr Document::duplicateLayer(const LayerPtr& layer) {
    Layer* p = layer->parent();
    if (!p) return nullptr;
    LayerPtr copy = layer->cloneTree();
    copy->props.name = layer->props.name + QStringLiteral(" copy");
    copy->selected = false;
    addLayer(copy, p, p->indexOf(layer.get()) + 1);
    return copy;
}

void Document::addLayerMask(const LayerPtr& layer) {
    if (layer->mask) return;
    history_->push(new LayerMaskCommand(*this, layer, TileGrid(1, 255),
                                        QStringLiteral("Add mask to %1").arg(layer->props.name)));
}

void Document::removeLayerMask(const LayerPtr& layer) {
    if (!layer->mask) return;
    history_->push(new LayerMaskCommand(
        *this, layer, std::nullopt, QStringLiteral("Remove mask of %1").arg(layer->props.name)));
}

void Document::setSelection(const TileGrid& selection, bool active, const QString& text) {
    history_->push(new ChannelCommand(*this, ChannelRef::Kind::Selection, selection, active, text));
}

void Document::clearInpaintMask() {
    if (inpaintMask_.isEmpty()) return;
    history_->push(new ChannelCommand(*this, ChannelRef::Kind::InpaintMask, TileGrid(1, 0), true,
                                      QStringLiteral("Clear inpaint mask")));
}

std::unique_ptr<PixelEdit> Document::beginPixelEdit(const ChannelRef& target, const QString& text,
                                                    QString* whyNot) {
    auto refuse = [&](const QString& why) {
        if (whyNot) *whyNot = why;
        return std::unique_ptr<PixelEdit>();
    };
    const bool onLayer =
        target.kind == ChannelRef::Kind::LayerPixels || target.kind == ChannelRef::Kind::LayerMask;
    if (onLayer) {
        if (!target.layer) return refuse(QStringLiteral("no layer to paint on"));
        if (target.layer->props.editLocked)
            return refuse(QStringLiteral("layer %1 is locked").arg(target.layer->props.name));
        if (target.kind == ChannelRef::Kind::LayerPixels && target.layer->isGroup())
            return refuse(QStringLiteral("%1 is a group").arg(target.layer->props.name));
        if (target.kind == ChannelRef::Kind::LayerMask && !target.layer->mask)
            return refuse(QStringLiteral("layer %1 has no mask").arg(target.layer->props.name));
    }
    return std::make_unique<PixelEdit>(*this, target, text);
}

std::unique_ptr<Document> Document::snapshot() const {
    auto copy = std::make_unique<Document>(size_);
    copy->xResolution = xResolution;
    copy->yResolution = yResolution;
    copy->imageForeignAttributes = imageForeignAttributes;
    copy->foreignMembers = foreignMembers;
    QHash<const Layer*, Layer*> copies;
    copy->root_ = root_->cloneTree(&copies);
    copy->selection_ = selection_;
    copy->selectionActive_ = selectionActive_;
    copy->inpaintMask_ = inpaintMask_;
    copy->cache_ = cache_;
    copy->cacheBytes_ = cacheBytes_;
    for (const PixelEdit* edit : activeEdits_) {
        const ChannelRef& t = edit->target();
        ChannelRef mapped = t;
        if (t.layer) {
            Layer* c = copies.value(t.layer.get());
            if (!c) continue;  // the layer is not in the tree
            mapped.layer = c->shared_from_this();
        }
        TileGrid* grid = copy->channel(mapped);
        if (!grid) continue;
        const auto& before = edit->originalTiles();
        QVector<TileCoord> touched;
        for (auto it = before.cbegin(); it != before.cend(); ++it) {
            grid->setTile(it.key(), it.value());
            touched.push_back(it.key());
        }
        copy->markDirty(touched);
    }
    copy->history_->setClean();
    return copy;
}

InpaintRegion Document::inpaintRegion(int padding) {
    InpaintRegion r;
    r.revision = revision_;
    const QRect bounds = inpaintMask_.contentBounds();
    if (bounds.isEmpty()) return r;
    r.area = bounds.adjusted(-padding, -padding, padding, padding) & this->bounds();
    if (r.area.isEmpty()) return r;
    r.composite = composite(r.area).convertToFormat(QImage::Format_RGBA8888);
    r.mask = inpaintMask_.toImage(r.area);
    return r;
}

// ---- Composite ----

TilePtr Document::compositeTile(TileCoord c) {
    auto it = cache_.constFind(c);
    if (it != cache_.constEnd()) return it.value();
    TilePtr t = renderTile(*root_, c);
    ++tilesRendered_;
    const qint64 size = t ? qint64(t->byteSize()) : 0;
    if (cacheBytes_ + size > cacheBudget_) {
        // Over budget: drop tiles (in hash order, so arbitrary ones) down to three quarters.
        for (auto it = cache_.begin();
             it != cache_.end() && cacheBytes_ + size > cacheBudget_ * 3 / 4;) {
            cacheBytes_ -= it.value() ? qint64(it.value()->byteSize()) : 0;
            it = cache_.erase(it);
        }
    }
    cache_.insert(c, t);
    cacheBytes_ += size;
    return t;
}

namespace {
QImage assemble(const QRect& area, const std::function<TilePtr(TileCoord)>& tileAt) {
    QImage image(area.size(), QImage::Format_RGBA8888_Premultiplied);
    if (image.isNull()) return image;
    image.fill(Qt::transparent);
    for (const TileCoord& c : tilesCovering(area)) {
        const TilePtr t = tileAt(c);
        if (!t) continue;
        const QRect part = c.pixelRect() & area;
        for (int y = part.top(); y <= part.bottom(); ++y)
            std::memcpy(image.scanLine(y - area.top()) + (part.left() - area.left()) * 4,
                        t->row(y - c.y * kTileSize) + (part.left() - c.x * kTileSize) * 4,
                        size_t(part.width()) * 4);
    }
    return image;
}
}  // namespace

QImage Document::composite(const QRect& area) {
    return assemble(area, [this](TileCoord c) { return compositeTile(c); });
}

QImage Document::renderUncached(const QRect& area) const {
    return assemble(area, [this](TileCoord c) { return renderTile(*root_, c); });
}

// ---- Raw mutators ----

TileGrid* Document::channel(const ChannelRef& ref) {
    switch (ref.kind) {
        case ChannelRef::Kind::LayerPixels:
            return ref.layer ? &ref.layer->pixels : nullptr;
        case ChannelRef::Kind::LayerMask:
            return ref.layer && ref.layer->mask ? &*ref.layer->mask : nullptr;
        case ChannelRef::Kind::Selection:
            return &selection_;
        case ChannelRef::Kind::InpaintMask:
            return &inpaintMask_;
    }
    return nullptr;
}

void Document::markDirty(const QVector<TileCoord>& tiles) {
    if (tiles.isEmpty()) return;
    ++revision_;
    QRect changed;
    for (const TileCoord& c : tiles) {
        auto it = cache_.find(c);
        if (it != cache_.end()) {
            cacheBytes_ -= it.value() ? qint64(it.value()->byteSize()) : 0;
            cache_.erase(it);
        }
        changed |= c.pixelRect();
    }
    if (onChanged) onChanged(changed);
}

void Document::markLayerDirty(const Layer& layer) {
    QVector<TileCoord> tiles = layer.contentTiles();
    // Layers that act outside their content (a mask that hides by default, dst-in / dst-atop
    // modes, here or below in a group) change every tile.
    bool everywhere = false;
    std::function<void(const Layer&)> scan = [&](const Layer& l) {
        everywhere |= actsWhereEmpty(l.props.mode) || (l.mask && l.mask->fill() != 255);
        for (const LayerPtr& c : l.children()) scan(*c);
    };
    scan(layer);
    if (everywhere) {
        markAllDirty();
        return;
    }
    markDirty(tiles);
}

void Document::markAllDirty() {
    ++revision_;
    cache_.clear();
    cacheBytes_ = 0;
    if (onChanged) onChanged(bounds());
}

void Document::replaceSelection(const TileGrid& selection, bool active) {
    ++revision_;
    selection_ = selection;
    selectionActive_ = active;
}

void Document::replaceInpaintMask(const TileGrid& mask) {
    QVector<TileCoord> tiles = inpaintMask_.tileCoords() + mask.tileCoords();
    inpaintMask_ = mask;
    ++revision_;
    if (onChanged) {
        QRect r;
        for (const TileCoord& c : tiles) r |= c.pixelRect();
        onChanged(r);
    }
}

qint64 Document::bytesUsed() const {
    qint64 total = root_->bytesUsed() + selection_.bytesUsed() + inpaintMask_.bytesUsed();
    for (const TilePtr& t : cache_)
        if (t) total += qint64(t->byteSize());
    return total;
}

}  // namespace atelier::document
