// The AI panel and the print dialog driven as an artist would, offscreen, on the tiny reference
// models (2-3 steps): mask -> inpaint -> staged variations -> accept -> undo; discard leaves
// nothing; txt2img -> a new layer; upscale -> export with the DPI read back from the file; and
// the longest UI-thread stall while a job runs.
#include "app/document/pixel_edit.h"
#include "tests/ui/gui_test_helpers.h"
#include "ui/ai_panel.h"
#include "ui/print_dialog.h"
#include "ui/staging_strip.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QUrl>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QMimeData>
#include <QImageReader>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <catch2/catch.hpp>

#include <cstdio>

using namespace atelier;
using atelier::ui::AiPanel;

namespace {

QString tinyModel(const char* variant) {
    return QStringLiteral(ATELIER_TEST_DATA_DIR "/reference/models/") +
           QString::fromLatin1(variant) + QStringLiteral("/diffusers");
}

// QSettings in a fresh folder, so remembered models of one test (or the user) do not leak in.
struct IsolatedSettings {
    QTemporaryDir dir;
    IsolatedSettings() {
        QSettings::setDefaultFormat(QSettings::IniFormat);
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, dir.path());
        QSettings().clear();
    }
};

std::unique_ptr<document::Document> gradientDocument(QSize size) {
    auto doc = std::make_unique<document::Document>(size);
    auto layer = document::Layer::makePaint(QStringLiteral("paint"));
    QImage image(size, QImage::Format_RGBA8888);
    for (int y = 0; y < size.height(); ++y)
        for (int x = 0; x < size.width(); ++x)
            image.setPixelColor(x, y, QColor(x * 2 % 256, y * 2 % 256, 90));
    layer->pixels.writeImage(image, {0, 0});
    doc->addLayer(layer);
    return doc;
}

void paintMask(document::Document& doc, const QRect& r) {
    auto edit = doc.beginPixelEdit(document::ChannelRef::inpaintMask(), QStringLiteral("mask"));
    REQUIRE(edit);
    edit->paintTiles(r, [&](document::Tile& tile, QPoint origin) {
        for (int y = 0; y < document::kTileSize; ++y)
            for (int x = 0; x < document::kTileSize; ++x)
                if (r.contains(origin + QPoint(x, y))) tile.row(y)[x] = 255;
    });
    REQUIRE(edit->commit());
}

app::InpaintOptions tinyInpaintOptions() {
    app::InpaintOptions o;
    o.region.nativeResolution = 64;
    o.region.padding = 8;
    o.maskGrow = 4;
    o.feather = 2;
    return o;
}

app::GenerationSettings fewSteps(int steps, int variations, qint64 seed) {
    app::GenerationSettings s;
    s.prompt = QStringLiteral("ivy on a wall");
    s.negativePrompt = QStringLiteral("text");
    s.steps = steps;
    s.seed = seed;
    s.sampler = QStringLiteral("ddim");
    s.variations = variations;
    return s;
}

struct Panel {
    IsolatedSettings settings;
    app::InferenceWorker worker;
    AiPanel panel{&worker};
    Panel() {
        panel.resize(360, 800);
        panel.show();
        panel.setInpaintOptions(tinyInpaintOptions());
        panel.setNativeResolution(64);
    }
    bool waitForStaged(int timeoutMs = 60000) {
        QSignalSpy ended(&panel, &AiPanel::jobEnded);
        return ended.wait(timeoutMs);
    }
};

}  // namespace

TEST_CASE("without a model the panel says how to pick one and generates nothing", "[gui][ai]") {
    Panel p;
    auto doc = gradientDocument({64, 64});
    p.panel.setDocument(doc.get());
    CHECK(p.panel.hintText().contains(QStringLiteral("Choose model")));
    CHECK(p.panel.hintText().contains(QStringLiteral("without one")));
    CHECK_FALSE(p.panel.generateButton()->isEnabled());
    const int steps = doc->history().count();
    CHECK_FALSE(p.panel.generate().isEmpty());
    CHECK(doc->history().count() == steps);
    // A model that is not a model is refused with the file named.
    const QString bad = QStringLiteral(ATELIER_TEST_DATA_DIR "/images/not_an_image.png");
    CHECK(p.panel.useModel(bad).contains(QStringLiteral("not_an_image.png")));
    CHECK(p.panel.modelFor(AiPanel::Mode::Inpaint).isEmpty());
}

