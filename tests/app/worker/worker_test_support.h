#pragma once
// Records what an InferenceWorker reports, and waits for a job to end.
#include "app/inference_worker.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QString>
#include <QVector>

#include <functional>
#include <map>
#include <vector>

namespace atelier::testing {

inline QString tinyModel(const char* variant, bool diffusers = true) {
    const QString dir =
        QStringLiteral(ATELIER_TEST_DATA_DIR "/reference/models/") + QString::fromLatin1(variant);
    return diffusers ? dir + QStringLiteral("/diffusers")
                     : dir + QLatin1Char('/') + QString::fromLatin1(variant) +
                           QStringLiteral(".ldm.safetensors");
}

// A 64x64 picture with structure (gradients) and a centred square mask, as the pipelines take.
inline inference::ImageF testImage(int w = 64, int h = 64) {
    inference::ImageF image(w, h, 3);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            image.at(x, y, 0) = float(x) / w;
            image.at(x, y, 1) = float(y) / h;
            image.at(x, y, 2) = 0.5f;
        }
    return image;
}
inline inference::ImageF testMask(int w = 64, int h = 64) {
    inference::ImageF mask(w, h, 1);
    for (int y = h / 4; y < 3 * h / 4; ++y)
        for (int x = w / 4; x < 3 * w / 4; ++x) mask.at(x, y, 0) = 1.f;
    return mask;
}

struct Recorder {
    std::map<quint64, std::vector<app::JobProgress>> progress;
    std::map<quint64, app::JobResult> finished;
    std::map<quint64, QString> failed;
    std::vector<quint64> cancelled, dropped;
    std::function<void(quint64, const app::JobProgress&)> onProgress;

    explicit Recorder(app::InferenceWorker& w) {
        QObject::connect(&w, &app::InferenceWorker::jobProgress,
                         [this](quint64 id, const app::JobProgress& p) {
                             progress[id].push_back(p);
                             if (onProgress) onProgress(id, p);
                         });
        QObject::connect(&w, &app::InferenceWorker::jobFinished,
                         [this](const app::JobResult& r) { finished[r.id] = r; });
        QObject::connect(&w, &app::InferenceWorker::jobFailed,
                         [this](quint64 id, const QString& m) { failed[id] = m; });
        QObject::connect(&w, &app::InferenceWorker::jobCancelled,
                         [this](quint64 id) { cancelled.push_back(id); });
        QObject::connect(&w, &app::InferenceWorker::jobDropped,
                         [this](quint64 id) { dropped.push_back(id); });
    }
    bool ended(quint64 id) const {
        auto has = [id](const std::vector<quint64>& v) {
            return std::find(v.begin(), v.end(), id) != v.end();
        };
        return finished.count(id) || failed.count(id) || has(cancelled) || has(dropped);
    }
    // Spins the event loop until the job ended; false on timeout.
    bool waitFor(quint64 id, int timeoutMs = 120000) {
        QElapsedTimer t;
        t.start();
        while (!ended(id) && t.elapsed() < timeoutMs)
            QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
        return ended(id);
    }
};

}  // namespace atelier::testing
