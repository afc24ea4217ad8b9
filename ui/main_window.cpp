#include "ui/main_window.h"

#include "brushes/brush_preset.h"
#include "ui/ai_side.h"
#include "ui/canvas_view.h"
#include "ui/colour_panel.h"
#include "ui/layers_panel.h"
#include "ui/tools/brush_tool.h"
#include "ui/tools/move_tool.h"
#include "ui/tools/picker_tool.h"
#include "ui/tools/selection_tool.h"
#include "ui/tools/tool_context.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QDir>
#include <QDockWidget>
#include <QFileInfo>
#include <QKeySequence>
#include <QLabel>
#include <QListWidget>
#include <QMenuBar>
#include <QSlider>
#include <QStatusBar>
#include <QToolBar>
#include <QVBoxLayout>

#include <cmath>

namespace atelier::ui {
namespace {

constexpr double kSizeStep = 1.25;  // [ and ]

// Where the shipped presets are: beside an installed binary, else the source tree.
QString brushPresetFolder() {
    const QString env = qEnvironmentVariable("ATELIER_BRUSHES_DIR");
    if (!env.isEmpty()) return env;
    const QString installed =
        QCoreApplication::applicationDirPath() + QStringLiteral("/../share/atelier/brushes");
    if (QFileInfo(installed).isDir()) return installed;
    return QStringLiteral(ATELIER_BRUSH_PRESETS_SOURCE_DIR);
}

BrushRole roleOf(const brushes::BrushPreset& p) {
    if (p.target == brushes::PresetTarget::Mask) return BrushRole::Mask;
    return p.mode == brushes::DabMode::Erase ? BrushRole::Erase : BrushRole::Paint;
}

}  // namespace

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
    context_ = std::make_unique<ToolContext>();
    canvas_ = new CanvasView(this);
    setCentralWidget(canvas_);
    setAcceptDrops(true);  // image files dropped anywhere on the window become layers
    zoomLabel_ = new QLabel(this);
    statusBar()->addPermanentWidget(zoomLabel_);
    connect(canvas_, &CanvasView::zoomChanged, this, &MainWindow::updateZoomLabel);
    connect(this, &MainWindow::documentEdited, canvas_, &CanvasView::documentChanged);
    connect(this, &MainWindow::documentEdited, this, [this] { layers_->scheduleThumbnails(); });
    connect(context_.get(), &ToolContext::messageRequested, this,
            [this](const QString& text) { statusBar()->showMessage(text, 5000); });
    askToSave = [this] {
        return QMessageBox::question(this, tr("Unsaved changes"),
                                     tr("%1 has unsaved changes. Save them first?")
                                         .arg(QFileInfo(currentFile_).fileName().isEmpty()
                                                  ? untitledName_
                                                  : QFileInfo(currentFile_).fileName()),
                                     QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel,
                                     QMessageBox::Save);
    };
    createTools();
    createPanels();
    connect(context_.get(), &ToolContext::brushChanged, this, [this] {
        syncSizeSlider();
        canvas_->refreshOverlay();
    });
    createMenus();
    loadBrushPresets();
    autosave_ = std::make_unique<document::AutosaveStore>();
    autosaveTimer_.setInterval(2 * 60 * 1000);
    connect(&autosaveTimer_, &QTimer::timeout, this, [this] {
        const QString error = autosaveNow();
        if (!error.isEmpty()) statusBar()->showMessage(tr("Autosave failed: %1").arg(error), 8000);
    });
    autosaveTimer_.start();
    setDocument(std::make_unique<document::Document>(QSize(1024, 768)), QString());
    document_->addLayer(document::Layer::makePaint(tr("Background")));
    document_->history().stack().clear();
    layers_->refresh();
    selectTool(ToolId::Brush);
    updateZoomLabel(canvas_->zoom());
    installAiSide(this);  // the AI panel, worker and menu (ui/ai_side.h)
}

