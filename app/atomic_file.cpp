#include "app/atomic_file.h"

#include <QSaveFile>

namespace atelier {

QString writeFileAtomically(const QString& path, const QByteArray& data,
                            const AtomicWriteOptions& options) {
    QSaveFile file(path);
    // Never fall back to writing the target in place (QSaveFile does that for folders it cannot
    // create files in unless told not to).
    file.setDirectWriteFallback(false);
    if (!file.open(QIODevice::WriteOnly)) {
        return QStringLiteral("%1: cannot be written (%2)").arg(path, file.errorString());
    }
    constexpr qint64 kChunk = qint64(1) << 20;
    for (qint64 at = 0; at < data.size();) {
        const qint64 n = std::min(kChunk, qint64(data.size()) - at);
        const qint64 written = options.write ? options.write(file, data.constData() + at, n)
                                             : file.write(data.constData() + at, n);
        if (written != n) {
            const QString why = file.errorString().isEmpty() || written >= 0
                                    ? QStringLiteral("the disk may be full")
                                    : file.errorString();
            file.cancelWriting();
            return QStringLiteral("%1: writing failed (%2); the previous file is untouched")
                .arg(path, why);
        }
        at += n;
    }
    // commit() flushes, fsyncs and renames over the target.
    if (!file.commit()) {
        return QStringLiteral("%1: could not be saved (%2); the previous file is untouched")
            .arg(path, file.errorString());
    }
    return {};
}

}  // namespace atelier
