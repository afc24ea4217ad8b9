// Hostile and broken OpenRaster files (reliability.md cases 11-15): each fails with a clear
// error that names the file, never crashes, never allocates from a declared size, and never
// touches the disk.
#include "app/document/ora.h"

#include "test_support.h"

#include <QDir>
#include <QImageReader>
#include <QRandomGenerator>
#include <QTemporaryDir>

#include <catch2/catch.hpp>

using namespace atelier::document;
using namespace atelier::document::test;

namespace {

const QString kName = QStringLiteral("hostile.ora");

QByteArray oraWith(const QByteArray& xml, std::vector<ZipEntry> more = {}) {
    std::vector<ZipEntry> entries{{QStringLiteral("mimetype"), "image/openraster", true},
                                  {QStringLiteral("stack.xml"), xml}};
    for (ZipEntry& e : more) entries.push_back(std::move(e));
    return makeZip(entries);
}

QByteArray oneLayer(const QByteArray& layerAttrs,
                    const QByteArray& imageAttrs = "w=\"8\" h=\"8\"") {
    return oraWith("<image " + imageAttrs + "><stack><layer " + layerAttrs + "/></stack></image>",
                   {{QStringLiteral("data/a.png"), solidPng(4, 4, Qt::red)}});
}

QString errorOf(const QByteArray& bytes, const OraLimits& limits = {}) {
    OraLoadResult r = loadOraFromBytes(bytes, kName, limits);
    if (r.ok()) return {};
    CHECK(r.error.startsWith(kName + QLatin1Char(':')));  // names the file
    return r.error;
}

}  // namespace

TEST_CASE("path traversal names are refused and nothing is extracted", "[ora][bad]") {
    QTemporaryDir dir;
    const QString before = QDir::currentPath();
    QDir::setCurrent(dir.path());
    for (const char* src : {"../x.png", "/etc/passwd", "C:\\x.png", "data\\a.png", "data/../../x",
                            "data//a.png", "c:/x.png"}) {
        INFO(src);
        const QByteArray ora = oraWith("<image w=\"8\" h=\"8\"><stack><layer src=\"" +
                                           QByteArray(src) + "\"/></stack></image>",
                                       {{QString::fromLatin1(src), solidPng(4, 4, Qt::red)}});
        CHECK(errorOf(ora).contains(QLatin1String("not a plain name")));
    }
    // An archive full of hostile member names that stack.xml does not use still loads, and
    // nothing appears on disk: members are only ever read by exact name.
    const QByteArray ora = oraWith(
        "<image w=\"8\" h=\"8\"><stack/></image>",
        {{QStringLiteral("../evil.txt"), "x"}, {QStringLiteral("/tmp/atelier-evil.txt"), "x"}});
    CHECK(loadOraFromBytes(ora, kName).ok());
    CHECK(QDir(dir.path()).entryList(QDir::NoDotAndDotDot | QDir::AllEntries).isEmpty());
    CHECK_FALSE(QFile::exists(QStringLiteral("/tmp/atelier-evil.txt")));
    QDir::setCurrent(before);
}

