#include "inference/pipelines/pipeline_common.h"

#include "inference/pipelines/latent_preview.h"
#include "inference/pipelines/tiling.h"

#include <ATen/Functions.h>
#include <ATen/TensorOperators.h>
#include <c10/core/InferenceMode.h>

#include <random>

namespace atelier::inference {

ScheduleConfig scheduleFor(const ModelCheckpoint& m) {
    ScheduleConfig config = sd2ScheduleConfig();
    if (!m.schedule.schedulerConfigJson.empty()) {
        try {
            config = scheduleConfigFromDiffusersJson(m.schedule.schedulerConfigJson,
                                                     m.path + "/scheduler/scheduler_config.json");
        } catch (const ScheduleConfigError& e) {
            throw WeightsError(e.what());
        }
    } else {
        config.betaStart = m.schedule.betaStart;
        config.betaEnd = m.schedule.betaEnd;
        config.numTrainTimesteps = int(m.schedule.numTrainTimesteps);
    }
    // The checkpoint's prediction type already folds in the user's explicit choice.
    config.predictionType = m.prediction == Prediction::V ? PredictionType::VPrediction : PredictionType::Epsilon;
    return config;
}

SchedulerKind schedulerKindFor(const GenerationRequest& request, const ModelCheckpoint& m) {
    if (!request.scheduler.empty()) {
        try {
            return parseSchedulerName(request.scheduler);
        } catch (const std::invalid_argument& e) {
            throw RequestError(e.what());
        }
    }
    if (!m.schedulerClass.empty()) {
        try {
            return schedulerKindForDiffusersClass(m.schedulerClass);
        } catch (const std::invalid_argument&) {
            // A class we do not implement: fall back to the reference configs' own, DDIM.
        }
    }
    return SchedulerKind::Ddim;
}

std::unique_ptr<NoiseSource> noiseFor(const GenerationRequest& request, uint64_t& seedUsed) {
    if (!request.noiseFile.empty()) {
        seedUsed = 0;
        try {
            return std::make_unique<FileNoise>(request.noiseFile);
        } catch (const NoiseError& e) {
            throw RequestError(e.what());
        }
    }
    seedUsed = request.seed ? *request.seed : std::random_device{}() * uint64_t(0x100000001ull) % (uint64_t(1) << 53);
    return std::make_unique<SeededNoise>(seedUsed);
}

at::Tensor imageToTensor(const ImageF& image, int channels, const at::TensorOptions& like, const char* what) {
    if (image.empty() || image.width <= 0 || image.height <= 0)
        throw RequestError(std::string(what) + " is missing or empty");
    if (image.channels != channels)
        throw RequestError(std::string(what) + " has " + std::to_string(image.channels) + " channels, " +
                           std::to_string(channels) + " expected");
    if (image.data.size() != std::size_t(image.width) * image.height * image.channels)
        throw RequestError(std::string(what) + ": pixel buffer does not match its size");
    at::Tensor t = at::from_blob(const_cast<float*>(image.data.data()), {1, image.height, image.width, channels},
                                 at::TensorOptions().dtype(at::kFloat))
                       .permute({0, 3, 1, 2})
                       .contiguous();
    requireFinite(t, what);
    return (t * 2.0 - 1.0).to(like);
}

ImageF tensorToImage(const at::Tensor& nchw) {
    const at::Tensor hwc = nchw[0].permute({1, 2, 0}).to(at::kCPU, at::kFloat).contiguous();
    ImageF image(int(hwc.size(1)), int(hwc.size(0)), int(hwc.size(2)));
    std::copy(hwc.data_ptr<float>(), hwc.data_ptr<float>() + hwc.numel(), image.data.begin());
    return image;
}

std::string nearestValidSizes(int width, int height, int multiple) {
    auto down = [&](int v) { return std::max(multiple, v / multiple * multiple); };
    auto up = [&](int v) { return (v + multiple - 1) / multiple * multiple; };
    return std::to_string(down(width)) + "x" + std::to_string(down(height)) + " or " + std::to_string(up(width)) +
           "x" + std::to_string(up(height));
}

void checkPixelSize(int width, int height, const char* what) {
    if (width <= 0 || height <= 0) throw RequestError(std::string(what) + ": size must be positive");
    if (width % 8 != 0 || height % 8 != 0)
        throw RequestError(std::string(what) + " is " + std::to_string(width) + "x" + std::to_string(height) +
                           "; the model takes multiples of 8, nearest: " + nearestValidSizes(width, height, 8));
}

ProgressReporter::ProgressReporter(const ProgressFn& fn, int total)
    : fn_(fn), total_(total), start_(std::chrono::steady_clock::now()) {}

void ProgressReporter::step(int done, const at::Tensor& latents) {
    done_ = done;
    if (!fn_) return;
    StepProgress p;
    p.step = done;
    p.total = total_;
    p.phase = "denoise";
    p.elapsedSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    p.preview = latentPreview(latents);
    if (!fn_(p)) throw Cancelled();
}

void ProgressReporter::phase(const char* name) {
    if (!fn_) return;
    StepProgress p;
    p.step = done_;
    p.total = total_;
    p.phase = name;
    p.elapsedSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    if (!fn_(p)) throw Cancelled();
}

void requireFinite(const at::Tensor& t, const std::string& what) {
    if (!at::isfinite(t).all().item<bool>())
        throw NumericalError(what + " holds NaN or infinite values" +
                             (t.scalar_type() == at::kHalf ? " (fp16 overflow: retry with --dtype fp32 or bf16)" : ""));
}

PromptBatch encodePrompts(Sd2Model::Impl& model, const GenerationRequest& request) {
    PromptBatch batch;
    batch.guided = request.guidance > 1.0;
    batch.context = batch.guided ? model.encode({request.negativePrompt, request.prompt}) : model.encode({request.prompt});
    return batch;
}

at::Tensor denoise(Scheduler& scheduler, at::Tensor latents, std::size_t firstStep, const PromptBatch& prompts,
                   double guidance, const UNetCall& unet, NoiseSource& noise, ProgressReporter& progress,
                   const AfterStep& afterStep) {
    const auto& timesteps = scheduler.timesteps();
    for (std::size_t i = firstStep; i < timesteps.size(); ++i) {
        const at::Tensor doubled = prompts.guided ? at::cat({latents, latents}, 0) : latents;
        const at::Tensor scaled = scheduler.scaleModelInput(doubled, i);
        at::Tensor prediction = unet(scaled, timesteps[i]);
        if (prompts.guided) {
            const auto parts = prediction.chunk(2, 0);
            prediction = parts[0] + guidance * (parts[1] - parts[0]);
        }
        latents = scheduler.step(prediction, i, latents, noise).prevSample;
        if (afterStep) latents = afterStep(i, latents);
        requireFinite(latents, "the latents after step " + std::to_string(i - firstStep + 1));
        progress.step(int(i - firstStep + 1), latents);
    }
    return latents;
}

at::Tensor encodeLatents(Sd2Model::Impl& model, const at::Tensor& image, NoiseSource& noise) {
    AutoencoderKL& vae = model.vae();
    const DiagonalGaussian posterior = vae->encode(image.to(model.vaeOptions.device, model.vaeOptions.dtype));
    const at::Tensor draw = noise.next(posterior.mean.sizes(), posterior.mean.options(), "VAE posterior sample");
    return (posterior.sample(draw) * model.checkpoint.vaeConfig.scalingFactor)
        .to(model.networkOptions.device, model.networkOptions.dtype);
}

at::Tensor decodeLatents(Sd2Model::Impl& model, const at::Tensor& latents, int64_t tile, int64_t overlap) {
    AutoencoderKL& vae = model.vae();
    const at::Tensor z = (latents / model.checkpoint.vaeConfig.scalingFactor).to(model.vaeOptions.device, model.vaeOptions.dtype);
    const at::Tensor decoded =
        runTiled(z, tile, overlap, vaeFactor(model.checkpoint),
                 [&](const at::Tensor& piece, int64_t, int64_t, int64_t, int64_t) { return vae->decode(piece); });
    const at::Tensor image = (decoded.to(at::kFloat) / 2.0 + 0.5).clamp(0.0, 1.0);
    requireFinite(image, "the decoded image");
    return image;
}

void requireVariant(const ModelCheckpoint& m, ModelVariant variant, const char* job, const char* what) {
    if (m.variant != variant)
        throw RequestError(std::string(job) + " needs " + what + "; " + m.path + " is " +
                           variantName(m.variant, m.prediction));
}

std::unique_ptr<Scheduler> schedulerFor(const GenerationRequest& r, const ModelCheckpoint& m, const ScheduleConfig& config) {
    if (r.steps < 1 || r.steps > 1000) throw RequestError("steps must be in 1..1000, got " + std::to_string(r.steps));
    try {
        auto scheduler = makeScheduler(schedulerKindFor(r, m), config, r.ddimEta);
        scheduler->setTimesteps(r.steps);
        return scheduler;
    } catch (const std::invalid_argument& e) {
        throw RequestError(e.what());
    }
}

PipelineJob::PipelineJob(Sd2Model& model, const GenerationRequest& request, const ScheduleConfig& config)
    : m(model.impl()), r(request) {
    noise = noiseFor(request, result.seed);
    scheduler = schedulerFor(request, m.checkpoint, config);
    result.scheduler = schedulerName(scheduler->kind());
}

at::TensorOptions PipelineJob::options() const {
    return at::TensorOptions().device(m.networkOptions.device).dtype(m.networkOptions.dtype);
}

std::size_t PipelineJob::firstStep(double strength) const {
    const std::size_t first = scheduler->firstStepForStrength(strength);
    if (first >= scheduler->timesteps().size())
        throw RequestError("strength " + std::to_string(strength) + " with " + std::to_string(r.steps) +
                           " steps leaves no step to run; raise the strength or the steps");
    return first;
}

void PipelineJob::finish(const at::Tensor& latents, ProgressReporter& progress, std::size_t first, int64_t decodeTile,
                         int64_t overlap) {
    progress.phase("decode");
    result.image = tensorToImage(decodeLatents(m, latents, decodeTile, overlap));
    result.stepsRun = int(scheduler->timesteps().size() - first);
    if (const auto* queued = dynamic_cast<const QueuedNoise*>(noise.get()); queued && queued->remaining() > 0)
        result.notes.push_back(std::to_string(queued->remaining()) + " recorded noise tensors were not used");
}

int64_t vaeFactor(const ModelCheckpoint& m) { return m.vaeConfig.spatialFactor(); }

double strengthOr(const GenerationRequest& request, double fallback) {
    const double s = request.strength < 0 ? fallback : request.strength;
    if (!(s > 0.0 && s <= 1.0)) throw RequestError("strength must be in (0, 1], got " + std::to_string(s));
    return s;
}

}  // namespace atelier::inference
