// The inference worker on the tiny reference models: results equal a direct pipeline call,
// progress arrives per step with a preview, cancel stops within a step, stale results are
// dropped, and failures come back as messages (the worker keeps working after them).
#include "app/inference_worker.h"
#include "app/model_hash.h"
#include "tests/app/worker/worker_test_support.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QFile>

#include <catch2/catch.hpp>

using namespace atelier;
using atelier::testing::Recorder;
using atelier::testing::tinyModel;

namespace {

app::InferenceJob tinyInpaint(int steps, int variations = 1, quint64 seed = 7) {
    app::InferenceJob job;
    job.kind = app::JobKind::Inpaint;
    job.modelPath = tinyModel("inpainting");
    job.request.prompt = "a red brick wall";
    job.request.negativePrompt = "blurry";
    job.request.steps = steps;
    job.request.scheduler = "ddim";
    job.request.seed = seed;
    job.request.image = testing::testImage();
    job.request.mask = testing::testMask();
    job.variations = variations;
    return job;
}

QByteArray sha256Of(const QStringList& files) {
    QCryptographicHash h(QCryptographicHash::Sha256);
    for (const QString& f : files) {
        QFile file(f);
        REQUIRE(file.open(QIODevice::ReadOnly));
        h.addData(file.readAll());
    }
    return h.result().toHex();
}

}  // namespace

TEST_CASE("the worker runs variations that equal direct pipeline calls", "[worker]") {
    app::InferenceWorker worker;
    Recorder rec(worker);
    const quint64 id = worker.submit(tinyInpaint(3, 2, 7));
    REQUIRE(rec.waitFor(id));
    INFO(rec.failed[id].toStdString());
    REQUIRE(rec.finished.count(id) == 1);
    const app::JobResult& r = rec.finished[id];
    REQUIRE(r.variations.size() == 2);
    CHECK(r.variations[0].seed == 7);
    CHECK(r.variations[1].seed == 8);
    CHECK(r.summary.variant == "inpainting");

    // The same request on this thread, seed by seed: bit-identical.
    inference::Sd2Model model = inference::Sd2Model::open(tinyModel("inpainting").toStdString());
    for (int v = 0; v < 2; ++v) {
        inference::GenerationRequest request = tinyInpaint(3).request;
        request.seed = 7 + v;
        const inference::GenerationResult direct = inference::inpaint(model, request);
        CHECK(direct.image.width == r.variations[v].image.width);
        CHECK(direct.image.data == r.variations[v].image.data);
    }
    CHECK(r.variations[0].image.data != r.variations[1].image.data);

    // Progress: every denoise step of both variations, in order, with a preview.
    std::vector<std::pair<int, int>> denoise;
    for (const app::JobProgress& p : rec.progress[id])
        if (p.phase == QLatin1String("denoise")) {
            denoise.emplace_back(p.variation, p.step);
            CHECK(!p.preview.isNull());
            CHECK(p.total == 3);
        }
    CHECK(denoise ==
          std::vector<std::pair<int, int>>{{0, 1}, {0, 2}, {0, 3}, {1, 1}, {1, 2}, {1, 3}});

    // The model hash: SHA-256 of model_index.json then the UNet weights.
    const QString dir = tinyModel("inpainting");
    CHECK(r.modelHash.toLatin1() ==
          sha256Of({dir + "/model_index.json", dir + "/unet/diffusion_pytorch_model.safetensors"}));
    const QString single = tinyModel("inpainting", false);
    CHECK(app::modelHash(single).toLatin1() == sha256Of({single}));
}

