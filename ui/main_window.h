#pragma once
// The main window: menus, tool bar, the canvas, the docked panels (layers, brushes, colour),
// the status bar. It owns the open document and its file state: the path, the unsaved-changes
// flag shown as `*` in the title, autosave to the recovery store, and the question before work
// would be lost. Errors are shown in a message box by the *Interactively variants; the plain
// ones return the error (empty on success) for tests.
//
// The seam for other panels (the AI side): addSidePanel() docks a widget on the right;
// document() and canvas() give the open document and its view; documentReplaced() says when
// New / Open / recovery swapped the document (pointers to the old one are then invalid);
// documentEdited() relays Document::onChanged, which the window owns (do not overwrite it).
#include "app/document/autosave_store.h"
#include "app/document/document.h"

#include <QMainWindow>
#include <QStringList>
#include <QUrl>
#include <QMessageBox>
#include <QString>
#include <QTimer>

#include <functional>
#include <map>
#include <memory>

class QActionGroup;
class QDockWidget;
class QLabel;
class QListWidget;
class QSlider;

namespace atelier::ui {

class CanvasView;
class LayersPanel;
class Tool;
class ToolContext;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    // Docks panel on the right under title; the window takes ownership. Returns the dock.
    QDockWidget* addSidePanel(QWidget* panel, const QString& title);

    // The open document (never null: the window starts with an empty canvas) and its view.
    document::Document* document() const { return document_.get(); }
    CanvasView* canvas() const { return canvas_; }
    // The layer the tools paint on.
    document::LayerPtr currentLayer() const;
    ToolContext& toolContext() const { return *context_; }
    LayersPanel* layersPanel() const { return layers_; }

    // ---- Files (empty string on success, else the error; the current document is kept) ----
    void newDocument(QSize size);
    QString openFile(const QString& path);  // .ora, or an image as a one-layer document
    QString openImage(const QString& path) { return openFile(path); }
    QString saveTo(const QString& path);  // .ora; the document becomes clean
    QString importImageAsLayer(const QString& path);
    QString exportPng(const QString& path);
    void openImageInteractively(const QString& path);
    QString currentFile() const { return currentFile_; }
    bool isModified() const;
    QStringList recentFiles() const;

    // Asks whether to save unsaved changes (Save, Discard or Cancel); tests replace it.
    std::function<QMessageBox::StandardButton()> askToSave;
    // True when the work may be dropped: clean, saved, or the artist said Discard.
    bool confirmLosingWork();

    // Autosave: the store (tests use a temporary one) and one autosave now if modified.
    void setAutosaveStore(const QString& directory);
    QString autosaveNow();
    QString autosaveId() const { return autosaveId_; }
    // After a crash: offers the newest recovery entry (returns true if one was restored).
    bool offerRecovery();
    QString restoreRecovery(const document::RecoveryEntry& entry);

    enum class ToolId { Brush, Eraser, MaskBrush, RectSelect, EllipseSelect, Lasso, Picker, Move };
    void selectTool(ToolId id);
    ToolId currentTool() const { return currentTool_; }
    Tool* tool(ToolId id) const;

    // Drag and drop: image files dropped on the window become layers (a depth restyle starts
    // from them); returns the errors, one per refused file.
    QStringList dropFiles(const QList<QUrl>& urls);

Q_SIGNALS:
    // After a dropped image became the current layer.
    void imageDropped(const QString& path);
    void documentReplaced(atelier::document::Document* document);
    // Pixels of the document's composite (or its inpaint mask) changed in area.
    void documentEdited(const QRect& area);

protected:
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;
    void closeEvent(QCloseEvent* event) override;

private:
    void createTools();
    void createPanels();
    void createMenus();
    void loadBrushPresets();
    void chooseAndOpen();
    bool chooseAndSave(bool saveAs);
    void chooseAndImport();
    void chooseAndExport();
    void chooseNew();
    void showError(const QString& title, const QString& message);
    void updateTitle();
    void updateZoomLabel(double zoom);
    void historyChanged();
    void releaseDocument();
    void setDocument(std::unique_ptr<document::Document> document, const QString& path);
    void addRecentFile(const QString& path);
    void rebuildRecentMenu();
    void changeBrushSize(double factor);
    void syncSizeSlider();

    std::unique_ptr<document::Document> document_;
    std::unique_ptr<ToolContext> context_;
    std::map<ToolId, std::unique_ptr<Tool>> tools_;
    std::map<ToolId, QAction*> toolActions_;
    ToolId currentTool_ = ToolId::Brush;
    CanvasView* canvas_ = nullptr;
    LayersPanel* layers_ = nullptr;
    QListWidget* presetList_ = nullptr;
    QSlider* sizeSlider_ = nullptr;
    QLabel* sizeLabel_ = nullptr;
    QLabel* zoomLabel_ = nullptr;
    QMenu* recentMenu_ = nullptr;
    QString currentFile_;
    QString untitledName_;
    bool recoveredUnsaved_ = false;  // restored from autosave: unsaved although history is clean

    std::unique_ptr<document::AutosaveStore> autosave_;
    QString autosaveId_;
    QTimer autosaveTimer_;
    quint64 autosavedRevision_ = 0;
};

}  // namespace atelier::ui
