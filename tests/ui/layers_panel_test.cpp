#include "gui_test_helpers.h"

#include "ui/layers_panel.h"
#include "ui/tools/tool_context.h"

#include <QComboBox>
#include <QSlider>
#include <QTreeWidget>

using namespace atelier;
using atelier::ui::LayersPanel;
using atelier::ui::testing::ShownWindow;

namespace {

// Layer names as the tree shows them, top first (groups' children indented by "  ").
QStringList treeNames(QTreeWidget* tree) {
    QStringList out;
    for (QTreeWidgetItemIterator it(tree); *it; ++it) {
        QString prefix;
        for (QTreeWidgetItem* p = (*it)->parent(); p; p = p->parent())
            prefix += QStringLiteral("  ");
        out << prefix + (*it)->text(0);
    }
    return out;
}

QStringList stackNames(const document::Layer& group) {  // bottom to top
    QStringList out;
    for (const auto& c : group.children()) out << c->props.name;
    return out;
}

}  // namespace

TEST_CASE("layers panel: add, duplicate, group, remove, undo", "[gui]") {
    ShownWindow w;
    w.window.newDocument(QSize(64, 64));
    LayersPanel* panel = w.window.layersPanel();
    QCoreApplication::processEvents();
    CHECK(treeNames(panel->tree()) == QStringList{"Background"});

    panel->addLayer();
    CHECK(stackNames(w.doc().root()) == QStringList({"Background", "Layer 2"}));
    CHECK(w.window.currentLayer()->props.name == "Layer 2");
    CHECK(treeNames(panel->tree()) == QStringList({"Layer 2", "Background"}));  // top first
    CHECK(panel->tree()->currentItem()->text(0) == "Layer 2");

    panel->duplicateLayer();
    CHECK(w.doc().root().children().size() == 3);
    CHECK(w.window.currentLayer()->props.name.startsWith("Layer 2"));

    panel->addGroup();
    CHECK(w.window.currentLayer()->isGroup());
    CHECK(w.doc().root().children().size() == 4);

    panel->removeLayer();
    CHECK(w.doc().root().children().size() == 3);
    w.doc().history().undo();
    QCoreApplication::processEvents();
    CHECK(w.doc().root().children().size() == 4);
    CHECK(panel->tree()->topLevelItemCount() == 4);
}

TEST_CASE("layers panel: drag and drop reorders and moves into groups", "[gui]") {
    ShownWindow w;
    w.window.newDocument(QSize(64, 64));
    LayersPanel* panel = w.window.layersPanel();
    panel->addLayer();  // Layer 2
    panel->addLayer();  // Layer 3
    document::Document& doc = w.doc();
    REQUIRE(stackNames(doc.root()) == QStringList({"Background", "Layer 2", "Layer 3"}));
    const int bg = doc.root().children()[0]->id();
    const int l3 = doc.root().children()[2]->id();

    // Drop Background above Layer 3: it becomes the top layer.
    panel->dropLayer(bg, l3, LayersPanel::DropAboveItem);
    CHECK(stackNames(doc.root()) == QStringList({"Layer 2", "Layer 3", "Background"}));
    // Drop it below Layer 2: the bottom again.
    const int l2 = doc.root().children()[0]->id();
    panel->dropLayer(bg, l2, LayersPanel::DropBelowItem);
    CHECK(stackNames(doc.root()) == QStringList({"Background", "Layer 2", "Layer 3"}));
    // Into a group.
    panel->addGroup();
    const document::LayerPtr group = w.window.currentLayer();
    panel->dropLayer(l3, group->id(), LayersPanel::DropOnItem);
    CHECK(stackNames(*group) == QStringList({"Layer 3"}));
    CHECK(treeNames(panel->tree()).contains(QStringLiteral("  Layer 3")));
    // A group cannot go into itself; nothing changes.
    const int steps = doc.history().count();
    panel->dropLayer(group->id(), group->id(), LayersPanel::DropOnItem);
    CHECK(doc.history().count() == steps);
    doc.history().undo();
    CHECK(stackNames(*group).isEmpty());
}

