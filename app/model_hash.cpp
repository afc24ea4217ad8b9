#include "app/model_hash.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QMutex>
#include <QMutexLocker>
#include <QStringList>

namespace atelier::app {
namespace {

bool addFile(QCryptographicHash& hash, const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) return false;
    return hash.addData(&file);
}

// Diffusers folders store the UNet under one of a few names; the first present is hashed.
QString unetWeights(const QDir& folder) {
    for (const char* name :
         {"unet/diffusion_pytorch_model.safetensors",
          "unet/diffusion_pytorch_model.fp16.safetensors", "unet/model.safetensors"}) {
        const QString path = folder.filePath(QString::fromLatin1(name));
        if (QFileInfo::exists(path)) return path;
    }
    return {};
}

QString computeHash(const QString& path) {
    QCryptographicHash hash(QCryptographicHash::Sha256);
    const QFileInfo info(path);
    if (info.isDir()) {
        const QDir folder(path);
        const QString unet = unetWeights(folder);
        if (unet.isEmpty() || !addFile(hash, folder.filePath(QStringLiteral("model_index.json"))) ||
            !addFile(hash, unet))
            return {};
    } else if (!addFile(hash, path)) {
        return {};
    }
    return QString::fromLatin1(hash.result().toHex());
}

// The key changes when the files do, so an edited checkpoint is hashed again.
QString cacheKey(const QString& path) {
    const QFileInfo info(path);
    QStringList parts{info.absoluteFilePath()};
    QStringList files{path};
    if (info.isDir())
        files = {QDir(path).filePath(QStringLiteral("model_index.json")), unetWeights(QDir(path))};
    for (const QString& f : files) {
        const QFileInfo fi(f);
        parts << QString::number(fi.size())
              << QString::number(fi.lastModified().toMSecsSinceEpoch());
    }
    return parts.join(QLatin1Char('|'));
}

}  // namespace

QString modelHash(const QString& modelPath) {
    static QMutex mutex;
    static QHash<QString, QString> cache;
    const QString key = cacheKey(modelPath);
    {
        QMutexLocker lock(&mutex);
        const auto it = cache.constFind(key);
        if (it != cache.constEnd()) return *it;
    }
    const QString hash = computeHash(modelPath);  // unlocked: may take a while
    if (!hash.isEmpty()) {
        QMutexLocker lock(&mutex);
        cache.insert(key, hash);
    }
    return hash;
}

}  // namespace atelier::app