TEST_CASE("zip bombs stop at the caps while decompressing", "[ora][bad]") {
    OraLimits limits;
    limits.zip.maxEntryBytes = 1 << 20;
    limits.zip.maxTotalBytes = 3 << 20;
    SECTION("one member inflating past the per-member cap") {
        const QByteArray zeros(8 << 20, '\0');  // deflates to a few KB
        const QByteArray ora = oraWith(
            "<image w=\"8\" h=\"8\"><stack><layer src=\"data/a.png\"/>"
            "</stack></image>",
            {{QStringLiteral("data/a.png"), zeros}});
        CHECK(ora.size() < 100000);
        CHECK(errorOf(ora, limits).contains(QLatin1String("decompresses to more than 1 MiB")));
    }
    SECTION("many members past the total cap") {
        std::vector<ZipEntry> members;
        QByteArray layers;
        // Noise does not compress: each PNG is about 750 KB, under the per-member cap.
        QImage noise(480, 400, QImage::Format_RGBA8888);
        QRandomGenerator rng(7);
        for (int y = 0; y < noise.height(); ++y)
            rng.fillRange(reinterpret_cast<quint32*>(noise.scanLine(y)), noise.width());
        const QByteArray filler = pngOf(noise);
        REQUIRE(filler.size() < (1 << 20));
        for (int i = 0; i < 6; ++i) {
            const QString n = QStringLiteral("data/%1.png").arg(i);
            members.push_back({n, filler});
            layers += "<layer src=\"" + n.toUtf8() + "\"/>";
        }
        const QByteArray ora =
            oraWith("<image w=\"8\" h=\"8\"><stack>" + layers + "</stack></image>", members);
        const QString e = errorOf(ora, limits);
        CHECK(e.contains(QLatin1String("in all")));
    }
    SECTION("a million entries") {
        limits.zip.maxEntries = 1000;
        std::vector<ZipEntry> members{{QStringLiteral("mimetype"), "image/openraster", true}};
        for (int i = 0; i < 1500; ++i) members.push_back({QStringLiteral("e%1").arg(i), "", true});
        CHECK(errorOf(makeZip(members), limits).contains(QLatin1String("entries")));
    }
    SECTION("sizes in the headers that lie") {
        // 8 MiB of zeros whose headers claim 1 byte: libzip inflates the whole stream, and the
        // cap counts what comes out, not what the headers say.
        QByteArray ora = oraWith(
            "<image w=\"8\" h=\"8\"><stack><layer src=\"data/a.png\"/>"
            "</stack></image>",
            {{QStringLiteral("data/a.png"), QByteArray(8 << 20, '\0')}});
        const int local = ora.indexOf("data/a.png") - 30;
        REQUIRE(ora.mid(local, 4) == QByteArray("PK\x03\x04"));
        ora[local + 22] = 1, ora[local + 23] = 0, ora[local + 24] = 0, ora[local + 25] = 0;
        const int central = ora.lastIndexOf("data/a.png") - 46;
        REQUIRE(ora.mid(central, 4) == QByteArray("PK\x01\x02"));
        ora[central + 24] = 1, ora[central + 25] = 0, ora[central + 26] = 0, ora[central + 27] = 0;
        CHECK(errorOf(ora, limits).contains(QLatin1String("decompresses to more than 1 MiB")));
    }
}

TEST_CASE("huge declared sizes are refused before allocating", "[ora][bad]") {
    CHECK(errorOf(oneLayer("src=\"data/a.png\"", "w=\"100000\" h=\"100000\""))
              .contains(QLatin1String("outside 1..65535")));
    CHECK(errorOf(oneLayer("src=\"data/a.png\"", "w=\"60000\" h=\"60000\""))
              .contains(QLatin1String("megapixels")));
    // A layer PNG whose header declares 100000 x 100000 (the image_io test file).
    QFile big(QStringLiteral(ATELIER_TEST_DATA_DIR "/images/declares_100000x100000.png"));
    REQUIRE(big.open(QIODevice::ReadOnly));
    const QByteArray ora =
        oraWith("<image w=\"8\" h=\"8\"><stack><layer src=\"data/big.png\"/></stack></image>",
                {{QStringLiteral("data/big.png"), big.readAll(), true}});
    CHECK(errorOf(ora).contains(QLatin1String("100000 x 100000")));
    // Many layers that are each allowed but too many together.
    OraLimits limits;
    limits.maxTotalLayerPixels = 40;
    CHECK(errorOf(oraWith("<image w=\"8\" h=\"8\"><stack><layer src=\"data/a.png\"/>"
                          "<layer src=\"data/a.png\"/><layer src=\"data/a.png\"/></stack></image>",
                          {{QStringLiteral("data/a.png"), solidPng(4, 4, Qt::red)}}),
                  limits)
              .contains(QLatin1String("in all")));
}

