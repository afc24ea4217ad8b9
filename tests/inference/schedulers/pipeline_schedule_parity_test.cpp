// The schedulers as the reference pipelines drive them (tests/data/reference/pipelines): the
// scheduler and config each pipeline used, its recorded noise replayed in draw order through
// FileNoise, the stored guided model output of the first step in, the stored latents out. This is
// the contract the SD2 pipelines rely on, checked without running any network.
#include "inference/schedulers/low_res_noise.h"
#include "inference/schedulers/scheduler.h"
#include "inference/weights/torch_tensors.h"

#include <ATen/Functions.h>
#include <ATen/TensorOperators.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <fstream>
#include <iterator>

using namespace atelier::inference;

namespace {

nlohmann::json readSidecar(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    REQUIRE(in);
    const std::string text(std::istreambuf_iterator<char>(in), {});
    return nlohmann::json::parse(quotePythonJsonConstants(text));
}

double maxAbs(const at::Tensor& a, const at::Tensor& b) {
    REQUIRE(a.sizes() == b.sizes());
    return (a.to(at::kDouble) - b.to(at::kDouble)).abs().max().item<double>();
}

const at::TensorOptions kFloat = at::TensorOptions().dtype(at::kFloat);

}  // namespace

TEST_CASE("the reference pipelines' first denoising step", "[schedulers][parity]") {
    const std::string name =
        GENERATE(as<std::string>{}, "txt2img_eps_ddim", "txt2img_eps_euler_ancestral",
                 "txt2img_v_ddim", "txt2img_v_dpmpp_2m_karras", "inpainting",
                 "depth2img_given_depth", "depth2img_dpt", "x4_upscale");
    INFO(name);
    const std::string base = ATELIER_TEST_DATA_DIR "/reference/pipelines/" + name;
    const nlohmann::json sidecar = readSidecar(base + ".json");
    const auto tensors = readTensors(base + ".safetensors");

    const ScheduleConfig config =
        scheduleConfigFromDiffusersJson(sidecar.at("scheduler_config").dump(), base + ".json");
    const auto etaEntry = sidecar.find("eta");  // absent or null: 0
    const double eta =
        etaEntry != sidecar.end() && etaEntry->is_number() ? etaEntry->get<double>() : 0.0;
    auto scheduler = makeScheduler(
        schedulerKindForDiffusersClass(sidecar.at("scheduler_class").get<std::string>()), config,
        eta);
    const int steps = sidecar.at("num_inference_steps").get<int>();
    scheduler->setTimesteps(steps);
    CHECK(scheduler->timesteps() == sidecar.at("scheduler_timesteps").get<std::vector<double>>());
    const std::size_t first = scheduler->firstStepForStrength(sidecar.value("strength", 1.0));
    CHECK(scheduler->timesteps().size() - first ==
          sidecar.at("num_scheduler_steps_run").get<std::size_t>());

    FileNoise noise(base + ".safetensors");
    const at::Tensor& latentsIn = tensors.at("step00.latents_in");
    if (name == "x4_upscale") {
        // draw 0: the low-res augmentation, at the pipeline's noise level
        const at::Tensor lowRes = tensors.at("input.low_res_image_uint8_hwc")
                                          .to(at::kFloat)
                                          .permute({2, 0, 1})
                                          .unsqueeze(0) /
                                      255.0 * 2.0 -
                                  1.0;
        const LowResNoiseAugmentation augmentation;
        const at::Tensor noised =
            augmentation.apply(lowRes, sidecar.at("noise_level").get<int>(), noise);
        CHECK(maxAbs(noised, tensors.at("input.noised_low_res")) <= 1e-5);
    }
    if (name.rfind("depth2img", 0) == 0) {
        // draws 0 and 1 are the VAE's posterior sample and add_noise's noise (the VAE is not
        // run here); the latents enter at the first step that strength 0.75 runs
        noise.next(latentsIn.sizes(), kFloat, "vae sample");
        noise.next(latentsIn.sizes(), kFloat, "add_noise");
    } else {
        // txt2img, inpainting and x4: the initial latents are noise * init_noise_sigma
        const at::Tensor initial = noise.next(latentsIn.sizes(), kFloat, "initial latents");
        CHECK(maxAbs(initial * scheduler->initNoiseSigma(), latentsIn) <= 1e-5);
        if (name == "inpainting") {
            const auto& maskedLatents = tensors.at("input.masked_image_latents");
            noise.next(maskedLatents.sizes(), kFloat, "vae sample of the masked image");
        }
    }

    const StepOutput out =
        scheduler->step(tensors.at("step00.noise_pred_guided"), first, latentsIn, noise);
    CHECK(maxAbs(out.prevSample, tensors.at("step00.latents_out")) <= 1e-5);
    // Euler-a took its step noise from the recording; nothing is left unread for one step
    // of a deterministic sampler either.
    const std::size_t ancestralDrawsLeft =
        name == "txt2img_eps_euler_ancestral" ? std::size_t(steps - 1) : 0;
    CHECK(noise.remaining() == ancestralDrawsLeft);
}
