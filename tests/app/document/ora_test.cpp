// OpenRaster round trips and the archive layout other programs rely on; atomic saving.
#include "app/document/ora.h"
#include "app/document/pixel_edit.h"
#include "app/document/zip_reader.h"

#include "test_support.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>

#include <catch2/catch.hpp>

#include <QRandomGenerator>
#include <QRegularExpression>

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <csignal>

using namespace atelier::document;
using namespace atelier::document::test;

namespace {

std::unique_ptr<Document> sampleDocument() {
    auto doc = std::make_unique<Document>(QSize(200, 150));
    LayerPtr bg = Layer::makePaint(QStringLiteral("Background"));
    fillRect(*bg, QRect(0, 0, 200, 150), QColor(240, 230, 220));
    doc->addLayer(bg);
    LayerPtr group = Layer::makeGroup(QStringLiteral("Group \"quoted\" & <odd>"));
    doc->addLayer(group);
    LayerPtr gen = Layer::makePaint(QStringLiteral("Generated"));
    // Partly transparent, off the canvas on the left, not tile-aligned.
    fillRect(*gen, QRect(-30, 17, 100, 60), QColor(20, 120, 200, 100));
    gen->provenance.modelHash = QStringLiteral("sha256:0123abcd");
    gen->provenance.prompt = QStringLiteral("a lighthouse at dusk, \"oil\" <painting>");
    gen->provenance.negativePrompt = QStringLiteral("blurry");
    gen->provenance.seed = 4242424242LL;
    gen->provenance.sampler = QStringLiteral("ddim");
    gen->provenance.steps = 30;
    gen->provenance.strength = 0.75;
    gen->provenance.guidanceScale = 7.5;
    gen->provenance.pipeline = QStringLiteral("inpaint");
    gen->foreignAttributes.push_back({QStringLiteral("krita:something"), QStringLiteral("kept")});
    doc->addLayer(gen, group.get());
    LayerPtr multiply = Layer::makePaint(QStringLiteral("Shade"));
    fillRect(*multiply, QRect(100, 50, 64, 64), QColor(128, 128, 255));
    doc->addLayer(multiply, group.get());
    doc->setBlendMode(multiply, BlendMode::Multiply);
    doc->setOpacity(multiply, 0.6f);
    LayerPtr hidden = Layer::makePaint(QStringLiteral("Hidden"));
    fillRect(*hidden, QRect(0, 0, 10, 10), QColor(255, 0, 0));
    doc->addLayer(hidden);
    doc->setVisible(hidden, false);
    doc->addLayerMask(gen);
    doc->addLayerMask(group);  // groups have masks too
    auto groupMask = doc->beginPixelEdit(ChannelRef::layerMask(group), QStringLiteral("mask"));
    for (int x = 150; x < 200; ++x) *groupMask->writablePixel(x, 140) = 90;
    groupMask->commit();
    auto edit = doc->beginPixelEdit(ChannelRef::layerMask(gen), QStringLiteral("mask"));
    for (int x = 0; x < 30; ++x) *edit->writablePixel(x, 30) = 0;
    edit->commit();
    auto inpaint = doc->beginPixelEdit(ChannelRef::inpaintMask(), QStringLiteral("inpaint"));
    for (int x = 50; x < 90; ++x) *inpaint->writablePixel(x, 90) = 77;
    inpaint->commit();
    LayerProperties p = bg->props;
    p.lockAlpha = true;
    p.editLocked = true;
    doc->setLayerProperties(bg, p);
    bg->selected = true;
    doc->imageForeignAttributes.push_back(
        {QStringLiteral("mypaint:frame"), QStringLiteral("0 0 1 1")});
    return doc;
}

void checkSameTree(const Layer& a, const Layer& b) {
    INFO(a.props.name.toStdString());
    CHECK(a.props == b.props);
    CHECK(a.isGroup() == b.isGroup());
    CHECK(a.selected == b.selected);
    CHECK(a.provenance == b.provenance);
    CHECK(a.foreignAttributes == b.foreignAttributes);
    CHECK(a.mask.has_value() == b.mask.has_value());
    const QRect r = a.pixels.contentBounds() | b.pixels.contentBounds();
    if (!r.isEmpty()) CHECK(a.pixels.toImage(r) == b.pixels.toImage(r));
    if (a.mask && b.mask) {
        const QRect m = a.mask->contentBounds() | b.mask->contentBounds();
        if (!m.isEmpty()) CHECK(a.mask->toImage(m) == b.mask->toImage(m));
    }
    REQUIRE(a.children().size() == b.children().size());
    for (size_t i = 0; i < a.children().size(); ++i)
        checkSameTree(*a.children()[i], *b.children()[i]);
}

}  // namespace

