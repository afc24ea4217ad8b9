// Autosave and recovery (reliability.md cases 17 and 20): entries survive, restore the work,
// a failed autosave keeps the previous entry, and ids cannot leave the folder.
#include "app/document/autosave_store.h"

#include "test_support.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>

#include <catch2/catch.hpp>

using namespace atelier::document;
using namespace atelier::document::test;

TEST_CASE("an autosaved document is listed and restored", "[autosave]") {
    QTemporaryDir dir;
    AutosaveStore store(dir.filePath(QStringLiteral("recovery")));
    CHECK(store.list().isEmpty());
    Document doc(QSize(64, 64));
    LayerPtr l = Layer::makePaint(QStringLiteral("work"));
    fillRect(*l, QRect(4, 4, 20, 20), QColor(50, 60, 70));
    doc.addLayer(l);
    const QString id = AutosaveStore::newId();
    REQUIRE(
        store.save(doc, id, QStringLiteral("/home/me/art.ora"), QStringLiteral("art")).isEmpty());
    CHECK_FALSE(doc.history().isClean());  // an autosave is not a save

    // "Next start": a new store on the same folder.
    AutosaveStore next(dir.filePath(QStringLiteral("recovery")));
    const QList<RecoveryEntry> entries = next.list();
    REQUIRE(entries.size() == 1);
    CHECK(entries[0].id == id);
    CHECK(entries[0].documentPath == QLatin1String("/home/me/art.ora"));
    CHECK(entries[0].title == QLatin1String("art"));
    CHECK(entries[0].savedAt.isValid());
    CHECK(entries[0].bytes > 0);
    OraLoadResult r = next.restore(id);
    REQUIRE(r.ok());
    CHECK(r.document->flatten() == doc.flatten());
    CHECK_FALSE(r.document->history().isClean());
    CHECK(next.discard(id));
    CHECK(next.list().isEmpty());
    CHECK_FALSE(next.discard(id));
}

TEST_CASE("a failed autosave keeps the previous entry", "[autosave]") {
    QTemporaryDir dir;
    AutosaveStore store(dir.path());
    Document doc(QSize(32, 32));
    LayerPtr l = Layer::makePaint(QStringLiteral("l"));
    fillRect(*l, QRect(0, 0, 8, 8), QColor(1, 2, 3));
    doc.addLayer(l);
    REQUIRE(store.save(doc, QStringLiteral("doc1"), {}, QStringLiteral("one")).isEmpty());
    const QImage first = doc.flatten();
    fillRect(*l, QRect(0, 0, 32, 32), QColor(200, 0, 0));
    doc.markAllDirty();
    atelier::AtomicWriteOptions full;
    full.write = [](QIODevice&, const char*, qint64) -> qint64 { return -1; };
    const QString err = store.save(doc, QStringLiteral("doc1"), {}, {}, full);
    CHECK(err.contains(QLatin1String("autosave failed")));
    OraLoadResult r = store.restore(QStringLiteral("doc1"));
    REQUIRE(r.ok());
    CHECK(r.document->flatten() == first);
}

TEST_CASE("damaged entries are skipped and ids cannot escape the folder", "[autosave]") {
    QTemporaryDir dir;
    AutosaveStore store(dir.path());
    Document doc(QSize(8, 8));
    for (const char* bad : {"../x", "a/b", "", "x.y", "/abs"}) {
        INFO(bad);
        CHECK_FALSE(store.save(doc, QString::fromLatin1(bad)).isEmpty());
        CHECK_FALSE(store.restore(QString::fromLatin1(bad)).ok());
        CHECK_FALSE(store.discard(QString::fromLatin1(bad)));
    }
    QFile junk(dir.filePath(QStringLiteral("junk.json")));
    REQUIRE(junk.open(QIODevice::WriteOnly));
    junk.write("{ not json");
    junk.close();
    QFile orphan(dir.filePath(QStringLiteral("orphan.json")));
    REQUIRE(orphan.open(QIODevice::WriteOnly));
    orphan.write("{}");  // no orphan.ora next to it
    orphan.close();
    CHECK(store.list().isEmpty());
    CHECK(AutosaveStore::defaultDirectory().endsWith(QLatin1String("/recovery")));
}