TEST_CASE("mask -> inpaint -> accept -> undo and discard leaves nothing", "[gui][ai]") {
    Panel p;
    auto doc = gradientDocument({96, 96});
    p.panel.setDocument(doc.get());
    REQUIRE(p.panel.useModel(tinyModel("inpainting")).isEmpty());
    CHECK(p.panel.hintText().isEmpty());
    CHECK(p.panel.generateButton()->isEnabled());
    paintMask(*doc, QRect(30, 30, 20, 20));
    const QImage before = doc->flatten().copy();
    const int layers = doc->allLayers().size();
    const int steps = doc->history().count();

    p.panel.setSettings(fewSteps(2, 2, 3));
    QSignalSpy accepted(&p.panel, &AiPanel::layerAccepted);
    REQUIRE(p.panel.generate().isEmpty());
    REQUIRE(p.waitForStaged());
    INFO(p.panel.statusText().toStdString());
    ui::StagingStrip* strip = p.panel.stagingStrip();
    REQUIRE(strip->count() == 2);
    CHECK(strip->isVisible());
    strip->next();
    CHECK(strip->current() == 1);
    QTest::mouseClick(strip->acceptButton(), Qt::LeftButton);
    REQUIRE(accepted.count() == 1);
    CHECK(doc->allLayers().size() == layers + 1);
    CHECK(doc->history().count() == steps + 1);
    const auto layer = accepted.front().front().value<document::LayerPtr>();
    CHECK(layer->provenance.seed == 4);  // the second variation: seed + 1
    CHECK(layer->provenance.prompt == QStringLiteral("ivy on a wall"));
    CHECK(layer->provenance.modelHash.size() == 64);
    CHECK(doc->flatten() != before);
    CHECK_FALSE(strip->isVisible());

    doc->history().undo();
    CHECK(doc->allLayers().size() == layers);
    CHECK(doc->flatten() == before);

    // Discard (Esc on the strip): no layer, no undo step.
    REQUIRE(p.panel.generate().isEmpty());
    REQUIRE(p.waitForStaged());
    REQUIRE(strip->count() == 2);
    const int stepsNow = doc->history().count();
    QTest::keyClick(strip, Qt::Key_Escape);
    CHECK(strip->count() == 0);
    CHECK(doc->allLayers().size() == layers);
    CHECK(doc->history().count() == stepsNow);
    CHECK(doc->flatten() == before);
}

TEST_CASE("a result is dropped when the picture changes while it is generated", "[gui][ai]") {
    Panel p;
    auto doc = gradientDocument({96, 96});
    p.panel.setDocument(doc.get());
    REQUIRE(p.panel.useModel(tinyModel("inpainting")).isEmpty());
    paintMask(*doc, QRect(30, 30, 20, 20));
    p.panel.setSettings(fewSteps(3, 1, 1));
    REQUIRE(p.panel.generate().isEmpty());
    paintMask(*doc, QRect(0, 0, 4, 4));  // the artist keeps painting
    REQUIRE(p.waitForStaged());
    CHECK(p.panel.stagingStrip()->count() == 0);
    CHECK(p.panel.statusText().contains(QStringLiteral("dropped")));
}