MainWindow::~MainWindow() {
    canvas_->setTool(nullptr);
    canvas_->setDocument(nullptr);
    tools_.clear();
    context_->setDocument(nullptr);
    releaseDocument();
    // A clean close leaves no recovery entry behind.
    if (autosave_ && !autosaveId_.isEmpty()) autosave_->discard(autosaveId_);
}

QDockWidget* MainWindow::addSidePanel(QWidget* panel, const QString& title) {
    auto* dock = new QDockWidget(title, this);
    dock->setObjectName(title);  // saveState() needs names
    dock->setWidget(panel);
    addDockWidget(Qt::RightDockWidgetArea, dock);
    return dock;
}

document::LayerPtr MainWindow::currentLayer() const { return context_->currentLayer(); }

Tool* MainWindow::tool(ToolId id) const {
    const auto it = tools_.find(id);
    return it == tools_.end() ? nullptr : it->second.get();
}

void MainWindow::createTools() {
    tools_[ToolId::Brush] = std::make_unique<BrushTool>(*context_, BrushRole::Paint);
    tools_[ToolId::Eraser] = std::make_unique<BrushTool>(*context_, BrushRole::Erase);
    tools_[ToolId::MaskBrush] = std::make_unique<BrushTool>(*context_, BrushRole::Mask);
    tools_[ToolId::RectSelect] =
        std::make_unique<SelectionTool>(*context_, SelectionTool::Shape::Rectangle);
    tools_[ToolId::EllipseSelect] =
        std::make_unique<SelectionTool>(*context_, SelectionTool::Shape::Ellipse);
    tools_[ToolId::Lasso] = std::make_unique<SelectionTool>(*context_, SelectionTool::Shape::Lasso);
    tools_[ToolId::Picker] = std::make_unique<PickerTool>(*context_);
    tools_[ToolId::Move] = std::make_unique<MoveTool>(*context_);

    QToolBar* bar = addToolBar(tr("Tools"));
    bar->setObjectName(QStringLiteral("tools"));
    auto* group = new QActionGroup(this);
    struct Entry {
        ToolId id;
        QString text;
        QString key;
    };
    const Entry entries[] = {
        {ToolId::Brush, tr("Brush"), QStringLiteral("B")},
        {ToolId::Eraser, tr("Eraser"), QStringLiteral("E")},
        {ToolId::MaskBrush, tr("Mask brush"), QStringLiteral("Q")},
        {ToolId::RectSelect, tr("Rectangle selection"), QStringLiteral("M")},
        {ToolId::EllipseSelect, tr("Ellipse selection"), QStringLiteral("Shift+M")},
        {ToolId::Lasso, tr("Lasso selection"), QStringLiteral("L")},
        {ToolId::Picker, tr("Colour picker"), QStringLiteral("I")},
        {ToolId::Move, tr("Move"), QStringLiteral("V")},
    };
    for (const Entry& e : entries) {
        QAction* a = bar->addAction(e.text);
        a->setCheckable(true);
        a->setShortcut(QKeySequence(e.key));
        a->setToolTip(tr("%1 (%2)").arg(e.text, e.key));
        group->addAction(a);
        const ToolId id = e.id;
        connect(a, &QAction::triggered, this, [this, id] { selectTool(id); });
        toolActions_[id] = a;
    }
}

void MainWindow::selectTool(ToolId id) {
    // The eraser erases what the last brush painted: the inpaint mask after the mask brush.
    if (id == ToolId::Eraser)
        context_->setEraserOnMask(currentTool_ == ToolId::MaskBrush ||
                                  (currentTool_ == ToolId::Eraser && context_->eraserOnMask()));
    if (id == ToolId::MaskBrush) canvas_->setMaskOverlayVisible(true);
    currentTool_ = id;
    canvas_->setTool(tool(id));
    toolActions_[id]->setChecked(true);
    syncSizeSlider();
    if (id == ToolId::Eraser && context_->eraserOnMask())
        statusBar()->showMessage(tr("Eraser: erasing the inpaint mask"), 3000);
}

