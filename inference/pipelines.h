#pragma once
// The four SD2 jobs, end to end on tensors, behind plain value types (no torch):
//   txt2img    512-base (epsilon) / 768-v (v): prompt -> image
//   inpaint    512-inpainting: image + mask (1 = repaint) [+ strength] -> image
//   depth2img  512-depth: image + strength, depth from the DPT estimator or supplied [+ mask]
//   upscale    x4 upscaler: low-res image + noise level -> 4x image, tiled in latent space
// Each runs classifier-free guidance with a negative prompt, exactly as the reference pipelines
// (diffusers 0.27.2) do; all randomness comes from one NoiseSource (a seed, or a recorded file).
// Results are float images in [0, 1] before any 8-bit rounding, at the model's own output size;
// compositing into a document (crop, feather, colour match, paste back) is app/'s job.
#include "inference/image_types.h"
#include "inference/sd2_model.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace atelier::inference {

struct GenerationRequest {
    std::string prompt;
    std::string negativePrompt;
    int steps = 50;
    double guidance = 7.5;
    std::string scheduler;  // ddim, euler, euler_a, dpmpp_2m_karras, ddpm, pndm; "" = the model's
    double ddimEta = 0.0;
    std::optional<uint64_t> seed;  // none: a random seed, reported in the result
    std::string noiseFile;         // replay every draw from noise.000, noise.001, ... instead
    // txt2img: the output size (0 = the model's native resolution); a multiple of 8 x VAE factor.
    int width = 0;
    int height = 0;
    // Image jobs: the source image (RGB) and, for inpaint/depth2img, a mask (1 channel, 1 =
    // repaint; the inpainting model binarises it at 0.5 as the reference does).
    ImageF image;
    ImageF mask;
    double strength = -1;  // < 0: the job's default (inpaint 1.0, depth2img 0.8)
    // depth2img: a supplied depth map (1 channel, any size and range, larger = nearer); empty:
    // estimated with the DPT in `depthEstimator` (default: the model folder's depth_estimator/).
    ImageF depth;
    std::string depthEstimator;
    // upscale
    int noiseLevel = 20;
    int tileLatent = 0;     // tile side in latent pixels (0: automatic, from tileBudgetBytes)
    int tileOverlap = 16;   // latent pixels shared by neighbouring tiles
    int64_t tileBudgetBytes = int64_t(3) << 30;  // working memory a tile may take
};

struct StepProgress {
    int step = 0;   // steps done
    int total = 0;
    double elapsedSeconds = 0;
    std::string phase;   // "encode", "denoise", "decode"
    Rgb8Image preview;   // linear latent -> RGB, at latent resolution (denoise phase only)
};
// Called after each step; returning false cancels (the job throws Cancelled within one step).
using ProgressFn = std::function<bool(const StepProgress&)>;

struct Cancelled : std::runtime_error {
    Cancelled() : std::runtime_error("cancelled") {}
};
// Non-finite latents or pixels (e.g. fp16 overflow): never returned as an image.
struct NumericalError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct GenerationResult {
    ImageF image;  // RGB in [0, 1]
    uint64_t seed = 0;  // the seed used (0 with a noise file)
    std::string scheduler;
    int stepsRun = 0;
    ImageF depthUsed;  // depth2img: the conditioning depth at latent size, in [-1, 1]
    std::vector<std::string> notes;
};

GenerationResult txt2img(Sd2Model& model, const GenerationRequest& request, const ProgressFn& progress = {});
GenerationResult inpaint(Sd2Model& model, const GenerationRequest& request, const ProgressFn& progress = {});
GenerationResult depth2img(Sd2Model& model, const GenerationRequest& request, const ProgressFn& progress = {});
GenerationResult upscale(Sd2Model& model, const GenerationRequest& request, const ProgressFn& progress = {});

// The sizes a model can take near (width, height): multiples of 8 x its VAE factor.
std::string nearestValidSizes(int width, int height, int multiple);

}  // namespace atelier::inference
