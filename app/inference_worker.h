#pragma once
// The bridge to the inference thread: one QThread runs queued jobs one at a time against
// inference/'s plain API (no torch headers here). Models open lazily on the worker thread and
// stay open (a small cache keyed by path and options), so the second job on a model starts at
// once. Everything comes back by queued signals on the thread that owns the worker (the UI):
// progress with a latent preview each step, then a result or an error message. Nothing a job
// throws escapes: bad files, bad requests, non-finite output and out-of-memory all become a
// message.
//
// A job is tagged with the document revision it was made from; when its result arrives and the
// revision source says the document has changed since, the result is dropped (jobDropped)
// instead of delivered: it would paste pixels computed from a picture that no longer exists.
#include "inference/pipelines.h"
#include "inference/sd2_model.h"

#include <QImage>
#include <QObject>
#include <QString>
#include <QVector>

#include <functional>
#include <memory>

namespace atelier::app {

enum class JobKind { Txt2Img, Inpaint, Depth2Img, Upscale, EstimateDepth };

struct InferenceJob {
    JobKind kind = JobKind::Txt2Img;
    QString modelPath;
    inference::ModelOptions options;
    inference::GenerationRequest request;
    // Variations run one after another with seed, seed + 1, ... (a random first seed when the
    // request has none); each is one result.
    int variations = 1;
    quint64 revision = 0;  // the document revision the request was made from
};

struct JobProgress {
    int variation = 0;  // 0-based
    int variations = 1;
    int step = 0;
    int total = 0;
    QString phase;   // "load", "encode", "denoise", "decode"
    QImage preview;  // the latent preview (denoise phase), else null
    double elapsedSeconds = 0;
};

struct JobResult {
    quint64 id = 0;
    quint64 revision = 0;
    JobKind kind = JobKind::Txt2Img;
    QVector<inference::GenerationResult> variations;
    inference::ImageF depth;  // EstimateDepth: the estimator's output, normalised to [0, 1]
    QString modelHash;        // SHA-256 of the model (see model_hash.h)
    inference::ModelSummary summary;
    double seconds = 0;
};

class InferenceWorker : public QObject {
    Q_OBJECT
public:
    explicit InferenceWorker(QObject* parent = nullptr);
    // Cancels the running job, drops the queue and joins the thread.
    ~InferenceWorker() override;

    // Queues a job; returns its id (> 0). Jobs run in the order submitted.
    quint64 submit(InferenceJob job);
    // Cancels a queued or running job (a running one stops within one step; jobCancelled).
    void cancel(quint64 id);
    void cancelAll();
    // Cancels everything and joins the thread; later submits fail at once. Idempotent.
    void shutdown();

    bool isBusy() const;
    // The current document revision, asked when a result arrives (on the owner's thread).
    // Unset: results are never stale.
    void setRevisionSource(std::function<quint64()> source) { revisionSource_ = std::move(source); }
    // Models kept open at once (default 2: an inpainting model and an upscaler, say).
    void setModelCacheSize(int models);

Q_SIGNALS:
    void jobStarted(quint64 id);
    void jobProgress(quint64 id, const atelier::app::JobProgress& progress);
    void jobFinished(const atelier::app::JobResult& result);
    void jobFailed(quint64 id, const QString& message);
    void jobCancelled(quint64 id);
    // The result of a job whose document changed while it ran.
    void jobDropped(quint64 id);
    void idle();

private:
    struct Shared;
    class Thread;
    void deliver(const JobResult& result);
    std::shared_ptr<Shared> shared_;
    std::unique_ptr<Thread> thread_;
    std::function<quint64()> revisionSource_;
};

// The message shown to the artist for an exception a job threw (the kind of error first).
QString describeJobError(const std::exception& e);

}  // namespace atelier::app

Q_DECLARE_METATYPE(atelier::app::JobProgress)
Q_DECLARE_METATYPE(atelier::app::JobResult)
