// The document side of the AI flows on a small document and the tiny inpainting model:
// mask -> plan -> worker -> staged variations -> accepted as one undo step (and undone), and
// the print plan and export with the DPI read back from the written files.
#include "app/generation_flows.h"
#include "app/document/pixel_edit.h"
#include "app/print_export.h"
#include "tests/app/worker/worker_test_support.h"

#include <QColorSpace>
#include <QImageReader>
#include <QTemporaryDir>

#include <catch2/catch.hpp>

using namespace atelier;
using atelier::testing::Recorder;

namespace {

// A 96x96 document with one gradient layer.
std::unique_ptr<document::Document> gradientDocument() {
    auto doc = std::make_unique<document::Document>(QSize(96, 96));
    auto layer = document::Layer::makePaint(QStringLiteral("paint"));
    QImage image(96, 96, QImage::Format_RGBA8888);
    for (int y = 0; y < 96; ++y)
        for (int x = 0; x < 96; ++x) image.setPixelColor(x, y, QColor(x * 2, y * 2, 128));
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

app::InpaintOptions tinyOptions() {
    app::InpaintOptions o;
    o.region.nativeResolution = 64;  // the tiny model's scale; keeps the test fast
    o.region.padding = 8;
    o.maskGrow = 4;
    o.feather = 2;
    return o;
}

}  // namespace

TEST_CASE("inpaint: mask -> variations -> accept as one undo step -> undo", "[flows]") {
    auto doc = gradientDocument();
    const QRect maskRect(40, 40, 16, 16);
    paintMask(*doc, maskRect);
    const QImage before = doc->flatten().copy();

    QString why;
    const auto plan = app::planInpaint(*doc, tinyOptions(), &why);
    REQUIRE(plan);
    CHECK_FALSE(plan->fromSelection);
    CHECK(plan->area.contains(maskRect));
    CHECK(plan->revision == doc->revision());

    app::GenerationSettings settings;
    settings.prompt = QStringLiteral("moss");
    settings.negativePrompt = QStringLiteral("text");
    settings.steps = 2;
    settings.seed = 11;
    settings.sampler = QStringLiteral("euler");
    settings.variations = 2;
    app::InferenceWorker worker;
    Recorder rec(worker);
    const quint64 id =
        worker.submit(app::inpaintJob(*plan, settings, testing::tinyModel("inpainting")));
    REQUIRE(rec.waitFor(id));
    INFO(rec.failed[id].toStdString());
    REQUIRE(rec.finished.count(id));
    const app::JobResult& result = rec.finished[id];

    const QVector<app::StagedVariation> staged = app::stageInpaint(*plan, result);
    REQUIRE(staged.size() == 2);
    CHECK(staged[0].seed == 11);
    CHECK(staged[1].seed == 12);
    CHECK(staged[0].rgb.constBits() != staged[1].rgb.constBits());
    // The patch covers the mask; its alpha is 0 far from it.
    const QRect patchRect(staged[0].topLeft, staged[0].rgb.size());
    CHECK(patchRect.contains(maskRect));
    CHECK(qGray(staged[0].alpha.pixel(0, 0)) == 0);
    const QPoint centre = maskRect.center() - staged[0].topLeft;
    CHECK(qGray(staged[0].alpha.pixel(centre)) == 255);

    const int steps = doc->history().count();
    const int layers = doc->allLayers().size();
    const auto provenance = app::provenanceFor(settings, result, 1, QStringLiteral("inpaint"));
    const document::LayerPtr layer =
        app::acceptAsLayer(*doc, staged[1], provenance, QStringLiteral("Inpaint: moss"));
    CHECK(doc->history().count() == steps + 1);
    CHECK(doc->allLayers().size() == layers + 1);
    CHECK(layer->provenance.seed == 12);
    CHECK(layer->provenance.prompt == QStringLiteral("moss"));
    CHECK(layer->provenance.negativePrompt == QStringLiteral("text"));
    CHECK(layer->provenance.sampler == QStringLiteral("euler"));
    CHECK(layer->provenance.steps == 2);
    CHECK(layer->provenance.pipeline == QStringLiteral("inpaint"));
    CHECK(layer->provenance.modelHash.size() == 64);
    REQUIRE(layer->mask.has_value());

    // Inside the mask the picture changed; where the paste alpha is 0 it is bit-identical.
    const QImage after = doc->flatten();
    CHECK(after.pixel(maskRect.center()) != before.pixel(maskRect.center()));
    for (int y = 0; y < 96; ++y)
        for (int x = 0; x < 96; ++x) {
            const QPoint p(x, y);
            const bool covered =
                patchRect.contains(p) && qGray(staged[1].alpha.pixel(p - staged[1].topLeft)) > 0;
            if (!covered && after.pixel(p) != before.pixel(p))
                FAIL("pixel changed at " << x << "," << y);
        }

    doc->history().undo();
    CHECK(doc->allLayers().size() == layers);
    CHECK(doc->flatten() == before);
}

TEST_CASE("inpaint planning uses the selection without a mask and says what is missing",
          "[flows]") {
    auto doc = gradientDocument();
    QString why;
    CHECK_FALSE(app::planInpaint(*doc, tinyOptions(), &why));
    CHECK(why.contains(QStringLiteral("mask")));

    document::TileGrid selection(1, 0);
    QImage sel(20, 10, QImage::Format_Grayscale8);
    sel.fill(255);
    selection.writeImage(sel, {10, 30});
    doc->setSelection(selection, true, QStringLiteral("select"));
    const auto plan = app::planInpaint(*doc, tinyOptions(), &why);
    REQUIRE(plan);
    CHECK(plan->fromSelection);
    CHECK(plan->area.contains(QRect(10, 30, 20, 10)));
}

TEST_CASE("print plan: size and x4 passes and tiles from the physical size", "[print]") {
    // 8 in at 300 DPI = 2400 px from 100 px: x24, three x4 passes (100 -> 400 -> 1600 -> 6400).
    const app::PrintPlan plan =
        app::planPrint(QSize(100, 50), 8, app::PrintUnit::Inches, 300, 20, 128, 16);
    CHECK(plan.target == QSize(2400, 1200));
    CHECK(plan.scale == Approx(24));
    CHECK(plan.passes == 3);
    CHECK(plan.upscaled == QSize(6400, 3200));
    // Tiles of 128 with 16 overlap: 100x50 -> 1; 400x200 -> 4 x 2; 1600x800 -> 15 x 7.
    CHECK(plan.tiles == 1 + 8 + 105);
    CHECK(plan.estimatedSeconds == Approx(114 * 20 * app::UpscaleCostModel{}.secondsPerTileStep));
    CHECK(plan.estimatedBytes > app::UpscaleCostModel{}.modelBytes);

    // 2.54 cm = 1 in; a source already large enough needs no pass.
    const app::PrintPlan small =
        app::planPrint(QSize(300, 300), 2.54, app::PrintUnit::Centimetres, 150, 20);
    CHECK(small.target == QSize(150, 150));
    CHECK(small.passes == 0);
    CHECK(small.tiles == 0);
}

TEST_CASE("print export writes 16-bit PNG and TIFF with the DPI and sRGB", "[print]") {
    QTemporaryDir dir;
    QImage image(40, 20, QImage::Format_RGB888);
    image.fill(QColor(200, 100, 50));
    for (const char* name : {"print.png", "print.tif"}) {
        const QString path = dir.filePath(QString::fromLatin1(name));
        REQUIRE(app::exportPrint(image, QSize(80, 40), 240, path).isEmpty());
        QImageReader reader(path);
        const QImage back = reader.read();
        INFO(name << ": " << reader.errorString().toStdString());
        REQUIRE_FALSE(back.isNull());
        CHECK(back.size() == QSize(80, 40));
        // 240 DPI = 9448.8 dots per metre; files store it rounded (PNG per metre, TIFF per cm/in).
        CHECK(back.dotsPerMeterX() == Approx(240 / 0.0254).margin(2));
        CHECK(back.dotsPerMeterY() == Approx(240 / 0.0254).margin(2));
        CHECK(back.pixelFormat().redSize() == 16);
        CHECK(QColor(back.pixel(5, 5)) == QColor(200, 100, 50));
        if (QByteArray(name).endsWith(".png"))
            CHECK(back.colorSpace() == QColorSpace(QColorSpace::SRgb));
    }
    CHECK_FALSE(
        app::exportPrint(image, {}, 300, dir.filePath(QStringLiteral("print.jpg"))).isEmpty());
    CHECK_FALSE(app::exportPrint(image, {}, 0, dir.filePath(QStringLiteral("x.png"))).isEmpty());
}
