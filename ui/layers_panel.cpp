#include "ui/layers_panel.h"

#include "ui/tools/tool_context.h"

#include <QCheckBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QDropEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPainter>
#include <QPushButton>
#include <QSlider>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <functional>

namespace atelier::ui {

using document::BlendMode;
using document::Layer;
using document::LayerPtr;

// The tree with drops turned into moveLayer() calls (Qt's own item move is never applied: the
// panel rebuilds from the document).
class LayerTreeWidget : public QTreeWidget {
public:
    std::function<void(int, int, int)> onDrop;

protected:
    void dropEvent(QDropEvent* event) override {
        QTreeWidgetItem* dragged = currentItem();
        QTreeWidgetItem* target = itemAt(event->position().toPoint());
        if (dragged && onDrop) {
            const int targetId = target ? target->data(0, LayersPanel::kLayerIdRole).toInt() : -1;
            const int draggedId = dragged->data(0, LayersPanel::kLayerIdRole).toInt();
            const int indicator = int(dropIndicatorPosition());
            event->setDropAction(Qt::IgnoreAction);
            event->accept();
            // After the event returns: the rebuild deletes items Qt still refers to here.
            QMetaObject::invokeMethod(
                this,
                [this, draggedId, targetId, indicator] { onDrop(draggedId, targetId, indicator); },
                Qt::QueuedConnection);
            return;
        }
        event->ignore();
    }
};

namespace {

QString modeName(BlendMode mode) {
    static const char* const names[] = {"Normal",
                                        "Multiply",
                                        "Screen",
                                        "Overlay",
                                        "Darken",
                                        "Lighten",
                                        "Color dodge",
                                        "Color burn",
                                        "Hard light",
                                        "Soft light",
                                        "Difference",
                                        "Exclusion",
                                        "Hue",
                                        "Saturation",
                                        "Color",
                                        "Luminosity",
                                        "Add",
                                        "Destination in",
                                        "Destination out",
                                        "Source atop",
                                        "Destination atop"};
    static_assert(sizeof(names) / sizeof(names[0]) == document::kBlendModeCount);
    return QCoreApplication::translate("LayersPanel", names[int(mode)]);
}

}  // namespace

QImage layerThumbnail(const Layer& layer, QSize canvas, int side) {
    QImage out(side, side, QImage::Format_ARGB32_Premultiplied);
    out.fill(QColor(210, 210, 210));
    if (canvas.isEmpty() || layer.isGroup()) return out;
    const double scale = std::max(canvas.width(), canvas.height()) / double(side);
    const int w = std::max(1, int(canvas.width() / scale)),
              h = std::max(1, int(canvas.height() / scale));
    const int ox = (side - w) / 2, oy = (side - h) / 2;
    QPainter p(&out);
    p.fillRect(ox, oy, w, h, Qt::white);
    p.end();
    uint8_t px[4];
    for (int y = 0; y < h; ++y) {
        auto* row = reinterpret_cast<QRgb*>(out.scanLine(oy + y));
        for (int x = 0; x < w; ++x) {
            layer.pixels.pixel(int((x + 0.5) * scale), int((y + 0.5) * scale), px);
            if (!px[3]) continue;
            const QRgb d = row[ox + x];
            const int a = px[3];  // premultiplied source over the white backdrop
            row[ox + x] =
                qRgb(px[0] + qRed(d) * (255 - a) / 255, px[1] + qGreen(d) * (255 - a) / 255,
                     px[2] + qBlue(d) * (255 - a) / 255);
        }
    }
    return out;
}

LayersPanel::LayersPanel(ToolContext& context, QWidget* parent)
    : QWidget(parent), context_(context) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);

    auto* props = new QHBoxLayout;
    mode_ = new QComboBox(this);
    for (int m = 0; m < document::kBlendModeCount; ++m) mode_->addItem(modeName(BlendMode(m)), m);
    mode_->setToolTip(tr("Blend mode"));
    opacity_ = new QSlider(Qt::Horizontal, this);
    opacity_->setRange(0, 100);
    opacity_->setToolTip(tr("Opacity"));
    props->addWidget(mode_);
    props->addWidget(opacity_);
    layout->addLayout(props);

    auto* locks = new QHBoxLayout;
    lockAlpha_ = new QCheckBox(tr("Lock alpha"), this);
    locked_ = new QCheckBox(tr("Lock"), this);
    editMask_ = new QCheckBox(tr("Edit mask"), this);
    editMask_->setToolTip(tr("Brush and eraser paint on the layer mask"));
    locks->addWidget(lockAlpha_);
    locks->addWidget(locked_);
    locks->addWidget(editMask_);
    layout->addLayout(locks);

    tree_ = new LayerTreeWidget;
    tree_->setParent(this);
    tree_->setHeaderHidden(true);
    tree_->setIconSize(QSize(kThumbnailSize, kThumbnailSize));
    tree_->setDragDropMode(QAbstractItemView::InternalMove);
    tree_->setSelectionMode(QAbstractItemView::SingleSelection);
    tree_->onDrop = [this](int layer, int target, int indicator) {
        dropLayer(layer, target, indicator);
    };
    layout->addWidget(tree_, 1);

    auto* buttons = new QHBoxLayout;
    auto button = [&](const QString& text, const QString& tip, void (LayersPanel::*slot)()) {
        auto* b = new QPushButton(text, this);
        b->setToolTip(tip);
        b->setMaximumWidth(44);
        connect(b, &QPushButton::clicked, this, slot);
        buttons->addWidget(b);
        return b;
    };
    button(tr("+"), tr("New layer"), &LayersPanel::addLayer);
    button(tr("[ ]"), tr("New group"), &LayersPanel::addGroup);
    button(tr("Dup"), tr("Duplicate layer"), &LayersPanel::duplicateLayer);
    button(tr("Up"), tr("Raise layer"), &LayersPanel::raiseLayer);
    button(tr("Dn"), tr("Lower layer"), &LayersPanel::lowerLayer);
    maskButton_ = button(tr("Mask"), tr("Add a layer mask"), &LayersPanel::addMask);
    button(tr("Del"), tr("Remove layer"), &LayersPanel::removeLayer);
    layout->addLayout(buttons);

    thumbnailTimer_.setSingleShot(true);
    thumbnailTimer_.setInterval(300);
    connect(&thumbnailTimer_, &QTimer::timeout, this, &LayersPanel::refreshThumbnails);

    connect(tree_, &QTreeWidget::itemChanged, this, &LayersPanel::itemChanged);
    connect(tree_, &QTreeWidget::currentItemChanged, this, &LayersPanel::currentItemChanged);
    connect(mode_, qOverload<int>(&QComboBox::activated), this, [this](int index) {
        if (LayerPtr l = current())
            context_.document()->setBlendMode(l, BlendMode(mode_->itemData(index).toInt()));
    });
    connect(opacity_, &QSlider::valueChanged, this, [this](int v) {
        if (refreshing_) return;
        if (LayerPtr l = current()) context_.document()->setOpacity(l, v / 100.f);
    });
    auto lockToggled = [this] {
        if (refreshing_) return;
        if (LayerPtr l = current()) {
            document::LayerProperties p = l->props;
            p.lockAlpha = lockAlpha_->isChecked();
            p.editLocked = locked_->isChecked();
            context_.document()->setLayerProperties(l, p);
        }
    };
    connect(lockAlpha_, &QCheckBox::toggled, this, lockToggled);
    connect(locked_, &QCheckBox::toggled, this, lockToggled);
    connect(editMask_, &QCheckBox::toggled, this, [this](bool on) {
        if (!refreshing_) context_.setEditLayerMask(on);
    });
    connect(&context_, &ToolContext::currentLayerChanged, this, [this] {
        if (!refreshing_) refresh();
    });
}