TEST_CASE("an .ora saved by Atelier loads back identically", "[ora]") {
    auto doc = sampleDocument();
    QString error;
    const QByteArray bytes = encodeOra(*doc, &error);
    REQUIRE(error.isEmpty());
    OraLoadResult back = loadOraFromBytes(bytes, QStringLiteral("sample.ora"));
    INFO(back.error.toStdString());
    REQUIRE(back.ok());
    CHECK(back.warnings.isEmpty());
    CHECK(back.document->size() == doc->size());
    checkSameTree(doc->root(), back.document->root());
    CHECK(back.document->imageForeignAttributes == doc->imageForeignAttributes);
    const QRect im = doc->inpaintMask().contentBounds();
    CHECK(back.document->inpaintMask().toImage(im) == doc->inpaintMask().toImage(im));
    CHECK(back.document->flatten() == doc->flatten());
    // Saving the loaded document again gives the same stack.xml.
    QString e2;
    const QByteArray again = encodeOra(*back.document, &e2);
    auto z1 = ZipReader::open(bytes, {}, &e2);
    auto z2 = ZipReader::open(again, {}, &e2);
    REQUIRE((z1 && z2));
    CHECK(*z1->read(QStringLiteral("stack.xml"), &e2) ==
          *z2->read(QStringLiteral("stack.xml"), &e2));
}

TEST_CASE("the archive has the layout OpenRaster readers expect", "[ora]") {
    auto doc = sampleDocument();
    QString error;
    const QByteArray bytes = encodeOra(*doc, &error);
    REQUIRE(!bytes.isEmpty());
    // mimetype first, stored, no extra field: its content sits at byte 38 (ODF-style sniffing).
    CHECK(bytes.mid(0, 4) == QByteArray("PK\x03\x04", 4));
    CHECK(bytes.mid(30, 8) == QByteArray("mimetype"));
    CHECK(bytes.mid(38, 16) == QByteArray("image/openraster"));
    auto zip = ZipReader::open(bytes, {}, &error);
    REQUIRE(zip);
    CHECK(zip->names().first() == QLatin1String("mimetype"));
    CHECK(zip->isStored(0));
    for (const char* name : {"stack.xml", "mergedimage.png", "Thumbnails/thumbnail.png",
                             "data/layer-000.png", "data/mask-002.png", "data/inpaint-mask.png"}) {
        INFO(name);
        CHECK(zip->indexOf(QString::fromLatin1(name)) >= 0);
    }
    const QByteArray xml = *zip->read(QStringLiteral("stack.xml"), &error);
    CHECK(xml.contains("xmlns:atelier=\""));
    CHECK(xml.contains("atelier:seed=\"4242424242\""));
    CHECK(
        xml.contains("atelier:prompt=\"a lighthouse at dusk, &quot;oil&quot; &lt;painting&gt;\""));
    CHECK(xml.contains("composite-op=\"svg:multiply\""));
    CHECK(xml.contains("visibility=\"hidden\""));
    CHECK(xml.contains("krita:something=\"kept\""));
    CHECK(xml.contains("alpha-preserve=\"true\""));
    CHECK(xml.contains("edit-locked=\"true\""));
    CHECK(xml.contains("selected=\"true\""));
    // Top layer first, as the spec orders them.
    CHECK(xml.indexOf("Hidden") < xml.indexOf("Background"));
    // Layer PNGs are straight alpha and cropped to their content, with offsets.
    CHECK(xml.contains("x=\"-30\" y=\"17\""));
    // Numbered top first: Hidden 000, Shade 001, Generated 002, Background 003.
    const QString genSrc = QStringLiteral("data/layer-002.png");
    QImage gen;
    REQUIRE(gen.loadFromData(*zip->read(genSrc, &error), "PNG"));
    CHECK(gen.size() == QSize(100, 60));
    // Other programs see the mask applied (it hides x 0..29 of row 30: local 30..59, 13)...
    CHECK(gen.pixelColor(35, 13).alpha() == 0);
    CHECK(gen.pixelColor(35, 14).alpha() == 100);
    // ...and the pixels themselves sit beside it for Atelier.
    CHECK(xml.contains("atelier:unmasked-src=\"data/layer-002-unmasked.png\""));
    QImage raw;
    REQUIRE(raw.loadFromData(*zip->read(QStringLiteral("data/layer-002-unmasked.png"), &error)));
    CHECK(raw.pixelColor(35, 13).alpha() == 100);
    // Within a level: 8-bit premultiplied tiles keep alpha 100 colours to 100 steps.
    CHECK(closeTo(gen.convertToFormat(QImage::Format_RGBA8888).pixelColor(5, 5),
                  QColor(20, 120, 200, 100), 1));
    QImage thumb;
    REQUIRE(thumb.loadFromData(*zip->read(QStringLiteral("Thumbnails/thumbnail.png"), &error)));
    CHECK(thumb.width() <= 256);
    CHECK(thumb.height() <= 256);
    QImage merged;
    REQUIRE(merged.loadFromData(*zip->read(QStringLiteral("mergedimage.png"), &error)));
    CHECK(merged.size() == QSize(200, 150));
    CHECK(maxDifference(merged, doc->flatten()) == 0);
}