TEST_CASE("cancel stops the running job within one step", "[worker]") {
    app::InferenceWorker worker;
    Recorder rec(worker);
    quint64 id = 0;
    int stepAtCancel = -1;
    rec.onProgress = [&](quint64 job, const app::JobProgress& p) {
        if (job == id && p.phase == QLatin1String("denoise") && stepAtCancel < 0) {
            stepAtCancel = p.step;
            worker.cancel(id);
        }
    };
    id = worker.submit(tinyInpaint(200));
    // A queued job behind it is cancelled without running.
    const quint64 queued = worker.submit(tinyInpaint(200));
    worker.cancel(queued);
    REQUIRE(rec.waitFor(id));
    REQUIRE(rec.waitFor(queued));
    CHECK(rec.finished.count(id) == 0);
    CHECK(std::count(rec.cancelled.begin(), rec.cancelled.end(), id) == 1);
    CHECK(std::count(rec.cancelled.begin(), rec.cancelled.end(), queued) == 1);
    CHECK(rec.progress[queued].empty());
    int lastStep = 0;
    for (const app::JobProgress& p : rec.progress[id])
        if (p.phase == QLatin1String("denoise")) lastStep = p.step;
    // The worker may have finished the step it was in when the cancel arrived (the callback is
    // asked after each step), never more.
    CHECK(lastStep <= stepAtCancel + 2);
    CHECK(lastStep < 200);
}

TEST_CASE("a result for a document that changed meanwhile is dropped", "[worker]") {
    app::InferenceWorker worker;
    Recorder rec(worker);
    quint64 revision = 5;
    worker.setRevisionSource([&] { return revision; });
    app::InferenceJob job = tinyInpaint(2);
    job.revision = 5;
    const quint64 fresh = worker.submit(job);
    REQUIRE(rec.waitFor(fresh));
    CHECK(rec.finished.count(fresh) == 1);

    const quint64 stale = worker.submit(job);
    revision = 6;  // the artist painted while it ran
    REQUIRE(rec.waitFor(stale));
    CHECK(rec.finished.count(stale) == 0);
    CHECK(rec.dropped == std::vector<quint64>{stale});
}

TEST_CASE("errors come back as messages and the worker keeps working", "[worker]") {
    app::InferenceWorker worker;
    Recorder rec(worker);

    app::InferenceJob missing = tinyInpaint(2);
    missing.modelPath = QStringLiteral("/nonexistent/model.safetensors");
    const quint64 a = worker.submit(missing);

    app::InferenceJob broken = tinyInpaint(2);
    broken.modelPath = QStringLiteral(ATELIER_TEST_DATA_DIR "/images/not_an_image.png");
    const quint64 b = worker.submit(broken);

    app::InferenceJob badSize;
    badSize.kind = app::JobKind::Txt2Img;
    badSize.modelPath = tinyModel("txt2img-eps");
    badSize.request.prompt = "x";
    badSize.request.steps = 2;
    badSize.request.width = 13;  // not a multiple of 8 x the VAE factor
    badSize.request.height = 64;
    const quint64 c = worker.submit(badSize);

    // Inpainting without a mask on the inpainting model.
    app::InferenceJob noMask = tinyInpaint(2);
    noMask.request.mask = {};
    const quint64 d = worker.submit(noMask);

    const quint64 good = worker.submit(tinyInpaint(2));
    REQUIRE(rec.waitFor(good));
    for (quint64 id : {a, b, c, d}) {
        INFO("job " << id);
        REQUIRE(rec.failed.count(id) == 1);
        CHECK_FALSE(rec.failed[id].isEmpty());
    }
    CHECK(rec.failed[a].contains(QStringLiteral("/nonexistent/model.safetensors")));
    CHECK(rec.failed[b].contains(QStringLiteral("not_an_image.png")));
    CHECK(rec.failed[c].contains(QStringLiteral("13")));
    CHECK(rec.finished.count(good) == 1);
}

TEST_CASE("destroying the worker cancels the running job and joins the thread", "[worker]") {
    QElapsedTimer clock;
    {
        app::InferenceWorker worker;
        Recorder rec(worker);
        bool running = false;
        rec.onProgress = [&](quint64, const app::JobProgress& p) {
            if (p.phase == QLatin1String("denoise")) running = true;
        };
        worker.submit(tinyInpaint(900));
        worker.submit(tinyInpaint(900));
        QElapsedTimer wait;
        wait.start();
        while (!running && rec.failed.empty() && wait.elapsed() < 60000)
            QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
        INFO((rec.failed.empty() ? QString() : rec.failed.begin()->second).toStdString());
        REQUIRE(running);
        CHECK(worker.isBusy());
        clock.start();
    }
    // 900 steps would take far longer; one step of the tiny model is milliseconds.
    CHECK(clock.elapsed() < 5000);
}