QTreeWidget* LayersPanel::tree() const { return tree_; }

LayerPtr LayersPanel::current() const { return context_.currentLayer(); }

void LayersPanel::fillItem(QTreeWidgetItem* item, const Layer& layer) {
    item->setData(0, kLayerIdRole, layer.id());
    QString text = layer.props.name;
    if (layer.props.editLocked) text += tr(" (locked)");
    if (layer.mask) text += tr(" [mask]");
    item->setText(0, text);
    item->setCheckState(0, layer.props.visible ? Qt::Checked : Qt::Unchecked);
    item->setToolTip(
        0, tr("%1, %2 %").arg(modeName(layer.props.mode)).arg(qRound(layer.props.opacity * 100)));
    item->setIcon(0, QIcon(QPixmap::fromImage(
                         layerThumbnail(layer, context_.document()->size(), kThumbnailSize))));
    Qt::ItemFlags flags =
        Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsUserCheckable | Qt::ItemIsDragEnabled;
    if (layer.isGroup()) flags |= Qt::ItemIsDropEnabled;
    item->setFlags(flags);
}

void LayersPanel::addChildren(QTreeWidgetItem* parent, const Layer& group) {
    const auto& children = group.children();
    for (auto it = children.rbegin(); it != children.rend(); ++it) {  // top layer first
        auto* item = new QTreeWidgetItem;
        fillItem(item, **it);
        if (parent)
            parent->addChild(item);
        else
            tree_->addTopLevelItem(item);
        if ((*it)->isGroup()) {
            addChildren(item, **it);
            item->setExpanded(true);
        }
    }
}

void LayersPanel::refresh() {
    refreshing_ = true;
    tree_->clear();
    document::Document* doc = context_.document();
    if (doc) {
        addChildren(nullptr, doc->root());
        const LayerPtr cur = current();
        for (QTreeWidgetItemIterator it(tree_); *it; ++it)
            if (cur && (*it)->data(0, kLayerIdRole).toInt() == cur->id())
                tree_->setCurrentItem(*it);
    }
    updateProperties();
    refreshing_ = false;
}

