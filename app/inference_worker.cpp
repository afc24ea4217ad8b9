#include "app/inference_worker.h"

#include "app/imaging/image_ops.h"
#include "app/model_hash.h"
#include "inference/depth_estimator.h"

#include <QElapsedTimer>
#include <QMutex>
#include <QMutexLocker>
#include <QThread>
#include <QWaitCondition>

#include <algorithm>
#include <atomic>
#include <deque>
#include <new>
#include <random>
#include <set>
#include <utility>

namespace atelier::app {

struct InferenceWorker::Shared {
    QMutex mutex;
    QWaitCondition wake;
    std::deque<std::pair<quint64, InferenceJob>> queue;
    quint64 nextId = 1;
    quint64 running = 0;
    std::atomic<bool> cancelRunning{false};  // read by the progress callback without the lock
    bool stopping = false;
    int cacheSize = 2;
};

namespace {

QImage toQImage(const inference::Rgb8Image& image) {
    if (image.width <= 0 || image.height <= 0 ||
        image.rgb.size() != size_t(image.width) * image.height * 3)
        return {};
    QImage out(image.width, image.height, QImage::Format_RGB888);
    for (int y = 0; y < image.height; ++y)
        std::copy_n(image.rgb.data() + size_t(y) * image.width * 3, size_t(image.width) * 3,
                    out.scanLine(y));
    return out;
}

inference::Rgb8Image toRgb8(const inference::ImageF& image) {
    inference::Rgb8Image out;
    out.width = image.width;
    out.height = image.height;
    out.rgb.resize(size_t(image.width) * image.height * 3);
    for (size_t i = 0; i < out.rgb.size(); ++i) {
        const float v = std::clamp(image.data[i], 0.f, 1.f);
        out.rgb[i] = uint8_t(v * 255.f + 0.5f);
    }
    return out;
}

// The estimator's raw output, min -> 0 and max -> 1 (only its shape matters), at `size`.
inference::ImageF normalisedDepth(const inference::FloatImage& raw, PixelSize size) {
    inference::ImageF depth(raw.width, raw.height, 1);
    const auto [lo, hi] = std::minmax_element(raw.values.begin(), raw.values.end());
    const float range = (hi != raw.values.end() && *hi > *lo) ? *hi - *lo : 1.f;
    for (size_t i = 0; i < raw.values.size(); ++i) depth.data[i] = (raw.values[i] - *lo) / range;
    return resizeImage(depth, size);
}

std::string cacheKey(const InferenceJob& job) {
    const inference::ModelOptions& o = job.options;
    return job.modelPath.toStdString() + '|' + o.device + '|' + o.dtype + '|' + o.vaeDtype + '|' +
           o.prediction.value_or("") + '|' + o.configPath;
}

}  // namespace

// The worker thread: takes jobs from the shared queue, keeps models open between jobs, and
// posts everything back to the owner with queued calls.
class InferenceWorker::Thread : public QThread {
public:
    Thread(InferenceWorker* owner, std::shared_ptr<Shared> shared)
        : owner_(owner), shared_(std::move(shared)) {}

protected:
    void run() override {
        for (;;) {
            std::pair<quint64, InferenceJob> next;
            {
                QMutexLocker lock(&shared_->mutex);
                while (shared_->queue.empty() && !shared_->stopping)
                    shared_->wake.wait(&shared_->mutex);
                if (shared_->stopping) break;
                next = std::move(shared_->queue.front());
                shared_->queue.pop_front();
                shared_->running = next.first;
                shared_->cancelRunning = false;
            }
            runJob(next.first, next.second);
            bool nowIdle;
            {
                QMutexLocker lock(&shared_->mutex);
                shared_->running = 0;
                nowIdle = shared_->queue.empty();
            }
            if (nowIdle) post([](InferenceWorker* w) { Q_EMIT w->idle(); });
        }
        models_.clear();  // networks are freed on the thread that loaded them
    }

private:
    template <typename F>
    void post(F&& f) {
        InferenceWorker* owner = owner_;
        QMetaObject::invokeMethod(
            owner, [owner, f = std::forward<F>(f)] { f(owner); }, Qt::QueuedConnection);
    }