TEST_CASE("text to image lands in a new layer over the canvas", "[gui][ai]") {
    Panel p;
    auto doc = gradientDocument({64, 64});
    p.panel.setDocument(doc.get());
    REQUIRE(p.panel.useModel(tinyModel("txt2img-eps")).isEmpty());
    CHECK(p.panel.mode() == AiPanel::Mode::TextToImage);
    p.panel.setSettings(fewSteps(2, 1, 9));
    QSignalSpy accepted(&p.panel, &AiPanel::layerAccepted);
    const int layers = doc->allLayers().size();
    REQUIRE(p.panel.generate().isEmpty());
    REQUIRE(p.waitForStaged());
    INFO(p.panel.statusText().toStdString());
    REQUIRE(p.panel.stagingStrip()->count() == 1);
    QTest::keyClick(p.panel.stagingStrip(), Qt::Key_Return);
    REQUIRE(accepted.count() == 1);
    const auto layer = accepted.front().front().value<document::LayerPtr>();
    CHECK(layer->provenance.pipeline == QStringLiteral("txt2img"));
    CHECK(layer->provenance.seed == 9);
    CHECK(layer->contentBounds() == QRect(0, 0, 64, 64));
    CHECK(doc->allLayers().size() == layers + 1);
}

TEST_CASE("upscale -> export: the written print has the size and DPI asked for", "[gui][ai]") {
    IsolatedSettings settings;
    app::InferenceWorker worker;
    auto doc = gradientDocument({24, 16});
    ui::PrintDialog dialog(&worker, doc.get(), tinyModel("x4-upscaler"));
    dialog.setSteps(2);
    dialog.setPrintSize(1.0, app::PrintUnit::Inches, 96);  // 96 px wide: one x4 pass
    const app::PrintPlan plan = dialog.plan();
    CHECK(plan.target == QSize(96, 64));
    CHECK(plan.passes == 1);
    CHECK(plan.tiles == 1);
    CHECK(dialog.planText().contains(QStringLiteral("1 tiles")));
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("print.png"));
    QSignalSpy exported(&dialog, &ui::PrintDialog::exported);
    dialog.startExport(path);
    REQUIRE(exported.wait(60000));
    INFO(exported.front().at(1).toString().toStdString());
    CHECK(exported.front().at(1).toString().isEmpty());
    QImageReader reader(path);
    const QImage back = reader.read();
    REQUIRE_FALSE(back.isNull());
    CHECK(back.size() == QSize(96, 64));
    CHECK(back.dotsPerMeterX() == Approx(96 / 0.0254).margin(2));
    CHECK(back.dotsPerMeterY() == Approx(96 / 0.0254).margin(2));
    CHECK(back.pixelFormat().redSize() == 16);
}

TEST_CASE("the UI thread is never blocked while a job runs", "[gui][ai][stall]") {
    Panel p;
    auto doc = gradientDocument({128, 128});
    p.panel.setDocument(doc.get());
    REQUIRE(p.panel.useModel(tinyModel("inpainting")).isEmpty());
    paintMask(*doc, QRect(40, 40, 40, 40));
    p.panel.setSettings(fewSteps(12, 1, 5));

    QElapsedTimer clock;
    qint64 last = 0, longest = 0, ticks = 0;
    QTimer timer;
    timer.setTimerType(Qt::PreciseTimer);
    timer.setInterval(1);
    QObject::connect(&timer, &QTimer::timeout, [&] {
        const qint64 now = clock.nsecsElapsed();
        longest = std::max(longest, now - last);
        last = now;
        ++ticks;
    });
    QSignalSpy ended(&p.panel, &AiPanel::jobEnded);
    clock.start();
    timer.start();
    REQUIRE(p.panel.generate().isEmpty());  // submitting is part of what is measured
    REQUIRE(ended.wait(120000));
    timer.stop();
    const double seconds = clock.nsecsElapsed() / 1e9;
    const double longestMs = longest / 1e6;
    std::printf("UI-thread stall during a job: longest gap %.1f ms over %.2f s (%lld ticks)\n",
                longestMs, seconds, static_cast<long long>(ticks));
    CHECK(p.panel.stagingStrip()->count() == 1);
    CHECK(longestMs < 250.0);
}