void LayersPanel::updateProperties() {
    const LayerPtr l = current();
    const bool any = l != nullptr;
    for (QWidget* w : {static_cast<QWidget*>(mode_), static_cast<QWidget*>(opacity_),
                       static_cast<QWidget*>(lockAlpha_), static_cast<QWidget*>(locked_)})
        w->setEnabled(any);
    if (!any) return;
    mode_->setCurrentIndex(mode_->findData(int(l->props.mode)));
    opacity_->setValue(qRound(l->props.opacity * 100));
    lockAlpha_->setChecked(l->props.lockAlpha);
    locked_->setChecked(l->props.editLocked);
    editMask_->setEnabled(bool(l->mask));
    editMask_->setChecked(l->mask && context_.editLayerMask());
    maskButton_->setText(l->mask ? tr("-Mask") : tr("Mask"));
    maskButton_->setToolTip(l->mask ? tr("Remove the layer mask") : tr("Add a layer mask"));
}

void LayersPanel::scheduleThumbnails() {
    if (!thumbnailTimer_.isActive()) thumbnailTimer_.start();
}

void LayersPanel::refreshThumbnails() {
    document::Document* doc = context_.document();
    if (!doc) return;
    refreshing_ = true;
    for (QTreeWidgetItemIterator it(tree_); *it; ++it) {
        if (const LayerPtr l = doc->findLayer((*it)->data(0, kLayerIdRole).toInt()))
            (*it)->setIcon(
                0, QIcon(QPixmap::fromImage(layerThumbnail(*l, doc->size(), kThumbnailSize))));
    }
    refreshing_ = false;
}

void LayersPanel::itemChanged(QTreeWidgetItem* item, int) {
    if (refreshing_) return;
    const LayerPtr l = context_.document()->findLayer(item->data(0, kLayerIdRole).toInt());
    const bool visible = item->checkState(0) == Qt::Checked;
    if (l && l->props.visible != visible) context_.document()->setVisible(l, visible);
}

void LayersPanel::currentItemChanged() {
    if (refreshing_ || !tree_->currentItem()) return;
    refreshing_ = true;
    context_.setCurrentLayer(
        context_.document()->findLayer(tree_->currentItem()->data(0, kLayerIdRole).toInt()));
    updateProperties();
    refreshing_ = false;
}

void LayersPanel::insertAboveCurrent(LayerPtr layer) {
    document::Document* doc = context_.document();
    const LayerPtr cur = current();
    Layer* parent = cur ? cur->parent() : nullptr;
    const int index = cur && parent ? parent->indexOf(cur.get()) + 1 : -1;
    doc->addLayer(layer, parent, index);
    context_.setCurrentLayer(layer);
    refresh();
}

void LayersPanel::addLayer() {
    insertAboveCurrent(
        Layer::makePaint(tr("Layer %1").arg(context_.document()->allLayers().size() + 1)));
}

void LayersPanel::addGroup() {
    insertAboveCurrent(
        Layer::makeGroup(tr("Group %1").arg(context_.document()->allLayers().size() + 1)));
}

void LayersPanel::duplicateLayer() {
    if (const LayerPtr l = current()) {
        context_.setCurrentLayer(context_.document()->duplicateLayer(l));
        refresh();
    }
}

void LayersPanel::removeLayer() {
    const LayerPtr l = current();
    if (!l) return;
    context_.setCurrentLayer(nullptr);
    context_.document()->removeLayer(l);
    refresh();
}

void LayersPanel::raiseLayer() {
    const LayerPtr l = current();
    if (!l || !l->parent()) return;
    const int i = l->parent()->indexOf(l.get());
    if (i + 1 < int(l->parent()->children().size()))
        context_.document()->moveLayer(l, l->parent(), i + 1);
    refresh();
}

void LayersPanel::lowerLayer() {
    const LayerPtr l = current();
    if (!l || !l->parent()) return;
    const int i = l->parent()->indexOf(l.get());
    if (i > 0) context_.document()->moveLayer(l, l->parent(), i - 1);
    refresh();
}

void LayersPanel::addMask() {
    const LayerPtr l = current();
    if (!l) return;
    if (l->mask) {
        removeMask();
        return;
    }
    context_.document()->addLayerMask(l);
    context_.setEditLayerMask(true);
    refresh();
}

void LayersPanel::removeMask() {
    if (const LayerPtr l = current(); l && l->mask) {
        context_.setEditLayerMask(false);
        context_.document()->removeLayerMask(l);
        refresh();
    }
}

void LayersPanel::dropLayer(int layerId, int targetId, int indicator) {
    document::Document* doc = context_.document();
    const LayerPtr layer = doc->findLayer(layerId);
    if (!layer || layerId == targetId) return;
    const LayerPtr target = targetId >= 0 ? doc->findLayer(targetId) : nullptr;
    Layer* parent = &doc->root();
    int index = 0;  // no target: the bottom of the stack
    if (target && target->parent()) {
        const int ti = target->parent()->indexOf(target.get());
        if (indicator == DropOnItem && target->isGroup()) {
            parent = target.get();
            index = int(target->children().size());  // the group's top
        } else {
            parent = target->parent();
            index = indicator == DropBelowItem ? ti : ti + 1;  // rows show top first
        }
    }
    // moveLayer's index counts after the layer is taken out.
    if (layer->parent() == parent && parent->indexOf(layer.get()) < index) --index;
    doc->moveLayer(layer, parent, index);
    refresh();
}

}  // namespace atelier::ui