TEST_CASE("hostile stack.xml is refused or clamped, consistently", "[ora][bad]") {
    SECTION("malformed XML") {
        CHECK(errorOf(oraWith("<image w=\"8\" h=\"8\"><stack><layer></stack>"))
                  .contains(QLatin1String("malformed at line")));
        CHECK(errorOf(oraWith("")).contains(QLatin1String("stack.xml")));
        CHECK(errorOf(oraWith("<notimage/>")).contains(QLatin1String("<notimage>")));
        CHECK(errorOf(oraWith("<image w=\"8\" h=\"8\"/>")).contains(QLatin1String("no <stack>")));
        CHECK(errorOf(oraWith("<image w=\"x\" h=\"8\"><stack/></image>"))
                  .contains(QLatin1String("not a whole number")));
        CHECK(errorOf(oraWith("<image h=\"8\"><stack/></image>"))
                  .contains(QLatin1String("not a whole number")));
    }
    SECTION("entity expansion (billion laughs)") {
        QByteArray xml = "<?xml version=\"1.0\"?><!DOCTYPE image [<!ENTITY a \"aaaaaaaaaa\">";
        for (int i = 1; i < 10; ++i)
            xml += "<!ENTITY " + QByteArray(1, char('a' + i)) + " \"" +
                   QByteArray(10, '&').replace("&", "&" + QByteArray(1, char('a' + i - 1)) + ";") +
                   "\">";
        xml += "]><image w=\"8\" h=\"8\"><stack><layer name=\"&j;\"/></stack></image>";
        CHECK_FALSE(errorOf(oraWith(xml)).isEmpty());
    }
    SECTION("deep nesting") {
        QByteArray xml = "<image w=\"8\" h=\"8\"><stack>";
        for (int i = 0; i < 10000; ++i) xml += "<stack>";
        for (int i = 0; i < 10000; ++i) xml += "</stack>";
        xml += "</stack></image>";
        CHECK(errorOf(oraWith(xml)).contains(QLatin1String("deeper than 64")));
    }
    SECTION("opacity that is not a number is refused; out of range is clamped") {
        for (const char* o : {"nan", "NaN", "inf", "-inf", "abc", ""}) {
            INFO(o);
            CHECK(errorOf(oneLayer("src=\"data/a.png\" opacity=\"" + QByteArray(o) + "\""))
                      .contains(QLatin1String("not a number")));
        }
        OraLoadResult r = loadOraFromBytes(oneLayer("src=\"data/a.png\" opacity=\"-0.5\""), kName);
        REQUIRE(r.ok());
        CHECK(r.document->root().children().front()->props.opacity == 0.f);
        CHECK_FALSE(r.warnings.isEmpty());
        r = loadOraFromBytes(oneLayer("src=\"data/a.png\" opacity=\"7\""), kName);
        REQUIRE(r.ok());
        CHECK(r.document->root().children().front()->props.opacity == 1.f);
    }
    SECTION("coordinates near 2^31 are refused") {
        for (const char* v : {"2147483647", "-2147483648", "2147483648", "99999999999999999999",
                              "1e9", "16777217"}) {
            INFO(v);
            CHECK_FALSE(
                errorOf(oneLayer("src=\"data/a.png\" x=\"" + QByteArray(v) + "\"")).isEmpty());
        }
        CHECK(errorOf(oneLayer("src=\"data/a.png\" x=\"0\"")).isEmpty());
        CHECK(errorOf(oneLayer("src=\"data/a.png\" y=\"-16777216\"")).isEmpty());
    }
    SECTION("unknown composite ops fall back to src-over with a warning") {
        OraLoadResult r =
            loadOraFromBytes(oneLayer("src=\"data/a.png\" composite-op=\"foo:bar\""), kName);
        REQUIRE(r.ok());
        CHECK(r.document->root().children().front()->props.mode == BlendMode::Normal);
        CHECK(r.warnings.size() == 1);
    }
    SECTION("a layer whose PNG is missing or not an image") {
        CHECK(errorOf(oneLayer("src=\"data/missing.png\""))
                  .contains(QLatin1String("no such member")));
        CHECK(
            errorOf(
                oraWith("<image w=\"8\" h=\"8\"><stack><layer src=\"data/a.png\"/></stack></image>",
                        {{QStringLiteral("data/a.png"), "not a png"}}))
                .contains(QLatin1String("not an image")));
    }
}

TEST_CASE("mimetype missing, wrong or not first", "[ora][bad]") {
    const QByteArray xml = "<image w=\"8\" h=\"8\"><stack/></image>";
    CHECK(errorOf(makeZip({{QStringLiteral("stack.xml"), xml}}))
              .contains(QLatin1String("no mimetype")));
    CHECK(errorOf(makeZip({{QStringLiteral("mimetype"), "image/png", true},
                           {QStringLiteral("stack.xml"), xml}}))
              .contains(QLatin1String("image/png")));
    // The content is what matters; a misplaced or compressed mimetype is repaired with a warning.
    OraLoadResult r =
        loadOraFromBytes(makeZip({{QStringLiteral("stack.xml"), xml},
                                  {QStringLiteral("mimetype"), "image/openraster", true}}),
                         kName);
    REQUIRE(r.ok());
    CHECK(r.warnings.join(QString()).contains(QLatin1String("not the first")));
    r = loadOraFromBytes(makeZip({{QStringLiteral("mimetype"), "image/openraster", false},
                                  {QStringLiteral("stack.xml"), xml}}),
                         kName);
    REQUIRE(r.ok());
    CHECK(r.warnings.join(QString()).contains(QLatin1String("compressed")));
    CHECK(errorOf(QByteArray("not a zip at all")).contains(QLatin1String("not an OpenRaster")));
    CHECK(errorOf(QByteArray()).contains(QLatin1String("not an OpenRaster")));
}