void MainWindow::createPanels() {
    layers_ = new LayersPanel(*context_, this);
    auto* layersDock = new QDockWidget(tr("Layers"), this);
    layersDock->setObjectName(QStringLiteral("layers"));
    layersDock->setWidget(layers_);
    addDockWidget(Qt::RightDockWidgetArea, layersDock);

    auto* brushes = new QWidget(this);
    auto* bl = new QVBoxLayout(brushes);
    bl->setContentsMargins(4, 4, 4, 4);
    presetList_ = new QListWidget(brushes);
    presetList_->setMaximumHeight(160);
    sizeSlider_ = new QSlider(Qt::Horizontal, brushes);
    sizeSlider_->setRange(1, 500);
    sizeSlider_->setToolTip(tr("Brush radius in pixels ([ and ])"));
    bl->addWidget(presetList_, 1);
    sizeLabel_ = new QLabel(brushes);
    bl->addWidget(sizeLabel_);
    bl->addWidget(sizeSlider_);
    auto* brushDock = new QDockWidget(tr("Brushes"), this);
    brushDock->setObjectName(QStringLiteral("brushes"));
    brushDock->setWidget(brushes);
    addDockWidget(Qt::LeftDockWidgetArea, brushDock);
    connect(sizeSlider_, &QSlider::valueChanged, this, [this](int v) {
        const BrushRole role = currentTool_ == ToolId::Eraser      ? BrushRole::Erase
                               : currentTool_ == ToolId::MaskBrush ? BrushRole::Mask
                                                                   : BrushRole::Paint;
        if (qRound(context_->radius(role)) != v) context_->setRadius(role, v);
        sizeLabel_->setText(tr("Size: %1 px radius").arg(context_->radius(role), 0, 'f', 1));
        canvas_->refreshOverlay();
    });

    auto* colours = new ColourPanel(this);
    colours->setColour(context_->color());
    auto* colourDock = new QDockWidget(tr("Colour"), this);
    colourDock->setObjectName(QStringLiteral("colour"));
    colourDock->setWidget(colours);
    addDockWidget(Qt::LeftDockWidgetArea, colourDock);
    resizeDocks({brushDock, layersDock}, {230, 280}, Qt::Horizontal);
    resizeDocks({brushDock, colourDock}, {260, 300}, Qt::Vertical);
    connect(colours, &ColourPanel::colourChanged, context_.get(), &ToolContext::setColor);
    connect(context_.get(), &ToolContext::colorChanged, colours, [colours](const QColor& c) {
        if (colours->colour() != c) colours->setColour(c);
    });
}

void MainWindow::loadBrushPresets() {
    const QString folder = brushPresetFolder();
    const brushes::PresetFolder loaded = brushes::loadPresetFolder(folder.toStdString());
    for (const std::string& e : loaded.errors)
        statusBar()->showMessage(tr("Brush preset skipped: %1").arg(QString::fromStdString(e)),
                                 8000);
    bool seen[3] = {false, false, false};
    for (size_t i = 0; i < loaded.presets.size(); ++i) {
        const brushes::BrushPreset& p = loaded.presets[i];
        auto* item = new QListWidgetItem(QString::fromStdString(p.name), presetList_);
        item->setData(Qt::UserRole, int(i));
        const BrushRole role = roleOf(p);
        // Defaults: Hard round for the brush, the first eraser and mask presets.
        if (!seen[int(role)] || p.name == "Hard round" || p.name == "Mask soft") {
            context_->setPreset(role, p);
            seen[int(role)] = true;
        }
    }
    auto presets = std::make_shared<std::vector<brushes::BrushPreset>>(loaded.presets);
    connect(presetList_, &QListWidget::itemClicked, this, [this, presets](QListWidgetItem* item) {
        const brushes::BrushPreset& p = (*presets)[size_t(item->data(Qt::UserRole).toInt())];
        const BrushRole role = roleOf(p);
        context_->setPreset(role, p);
        selectTool(role == BrushRole::Mask    ? ToolId::MaskBrush
                   : role == BrushRole::Erase ? ToolId::Eraser
                                              : ToolId::Brush);
    });
}

