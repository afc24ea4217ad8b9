// depth2img and the x4 upscaler (diffusers 0.27.2 StableDiffusionDepth2ImgPipeline and
// StableDiffusionUpscalePipeline), plus what the reference lacks: depth2img inside a mask, and
// the upscaler tiled in latent space with one shared noise field so memory follows the tile.
#include "inference/depth_estimator.h"
#include "inference/models/dpt/depth_conditioning.h"
#include "inference/pipelines/pipeline_common.h"
#include "inference/pipelines/tiling.h"
#include "inference/schedulers/low_res_noise.h"

#include <ATen/Functions.h>
#include <ATen/TensorOperators.h>
#include <c10/core/InferenceMode.h>

#include <cmath>
#include <filesystem>

namespace atelier::inference {
namespace {

at::Tensor depthTensor(const ImageF& depth) {
    if (depth.channels != 1 || depth.width <= 0 || depth.height <= 0 ||
        depth.data.size() != std::size_t(depth.width) * depth.height)
        throw RequestError("the depth map must be one channel with width x height values");
    at::Tensor t = at::from_blob(const_cast<float*>(depth.data.data()), {1, depth.height, depth.width}).clone();
    requireFinite(t, "the depth map");
    return t;
}

Rgb8Image toRgb8(const ImageF& image) {
    Rgb8Image out;
    out.width = image.width;
    out.height = image.height;
    out.rgb.resize(image.data.size());
    for (std::size_t i = 0; i < image.data.size(); ++i)
        out.rgb[i] = uint8_t(std::lround(std::clamp(image.data[i], 0.f, 1.f) * 255.f));
    return out;
}

std::string estimatorPathFor(const GenerationRequest& r, const ModelCheckpoint& m) {
    if (!r.depthEstimator.empty()) return r.depthEstimator;
    namespace fs = std::filesystem;
    const fs::path modelPath(m.path);
    const fs::path candidate = m.layout == CheckpointLayout::Diffusers ? modelPath / "depth_estimator"
                                                                        : modelPath.parent_path() / "depth_estimator";
    if (fs::is_directory(candidate)) return candidate.string();
    throw RequestError("depth2img needs a depth map: supply one, or a DPT depth estimator (no depth_estimator/ at " +
                       candidate.string() + ")");
}

ImageF imageOf(const at::Tensor& nchw1) {
    const at::Tensor t = nchw1[0].permute({1, 2, 0}).to(at::kCPU, at::kFloat).contiguous();
    ImageF image(int(t.size(1)), int(t.size(0)), int(t.size(2)));
    std::copy(t.data_ptr<float>(), t.data_ptr<float>() + t.numel(), image.data.begin());
    return image;
}

// Latent tile side whose UNet activations fit `budget` (about 60 live [2, C, T, T] fp32 tensors).
int64_t autoUNetTile(int64_t modelChannels, int64_t budget) {
    const double side = std::sqrt(double(budget) / (double(modelChannels) * 4.0 * 2.0 * 60.0));
    return std::clamp<int64_t>(int64_t(side) / 8 * 8, 32, 512);
}
// Latent tile side for the VAE decoder (its full-resolution layers dominate: factor^2 T^2 px).
int64_t autoDecodeTile(const VaeConfig& vae, int64_t budget) {
    const double f = double(vae.spatialFactor());
    const double side = std::sqrt(double(budget) / (f * f * double(vae.ch * vae.chMult.front()) * 4.0 * 8.0));
    return std::clamp<int64_t>(int64_t(side) / 8 * 8, 32, 512);
}

}  // namespace

GenerationResult depth2img(Sd2Model& model, const GenerationRequest& r, const ProgressFn& fn) {
    const ModelCheckpoint& ck = model.impl().checkpoint;
    requireVariant(ck, ModelVariant::Depth, "depth2img", "the depth model (512-depth)");
    c10::InferenceMode guard;
    PipelineJob job(model, r, scheduleFor(ck));
    Sd2Model::Impl& m = job.m;
    GenerationResult& result = job.result;
    NoiseSource* noise = job.noise.get();
    Scheduler* scheduler = job.scheduler.get();
    const auto options = job.options();
    const at::Tensor image = imageToTensor(r.image, 3, options, "the image");
    const int64_t H = image.size(2), W = image.size(3), f = vaeFactor(ck);
    checkPixelSize(int(W), int(H), "the image");
    const double strength = strengthOr(r, 0.8);
    const std::size_t first = job.firstStep(strength);
    at::Tensor mask;
    if (!r.mask.empty()) {
        if (r.mask.width != W || r.mask.height != H) throw RequestError("the mask must have the image's size");
        // Soft masks stay soft: the area average per latent pixel is how much it may change.
        mask = at::adaptive_avg_pool2d((imageToTensor(r.mask, 1, options, "the mask") + 1.0) / 2.0, {H / f, W / f});
    }
    ProgressReporter progress(fn, int(scheduler->timesteps().size() - first));
    progress.phase("encode");
    const PromptBatch prompts = encodePrompts(m, r);

    // Depth: supplied, or estimated from the image by the DPT (the reference's default).
    at::Tensor depth;
    if (!r.depth.empty()) {
        depth = depthTensor(r.depth);
    } else {
        const DepthEstimator estimator = DepthEstimator::load(estimatorPathFor(r, ck));
        const FloatImage predicted = estimator.estimate(toRgb8(r.image));
        depth = at::from_blob(const_cast<float*>(predicted.values.data()), {1, predicted.height, predicted.width}).clone();
        result.notes.push_back("depth estimated by " + estimator.weightsPath());
    }
    const at::Tensor conditioning = depthConditioning(depth, H / f, W / f).to(options);
    result.depthUsed = imageOf(conditioning);

    const at::Tensor initLatents = encodeLatents(m, image, *noise);
    const at::Tensor startNoise = noise->next(initLatents.sizes(), initLatents.options(), "add_noise");
    at::Tensor latents = scheduler->addNoise(initLatents, startNoise, first);
    const at::Tensor depthBatch = conditioning.expand({prompts.batch(), -1, -1, -1});
    UNetModel& unet = m.unet();
    const UNetCall call = [&](const at::Tensor& x, double t) {
        return unet->forward(at::cat({x, depthBatch}, 1), at::full({x.size(0)}, t, x.options().dtype(at::kFloat)),
                             prompts.context);
    };
    // Inside a mask only: outside it the latents follow the source image's own noised trajectory
    // (as SD's 4-channel inpainting does), so the composition there is kept.
    AfterStep keepOutside;
    if (mask.defined()) {
        keepOutside = [&](std::size_t i, const at::Tensor& x) {
            const bool last = i + 1 >= scheduler->timesteps().size();
            const at::Tensor source = last ? initLatents : scheduler->addNoise(initLatents, startNoise, i + 1);
            return source * (1.0 - mask) + x * mask;
        };
    }
    latents = denoise(*scheduler, latents, first, prompts, r.guidance, call, *noise, progress, keepOutside);
    job.finish(latents, progress, first);
    return result;
}

GenerationResult upscale(Sd2Model& model, const GenerationRequest& r, const ProgressFn& fn) {
    const ModelCheckpoint& ck = model.impl().checkpoint;
    requireVariant(ck, ModelVariant::Upscaler, "upscale", "the x4 upscaler");
    c10::InferenceMode guard;
    PipelineJob job(model, r, scheduleFor(ck));
    Sd2Model::Impl& m = job.m;
    GenerationResult& result = job.result;
    NoiseSource* noise = job.noise.get();
    Scheduler* scheduler = job.scheduler.get();
    const auto options = job.options();
    const at::Tensor image = imageToTensor(r.image, 3, options, "the low-resolution image");
    if (image.size(2) < 8 || image.size(3) < 8) throw RequestError("the low-resolution image must be at least 8x8");

    ScheduleConfig lowResSchedule = x4LowResNoiseScheduleConfig();
    lowResSchedule.betaStart = ck.schedule.lowResBetaStart;
    lowResSchedule.betaEnd = ck.schedule.lowResBetaEnd;
    std::unique_ptr<LowResNoiseAugmentation> augmentation;
    try {
        augmentation = std::make_unique<LowResNoiseAugmentation>(lowResSchedule, int(ck.schedule.maxNoiseLevel));
        if (r.noiseLevel < 0 || r.noiseLevel > augmentation->maxNoiseLevel()) throw std::invalid_argument("");
    } catch (const std::invalid_argument&) {
        throw RequestError("noise level must be in 0.." + std::to_string(ck.schedule.maxNoiseLevel) + ", got " +
                           std::to_string(r.noiseLevel));
    }
    ProgressReporter progress(fn, int(scheduler->timesteps().size()));
    progress.phase("encode");
    const PromptBatch prompts = encodePrompts(m, r);
    // Draw order as the reference: the low-res noise, then the initial latents. Both cover the
    // whole image, so tiles share one noise field and agree where they overlap.
    const at::Tensor noised = augmentation->apply(image, r.noiseLevel, *noise);
    const int64_t h = image.size(2), w = image.size(3);
    at::Tensor latents =
        noise->next({1, ck.vaeConfig.embedDim, h, w}, options, "initial latents") * scheduler->initNoiseSigma();
    const int64_t b = prompts.batch();
    const at::Tensor lowRes = noised.expand({b, -1, -1, -1});
    const at::Tensor labels = at::full({b}, int64_t(r.noiseLevel), at::TensorOptions().dtype(at::kLong).device(options.device()));
    const int64_t tile = r.tileLatent > 0 ? r.tileLatent : autoUNetTile(ck.unetConfig.modelChannels, r.tileBudgetBytes);
    const int64_t overlap = std::max(0, r.tileOverlap);
    if (tile < std::max(h, w)) {
        const auto rows = tileSpans(h, tile, overlap), cols = tileSpans(w, tile, overlap);
        result.notes.push_back("tiled: " + std::to_string(rows.size() * cols.size()) + " latent tiles of " +
                               std::to_string(tile) + " px, overlap " + std::to_string(overlap));
    }
    UNetModel& unet = m.unet();
    const UNetCall call = [&](const at::Tensor& x, double t) {
        const at::Tensor steps = at::full({x.size(0)}, t, x.options().dtype(at::kFloat));
        return runTiled(x, tile, overlap, 1,
                        [&](const at::Tensor& piece, int64_t y0, int64_t x0, int64_t y1, int64_t x1) {
                            const at::Tensor cond = lowRes.slice(2, y0, y1).slice(3, x0, x1);
                            return unet->forward(at::cat({piece, cond}, 1), steps, prompts.context, labels);
                        });
    };
    latents = denoise(*scheduler, latents, 0, prompts, r.guidance, call, *noise, progress);
    const int64_t decodeTile = r.tileLatent > 0 ? r.tileLatent : autoDecodeTile(ck.vaeConfig, r.tileBudgetBytes);
    job.finish(latents, progress, 0, decodeTile, overlap);
    return result;
}

}  // namespace atelier::inference
