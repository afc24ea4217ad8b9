#pragma once
// The main window: menus, the canvas, the docked panels, the status bar. It owns the open
// document. Errors are shown to the artist in a message box; the *Interactively variants do
// that, the plain ones return the error for tests.
//
// The seam for other panels (the AI side): addSidePanel() docks a widget on the right;
// document() and canvas() give the open document and its view; documentReplaced() says when
// New / Open / recovery swapped the document (pointers to the old one are then invalid);
// documentEdited() relays Document::onChanged, which the window owns (do not overwrite it).
#include "app/document/document.h"

#include <QMainWindow>
#include <QString>

#include <memory>

class QDockWidget;
class QLabel;

namespace atelier::ui {

class CanvasView;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    // Docks panel on the right under title (tabified with the other right-hand panels'
    // neighbours as Qt decides); the window takes ownership. Returns the dock.
    QDockWidget* addSidePanel(QWidget* panel, const QString& title);

    // The open document (never null: the window starts with an empty canvas) and its view.
    document::Document* document() const { return document_.get(); }
    CanvasView* canvas() const { return canvas_; }
    // The layer the tools paint on (null only in an empty group-only tree).
    document::LayerPtr currentLayer() const;

    // Returns an empty string on success, else the error (the current image is kept).
    QString openImage(const QString& path);
    QString exportPng(const QString& path);

    void openImageInteractively(const QString& path);
    QString currentFile() const { return currentFile_; }

Q_SIGNALS:
    // The document was replaced (New, Open, recovery); the old pointer is no longer valid.
    void documentReplaced(atelier::document::Document* document);
    // Pixels of the document's composite (or its inpaint mask) changed in area.
    void documentEdited(const QRect& area);

private:
    void createMenus();
    void chooseAndOpen();
    void chooseAndExport();
    void showError(const QString& title, const QString& message);
    void updateTitle();
    void updateZoomLabel(double zoom);
    void setDocument(std::unique_ptr<document::Document> document, const QString& path);

    std::unique_ptr<document::Document> document_;
    CanvasView* canvas_ = nullptr;
    QLabel* zoomLabel_ = nullptr;
    QString currentFile_;
};

}  // namespace atelier::ui
