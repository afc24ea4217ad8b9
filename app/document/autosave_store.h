#pragma once
// Autosave and crash recovery. The app saves the open document here every few minutes (and
// discards the entry when the document is saved or closed cleanly); after a crash the next start
// lists what is left and offers it back. Each entry is a complete .ora plus a small JSON sidecar,
// both written atomically, the .ora first, so a listed entry always has its document.
#include "app/atomic_file.h"
#include "app/document/ora.h"

#include <QDateTime>
#include <QList>
#include <QString>

namespace atelier::document {

struct RecoveryEntry {
    QString id;            // the session's document id
    QString documentPath;  // where the document was last saved by the user; empty if never
    QString title;         // what the UI called it ("Untitled 2")
    QDateTime savedAt;     // UTC
    QString oraPath;       // the autosaved document
    qint64 bytes = 0;
};

class AutosaveStore {
public:
    // directory: where entries live; by default defaultDirectory().
    explicit AutosaveStore(QString directory = defaultDirectory());
    // <AppLocalDataLocation>/recovery (e.g. ~/.local/share/Atelier/recovery).
    static QString defaultDirectory();
    // A fresh id for a newly opened document.
    static QString newId();

    const QString& directory() const { return dir_; }
    // Saves (replaces) the entry; empty string on success, else the error. The document is not
    // marked clean: an autosave is not a save.
    QString save(Document& document, const QString& id, const QString& documentPath = {},
                 const QString& title = {}, const AtomicWriteOptions& options = {});
    // Entries newest first; damaged sidecars and orphan files are skipped.
    QList<RecoveryEntry> list() const;
    OraLoadResult restore(const QString& id) const;
    // Removes the entry's files; false if there was none.
    bool discard(const QString& id);

private:
    static bool validId(const QString& id);
    QString oraPath(const QString& id) const;
    QString sidecarPath(const QString& id) const;
    QString dir_;
};

}  // namespace atelier::document
