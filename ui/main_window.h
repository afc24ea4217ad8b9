#pragma once
// The main window: menus, the canvas, the status bar. Errors are shown to the artist in a
// message box; the *Interactively variants do that, the plain ones return the error for tests.
#include <QMainWindow>
#include <QString>

class QLabel;

namespace atelier::ui {

class CanvasView;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);

    // Returns an empty string on success, else the error (the current image is kept).
    QString openImage(const QString& path);
    QString exportPng(const QString& path);

    void openImageInteractively(const QString& path);
    CanvasView* canvas() const { return canvas_; }
    QString currentFile() const { return currentFile_; }

private:
    void createMenus();
    void chooseAndOpen();
    void chooseAndExport();
    void showError(const QString& title, const QString& message);
    void updateTitle();
    void updateZoomLabel(double zoom);

    CanvasView* canvas_ = nullptr;
    QLabel* zoomLabel_ = nullptr;
    QString currentFile_;
};

}  // namespace atelier::ui
