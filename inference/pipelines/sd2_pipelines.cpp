// txt2img, inpaint, depth2img and upscale: the reference pipelines' steps in their order (diffusers
// 0.27.2 StableDiffusion{,Inpaint,Depth2Img,Upscale}Pipeline), including the order of noise draws.
#include "inference/pipelines/pipeline_common.h"
#include "inference/pipelines/tiling.h"
#include "inference/schedulers/low_res_noise.h"

#include <ATen/Functions.h>
#include <ATen/TensorOperators.h>
#include <c10/core/InferenceMode.h>

namespace atelier::inference {
namespace {

at::Tensor timestepBatch(double t, int64_t batch, const at::TensorOptions& like) {
    return at::full({batch}, t, like.dtype(at::kFloat));
}

at::Tensor maskTensor(const ImageF& mask, int width, int height, const char* what) {
    if (mask.empty()) throw RequestError(std::string(what) + " is missing or empty");
    if (mask.width != width || mask.height != height)
        throw RequestError(std::string(what) + " is " + std::to_string(mask.width) + "x" + std::to_string(mask.height) +
                           ", the image " + std::to_string(width) + "x" + std::to_string(height));
    // imageToTensor maps [0, 1] to [-1, 1]; undo it for a mask.
    return (imageToTensor(mask, 1, at::TensorOptions().dtype(at::kFloat), what) + 1.0) / 2.0;
}

}  // namespace

GenerationResult txt2img(Sd2Model& model, const GenerationRequest& r, const ProgressFn& fn) {
    const ModelCheckpoint& ck = model.impl().checkpoint;
    requireVariant(ck, ModelVariant::TextToImage, "txt2img", "a text-to-image model (512-base or 768-v)");
    c10::InferenceMode guard;
    const int64_t f = vaeFactor(ck);
    const int width = r.width > 0 ? r.width : int(ck.sampleSize * f);
    const int height = r.height > 0 ? r.height : int(ck.sampleSize * f);
    checkPixelSize(width, height, "the requested size");
    PipelineJob job(model, r, scheduleFor(ck));
    ProgressReporter progress(fn, int(job.scheduler->timesteps().size()));
    progress.phase("encode");
    const PromptBatch prompts = encodePrompts(job.m, r);
    at::Tensor latents = job.noise->next({1, ck.vaeConfig.embedDim, height / f, width / f}, job.options(), "initial latents") *
                         job.scheduler->initNoiseSigma();
    UNetModel& unet = job.m.unet();
    const UNetCall call = [&](const at::Tensor& x, double t) {
        return unet->forward(x, timestepBatch(t, x.size(0), x.options()), prompts.context);
    };
    latents = denoise(*job.scheduler, latents, 0, prompts, r.guidance, call, *job.noise, progress);
    job.finish(latents, progress, 0);
    return job.result;
}

GenerationResult inpaint(Sd2Model& model, const GenerationRequest& r, const ProgressFn& fn) {
    const ModelCheckpoint& ck = model.impl().checkpoint;
    requireVariant(ck, ModelVariant::Inpainting, "inpaint", "the inpainting model (512-inpainting)");
    c10::InferenceMode guard;
    PipelineJob job(model, r, scheduleFor(ck));
    const at::Tensor image = imageToTensor(r.image, 3, job.options(), "the image");
    const int64_t H = image.size(2), W = image.size(3), f = vaeFactor(ck);
    checkPixelSize(int(W), int(H), "the image");
    // The reference binarises the mask: >= 0.5 repaints, the hole becomes 0 (mid-grey) in the
    // masked image.
    const at::Tensor mask = (maskTensor(r.mask, int(W), int(H), "the mask") >= 0.5).to(job.options().dtype());
    const at::Tensor maskedImage = image * (mask.to(image.device()) < 0.5);
    const double strength = strengthOr(r, 1.0);
    const std::size_t first = job.firstStep(strength);
    ProgressReporter progress(fn, int(job.scheduler->timesteps().size() - first));
    progress.phase("encode");
    const PromptBatch prompts = encodePrompts(job.m, r);
    const std::vector<int64_t> latentShape{1, ck.vaeConfig.embedDim, H / f, W / f};
    at::Tensor latents;
    if (strength >= 1.0) {
        latents = job.noise->next(latentShape, job.options(), "initial latents") * job.scheduler->initNoiseSigma();
    } else {
        const at::Tensor imageLatents = encodeLatents(job.m, image, *job.noise);
        const at::Tensor noise = job.noise->next(latentShape, job.options(), "add_noise");
        latents = job.scheduler->addNoise(imageLatents, noise, first);
    }
    const at::Tensor maskedLatents = encodeLatents(job.m, maskedImage, *job.noise);
    const at::Tensor maskLatent = at::upsample_nearest2d(mask.to(job.options()), {H / f, W / f});
    const int64_t b = prompts.batch();
    const at::Tensor maskBatch = maskLatent.expand({b, -1, -1, -1});
    const at::Tensor maskedBatch = maskedLatents.expand({b, -1, -1, -1});
    UNetModel& unet = job.m.unet();
    const UNetCall call = [&](const at::Tensor& x, double t) {
        return unet->forward(at::cat({x, maskBatch, maskedBatch}, 1), timestepBatch(t, x.size(0), x.options()),
                             prompts.context);
    };
    latents = denoise(*job.scheduler, latents, first, prompts, r.guidance, call, *job.noise, progress);
    job.finish(latents, progress, first);
    return job.result;
}

}  // namespace atelier::inference