TEST_CASE("the main window paints a mask without a model then inpaints and accepts and undoes",
          "[gui][ai]") {
    IsolatedSettings settings;
    ui::testing::ShownWindow w;
    auto* panel = w.window.findChild<AiPanel*>();
    REQUIRE(panel);
    CHECK(panel->hintText().contains(QStringLiteral("Choose model")));
    CHECK_FALSE(panel->generate().isEmpty());

    // The mask brush paints the inpaint mask without any model.
    w.window.selectTool(ui::MainWindow::ToolId::MaskBrush);
    ui::testing::dragOnCanvas(w.canvas(), ui::testing::line({100, 100}, {160, 130}));
    REQUIRE_FALSE(w.doc().inpaintMask().contentBounds().isEmpty());

    REQUIRE(panel->useModel(tinyModel("inpainting")).isEmpty());
    panel->setInpaintOptions(tinyInpaintOptions());
    panel->setSettings(fewSteps(2, 1, 21));
    const int layers = w.doc().allLayers().size();
    QSignalSpy ended(panel, &AiPanel::jobEnded);
    REQUIRE(panel->generate().isEmpty());
    REQUIRE(ended.wait(60000));
    INFO(panel->statusText().toStdString());
    REQUIRE(panel->stagingStrip()->count() == 1);
    CHECK(panel->stagingStrip()->parentWidget() == w.canvas());  // floats over the canvas
    QTest::mouseClick(panel->stagingStrip()->acceptButton(), Qt::LeftButton);
    CHECK(w.doc().allLayers().size() == layers + 1);
    CHECK(w.doc().allLayers().back()->provenance.seed == 21);
    w.doc().history().undo();
    CHECK(w.doc().allLayers().size() == layers);
}

TEST_CASE("depth restyle: the DPT depth becomes a Depth layer and the restyle a new layer",
          "[gui][ai]") {
    Panel p;
    auto doc = gradientDocument({64, 64});
    const document::LayerPtr paint = doc->allLayers().back();
    p.panel.setDocument(doc.get());
    p.panel.setCurrentLayerSource([&] { return paint; });
    REQUIRE(p.panel.useModel(tinyModel("depth")).isEmpty());
    CHECK(p.panel.mode() == AiPanel::Mode::DepthRestyle);
    app::GenerationSettings s = fewSteps(3, 1, 2);
    s.strength = 0.8;
    p.panel.setSettings(s);
    auto depthLayers = [&] {
        QVector<document::LayerPtr> out;
        for (const auto& l : doc->allLayers())
            if (l->props.name == QStringLiteral("Depth")) out.push_back(l);
        return out;
    };
    REQUIRE(p.panel.generate().isEmpty());
    REQUIRE(p.waitForStaged());
    INFO(p.panel.statusText().toStdString());
    REQUIRE(p.panel.stagingStrip()->count() == 1);
    REQUIRE(depthLayers().size() == 1);
    const document::LayerPtr depth = depthLayers().front();
    CHECK_FALSE(depth->props.visible);
    CHECK(depth->contentBounds() == QRect(0, 0, 64, 64));

    QSignalSpy accepted(&p.panel, &AiPanel::layerAccepted);
    p.panel.acceptVariation(0);
    REQUIRE(accepted.count() == 1);
    const auto layer = accepted.front().front().value<document::LayerPtr>();
    CHECK(layer->provenance.pipeline == QStringLiteral("depth"));
    CHECK(layer->provenance.strength == Approx(0.8));
    CHECK(layer->contentBounds() == QRect(0, 0, 64, 64));

    // The next restyle takes the Depth layer's pixels (no second Depth layer appears).
    REQUIRE(p.panel.generate().isEmpty());
    REQUIRE(p.waitForStaged());
    CHECK(p.panel.stagingStrip()->count() == 1);
    CHECK(depthLayers().size() == 1);
}