void MainWindow::changeBrushSize(double factor) {
    const BrushRole role = currentTool_ == ToolId::Eraser      ? BrushRole::Erase
                           : currentTool_ == ToolId::MaskBrush ? BrushRole::Mask
                                                               : BrushRole::Paint;
    context_->setRadius(role, context_->radius(role) * factor);
    syncSizeSlider();
    canvas_->refreshOverlay();
}

void MainWindow::syncSizeSlider() {
    const BrushRole role = currentTool_ == ToolId::Eraser      ? BrushRole::Erase
                           : currentTool_ == ToolId::MaskBrush ? BrushRole::Mask
                                                               : BrushRole::Paint;
    QSignalBlocker block(sizeSlider_);
    sizeSlider_->setValue(qRound(context_->radius(role)));
    sizeLabel_->setText(tr("Size: %1 px radius").arg(context_->radius(role), 0, 'f', 1));
}

void MainWindow::createMenus() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&New..."), this, &MainWindow::chooseNew)->setShortcut(QKeySequence::New);
    file->addAction(tr("&Open..."), this, &MainWindow::chooseAndOpen)
        ->setShortcut(QKeySequence::Open);
    recentMenu_ = file->addMenu(tr("Open &Recent"));
    connect(recentMenu_, &QMenu::aboutToShow, this, &MainWindow::rebuildRecentMenu);
    file->addAction(tr("&Save"), this, [this] { chooseAndSave(false); })
        ->setShortcut(QKeySequence::Save);
    file->addAction(tr("Save &As..."), this, [this] { chooseAndSave(true); })
        ->setShortcut(QKeySequence::SaveAs);
    file->addSeparator();
    file->addAction(tr("&Import Image as Layer..."), this, &MainWindow::chooseAndImport)
        ->setShortcut(QKeySequence(tr("Ctrl+Shift+I")));
    file->addAction(tr("&Export PNG..."), this, &MainWindow::chooseAndExport)
        ->setShortcut(QKeySequence(tr("Ctrl+E")));
    file->addSeparator();
    file->addAction(tr("&Quit"), this, &QWidget::close)->setShortcut(QKeySequence::Quit);

    QMenu* edit = menuBar()->addMenu(tr("&Edit"));
    // Not in the middle of a stroke: its open edit holds tiles the step would replace.
    QAction* undo = edit->addAction(tr("&Undo"), this, [this] {
        if (!canvas_->toolActive()) document_->history().undo();
    });
    undo->setShortcut(QKeySequence::Undo);
    QAction* redo = edit->addAction(tr("&Redo"), this, [this] {
        if (!canvas_->toolActive()) document_->history().redo();
    });
    redo->setShortcuts({QKeySequence(tr("Ctrl+Shift+Z")), QKeySequence::Redo});
    edit->addSeparator();
    edit->addAction(tr("Select &All"), this,
                    [this] {
                        document::TileGrid all(1, 0);
                        QImage full(document_->size(), QImage::Format_Grayscale8);
                        full.fill(255);
                        all.writeImage(full, {0, 0});
                        document_->setSelection(all, true, tr("Select all"));
                    })
        ->setShortcut(QKeySequence::SelectAll);
    edit->addAction(tr("&Deselect"), this,
                    [this] {
                        if (document_->hasSelection())
                            document_->setSelection(document::TileGrid(1, 0), false,
                                                    tr("Deselect"));
                    })
        ->setShortcut(QKeySequence(tr("Ctrl+D")));
    edit->addAction(tr("Clear Inpaint &Mask"), this, [this] { document_->clearInpaintMask(); })
        ->setShortcut(QKeySequence(tr("Ctrl+Shift+M")));
    edit->addSeparator();
    edit->addAction(tr("Smaller Brush"), this, [this] { changeBrushSize(1 / kSizeStep); })
        ->setShortcut(QKeySequence(Qt::Key_BracketLeft));
    edit->addAction(tr("Bigger Brush"), this, [this] { changeBrushSize(kSizeStep); })
        ->setShortcut(QKeySequence(Qt::Key_BracketRight));

    QMenu* view = menuBar()->addMenu(tr("&View"));
    QAction* zoomIn = view->addAction(tr("Zoom &In"), canvas_, &CanvasView::zoomIn);
    // Ctrl+= as well as Ctrl++: on most keyboards "+" needs Shift.
    zoomIn->setShortcuts({QKeySequence::ZoomIn, QKeySequence(tr("Ctrl+="))});
    view->addAction(tr("Zoom &Out"), canvas_, &CanvasView::zoomOut)
        ->setShortcut(QKeySequence::ZoomOut);
    view->addAction(tr("&Fit to View"), canvas_, &CanvasView::fitToView)
        ->setShortcut(QKeySequence(tr("Ctrl+0")));
    view->addAction(tr("Rotate &Left"), canvas_, [this] { canvas_->rotateBy(-15); })
        ->setShortcut(QKeySequence(tr("4")));
    view->addAction(tr("Rotate &Right"), canvas_, [this] { canvas_->rotateBy(15); })
        ->setShortcut(QKeySequence(tr("6")));
    view->addAction(tr("Reset Rotation"), canvas_, &CanvasView::resetRotation)
        ->setShortcut(QKeySequence(tr("5")));
    QAction* mask = view->addAction(tr("Show Inpaint &Mask"));
    mask->setCheckable(true);
    mask->setChecked(true);
    connect(mask, &QAction::toggled, canvas_, &CanvasView::setMaskOverlayVisible);
}