TEST_CASE("every truncation of a valid file fails cleanly", "[ora][bad]") {
    Document doc(QSize(40, 30));
    LayerPtr l = Layer::makePaint(QStringLiteral("l"));
    fillRect(*l, QRect(3, 4, 20, 10), QColor(1, 2, 3, 200));
    doc.addLayer(l);
    QString error;
    const QByteArray good = encodeOra(doc, &error);
    REQUIRE(loadOraFromBytes(good, kName).ok());
    int failures = 0;
    for (int n = 0; n < good.size(); ++n) {
        OraLoadResult r = loadOraFromBytes(good.left(n), kName);
        if (!r.ok()) {
            ++failures;
            CHECK_FALSE(r.error.isEmpty());
        }
    }
    // Without the end of central directory record no prefix is a zip archive.
    CHECK(failures == good.size());
    // Flipping bytes inside members is caught by the CRC check or the decoders.
    for (int at = 40; at < good.size() - 100; at += 37) {
        QByteArray bad = good;
        bad[at] = char(bad[at] ^ 0x5a);
        OraLoadResult r = loadOraFromBytes(bad, kName);
        if (!r.ok()) CHECK(r.error.startsWith(kName));
    }
}

TEST_CASE("a file that cannot be opened gets an error naming it", "[ora][bad]") {
    OraLoadResult r = loadOra(QStringLiteral("/nonexistent/folder/x.ora"));
    CHECK_FALSE(r.ok());
    CHECK(r.error.contains(QLatin1String("/nonexistent/folder/x.ora")));
}

TEST_CASE("layers up to the pixel budget are not refused by Qt's own 256 MB limit", "[ora]") {
    // Qt's default allocation limit would refuse a legitimate 8200 x 8200 layer (269 MB).
    const OraLimits limits;
    QImageReader::setAllocationLimit(256);
    REQUIRE(loadOraFromBytes(oneLayer("src=\"data/a.png\""), kName, limits).ok());
    CHECK(qint64(QImageReader::allocationLimit()) >= limits.maxLayerPixels * 4 >> 20);
}

TEST_CASE("mangled stack.xml and archives never crash the loader", "[ora][bad]") {
    const QByteArray xml =
        "<image w=\"40\" h=\"30\"><stack><stack name=\"g\" opacity=\"0.5\" isolation=\"auto\">"
        "<layer src=\"data/a.png\" x=\"3\" y=\"-4\" opacity=\"0.7\" composite-op=\"svg:hue\" "
        "visibility=\"hidden\" atelier:seed=\"12\" atelier:mask-src=\"data/a.png\"/></stack>"
        "<layer src=\"data/a.png\" name=\"n\" selected=\"true\" "
        "edit-locked=\"1\"/></stack></image>";
    const QByteArray png = solidPng(4, 4, QColor(1, 2, 3, 4));
    REQUIRE(loadOraFromBytes(oraWith(xml, {{QStringLiteral("data/a.png"), png}}), kName).ok());
    QRandomGenerator rng(2024);
    const char alphabet[] = "<>/=\"' &;:!?-x0123456789.eE+nNaAiIfF\n\t\\";
    int loaded = 0;
    for (int round = 0; round < 400; ++round) {
        QByteArray bad = xml;
        for (int k = rng.bounded(1, 6); k > 0; --k) {
            const int at = rng.bounded(bad.size());
            switch (rng.bounded(3)) {
                case 0:
                    bad.remove(at, rng.bounded(1, 8));
                    break;
                case 1:
                    bad.insert(at, alphabet[rng.bounded(int(sizeof alphabet) - 1)]);
                    break;
                default:
                    bad[at] = alphabet[rng.bounded(int(sizeof alphabet) - 1)];
                    break;
            }
        }
        OraLoadResult r =
            loadOraFromBytes(oraWith(bad, {{QStringLiteral("data/a.png"), png}}), kName);
        if (r.ok()) {
            ++loaded;
            r.document->flatten();  // whatever loaded must also render
        } else {
            CHECK(r.error.startsWith(kName));
        }
    }
    CHECK(loaded > 0);
    CHECK(loaded < 400);
}

TEST_CASE("thin layers that would spread over many tiles are refused before storing",
          "[ora][bad]") {
    // 4096 x 1 pixels each, but 64 tiles (1 MiB) each: pixels alone do not bound memory.
    OraLimits limits;
    limits.maxTileBytes = 4 << 20;
    QByteArray layers;
    for (int i = 0; i < 8; ++i)
        layers += "<layer src=\"data/row.png\" y=\"" + QByteArray::number(i * 64) + "\"/>";
    const QByteArray ora =
        oraWith("<image w=\"4096\" h=\"512\"><stack>" + layers + "</stack></image>",
                {{QStringLiteral("data/row.png"), solidPng(4096, 1, Qt::red)}});
    CHECK(errorOf(ora, limits).contains(QLatin1String("MiB of tiles")));
    limits.maxTileBytes = 16 << 20;
    CHECK(errorOf(ora, limits).isEmpty());
}