TEST_CASE("thumbnails of large canvases fit in 256 pixels", "[ora]") {
    Document doc(QSize(1000, 300));
    QString error;
    const QByteArray bytes = encodeOra(doc, &error);
    auto zip = ZipReader::open(bytes, {}, &error);
    QImage thumb;
    REQUIRE(thumb.loadFromData(*zip->read(QStringLiteral("Thumbnails/thumbnail.png"), &error)));
    CHECK(thumb.size() == QSize(256, 76));
}

TEST_CASE("saving replaces the file atomically and never damages the old one", "[ora][save]") {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("doc.ora"));
    auto doc = sampleDocument();
    REQUIRE(saveOra(*doc, path).isEmpty());
    QFile f(path);
    REQUIRE(f.open(QIODevice::ReadOnly));
    const QByteArray good = f.readAll();
    f.close();
    REQUIRE(loadOra(path).ok());

    SECTION("disk full while writing") {
        atelier::AtomicWriteOptions full;
        qint64 budget = 1000;  // the disk fills up after 1000 bytes
        full.write = [&](QIODevice& dev, const char* data, qint64 n) -> qint64 {
            if (budget <= 0) return -1;
            const qint64 k = std::min(n, budget);
            budget -= k;
            return dev.write(data, k);
        };
        const QString err = saveOra(*doc, path, full);
        CHECK(err.contains(path));
        CHECK(err.contains(QLatin1String("full")));
    }
    SECTION("read-only folder") {
        if (::geteuid() == 0) {
            // root ignores folder permissions; /proc refuses new files even to root.
            const QString err = saveOra(*doc, QStringLiteral("/proc/atelier-doc.ora"));
            CHECK(err.contains(QLatin1String("/proc/atelier-doc.ora")));
            CHECK_FALSE(QFile::exists(QStringLiteral("/proc/atelier-doc.ora")));
            CHECK(saveOra(*doc, dir.filePath(QStringLiteral("missing/doc.ora")))
                      .contains(QLatin1String("missing/doc.ora")));
        } else {
            REQUIRE(::chmod(QFile::encodeName(dir.path()).constData(), 0555) == 0);
            const QString err = saveOra(*doc, path);
            ::chmod(QFile::encodeName(dir.path()).constData(), 0755);
            CHECK(err.contains(path));
        }
    }
    SECTION("target is a folder (the rename fails)") {
        const QString folder = dir.filePath(QStringLiteral("folder.ora"));
        REQUIRE(QDir(dir.path()).mkdir(QStringLiteral("folder.ora")));
        CHECK_FALSE(saveOra(*doc, folder).isEmpty());
        CHECK(QFileInfo(folder).isDir());
    }
    QFile again(path);
    REQUIRE(again.open(QIODevice::ReadOnly));
    CHECK(again.readAll() == good);
    // No temporary files are left behind.
    QStringList left = QDir(dir.path()).entryList(QDir::Files);
    CHECK(left == QStringList{QStringLiteral("doc.ora")});
}