void MainWindow::setDocument(std::unique_ptr<document::Document> document, const QString& path) {
    canvas_->setDocument(nullptr);
    context_->setDocument(nullptr);
    releaseDocument();
    document_ = std::move(document);
    document_->onChanged = [this](const QRect& area) { Q_EMIT documentEdited(area); };
    connect(&document_->history().stack(), &QUndoStack::indexChanged, this,
            &MainWindow::historyChanged);
    connect(&document_->history().stack(), &QUndoStack::cleanChanged, this,
            &MainWindow::updateTitle);
    currentFile_ = path;
    recoveredUnsaved_ = false;
    if (autosave_ && !autosaveId_.isEmpty()) autosave_->discard(autosaveId_);
    autosaveId_ = document::AutosaveStore::newId();
    autosavedRevision_ = document_->revision();
    context_->setDocument(document_.get());
    canvas_->setDocument(document_.get());
    if (layers_) layers_->refresh();
    updateTitle();
    Q_EMIT documentReplaced(document_.get());
}

void MainWindow::releaseDocument() {
    if (!document_) return;
    // The old document's undo stack must not call back into the window while it goes.
    document_->history().stack().disconnect(this);
    document_->onChanged = nullptr;
    document_.reset();
}

void MainWindow::historyChanged() {
    canvas_->selectionChanged();
    // Later: the change may come from a signal of an item the refresh deletes.
    QMetaObject::invokeMethod(layers_, &LayersPanel::refresh, Qt::QueuedConnection);
    updateTitle();
}

bool MainWindow::isModified() const { return recoveredUnsaved_ || !document_->history().isClean(); }

void MainWindow::updateTitle() {
    if (untitledName_.isEmpty()) untitledName_ = tr("Untitled");
    const QString name =
        currentFile_.isEmpty() ? untitledName_ : QFileInfo(currentFile_).fileName();
    setWindowTitle(tr("%1[*] - Atelier").arg(name));
    setWindowModified(isModified());
}

void MainWindow::updateZoomLabel(double zoom) {
    zoomLabel_->setText(tr("%1 %").arg(qRound(zoom * 1000) / 10.0));
}

void MainWindow::showError(const QString& title, const QString& message) {
    QMessageBox::warning(this, title, message);
}

}  // namespace atelier::ui
