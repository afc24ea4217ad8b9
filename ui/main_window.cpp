#include "ui/main_window.h"

#include "app/document/image_document.h"
#include "app/image_io.h"
#include "ui/canvas_view.h"

#include <QAction>
#include <QApplication>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QImageReader>
#include <QKeySequence>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QStatusBar>

namespace atelier::ui {

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent) {
    canvas_ = new CanvasView(this);
    setCentralWidget(canvas_);
    zoomLabel_ = new QLabel(this);
    statusBar()->addPermanentWidget(zoomLabel_);
    connect(canvas_, &CanvasView::zoomChanged, this, &MainWindow::updateZoomLabel);
    createMenus();
    setDocument(std::make_unique<document::Document>(QSize(1024, 768)), QString());
    updateZoomLabel(canvas_->zoom());
}

MainWindow::~MainWindow() = default;

QDockWidget* MainWindow::addSidePanel(QWidget* panel, const QString& title) {
    auto* dock = new QDockWidget(title, this);
    dock->setObjectName(title);  // saveState() needs names
    dock->setWidget(panel);
    addDockWidget(Qt::RightDockWidgetArea, dock);
    return dock;
}

document::LayerPtr MainWindow::currentLayer() const {
    const QVector<document::LayerPtr> layers = document_->allLayers();
    for (auto it = layers.rbegin(); it != layers.rend(); ++it)
        if (!(*it)->isGroup()) return *it;
    return nullptr;
}

void MainWindow::setDocument(std::unique_ptr<document::Document> document, const QString& path) {
    document_ = std::move(document);
    document_->onChanged = [this](const QRect& area) { Q_EMIT documentEdited(area); };
    currentFile_ = path;
    canvas_->setImage(document_->flatten());
    updateTitle();
    Q_EMIT documentReplaced(document_.get());
}

void MainWindow::createMenus() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* open = file->addAction(tr("&Open..."), this, &MainWindow::chooseAndOpen);
    open->setShortcut(QKeySequence::Open);
    QAction* exportAction = file->addAction(tr("&Export PNG..."), this, &MainWindow::chooseAndExport);
    exportAction->setShortcut(QKeySequence(tr("Ctrl+E")));
    file->addSeparator();
    QAction* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    QMenu* view = menuBar()->addMenu(tr("&View"));
    QAction* zoomIn = view->addAction(tr("Zoom &In"), canvas_, &CanvasView::zoomIn);
    // Ctrl+= as well as Ctrl++: on most keyboards "+" needs Shift.
    zoomIn->setShortcuts({QKeySequence::ZoomIn, QKeySequence(tr("Ctrl+="))});
    QAction* zoomOut = view->addAction(tr("Zoom &Out"), canvas_, &CanvasView::zoomOut);
    zoomOut->setShortcut(QKeySequence::ZoomOut);
    QAction* fit = view->addAction(tr("&Fit to View"), canvas_, &CanvasView::fitToView);
    fit->setShortcut(QKeySequence(tr("Ctrl+0")));
}

QString MainWindow::openImage(const QString& path) {
    document::ImageDocumentResult loaded = document::openImageAsDocument(path);
    if (!loaded.ok()) return loaded.error;
    const QSize size = loaded.document->size();
    setDocument(std::move(loaded.document), path);
    statusBar()->showMessage(
        tr("%1: %2 x %3 px").arg(QFileInfo(path).fileName()).arg(size.width()).arg(size.height()),
        5000);
    return {};
}

QString MainWindow::exportPng(const QString& path) {
    if (canvas_->image().isNull()) return tr("There is no image to export yet.");
    return savePngAtomically(canvas_->image(), path);
}

void MainWindow::openImageInteractively(const QString& path) {
    const QString error = openImage(path);
    if (!error.isEmpty()) showError(tr("Cannot open image"), error);
}

void MainWindow::chooseAndOpen() {
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Open Image"), QFileInfo(currentFile_).absolutePath(),
        tr("Images (*.png *.jpg *.jpeg *.tif *.tiff *.webp);;All files (*)"));
    if (!path.isEmpty()) openImageInteractively(path);
}

void MainWindow::chooseAndExport() {
    if (canvas_->image().isNull()) {
        showError(tr("Export PNG"), tr("There is no image to export yet."));
        return;
    }
    QString suggested = currentFile_.isEmpty()
                            ? QStringLiteral("untitled.png")
                            : QFileInfo(currentFile_).path() + QLatin1Char('/') +
                                  QFileInfo(currentFile_).completeBaseName() + QStringLiteral(".png");
    const QString path =
        QFileDialog::getSaveFileName(this, tr("Export PNG"), suggested, tr("PNG image (*.png)"));
    if (path.isEmpty()) return;
    const QString error = exportPng(path);
    if (!error.isEmpty()) showError(tr("Export failed"), error);
    else statusBar()->showMessage(tr("Exported %1").arg(QFileInfo(path).fileName()), 5000);
}

void MainWindow::showError(const QString& title, const QString& message) {
    QMessageBox::warning(this, title, message);
}

void MainWindow::updateTitle() {
    const QString name =
        currentFile_.isEmpty() ? tr("Untitled") : QFileInfo(currentFile_).fileName();
    setWindowTitle(tr("%1 - Atelier").arg(name));
}

void MainWindow::updateZoomLabel(double zoom) {
    zoomLabel_->setText(tr("%1 %").arg(qRound(zoom * 1000) / 10.0));
}

}  // namespace atelier::ui
