#pragma once
// OpenRaster (.ora) documents, compatible with Krita, GIMP and MyPaint:
// a zip with `mimetype` first and stored, `stack.xml`, one straight-alpha sRGB PNG per layer
// under data/, `mergedimage.png` and `Thumbnails/thumbnail.png`.
// Atelier's own data rides along as atelier:* attributes (namespace kAtelierNamespace): layer
// provenance, layer masks (data/mask-*.png) and the inpaint mask. Attributes from other
// programs are kept and written back, with the archive members they name (MyPaint's strokemaps,
// background tile, settings). MyPaint's tiled background layer is expanded over the canvas.
#include "app/atomic_file.h"
#include "app/document/document.h"
#include "app/document/zip_reader.h"

#include <QByteArray>
#include <QImage>
#include <QString>
#include <QStringList>

#include <memory>

namespace atelier::document {

inline constexpr char kAtelierNamespace[] = "https://atelier.invalid/ns/openraster/1";

struct OraLimits {
    ZipLimits zip;
    int maxSide = 65535;
    qint64 maxCanvasPixels = qint64(16384) * 16384;
    qint64 maxLayerPixels = qint64(16384) * 16384;  // one layer PNG, checked before decoding
    qint64 maxTotalLayerPixels = qint64(1) << 30;   // all layer PNGs together
    // Memory of the tiles the layers are stored in: a 65535 x 1 layer is few pixels but touches
    // 1024 tiles, so pixels alone do not bound memory.
    qint64 maxTileBytes = qint64(4) << 30;
    qint64 maxStackXmlBytes = qint64(16) << 20;
    qint64 maxForeignMemberBytes = qint64(64) << 20;  // all kept members of other programs
    int maxLayers = 4096;
    int maxDepth = 64;            // nested stacks
    int maxCoordinate = 1 << 24;  // |x|, |y| of a layer
    qint64 maxFileBytes = qint64(4) << 30;
};

struct OraLoadResult {
    std::unique_ptr<Document> document;  // null on failure
    QString error;                       // names the file and what is wrong
    QStringList warnings;                // repaired or ignored things (unknown ops, ...)
    bool ok() const { return document != nullptr; }
};

// `name` is used in messages (the file name).
OraLoadResult loadOraFromBytes(const QByteArray& bytes, const QString& name,
                               const OraLimits& limits = {});
OraLoadResult loadOra(const QString& path, const OraLimits& limits = {});

// The file's own mergedimage.png (what the program that wrote it shows), straight RGBA8888;
// null with *error set if it is missing or unreadable. Checked against limits before decoding.
QImage readOraMergedImage(const QByteArray& bytes, QString* error, const OraLimits& limits = {});

// The archive bytes; empty with *error set on failure (e.g. an encoder error).
QByteArray encodeOra(Document& document, QString* error);
// Encodes and writes atomically (temporary file, fsync, rename). Empty string on success.
QString saveOra(Document& document, const QString& path, const AtomicWriteOptions& options = {});

}  // namespace atelier::document
