#pragma once
// Writing a whole file so that the target is always either the complete old file or the
// complete new one: a temporary file beside it, fsync, then rename (QSaveFile). There is no
// direct-write fallback: a read-only folder or a failed rename is an error, the old file stays.
#include <QByteArray>
#include <QIODevice>
#include <QString>

#include <functional>

namespace atelier {

struct AtomicWriteOptions {
    // Writes bytes to the temporary file; returns the count written or -1. Tests replace it to
    // simulate a full disk; the default is QIODevice::write.
    std::function<qint64(QIODevice&, const char*, qint64)> write;
};

// Returns an empty string on success, else a message naming the path and what went wrong.
QString writeFileAtomically(const QString& path, const QByteArray& data,
                            const AtomicWriteOptions& options = {});

}  // namespace atelier
