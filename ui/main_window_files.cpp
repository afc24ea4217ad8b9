// MainWindow's file side: New, Open, Save, Import, Export, recent files, autosave, recovery and
// the question before unsaved work is dropped.
#include "app/document/image_document.h"
#include "app/document/ora.h"
#include "app/image_io.h"
#include "ui/canvas_view.h"
#include "ui/layers_panel.h"
#include "ui/main_window.h"
#include "ui/tools/tool_context.h"

#include <QCloseEvent>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QMimeData>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QMenu>
#include <QSettings>
#include <QSpinBox>
#include <QStatusBar>

namespace atelier::ui {
namespace {

constexpr int kMaxRecentFiles = 8;
const char* const kRecentKey = "recentFiles";

bool isOra(const QString& path) {
    return path.endsWith(QStringLiteral(".ora"), Qt::CaseInsensitive);
}

}  // namespace

void MainWindow::newDocument(QSize size) {
    auto doc = std::make_unique<document::Document>(size);
    doc->addLayer(document::Layer::makePaint(tr("Background")));
    doc->history().stack().clear();
    static int untitled = 0;
    untitledName_ = ++untitled == 1 ? tr("Untitled") : tr("Untitled %1").arg(untitled);
    setDocument(std::move(doc), QString());
}

QString MainWindow::openFile(const QString& path) {
    std::unique_ptr<document::Document> doc;
    QStringList warnings;
    if (isOra(path)) {
        document::OraLoadResult loaded = document::loadOra(path);
        if (!loaded.ok()) return loaded.error;
        doc = std::move(loaded.document);
        warnings = loaded.warnings;
    } else {
        document::ImageDocumentResult loaded = document::openImageAsDocument(path);
        if (!loaded.ok()) return loaded.error;
        doc = std::move(loaded.document);
    }
    const QSize size = doc->size();
    // An image is not an .ora: Save asks where to put the document.
    setDocument(std::move(doc), isOra(path) ? path : QString());
    if (!isOra(path)) untitledName_ = QFileInfo(path).completeBaseName() + QStringLiteral(".ora");
    updateTitle();
    addRecentFile(path);
    statusBar()->showMessage(warnings.isEmpty() ? tr("%1: %2 x %3 px")
                                                      .arg(QFileInfo(path).fileName())
                                                      .arg(size.width())
                                                      .arg(size.height())
                                                : warnings.join(QStringLiteral("; ")),
                             8000);
    return {};
}

QString MainWindow::saveTo(const QString& path) {
    const QString error = document::saveOra(*document_, path);
    if (!error.isEmpty()) return error;
    currentFile_ = path;
    recoveredUnsaved_ = false;
    document_->history().setClean();
    if (!autosaveId_.isEmpty()) autosave_->discard(autosaveId_);
    autosavedRevision_ = document_->revision();
    addRecentFile(path);
    updateTitle();
    return {};
}

QString MainWindow::importImageAsLayer(const QString& path) {
    const ImageLoadResult loaded = loadImage(path);
    if (!loaded.ok()) return loaded.error;
    document::LayerPtr layer = document::layerFromImage(loaded.image, QFileInfo(path).fileName());
    const document::LayerPtr cur = context_->currentLayer();
    document::Layer* parent = cur ? cur->parent() : nullptr;
    document_->addLayer(layer, parent, cur && parent ? parent->indexOf(cur.get()) + 1 : -1);
    context_->setCurrentLayer(layer);
    layers_->refresh();
    return {};
}

QStringList MainWindow::dropFiles(const QList<QUrl>& urls) {
    QStringList errors;
    for (const QUrl& url : urls) {
        if (!url.isLocalFile()) {
            errors << tr("%1: only local files can be dropped").arg(url.toString());
            continue;
        }
        const QString path = url.toLocalFile();
        const QString error = importImageAsLayer(path);
        if (!error.isEmpty()) {
            errors << error;
            continue;
        }
        Q_EMIT imageDropped(path);
    }
    return errors;
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event) {
    if (event->mimeData()->hasUrls()) event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event) {
    const QStringList errors = dropFiles(event->mimeData()->urls());
    event->acceptProposedAction();
    if (!errors.isEmpty()) showError(tr("Cannot import"), errors.join(QStringLiteral("\n")));
}

QString MainWindow::exportPng(const QString& path) {
    return savePngAtomically(document_->flatten().convertToFormat(QImage::Format_RGBA8888), path);
}

void MainWindow::openImageInteractively(const QString& path) {
    if (!confirmLosingWork()) return;
    const QString error = openFile(path);
    if (!error.isEmpty()) showError(tr("Cannot open"), error);
}

bool MainWindow::confirmLosingWork() {
    if (!isModified()) return true;
    switch (askToSave()) {
        case QMessageBox::Save:
            return chooseAndSave(false);
        case QMessageBox::Discard:
            return true;
        default:
            return false;
    }
}

void MainWindow::closeEvent(QCloseEvent* event) {
    if (confirmLosingWork())
        event->accept();
    else
        event->ignore();
}

void MainWindow::chooseNew() {
    if (!confirmLosingWork()) return;
    QDialog dialog(this);
    dialog.setWindowTitle(tr("New Document"));
    auto* form = new QFormLayout(&dialog);
    auto* w = new QSpinBox(&dialog);
    auto* h = new QSpinBox(&dialog);
    for (QSpinBox* s : {w, h}) {
        s->setRange(1, 16384);
        s->setSuffix(tr(" px"));
    }
    w->setValue(document_->size().width());
    h->setValue(document_->size().height());
    form->addRow(tr("Width"), w);
    form->addRow(tr("Height"), h);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &dialog);
    form->addRow(buttons);
    connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    if (dialog.exec() == QDialog::Accepted) newDocument(QSize(w->value(), h->value()));
}