TEST_CASE("layers panel: visibility, blend mode, locks, opacity drag is one undo step", "[gui]") {
    ShownWindow w;
    w.window.newDocument(QSize(64, 64));
    LayersPanel* panel = w.window.layersPanel();
    QCoreApplication::processEvents();
    const document::LayerPtr layer = w.window.currentLayer();
    document::Document& doc = w.doc();

    QTreeWidgetItem* item = panel->tree()->topLevelItem(0);
    item->setCheckState(0, Qt::Unchecked);
    CHECK_FALSE(layer->props.visible);
    doc.history().undo();
    CHECK(layer->props.visible);
    QCoreApplication::processEvents();

    const int steps = doc.history().index();  // the undone visibility step is dropped next
    QSlider* slider = panel->opacitySlider();
    slider->setSliderDown(true);
    for (int v = 95; v >= 40; v -= 5) slider->setValue(v);
    slider->setSliderDown(false);
    CHECK(layer->props.opacity == Approx(0.4f));
    CHECK(doc.history().index() == steps + 1);
    CHECK(doc.history().count() == steps + 1);
    doc.history().undo();
    CHECK(layer->props.opacity == Approx(1.0f));
    QCoreApplication::processEvents();
    CHECK(slider->value() == 100);

    QComboBox* mode = panel->blendModeBox();
    const int multiply = mode->findData(int(document::BlendMode::Multiply));
    mode->setCurrentIndex(multiply);
    Q_EMIT mode->activated(multiply);
    CHECK(layer->props.mode == document::BlendMode::Multiply);
}

TEST_CASE("layers panel: a layer mask is added, painted by the brush, removed", "[gui]") {
    ShownWindow w;
    w.window.newDocument(QSize(100, 100));
    LayersPanel* panel = w.window.layersPanel();
    const document::LayerPtr layer = w.window.currentLayer();
    // Paint the layer red all over, then hide its middle with the mask.
    w.window.toolContext().setColor(Qt::red);
    w.window.selectTool(atelier::ui::MainWindow::ToolId::Brush);
    w.window.toolContext().setRadius(ui::BrushRole::Paint, 80);
    ui::testing::dragOnCanvas(w.canvas(), {{50, 50}, {50, 50}});
    REQUIRE(w.doc().flatten().pixelColor(50, 50).alpha() == 255);

    panel->addMask();
    REQUIRE(layer->mask);
    CHECK(w.window.toolContext().editLayerMask());
    w.window.selectTool(atelier::ui::MainWindow::ToolId::Eraser);
    w.window.toolContext().setRadius(ui::BrushRole::Erase, 10);
    ui::testing::dragOnCanvas(w.canvas(), {{50, 50}, {50, 50}});
    CHECK(w.doc().flatten().pixelColor(50, 50).alpha() == 0);  // hidden by the mask
    CHECK(w.doc().flatten().pixelColor(10, 10).alpha() == 255);
    uint8_t px[4];
    layer->pixels.pixel(50, 50, px);
    CHECK(px[3] == 255);  // the pixels themselves are kept
    panel->removeMask();
    CHECK_FALSE(layer->mask);
    CHECK(w.doc().flatten().pixelColor(50, 50).alpha() == 255);
}

TEST_CASE("layer thumbnails show the layer's pixels", "[gui]") {
    document::Document doc(QSize(80, 40));
    auto layer = document::Layer::makePaint("x");
    QImage img(40, 40, QImage::Format_RGBA8888_Premultiplied);
    img.fill(QColor(0, 0, 255));
    layer->pixels.writeImage(img, {40, 0});  // the right half blue
    const QImage t = ui::layerThumbnail(*layer, doc.size(), 40);
    CHECK(t.pixelColor(30, 20) == QColor(0, 0, 255));
    CHECK(t.pixelColor(10, 20) == QColor(255, 255, 255));  // transparent over white
    CHECK(t.pixelColor(20, 2) == QColor(210, 210, 210));   // outside the 2:1 canvas
}
