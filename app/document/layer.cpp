#include "app/document/layer.h"

#include <QSet>

#include <algorithm>
#include <atomic>

namespace atelier::document {

bool Provenance::operator==(const Provenance& o) const {
    return modelHash == o.modelHash && prompt == o.prompt && negativePrompt == o.negativePrompt &&
           sampler == o.sampler && seed == o.seed && steps == o.steps && strength == o.strength &&
           guidanceScale == o.guidanceScale && pipeline == o.pipeline;
}

bool LayerProperties::operator==(const LayerProperties& o) const {
    return name == o.name && opacity == o.opacity && visible == o.visible && mode == o.mode &&
           lockAlpha == o.lockAlpha && editLocked == o.editLocked && passThrough == o.passThrough;
}

namespace {
int nextLayerId() {
    static std::atomic<int> next{1};
    return next++;
}
}  // namespace

Layer::Layer(Kind kind, const QString& name) : kind_(kind), id_(nextLayerId()) {
    props.name = name;
}

std::shared_ptr<Layer> Layer::makePaint(const QString& name) {
    return std::shared_ptr<Layer>(new Layer(Kind::Paint, name));
}

std::shared_ptr<Layer> Layer::makeGroup(const QString& name) {
    return std::shared_ptr<Layer>(new Layer(Kind::Group, name));
}

void Layer::insertChild(int index, std::shared_ptr<Layer> child) {
    index = std::clamp(index, 0, int(children_.size()));
    child->parent_ = this;
    children_.insert(children_.begin() + index, std::move(child));
}

std::shared_ptr<Layer> Layer::takeChild(int index) {
    if (index < 0 || index >= int(children_.size())) return nullptr;
    std::shared_ptr<Layer> child = children_[size_t(index)];
    children_.erase(children_.begin() + index);
    child->parent_ = nullptr;
    return child;
}

int Layer::indexOf(const Layer* child) const {
    for (size_t i = 0; i < children_.size(); ++i)
        if (children_[i].get() == child) return int(i);
    return -1;
}

QVector<TileCoord> Layer::contentTiles() const {
    if (!isGroup()) {
        QVector<TileCoord> out = pixels.tileCoords();
        return out;
    }
    QSet<TileCoord> all;
    for (const LayerPtr& c : children_)
        for (const TileCoord& t : c->contentTiles()) all.insert(t);
    return QVector<TileCoord>(all.begin(), all.end());
}

QRect Layer::contentBounds() const {
    if (!isGroup()) return pixels.contentBounds();
    QRect r;
    for (const LayerPtr& c : children_) r |= c->contentBounds();
    return r;
}

qint64 Layer::bytesUsed() const {
    qint64 total = pixels.bytesUsed() + (mask ? mask->bytesUsed() : 0);
    for (const LayerPtr& c : children_) total += c->bytesUsed();
    return total;
}

Layer* Layer::findById(int wanted) {
    if (id_ == wanted) return this;
    for (const LayerPtr& c : children_)
        if (Layer* found = c->findById(wanted)) return found;
    return nullptr;
}

std::shared_ptr<Layer> Layer::cloneTree(QHash<const Layer*, Layer*>* copies) const {
    std::shared_ptr<Layer> c(new Layer(kind_, props.name));
    c->props = props;
    c->selected = selected;
    c->pixels = pixels;
    c->mask = mask;
    c->provenance = provenance;
    c->foreignAttributes = foreignAttributes;
    c->unknownCompositeOp = unknownCompositeOp;
    if (copies) copies->insert(this, c.get());
    for (const LayerPtr& child : children_)
        c->insertChild(int(c->children_.size()), child->cloneTree(copies));
    return c;
}

int Layer::depth() const {
    int d = 0;
    for (const Layer* p = parent_; p; p = p->parent_) ++d;
    return d;
}

}  // namespace atelier::document