    void runJob(quint64 id, InferenceJob& job) {
        post([id](InferenceWorker* w) { Q_EMIT w->jobStarted(id); });
        QElapsedTimer clock;
        clock.start();
        try {
            JobResult result = execute(id, job);
            result.id = id;
            result.revision = job.revision;
            result.kind = job.kind;
            result.seconds = clock.elapsed() / 1000.0;
            post([result = std::move(result)](InferenceWorker* w) { w->deliver(result); });
        } catch (const inference::Cancelled&) {
            post([id](InferenceWorker* w) { Q_EMIT w->jobCancelled(id); });
        } catch (const std::exception& e) {
            const QString message = describeJobError(e);
            post([id, message](InferenceWorker* w) { Q_EMIT w->jobFailed(id, message); });
        } catch (...) {
            post([id](InferenceWorker* w) {
                Q_EMIT w->jobFailed(id, QStringLiteral("The job failed with an unknown error."));
            });
        }
    }

    void reportPhase(quint64 id, const JobProgress& p) {
        post([id, p](InferenceWorker* w) { Q_EMIT w->jobProgress(id, p); });
    }

    inference::Sd2Model& model(quint64 id, const InferenceJob& job) {
        const std::string key = cacheKey(job);
        for (auto it = models_.begin(); it != models_.end(); ++it) {
            if (it->first != key) continue;
            std::rotate(models_.begin(), it, it + 1);  // most recently used first
            return *models_.front().second;
        }
        JobProgress loading;
        loading.phase = QStringLiteral("load");
        reportPhase(id, loading);
        int keep;
        {
            QMutexLocker lock(&shared_->mutex);
            keep = std::max(1, shared_->cacheSize);
        }
        // Free the least recently used model before opening another (memory peaks otherwise).
        while (int(models_.size()) >= keep) models_.pop_back();
        auto opened = std::make_unique<inference::Sd2Model>(
            inference::Sd2Model::open(job.modelPath.toStdString(), job.options));
        models_.insert(models_.begin(), {key, std::move(opened)});
        return *models_.front().second;
    }

    JobResult execute(quint64 id, InferenceJob& job) {
        JobResult result;
        if (job.kind == JobKind::EstimateDepth) {
            const std::string path = job.request.depthEstimator.empty()
                                         ? job.modelPath.toStdString()
                                         : job.request.depthEstimator;
            JobProgress p;
            p.phase = QStringLiteral("depth");
            reportPhase(id, p);
            const inference::DepthEstimator estimator = inference::DepthEstimator::load(path);
            if (shared_->cancelRunning) throw inference::Cancelled();
            const inference::FloatImage raw = estimator.estimate(toRgb8(job.request.image));
            result.depth =
                normalisedDepth(raw, {job.request.image.width, job.request.image.height});
            return result;
        }
        inference::Sd2Model& m = model(id, job);
        result.summary = m.summary();
        const int variations = std::max(1, job.variations);
        uint64_t seed = job.request.seed.value_or(0);
        if (!job.request.seed) seed = std::random_device{}() & 0x7fffffffu;  // fits a spin box
        for (int v = 0; v < variations; ++v) {
            inference::GenerationRequest request = job.request;
            if (request.noiseFile.empty()) request.seed = seed + uint64_t(v);
            const inference::ProgressFn progress = [this, id, v,
                                                    variations](const inference::StepProgress& s) {
                if (shared_->cancelRunning) return false;
                JobProgress p;
                p.variation = v;
                p.variations = variations;
                p.step = s.step;
                p.total = s.total;
                p.phase = QString::fromStdString(s.phase);
                p.preview = toQImage(s.preview);
                p.elapsedSeconds = s.elapsedSeconds;
                reportPhase(id, p);
                return !shared_->cancelRunning.load();
            };
            if (shared_->cancelRunning) throw inference::Cancelled();
            switch (job.kind) {
                case JobKind::Txt2Img:
                    result.variations.push_back(inference::txt2img(m, request, progress));
                    break;
                case JobKind::Inpaint:
                    result.variations.push_back(inference::inpaint(m, request, progress));
                    break;
                case JobKind::Depth2Img:
                    result.variations.push_back(inference::depth2img(m, request, progress));
                    break;
                case JobKind::Upscale:
                    result.variations.push_back(inference::upscale(m, request, progress));
                    break;
                case JobKind::EstimateDepth:
                    break;
            }
        }
        result.modelHash = modelHash(job.modelPath);
        return result;
    }

