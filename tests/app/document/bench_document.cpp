// bench_document: figures for docs/BENCHMARKS.md (not a test).
//  1. recomposite of a dirty 256x256 region of a 4096x4096, 20-layer document, against a full
//     recomposite of the same document in the same run;
//  2. memory of an 8192x8192 document with 20 mostly empty layers;
//  3. .ora encode / save / load of a 2048x2048, 20-layer document.
// Usage: bench_document [--rounds N]
#include "app/document/document.h"
#include "app/document/ora.h"
#include "app/document/pixel_edit.h"

#include <QFile>
#include <QRandomGenerator>
#include <QTemporaryDir>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <vector>

#include <time.h>
#include <unistd.h>

using namespace atelier::document;
using Clock = std::chrono::steady_clock;

// CPU time of this thread: other processes on a shared machine do not inflate it.
struct CpuClock {
    using duration = std::chrono::nanoseconds;
    using time_point = std::chrono::time_point<CpuClock, duration>;
    static time_point now() {
        timespec ts;
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
        return time_point(duration(qint64(ts.tv_sec) * 1000000000 + ts.tv_nsec));
    }
};

namespace {

template <typename D>
double ms(D d) {
    return std::chrono::duration<double, std::milli>(d).count();
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

qint64 rssBytes() {
    QFile f(QStringLiteral("/proc/self/statm"));
    if (!f.open(QIODevice::ReadOnly)) return -1;
    const QList<QByteArray> parts = f.readAll().split(' ');
    return parts.size() > 1 ? parts[1].toLongLong() * sysconf(_SC_PAGESIZE) : -1;
}

TilePtr solidTile(QRandomGenerator& rng) {
    auto t = std::make_shared<Tile>(4, 0);
    const int a = rng.bounded(80, 256);
    const uint8_t px[4] = {uint8_t(rng.bounded(a + 1)), uint8_t(rng.bounded(a + 1)),
                           uint8_t(rng.bounded(a + 1)), uint8_t(a)};
    for (int p = 0; p < kTileSize * kTileSize; ++p) std::memcpy(&t->bytes[size_t(p) * 4], px, 4);
    return t;
}

// 20 layers covering the whole canvas. Each layer's tiles share one tile (copy-on-write), which
// costs the compositor exactly as much as distinct tiles but keeps the benchmark's memory small.
std::unique_ptr<Document> fullDocument(QSize size, bool mixedModes) {
    auto doc = std::make_unique<Document>(size);
    QRandomGenerator rng(42);
    const BlendMode modes[] = {BlendMode::Normal,  BlendMode::Multiply,  BlendMode::Screen,
                               BlendMode::Overlay, BlendMode::SoftLight, BlendMode::Color};
    for (int i = 0; i < 20; ++i) {
        LayerPtr l = Layer::makePaint(QStringLiteral("layer %1").arg(i));
        const TilePtr t = solidTile(rng);
        for (const TileCoord& c : tilesCovering(QRect(QPoint(0, 0), size))) l->pixels.setTile(c, t);
        if (mixedModes && i > 0) l->props.mode = modes[i % 6];
        l->props.opacity = i == 0 ? 1.f : 0.8f;
        doc->root().insertChild(i, l);
    }
    doc->markAllDirty();
    return doc;
}

void strokeOver(Document& doc, const LayerPtr& layer, const QRect& r, uint8_t v) {
    auto edit = doc.beginPixelEdit(ChannelRef::pixels(layer), QStringLiteral("stroke"));
    for (int y = r.top(); y <= r.bottom(); ++y)
        for (int x = r.left(); x <= r.right(); ++x) {
            uint8_t* p = edit->writablePixel(x, y);
            p[0] = p[1] = p[2] = v;
            p[3] = 255;
        }
    edit->commit();
}

void benchRecomposite(int rounds) {
    for (bool mixed : {false, true}) {
        auto doc = fullDocument(QSize(4096, 4096), mixed);
        const auto t0 = CpuClock::now();
        doc->flatten();
        const double full = ms(CpuClock::now() - t0);
        LayerPtr target = doc->root().children()[10];
        std::vector<double> aligned, unaligned;
        for (int i = 0; i < rounds; ++i) {
            for (bool isAligned : {true, false}) {
                const QRect r =
                    isAligned ? QRect(1024, 1024, 256, 256) : QRect(1000, 1100, 256, 256);
                strokeOver(*doc, target, r, uint8_t(i * 7));
                const auto s = CpuClock::now();
                doc->composite(r);
                (isAligned ? aligned : unaligned).push_back(ms(CpuClock::now() - s));
            }
        }
        std::printf(
            "recomposite 4096x4096, 20 layers, %s: full %.0f ms (4096 tiles); dirty "
            "256x256 aligned (16 tiles) %.2f ms, unaligned (25 tiles) %.2f ms (CPU ms, median of "
            "%d)\n",
            mixed ? "mixed modes" : "all svg:src-over", full, median(aligned), median(unaligned),
            rounds);
    }
}

void benchMemory() {
    const qint64 rssBefore = rssBytes();
    auto doc = std::make_unique<Document>(QSize(8192, 8192));
    QRandomGenerator rng(7);
    for (int i = 0; i < 20; ++i) {
        LayerPtr l = Layer::makePaint(QStringLiteral("layer %1").arg(i));
        doc->addLayer(l);
        // A few strokes per layer: 5 blobs of 200x200 somewhere on the canvas.
        for (int k = 0; k < 5; ++k) {
            QImage blob(200, 200, QImage::Format_RGBA8888_Premultiplied);
            blob.fill(QColor(rng.bounded(256), rng.bounded(256), rng.bounded(256)));
            l->pixels.writeImage(blob, QPoint(rng.bounded(8000), rng.bounded(8000)));
        }
    }
    const qint64 tiles = doc->bytesUsed();
    doc->markAllDirty();
    doc->flatten();
    const qint64 withCache = doc->bytesUsed();
    const qint64 rssAfter = rssBytes();
    const double dense = 8192.0 * 8192 * 4 * 20;
    std::printf(
        "memory 8192x8192, 20 layers with 5 blobs of 200x200 each: tiles %.1f MiB, "
        "+ composite cache %.1f MiB, process RSS +%.1f MiB (dense layers would be %.0f MiB)\n",
        tiles / 1048576.0, (withCache - tiles) / 1048576.0, (rssAfter - rssBefore) / 1048576.0,
        dense / 1048576.0);
}

void benchOra() {
    Document doc(QSize(2048, 2048));
    QRandomGenerator rng(3);
    for (int i = 0; i < 20; ++i) {
        LayerPtr l = Layer::makePaint(QStringLiteral("layer %1").arg(i));
        doc.addLayer(l);
        // Smooth gradients in a quarter of the canvas (paint-like content, compresses as PNG).
        QImage img(1024, 1024, QImage::Format_RGBA8888_Premultiplied);
        const int hue = rng.bounded(360);
        for (int y = 0; y < img.height(); ++y)
            for (int x = 0; x < img.width(); ++x)
                img.setPixelColor(x, y, QColor::fromHsv((hue + x / 8) % 360, 200, 55 + y / 6, 255));
        l->pixels.writeImage(img, QPoint(rng.bounded(1024), rng.bounded(1024)));
    }
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("bench.ora"));
    QString error;
    auto t0 = Clock::now();
    const QByteArray bytes = encodeOra(doc, &error);
    const double encode = ms(Clock::now() - t0);
    t0 = Clock::now();
    const QString saveError = saveOra(doc, path);
    const double save = ms(Clock::now() - t0);
    t0 = Clock::now();
    OraLoadResult r = loadOra(path);
    const double load = ms(Clock::now() - t0);
    std::printf(
        ".ora 2048x2048, 20 layers of 1024x1024 content: encode %.0f ms, save (encode + "
        "fsync + rename) %.0f ms, load %.0f ms, file %.1f MiB%s\n",
        encode, save, load, bytes.size() / 1048576.0,
        (r.ok() && saveError.isEmpty()) ? "" : " (FAILED)");
}

}  // namespace

int main(int argc, char** argv) {
    int rounds = 15;
    for (int i = 1; i + 1 < argc; ++i)
        if (std::strcmp(argv[i], "--rounds") == 0) rounds = std::max(1, std::atoi(argv[i + 1]));
    benchMemory();  // first: later benchmarks' freed memory would hide its RSS growth
    benchRecomposite(rounds);
    benchOra();
    return 0;
}