void MainWindow::chooseAndOpen() {
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Open"), QFileInfo(currentFile_).absolutePath(),
        tr("Documents and images (*.ora *.png *.jpg *.jpeg *.tif *.tiff *.webp);;All files (*)"));
    if (!path.isEmpty()) openImageInteractively(path);
}

bool MainWindow::chooseAndSave(bool saveAs) {
    QString path = currentFile_;
    if (saveAs || path.isEmpty()) {
        const QString suggested = currentFile_.isEmpty() ? untitledName_ : currentFile_;
        path = QFileDialog::getSaveFileName(this, tr("Save As"), suggested,
                                            tr("OpenRaster document (*.ora)"));
        if (path.isEmpty()) return false;
        if (!isOra(path)) path += QStringLiteral(".ora");
    }
    const QString error = saveTo(path);
    if (!error.isEmpty()) {
        showError(tr("Save failed"), error);
        return false;
    }
    statusBar()->showMessage(tr("Saved %1").arg(QFileInfo(path).fileName()), 5000);
    return true;
}

void MainWindow::chooseAndImport() {
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Import Image as Layer"), QFileInfo(currentFile_).absolutePath(),
        tr("Images (*.png *.jpg *.jpeg *.tif *.tiff *.webp);;All files (*)"));
    if (path.isEmpty()) return;
    const QString error = importImageAsLayer(path);
    if (!error.isEmpty()) showError(tr("Cannot import"), error);
}

void MainWindow::chooseAndExport() {
    const QString base = currentFile_.isEmpty() ? untitledName_ : currentFile_;
    const QString suggested = QFileInfo(base).path() + QLatin1Char('/') +
                              QFileInfo(base).completeBaseName() + QStringLiteral(".png");
    const QString path =
        QFileDialog::getSaveFileName(this, tr("Export PNG"), suggested, tr("PNG image (*.png)"));
    if (path.isEmpty()) return;
    const QString error = exportPng(path);
    if (!error.isEmpty())
        showError(tr("Export failed"), error);
    else
        statusBar()->showMessage(tr("Exported %1").arg(QFileInfo(path).fileName()), 5000);
}

QStringList MainWindow::recentFiles() const {
    return QSettings().value(QLatin1String(kRecentKey)).toStringList();
}

void MainWindow::addRecentFile(const QString& path) {
    QStringList files = recentFiles();
    const QString absolute = QFileInfo(path).absoluteFilePath();
    files.removeAll(absolute);
    files.prepend(absolute);
    while (files.size() > kMaxRecentFiles) files.removeLast();
    QSettings().setValue(QLatin1String(kRecentKey), files);
}

void MainWindow::rebuildRecentMenu() {
    recentMenu_->clear();
    const QStringList files = recentFiles();
    for (const QString& f : files) {
        QAction* a = recentMenu_->addAction(QFileInfo(f).fileName(), this,
                                            [this, f] { openImageInteractively(f); });
        a->setToolTip(f);
        a->setEnabled(QFileInfo::exists(f));
    }
    if (files.isEmpty()) recentMenu_->addAction(tr("(none)"))->setEnabled(false);
}

void MainWindow::setAutosaveStore(const QString& directory) {
    autosave_ = std::make_unique<document::AutosaveStore>(directory);
}

QString MainWindow::autosaveNow() {
    if (!isModified() || document_->revision() == autosavedRevision_) return {};
    // The snapshot leaves out a stroke being painted, so the entry is a state the artist saw.
    std::unique_ptr<document::Document> copy = document_->snapshot();
    const QString error = autosave_->save(
        *copy, autosaveId_, currentFile_,
        currentFile_.isEmpty() ? untitledName_ : QFileInfo(currentFile_).fileName());
    if (error.isEmpty()) autosavedRevision_ = document_->revision();
    return error;
}

QString MainWindow::restoreRecovery(const document::RecoveryEntry& entry) {
    document::OraLoadResult loaded = autosave_->restore(entry.id);
    if (!loaded.ok()) return loaded.error;
    setDocument(std::move(loaded.document), entry.documentPath);
    if (!entry.title.isEmpty()) untitledName_ = entry.title;
    autosave_->discard(entry.id);
    recoveredUnsaved_ = true;  // not saved to its file yet
    updateTitle();
    return {};
}

bool MainWindow::offerRecovery() {
    const QList<document::RecoveryEntry> entries = autosave_->list();
    if (entries.isEmpty()) return false;
    const document::RecoveryEntry& e = entries.first();
    const auto answer = QMessageBox::question(
        this, tr("Recover unsaved work?"),
        tr("Atelier did not close cleanly. An autosave of \"%1\" from %2 is available. Recover it?")
            .arg(e.title.isEmpty() ? tr("Untitled") : e.title, e.savedAt.toLocalTime().toString()),
        QMessageBox::Yes | QMessageBox::Discard | QMessageBox::Ignore, QMessageBox::Yes);
    if (answer == QMessageBox::Discard) {
        for (const document::RecoveryEntry& old : entries) autosave_->discard(old.id);
        return false;
    }
    if (answer != QMessageBox::Yes) return false;
    const QString error = restoreRecovery(e);
    if (!error.isEmpty()) {
        showError(tr("Recovery failed"), error);
        return false;
    }
    return true;
}

}  // namespace atelier::ui
