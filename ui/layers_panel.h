#pragma once
// The layers panel: the layer tree top layer first, with thumbnails and a visibility check box
// per layer; drag and drop reorders (and moves into groups); below it the current layer's blend
// mode, opacity (one slider drag is one undo step), locks, and buttons to add, group,
// duplicate, remove, raise, lower and to add, edit or remove a layer mask.
// Every change goes through the document's undoable API.
#include "app/document/document.h"

#include <QTimer>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QPushButton;
class QSlider;
class QTreeWidget;
class QTreeWidgetItem;

namespace atelier::ui {

class ToolContext;
class LayerTreeWidget;

class LayersPanel : public QWidget {
    Q_OBJECT
public:
    explicit LayersPanel(ToolContext& context, QWidget* parent = nullptr);

    // Re-reads the tree and the current layer's properties (after any change or undo).
    void refresh();
    // Thumbnails are refreshed a moment after pixels change, not on every dab.
    void scheduleThumbnails();

    // Actions on the current layer (the buttons), public for tests and menus.
    void addLayer();
    void addGroup();
    void duplicateLayer();
    void removeLayer();
    void raiseLayer();
    void lowerLayer();
    void addMask();
    void removeMask();
    // What a drop of layer layerId on targetId's row does (values as Qt's protected
    // QAbstractItemView::DropIndicatorPosition; targetId -1: below everything).
    enum DropPosition { DropOnItem = 0, DropAboveItem = 1, DropBelowItem = 2 };
    void dropLayer(int layerId, int targetId, int position);

    QTreeWidget* tree() const;
    QSlider* opacitySlider() const { return opacity_; }
    QComboBox* blendModeBox() const { return mode_; }

    static constexpr int kThumbnailSize = 40;
    // The layer id an item of the tree stands for.
    static constexpr int kLayerIdRole = Qt::UserRole + 1;

private:
    void fillItem(QTreeWidgetItem* item, const document::Layer& layer);
    void addChildren(QTreeWidgetItem* parent, const document::Layer& group);
    void updateProperties();
    void itemChanged(QTreeWidgetItem* item, int column);
    void currentItemChanged();
    void refreshThumbnails();
    document::LayerPtr current() const;
    // Where a new layer goes: above the current one, in its parent.
    void insertAboveCurrent(document::LayerPtr layer);

    ToolContext& context_;
    LayerTreeWidget* tree_ = nullptr;
    QComboBox* mode_ = nullptr;
    QSlider* opacity_ = nullptr;
    QCheckBox* lockAlpha_ = nullptr;
    QCheckBox* locked_ = nullptr;
    QCheckBox* editMask_ = nullptr;
    QPushButton* maskButton_ = nullptr;
    QTimer thumbnailTimer_;
    bool refreshing_ = false;
};

// A grey-backed thumbnail of a layer's pixels (nearest samples, so cheap for any layer size).
QImage layerThumbnail(const document::Layer& layer, QSize canvas, int side);

}  // namespace atelier::ui
