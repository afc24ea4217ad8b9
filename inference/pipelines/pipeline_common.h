#pragma once
// Internal to inference/: what the four pipelines share - the sampler and noise a request asks
// for, image <-> tensor conversions, the guided denoising loop with progress, preview, cancel
// and a finite check every step, and the VAE's encode/decode in the reference's conventions.
#include "inference/pipelines.h"
#include "inference/schedulers/scheduler.h"
#include "inference/sd2_model_impl.h"

#include <ATen/Tensor.h>

#include <chrono>
#include <functional>
#include <memory>

namespace atelier::inference {

// The model's training schedule as the samplers need it (prediction type included).
ScheduleConfig scheduleFor(const ModelCheckpoint& checkpoint);
SchedulerKind schedulerKindFor(const GenerationRequest& request, const ModelCheckpoint& checkpoint);

// A seed (given or fresh) or a recorded file; `seedUsed` is set for seeds.
std::unique_ptr<NoiseSource> noiseFor(const GenerationRequest& request, uint64_t& seedUsed);

// HWC [0, 1] -> NCHW [-1, 1] on `like`'s device and dtype; throws RequestError when empty or
// not `channels` channels.
at::Tensor imageToTensor(const ImageF& image, int channels, const at::TensorOptions& like, const char* what);
// NCHW [0, 1] (batch 1) -> HWC image.
ImageF tensorToImage(const at::Tensor& nchw);

// Pixel sizes the model accepts: multiples of 8 (diffusers' rule) - a RequestError naming the
// nearest valid sizes otherwise.
void checkPixelSize(int width, int height, const char* what);

class ProgressReporter {
public:
    ProgressReporter(const ProgressFn& fn, int total);
    // After a step: preview from `latents` (linear latent -> RGB), then the callback; throws
    // Cancelled if it returns false.
    void step(int done, const at::Tensor& latents);
    void phase(const char* name);  // "encode" / "decode": a callback without preview
    int total() const { return total_; }

private:
    const ProgressFn& fn_;
    int total_;
    int done_ = 0;
    std::chrono::steady_clock::time_point start_;
};

// Throws NumericalError when `t` holds NaN or Inf (checked on the whole tensor).
void requireFinite(const at::Tensor& t, const std::string& what);

// The conditioning of a guided batch: [negative, prompt] when guidance > 1, else [prompt].
struct PromptBatch {
    at::Tensor context;
    bool guided = false;
    int64_t batch() const { return guided ? 2 : 1; }
};
PromptBatch encodePrompts(Sd2Model::Impl& model, const GenerationRequest& request);

// The UNet's prediction for the whole batch, given the scaled latents duplicated to the batch.
using UNetCall = std::function<at::Tensor(const at::Tensor& scaledLatents, double timestep)>;

// Applied to the latents after step i (e.g. keeping unmasked latents on the source's trajectory).
using AfterStep = std::function<at::Tensor(std::size_t stepIndex, const at::Tensor& latents)>;

// The sampling loop from step `firstStep`: per step, duplicate for guidance, scale, predict,
// guide (uncond + g * (cond - uncond)), step the scheduler; progress and cancel after each step.
at::Tensor denoise(Scheduler& scheduler, at::Tensor latents, std::size_t firstStep, const PromptBatch& prompts,
                   double guidance, const UNetCall& unet, NoiseSource& noise, ProgressReporter& progress,
                   const AfterStep& afterStep = {});

// vae.encode(image).sample() * scaling_factor, drawing the posterior noise from `noise`.
at::Tensor encodeLatents(Sd2Model::Impl& model, const at::Tensor& image, NoiseSource& noise);
// clamp(vae.decode(latents / scaling_factor) / 2 + 0.5, 0, 1), in the VAE's dtype (fp32 default);
// in overlapping tiles of `tile` latent pixels when tile > 0 and the latents are larger.
at::Tensor decodeLatents(Sd2Model::Impl& model, const at::Tensor& latents, int64_t tile = 0, int64_t overlap = 0);

// A RequestError unless the model is of `variant` (`what` names it for the message).
void requireVariant(const ModelCheckpoint& m, ModelVariant variant, const char* job, const char* what);
// The request's sampler with its steps set; bad names or step counts are RequestErrors.
std::unique_ptr<Scheduler> schedulerFor(const GenerationRequest& r, const ModelCheckpoint& m, const ScheduleConfig& config);

// Everything a job shares: the model, the request, its noise source and sampler, the result.
struct PipelineJob {
    Sd2Model::Impl& m;
    const GenerationRequest& r;
    GenerationResult result;
    std::unique_ptr<NoiseSource> noise;
    std::unique_ptr<Scheduler> scheduler;

    PipelineJob(Sd2Model& model, const GenerationRequest& request, const ScheduleConfig& config);
    at::TensorOptions options() const;  // the UNet's device and dtype
    // The first step for `strength`; a RequestError when that leaves nothing to run.
    std::size_t firstStep(double strength) const;
    // Decodes (in tiles when decodeTile > 0) into the result and notes unused recorded noise.
    void finish(const at::Tensor& latents, ProgressReporter& progress, std::size_t first, int64_t decodeTile = 0,
                int64_t overlap = 0);
};

int64_t vaeFactor(const ModelCheckpoint& checkpoint);
double strengthOr(const GenerationRequest& request, double fallback);

}  // namespace atelier::inference
