// `atelier-cli txt2img | inpaint | depth2img | upscale`: the four SD2 jobs, headless. By default a
// job runs on the image as given and writes the pipeline's raw output, like the reference.
#include "app/cli/cli_images.h"
#include "app/cli/commands.h"

#include "inference/pipelines.h"

#include <unistd.h>

#include <cstdio>
#include <iomanip>
#include <iostream>
#include <memory>
#include <sstream>

namespace atelier::cli {
namespace {

enum class Job { Txt2Img, Inpaint, Depth2Img, Upscale };

struct JobArgs {
    std::string model, image, mask, depth, depthEstimator, out, noise, device = "cpu", dtype = "fp32", prediction;
    inference::GenerationRequest request;
    int64_t seed = -1;
    int tile = 0;
    int threads = 0;
};

// A one-line progress bar on stderr when it is a terminal; silent otherwise.
inference::ProgressFn progressBar() {
    if (!::isatty(STDERR_FILENO)) return {};
    return [](const inference::StepProgress& p) {
        const int width = 30;
        const int filled = p.total > 0 ? p.step * width / p.total : 0;
        std::ostringstream line;
        line << "\r" << std::setw(7) << std::left << p.phase << " [" << std::string(filled, '#')
             << std::string(width - filled, ' ') << "] " << p.step << "/" << p.total << "  " << std::fixed
             << std::setprecision(1) << p.elapsedSeconds << " s   ";
        std::cerr << line.str() << std::flush;
        return true;
    };
}

void run(Job job, JobArgs& a) {
    if (!endsWith(a.out, ".png") && !endsWith(a.out, ".safetensors"))
        throw BadInput("--out must end in .png (8-bit) or .safetensors (float NHWC in [0, 1])");
    inference::GenerationRequest& r = a.request;
    if (a.seed >= 0) r.seed = uint64_t(a.seed);
    r.noiseFile = a.noise;
    r.tileLatent = a.tile;
    r.depthEstimator = a.depthEstimator;
    if (job != Job::Txt2Img) {
        if (a.image.empty()) throw BadInput("this job needs --image");
        r.image = readImageF(a.image, 3);
    }
    if (!a.mask.empty()) r.mask = readImageF(a.mask, 1);
    if (job == Job::Inpaint && r.mask.empty()) throw BadInput("inpaint needs --mask (white = repaint)");
    if (!a.depth.empty()) r.depth = readDepth(a.depth);

    inference::ModelOptions options;
    options.device = a.device;
    options.dtype = a.dtype;
    options.threads = a.threads;
    if (!a.prediction.empty()) options.prediction = a.prediction;
    inference::Sd2Model model = inference::Sd2Model::open(a.model, options);
    const inference::ProgressFn progress = progressBar();
    inference::GenerationResult result;
    switch (job) {
        case Job::Txt2Img: result = inference::txt2img(model, r, progress); break;
        case Job::Inpaint: result = inference::inpaint(model, r, progress); break;
        case Job::Depth2Img: result = inference::depth2img(model, r, progress); break;
        case Job::Upscale: result = inference::upscale(model, r, progress); break;
    }
    if (progress) std::cerr << "\n";
    writeImageF(a.out, result.image);
    std::cout << "wrote " << a.out << " (" << result.image.width << "x" << result.image.height << ", "
              << result.scheduler << ", " << result.stepsRun << " steps";
    if (a.noise.empty()) std::cout << ", seed " << result.seed;
    std::cout << ")\n";
    for (const auto& note : result.notes) std::cout << "note: " << note << "\n";
}

void addJob(CLI::App& app, const char* name, const char* help, Job job) {
    auto a = std::make_shared<JobArgs>();
    CLI::App* cmd = app.add_subcommand(name, help);
    cmd->add_option("--model", a->model, "single-file .safetensors (its .yaml beside it) or diffusers folder")->required();
    cmd->add_option("--prompt", a->request.prompt, "the prompt")->required();
    cmd->add_option("--negative-prompt", a->request.negativePrompt, "the negative prompt");
    cmd->add_option("--out", a->out, ".png, or .safetensors for the float result (tensor image, NHWC)")->required();
    cmd->add_option("--steps", a->request.steps, "denoising steps (default 50)");
    cmd->add_option("--guidance", a->request.guidance, "classifier-free guidance scale (default 7.5)");
    cmd->add_option("--scheduler", a->request.scheduler, "ddim, euler, euler_a, dpmpp_2m_karras, ddpm, pndm");
    cmd->add_option("--eta", a->request.ddimEta, "DDIM eta (0 deterministic)");
    cmd->add_option("--seed", a->seed, "seed (default: random, printed)");
    cmd->add_option("--noise", a->noise, "replay all noise from a .safetensors (noise.000, noise.001, ...)");
    cmd->add_option("--device", a->device, "cpu or cuda[:N]");
    cmd->add_option("--dtype", a->dtype, "fp32, fp16 or bf16");
    cmd->add_option("--prediction", a->prediction, "epsilon or v: overrides the model's files");
    cmd->add_option("--threads", a->threads, "CPU threads (default: every logical CPU)");
    if (job == Job::Txt2Img) {
        cmd->add_option("--width", a->request.width, "output width (default: the model's native size)");
        cmd->add_option("--height", a->request.height, "output height");
    } else {
        cmd->add_option("--image", a->image, "the source image")->required();
    }
    if (job == Job::Inpaint || job == Job::Depth2Img) {
        cmd->add_option("--mask", a->mask, "grey mask, white = repaint");
        cmd->add_option("--strength", a->request.strength, "how much may change, (0, 1]");
    }
    if (job == Job::Depth2Img) {
        cmd->add_option("--depth", a->depth, "a depth map (16/8-bit grey PNG, white = near; or .safetensors 'depth')");
        cmd->add_option("--depth-estimator", a->depthEstimator, "a DPT folder or .safetensors (default: the model's)");
    }
    if (job == Job::Upscale) {
        cmd->add_option("--noise-level", a->request.noiseLevel, "low-res noise augmentation, 0..350 (default 20)");
        cmd->add_option("--tile", a->tile, "latent tile side (default: from a 3 GiB budget)");
        cmd->add_option("--tile-overlap", a->request.tileOverlap, "latent pixels shared by neighbouring tiles");
    }
    cmd->callback([a, job] {
        try {
            run(job, *a);
        } catch (const inference::WeightsError& e) {
            throw BadInput(e.what());
        } catch (const inference::RequestError& e) {
            throw BadInput(e.what());
        }
    });
}

}  // namespace

void addPipelineCommands(CLI::App& app) {
    addJob(app, "txt2img", "text to image (512-base, 768-v)", Job::Txt2Img);
    addJob(app, "inpaint", "repaint the masked part of an image (512-inpainting)", Job::Inpaint);
    addJob(app, "depth2img", "restyle an image keeping its depth (512-depth)", Job::Depth2Img);
    addJob(app, "upscale", "4x upscale (x4 upscaler), tiled in latent space", Job::Upscale);
}

}  // namespace atelier::cli