    InferenceWorker* owner_;
    std::shared_ptr<Shared> shared_;
    // Open models, most recently used first. Only this thread touches them.
    std::vector<std::pair<std::string, std::unique_ptr<inference::Sd2Model>>> models_;
};

InferenceWorker::InferenceWorker(QObject* parent)
    : QObject(parent), shared_(std::make_shared<Shared>()) {
    qRegisterMetaType<JobProgress>();
    qRegisterMetaType<JobResult>();
    thread_ = std::make_unique<Thread>(this, shared_);
    thread_->setObjectName(QStringLiteral("atelier-inference"));
    thread_->start();
}

InferenceWorker::~InferenceWorker() { shutdown(); }

quint64 InferenceWorker::submit(InferenceJob job) {
    QMutexLocker lock(&shared_->mutex);
    const quint64 id = shared_->nextId++;
    if (shared_->stopping) {
        QMetaObject::invokeMethod(
            this, [this, id] { Q_EMIT jobFailed(id, tr("The inference worker has shut down.")); },
            Qt::QueuedConnection);
        return id;
    }
    shared_->queue.emplace_back(id, std::move(job));
    shared_->wake.wakeOne();
    return id;
}

void InferenceWorker::cancel(quint64 id) {
    QMutexLocker lock(&shared_->mutex);
    if (shared_->running == id) {
        shared_->cancelRunning = true;
        return;
    }
    auto& q = shared_->queue;
    const auto it = std::find_if(q.begin(), q.end(), [id](const auto& j) { return j.first == id; });
    if (it == q.end()) return;
    q.erase(it);
    QMetaObject::invokeMethod(
        this, [this, id] { Q_EMIT jobCancelled(id); }, Qt::QueuedConnection);
}

void InferenceWorker::cancelAll() {
    QVector<quint64> ids;
    {
        QMutexLocker lock(&shared_->mutex);
        for (const auto& j : shared_->queue) ids.push_back(j.first);
        if (shared_->running) ids.push_back(shared_->running);
    }
    for (quint64 id : ids) cancel(id);
}

void InferenceWorker::shutdown() {
    {
        QMutexLocker lock(&shared_->mutex);
        shared_->stopping = true;
        shared_->queue.clear();
        shared_->cancelRunning = true;
        shared_->wake.wakeAll();
    }
    if (thread_) thread_->wait();
}

bool InferenceWorker::isBusy() const {
    QMutexLocker lock(&shared_->mutex);
    return shared_->running != 0 || !shared_->queue.empty();
}

void InferenceWorker::setModelCacheSize(int models) {
    QMutexLocker lock(&shared_->mutex);
    shared_->cacheSize = models;
}

void InferenceWorker::deliver(const JobResult& result) {
    if (revisionSource_ && revisionSource_() != result.revision) {
        Q_EMIT jobDropped(result.id);
        return;
    }
    Q_EMIT jobFinished(result);
}

QString describeJobError(const std::exception& e) {
    const QString what = QString::fromStdString(e.what());
    if (dynamic_cast<const inference::WeightsError*>(&e))
        return QObject::tr("The model files cannot be used: %1").arg(what);
    if (dynamic_cast<const inference::RequestError*>(&e))
        return QObject::tr("The request was refused: %1").arg(what);
    if (dynamic_cast<const inference::NumericalError*>(&e))
        return QObject::tr("The generation produced invalid numbers (try fp32 or fewer steps): %1")
            .arg(what);
    if (dynamic_cast<const std::bad_alloc*>(&e) ||
        what.contains(QStringLiteral("out of memory"), Qt::CaseInsensitive) ||
        what.contains(QStringLiteral("can't allocate memory"), Qt::CaseInsensitive) ||
        what.contains(QStringLiteral("Cannot allocate memory"), Qt::CaseInsensitive))
        return QObject::tr(
                   "Out of memory: try a smaller area, fewer variations or a smaller tile. (%1)")
            .arg(what);
    return QObject::tr("The job failed: %1").arg(what);
}

}  // namespace atelier::app
