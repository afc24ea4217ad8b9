#pragma once
// Reading zip archives (libzip) from memory with every size capped while decompressing.
// Members are looked up by their exact name and returned as bytes: nothing is ever extracted to
// disk, so entry names like "../x" or "/etc/passwd" cannot reach the file system.
#include <QByteArray>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>

namespace atelier::document {

struct ZipLimits {
    int maxEntries = 10000;
    qint64 maxEntryBytes = qint64(1) << 30;  // one decompressed member
    qint64 maxTotalBytes = qint64(4) << 30;  // all members read through one reader
};

class ZipReader {
public:
    // Null with *error set if data is not a readable zip archive (or has too many entries).
    static std::unique_ptr<ZipReader> open(QByteArray data, const ZipLimits& limits,
                                           QString* error);
    ~ZipReader();

    int entryCount() const { return int(names_.size()); }
    const QStringList& names() const { return names_; }  // in archive order
    int indexOf(const QString& name) const { return int(names_.indexOf(name)); }
    bool isStored(int index) const;  // no compression
    // The member's bytes, decompressed under the caps; nullopt with *error naming the member.
    // maxBytes (if >= 0) tightens the per-member cap for this read.
    std::optional<QByteArray> read(const QString& name, QString* error, qint64 maxBytes = -1);
    qint64 bytesRead() const { return totalRead_; }

private:
    ZipReader() = default;
    struct Impl;
    std::unique_ptr<Impl> impl_;
    QStringList names_;
    ZipLimits limits_;
    qint64 totalRead_ = 0;
};

}  // namespace atelier::document
