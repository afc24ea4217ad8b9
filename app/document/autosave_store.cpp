#include "app/document/autosave_store.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QUuid>

#include <algorithm>

namespace atelier::document {

AutosaveStore::AutosaveStore(QString directory) : dir_(std::move(directory)) {}

QString AutosaveStore::defaultDirectory() {
    QString base = QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation);
    if (base.isEmpty()) base = QDir::homePath() + QStringLiteral("/.local/share/Atelier");
    return base + QStringLiteral("/recovery");
}

QString AutosaveStore::newId() { return QUuid::createUuid().toString(QUuid::WithoutBraces); }

bool AutosaveStore::validId(const QString& id) {
    // Ids become file names: nothing that could leave the folder.
    static const QRegularExpression ok(QStringLiteral("^[A-Za-z0-9_-]{1,64}$"));
    return ok.match(id).hasMatch();
}

QString AutosaveStore::oraPath(const QString& id) const {
    return dir_ + QLatin1Char('/') + id + QStringLiteral(".ora");
}

QString AutosaveStore::sidecarPath(const QString& id) const {
    return dir_ + QLatin1Char('/') + id + QStringLiteral(".json");
}

QString AutosaveStore::save(Document& document, const QString& id, const QString& documentPath,
                            const QString& title, const AtomicWriteOptions& options) {
    if (!validId(id)) return QStringLiteral("autosave: \"%1\" is not a valid document id").arg(id);
    if (!QDir().mkpath(dir_))
        return QStringLiteral("autosave: cannot create the recovery folder %1").arg(dir_);
    const QString error = saveOra(document, oraPath(id), options);
    if (!error.isEmpty()) return QStringLiteral("autosave failed: %1").arg(error);
    QJsonObject meta;
    meta[QStringLiteral("id")] = id;
    meta[QStringLiteral("document_path")] = documentPath;
    meta[QStringLiteral("title")] = title;
    meta[QStringLiteral("saved_at")] = QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
    const QString metaError = writeFileAtomically(
        sidecarPath(id), QJsonDocument(meta).toJson(QJsonDocument::Indented), options);
    if (!metaError.isEmpty()) return QStringLiteral("autosave failed: %1").arg(metaError);
    return {};
}

QList<RecoveryEntry> AutosaveStore::list() const {
    QList<RecoveryEntry> out;
    const QDir dir(dir_);
    for (const QFileInfo& info : dir.entryInfoList({QStringLiteral("*.json")}, QDir::Files)) {
        const QString id = info.completeBaseName();
        if (!validId(id)) continue;
        QFile f(info.filePath());
        if (info.size() > (1 << 20) || !f.open(QIODevice::ReadOnly)) continue;
        const QJsonDocument json = QJsonDocument::fromJson(f.readAll());
        if (!json.isObject()) continue;
        const QFileInfo ora(oraPath(id));
        if (!ora.isFile()) continue;
        const QJsonObject o = json.object();
        RecoveryEntry e;
        e.id = id;
        e.documentPath = o.value(QStringLiteral("document_path")).toString();
        e.title = o.value(QStringLiteral("title")).toString();
        e.savedAt = QDateTime::fromString(o.value(QStringLiteral("saved_at")).toString(),
                                          Qt::ISODateWithMs);
        if (!e.savedAt.isValid()) e.savedAt = ora.lastModified().toUTC();
        e.oraPath = ora.filePath();
        e.bytes = ora.size();
        out.push_back(e);
    }
    std::sort(out.begin(), out.end(),
              [](const RecoveryEntry& a, const RecoveryEntry& b) { return a.savedAt > b.savedAt; });
    return out;
}

OraLoadResult AutosaveStore::restore(const QString& id) const {
    if (!validId(id)) {
        OraLoadResult r;
        r.error = QStringLiteral("autosave: \"%1\" is not a valid document id").arg(id);
        return r;
    }
    OraLoadResult r = loadOra(oraPath(id));
    // A recovered document has unsaved work: it is not clean.
    if (r.ok()) r.document->history().stack().resetClean();
    return r;
}

bool AutosaveStore::discard(const QString& id) {
    if (!validId(id)) return false;
    const bool a = QFile::remove(sidecarPath(id));
    const bool b = QFile::remove(oraPath(id));
    return a || b;
}

}  // namespace atelier::document
