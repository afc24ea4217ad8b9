#include "gui_test_helpers.h"

#include "app/document/autosave_store.h"
#include "ui/layers_panel.h"
#include "ui/tools/tool_context.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>

using namespace atelier;
using atelier::ui::MainWindow;
using atelier::ui::testing::dragOnCanvas;
using atelier::ui::testing::line;
using atelier::ui::testing::ShownWindow;

namespace {

QString testImage(const char* name) {
    return QStringLiteral(ATELIER_TEST_DATA_DIR "/images/") + QString::fromUtf8(name);
}

void paintSomething(ShownWindow& w, QColor colour) {
    w.window.toolContext().setColor(colour);
    w.window.selectTool(MainWindow::ToolId::Brush);
    w.window.toolContext().setRadius(ui::BrushRole::Paint, 6);
    dragOnCanvas(w.canvas(), line({10, 30}, {110, 30}));
}

}  // namespace

TEST_CASE("save and open an .ora round trip keeps layers, pixels and the mask", "[gui]") {
    QTemporaryDir dir;
    const QString path = dir.filePath("art.ora");
    QImage saved;
    {
        ShownWindow w;
        w.window.newDocument(QSize(120, 60));
        paintSomething(w, QColor(10, 200, 30));
        w.window.layersPanel()->addLayer();
        w.window.selectTool(MainWindow::ToolId::MaskBrush);
        dragOnCanvas(w.canvas(), line({60, 10}, {60, 50}));
        CHECK(w.window.isWindowModified());
        REQUIRE(w.window.saveTo(path).isEmpty());
        CHECK_FALSE(w.window.isWindowModified());
        CHECK(w.window.windowTitle() == QStringLiteral("art.ora[*] - Atelier"));
        saved = w.doc().flatten();
    }
    ShownWindow w;
    REQUIRE(w.window.openFile(path).isEmpty());
    CHECK(w.window.currentFile() == path);
    CHECK_FALSE(w.window.isWindowModified());
    CHECK(w.doc().root().children().size() == 2);
    CHECK(w.doc().flatten() == saved);
    uint8_t m = 0;
    w.doc().inpaintMask().pixel(60, 30, &m);
    CHECK(m > 200);
    CHECK(w.window.recentFiles().value(0) == QFileInfo(path).absoluteFilePath());
}

TEST_CASE("a broken .ora is refused with a message naming it, the document kept", "[gui]") {
    QTemporaryDir dir;
    const QString path = dir.filePath("broken.ora");
    QFile f(path);
    REQUIRE(f.open(QIODevice::WriteOnly));
    f.write("PK\x03\x04 not really a zip");
    f.close();
    ShownWindow w;
    w.window.newDocument(QSize(30, 20));
    const document::Document* before = w.window.document();
    const QString error = w.window.openFile(path);
    CHECK(error.contains("broken.ora"));
    CHECK(w.window.document() == before);
}

TEST_CASE("the title shows unsaved changes; undo back to the saved state clears it", "[gui]") {
    QTemporaryDir dir;
    ShownWindow w;
    w.window.newDocument(QSize(120, 60));
    CHECK_FALSE(w.window.isWindowModified());
    CHECK(w.window.windowTitle().startsWith("Untitled"));
    paintSomething(w, Qt::black);
    CHECK(w.window.isWindowModified());
    REQUIRE(w.window.saveTo(dir.filePath("t.ora")).isEmpty());
    CHECK_FALSE(w.window.isWindowModified());
    paintSomething(w, Qt::red);
    CHECK(w.window.isWindowModified());
    w.doc().history().undo();
    CHECK_FALSE(w.window.isWindowModified());
}

TEST_CASE("losing work asks first; Cancel keeps the document", "[gui]") {
    ShownWindow w;
    w.window.newDocument(QSize(120, 60));
    int asked = 0;
    QMessageBox::StandardButton answer = QMessageBox::Cancel;
    w.window.askToSave = [&] {
        ++asked;
        return answer;
    };
    CHECK(w.window.confirmLosingWork());  // clean: no question
    CHECK(asked == 0);
    paintSomething(w, Qt::black);
    CHECK_FALSE(w.window.confirmLosingWork());
    CHECK(asked == 1);
    CHECK_FALSE(w.window.close());  // Cancel keeps the window open
    CHECK(w.window.isVisible());
    answer = QMessageBox::Discard;
    CHECK(w.window.confirmLosingWork());
}

TEST_CASE("import an image as a layer and export the composite as PNG", "[gui]") {
    QTemporaryDir dir;
    ShownWindow w;
    w.window.newDocument(QSize(64, 32));
    REQUIRE(w.window.importImageAsLayer(testImage("red_blue_64x32.png")).isEmpty());
    CHECK(w.doc().root().children().size() == 2);
    CHECK(w.window.currentLayer()->props.name == "red_blue_64x32.png");
    CHECK_FALSE(w.window.importImageAsLayer(testImage("truncated.png")).isEmpty());
    const QString out = dir.filePath("export.png");
    REQUIRE(w.window.exportPng(out).isEmpty());
    QImage written(out);
    CHECK(written.pixelColor(0, 0) == QColor(255, 0, 0));
    CHECK(written.pixelColor(63, 31) == QColor(0, 0, 255));
}

TEST_CASE("autosave writes a recovery entry that restores the work", "[gui]") {
    QTemporaryDir dir;
    QImage painted;
    {
        ShownWindow w;
        w.window.setAutosaveStore(dir.path());
        w.window.newDocument(QSize(120, 60));
        CHECK(w.window.autosaveNow().isEmpty());
        CHECK(document::AutosaveStore(dir.path()).list().isEmpty());  // nothing to save yet
        paintSomething(w, QColor(0, 0, 200));
        REQUIRE(w.window.autosaveNow().isEmpty());
        painted = w.doc().flatten();
        const QList<document::RecoveryEntry> entries = document::AutosaveStore(dir.path()).list();
        REQUIRE(entries.size() == 1);
        CHECK(entries.first().id == w.window.autosaveId());
        // A crash: the window goes without its clean close (the entry stays).
        document::AutosaveStore copy(dir.path());
        QDir(dir.path()).mkdir("kept");
        for (const QString& f : QDir(dir.path()).entryList(QDir::Files))
            QFile::copy(dir.filePath(f), dir.filePath("kept/" + f));
    }
    // A clean close removed the entry; the copy stands for what a crash leaves.
    CHECK(document::AutosaveStore(dir.path()).list().isEmpty());
    const QString crashed = dir.filePath("kept");
    ShownWindow w;
    w.window.setAutosaveStore(crashed);
    const QList<document::RecoveryEntry> entries = document::AutosaveStore(crashed).list();
    REQUIRE(entries.size() == 1);
    REQUIRE(w.window.restoreRecovery(entries.first()).isEmpty());
    CHECK(w.doc().flatten() == painted);
    CHECK(w.window.isWindowModified());  // recovered work is not saved yet
    CHECK(document::AutosaveStore(crashed).list().isEmpty());
}

TEST_CASE("saving a document discards its autosave", "[gui]") {
    QTemporaryDir dir, store;
    ShownWindow w;
    w.window.setAutosaveStore(store.path());
    w.window.newDocument(QSize(120, 60));
    paintSomething(w, Qt::black);
    REQUIRE(w.window.autosaveNow().isEmpty());
    REQUIRE(document::AutosaveStore(store.path()).list().size() == 1);
    REQUIRE(w.window.saveTo(dir.filePath("s.ora")).isEmpty());
    CHECK(document::AutosaveStore(store.path()).list().isEmpty());
}