TEST_CASE("a save killed at any moment leaves the old or the new file, complete", "[ora][save]") {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("killed.ora"));
    Document a(QSize(300, 200)), b(QSize(300, 200));
    LayerPtr la = Layer::makePaint(QStringLiteral("a")), lb = Layer::makePaint(QStringLiteral("b"));
    fillRect(*la, QRect(0, 0, 300, 200), QColor(255, 0, 0));
    fillRect(*lb, QRect(0, 0, 300, 200), QColor(0, 0, 255));
    a.addLayer(la);
    b.addLayer(lb);
    const QImage flatA = a.flatten(), flatB = b.flatten();
    REQUIRE(saveOra(a, path).isEmpty());
    QRandomGenerator rng(99);
    for (int round = 0; round < 25; ++round) {
        const pid_t child = ::fork();
        REQUIRE(child >= 0);
        if (child == 0) {
            for (int i = 0;; ++i) saveOra(i % 2 ? a : b, path);  // until killed
        }
        ::usleep(useconds_t(rng.bounded(1000, 40000)));
        ::kill(child, SIGKILL);
        int status = 0;
        ::waitpid(child, &status, 0);
        OraLoadResult r = loadOra(path);
        INFO("round " << round << ": " << r.error.toStdString());
        REQUIRE(r.ok());
        const QImage flat = r.document->flatten();
        CHECK((flat == flatA || flat == flatB));
    }
}

TEST_CASE("saving during a stroke saves the state before it", "[ora][save]") {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("during.ora"));
    Document doc(QSize(64, 64));
    LayerPtr l = Layer::makePaint(QStringLiteral("l"));
    fillRect(*l, QRect(0, 0, 64, 64), QColor(0, 0, 255));
    doc.addLayer(l);
    doc.markAllDirty();
    const QImage before = doc.flatten();
    auto edit = doc.beginPixelEdit(ChannelRef::pixels(l), QStringLiteral("stroke"));
    for (int x = 0; x < 64; ++x) {
        uint8_t* p = edit->writablePixel(x, 10);
        p[0] = 255, p[1] = 0, p[2] = 0, p[3] = 255;
    }
    edit->preview();  // the canvas already shows the half-painted stroke
    CHECK(straightAt(doc.flatten(), 5, 10) == QColor(255, 0, 0));
    REQUIRE(saveOra(doc, path).isEmpty());
    OraLoadResult r = loadOra(path);
    REQUIRE(r.ok());
    CHECK(r.document->flatten() == before);
    REQUIRE(edit->commit());
    REQUIRE(saveOra(doc, path).isEmpty());
    CHECK(straightAt(loadOra(path).document->flatten(), 5, 10) == QColor(255, 0, 0));
}

TEST_CASE("a reader that ignores Atelier's attributes shows the same picture", "[ora][compat]") {
    // What GIMP, Krita or MyPaint see: stack.xml without the atelier:* attributes (masks are
    // baked into src). Group masks are the exception, so the sample has none here.
    auto doc = sampleDocument();
    doc->removeLayerMask(doc->root().children()[1]);  // the group's mask
    QString error;
    const QByteArray bytes = encodeOra(*doc, &error);
    auto zip = ZipReader::open(bytes, {}, &error);
    REQUIRE(zip);
    std::vector<ZipEntry> entries;
    for (const QString& name : zip->names()) {
        QByteArray data = *zip->read(name, &error);
        if (name == QLatin1String("stack.xml"))
            data = QString::fromUtf8(data)
                       .remove(QRegularExpression(QStringLiteral(" atelier:[a-z-]+=\"[^\"]*\"")))
                       .toUtf8();
        entries.push_back({name, data, name == QLatin1String("mimetype")});
    }
    OraLoadResult plain = loadOraFromBytes(makeZip(entries), QStringLiteral("plain.ora"));
    REQUIRE(plain.ok());
    for (const LayerPtr& l : plain.document->allLayers()) CHECK_FALSE(l->mask.has_value());
    CHECK(maxDifference(plain.document->flatten(), doc->flatten()) <= 1);
}