TEST_CASE("an image dropped on the window becomes the layer a depth restyle starts from",
          "[gui][ai]") {
    IsolatedSettings settings;
    ui::testing::ShownWindow w;
    auto* panel = w.window.findChild<AiPanel*>();
    REQUIRE(panel);
    REQUIRE(panel->mode() == AiPanel::Mode::Inpaint);
    const int layers = w.doc().allLayers().size();
    const QString image = QStringLiteral(ATELIER_TEST_DATA_DIR "/images/red_blue_64x32.png");

    // A real drop event, as the window system delivers it.
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(image)});
    QDragEnterEvent enter(QPoint(400, 300), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(&w.window, &enter);
    CHECK(enter.isAccepted());
    QDropEvent drop(QPointF(400, 300), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(&w.window, &drop);

    REQUIRE(w.doc().allLayers().size() == layers + 1);
    CHECK(w.window.currentLayer()->props.name == QStringLiteral("red_blue_64x32.png"));
    CHECK(w.window.currentLayer()->contentBounds() == QRect(0, 0, 64, 32));
    CHECK(panel->mode() == AiPanel::Mode::DepthRestyle);

    // Broken files are refused with their name, and nothing is added.
    const QStringList errors = w.window.dropFiles({QUrl::fromLocalFile(QStringLiteral(ATELIER_TEST_DATA_DIR "/images/truncated.png"))});
    REQUIRE(errors.size() == 1);
    CHECK(errors.front().contains(QStringLiteral("truncated.png")));
    CHECK(w.doc().allLayers().size() == layers + 1);

    // The restyle itself (DPT depth -> "Depth" layer -> staged result) is the depth restyle
    // test above: it starts from the current layer, which the drop has just set.
}

// Not a test: the documentation screenshot of the AI panel with staged variations
// (docs/screenshots/ai-inpaint.png). Hidden tag; run it under a real X server:
//   ATELIER_SCREENSHOT=docs/screenshots/ai-inpaint.png
//   xvfb-run -s "-screen 0 1400x900x24" build/tests/ui/test_ui_ai "[.screenshot]"
TEST_CASE("documentation screenshot of inpainting variations", "[.screenshot]") {
    const QString out = qEnvironmentVariable("ATELIER_SCREENSHOT");
    REQUIRE_FALSE(out.isEmpty());
    IsolatedSettings settings;
    ui::MainWindow window;
    window.askToSave = [] { return QMessageBox::Discard; };
    window.resize(1360, 860);
    window.show();
    REQUIRE(QTest::qWaitForWindowExposed(&window));
    window.newDocument(QSize(256, 192));
    QImage backdrop(window.document()->size(), QImage::Format_RGBA8888);
    for (int y = 0; y < backdrop.height(); ++y)
        for (int x = 0; x < backdrop.width(); ++x)
            backdrop.setPixelColor(
                x, y, y < 120 ? QColor(90 + y / 2, 140 + y / 3, 210) : QColor(60, 110 + x / 8, 70));
    window.currentLayer()->pixels.writeImage(backdrop, {0, 0});
    window.document()->markAllDirty();
    window.selectTool(ui::MainWindow::ToolId::MaskBrush);
    ui::testing::dragOnCanvas(window.canvas(), ui::testing::line({70, 60}, {170, 80}, 20));
    auto* panel = window.findChild<AiPanel*>();
    REQUIRE(panel);
    REQUIRE(panel->useModel(tinyModel("inpainting")).isEmpty());
    panel->setInpaintOptions(tinyInpaintOptions());
    app::GenerationSettings s = fewSteps(3, 3, 42);
    s.prompt = QStringLiteral("a flock of birds in the evening sky");
    panel->setSettings(s);
    QSignalSpy ended(panel, &AiPanel::jobEnded);
    REQUIRE(panel->generate().isEmpty());
    REQUIRE(ended.wait(120000));
    REQUIRE(panel->stagingStrip()->count() == 3);
    panel->stagingStrip()->setCurrent(1);
    QTest::qWait(600);
    REQUIRE(window.grab().save(out, "PNG"));
}
