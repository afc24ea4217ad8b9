// Every scheduler trace of the reference (diffusers 0.27.2, float32, CPU) replayed step by step:
// the stored model outputs and injected noise go in, and every step's prev_sample and
// pred_original_sample must come out as the reference's. Our own output feeds the next step, so
// errors would accumulate as they would in a real run.
#include "inference/schedulers/low_res_noise.h"
#include "inference/schedulers/scheduler.h"
#include "inference/weights/torch_tensors.h"

#include <ATen/Functions.h>
#include <ATen/TensorOperators.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <map>
#include <sstream>

using namespace atelier::inference;

namespace {

const std::string kDir = ATELIER_TEST_DATA_DIR "/reference/schedulers/";

std::string readText(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    REQUIRE(in);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

double maxAbs(const at::Tensor& a, const at::Tensor& b) {
    REQUIRE(a.sizes() == b.sizes());
    return (a.to(at::kDouble) - b.to(at::kDouble)).abs().max().item<double>();
}

std::string stepKey(std::size_t step, const char* what) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "step%02zu.", step);
    return buffer + std::string(what);
}

struct TraceCase {
    const char* name;
    SchedulerKind kind;
    double tolerance;  // README: 1e-5; 1e-4 for DPM++ and Euler (float64-derived sigmas)
};

// Max errors are printed with ATELIER_PRINT_ERRORS=1 (figures for the docs).
void report(const std::string& name, double sample, double x0) {
    if (std::getenv("ATELIER_PRINT_ERRORS")) {
        std::printf("%-32s max |prev_sample| err %.3g, max |pred_original| err %.3g\n",
                    name.c_str(), sample, x0);
    }
}

}  // namespace

TEST_CASE("schedulers replay the diffusers reference traces", "[schedulers][parity]") {
    const TraceCase trace =
        GENERATE(TraceCase{"ddim_eta0_epsilon", SchedulerKind::Ddim, 1e-5},
                 TraceCase{"ddim_eta0_v_prediction", SchedulerKind::Ddim, 1e-5},
                 TraceCase{"ddim_eta1_epsilon", SchedulerKind::Ddim, 1e-5},
                 TraceCase{"ddim_eta1_v_prediction", SchedulerKind::Ddim, 1e-5},
                 TraceCase{"euler_epsilon", SchedulerKind::Euler, 1e-4},
                 TraceCase{"euler_v_prediction", SchedulerKind::Euler, 1e-4},
                 TraceCase{"euler_ancestral_epsilon", SchedulerKind::EulerAncestral, 1e-4},
                 TraceCase{"euler_ancestral_v_prediction", SchedulerKind::EulerAncestral, 1e-4},
                 TraceCase{"dpmpp_2m_karras_epsilon", SchedulerKind::DpmPP2MKarras, 1e-4},
                 TraceCase{"dpmpp_2m_karras_v_prediction", SchedulerKind::DpmPP2MKarras, 1e-4},
                 TraceCase{"ddpm_epsilon", SchedulerKind::Ddpm, 1e-5},
                 TraceCase{"ddpm_v_prediction", SchedulerKind::Ddpm, 1e-5},
                 TraceCase{"pndm_epsilon", SchedulerKind::Pndm, 1e-5},
                 TraceCase{"pndm_v_prediction", SchedulerKind::Pndm, 1e-5},
                 TraceCase{"x4_upscaler_ddim_v_prediction", SchedulerKind::Ddim, 1e-5});
    INFO(trace.name);
    const std::string base = kDir + trace.name;
    const nlohmann::json sidecar =
        nlohmann::json::parse(quotePythonJsonConstants(readText(base + ".json")));
    const auto tensors = readTensors(base + ".safetensors");
    const ScheduleConfig config =
        scheduleConfigFromDiffusersJson(sidecar.at("config").dump(), base + ".json");
    const double eta = sidecar.value("eta", 0.0);
    auto scheduler = makeScheduler(trace.kind, config, eta);
    scheduler->setTimesteps(sidecar.at("num_inference_steps").get<int>());

    // The schedule: alphas_cumprod bit for bit, timesteps exactly, sigmas as float32 values.
    CHECK(maxAbs(scheduler->alphasCumprod(), tensors.at("alphas_cumprod")) == 0.0);
    const auto expectedTimesteps = sidecar.at("timesteps").get<std::vector<double>>();
    CHECK(scheduler->timesteps() == expectedTimesteps);
    const at::Tensor storedTimesteps = tensors.at("timesteps").to(at::kDouble);
    CHECK(std::vector<double>(storedTimesteps.data_ptr<double>(),
                              storedTimesteps.data_ptr<double>() + storedTimesteps.numel()) ==
          expectedTimesteps);
    if (tensors.count("sigmas")) {
        const auto& sigmas = scheduler->sigmas();
        REQUIRE(!sigmas.empty());
        const at::Tensor ours = at::tensor(sigmas, at::kDouble);
        CHECK(maxAbs(ours, tensors.at("sigmas")) <= 1e-6 * (1 + ours.abs().max().item<double>()));
    } else {
        CHECK(scheduler->sigmas().empty());
    }
    if (sidecar.contains("init_noise_sigma")) {
        CHECK(scheduler->initNoiseSigma() ==
              Approx(sidecar.at("init_noise_sigma").get<double>()).epsilon(1e-7));
    }

    at::Tensor x = tensors.at("initial_noise") * scheduler->initNoiseSigma();
    CHECK(maxAbs(x, tensors.at("initial_sample")) <= trace.tolerance);
    CHECK(maxAbs(x, tensors.at("step00.sample_in")) <= trace.tolerance);

    const auto& steps = sidecar.at("steps");
    REQUIRE(steps.size() == scheduler->timesteps().size());
    double worstSample = 0, worstX0 = 0;
    for (std::size_t i = 0; i < steps.size(); ++i) {
        INFO("step " << i);
        const at::Tensor modelInput = scheduler->scaleModelInput(x, i);
        if (tensors.count(stepKey(i, "model_input"))) {
            CHECK(maxAbs(modelInput, tensors.at(stepKey(i, "model_input"))) <= trace.tolerance);
        } else {
            CHECK(maxAbs(modelInput, x) == 0.0);
        }
        std::vector<at::Tensor> stepNoise;
        if (tensors.count(stepKey(i, "noise")))
            stepNoise.push_back(tensors.at(stepKey(i, "noise")));
        QueuedNoise noise(stepNoise, std::string(trace.name) + " step noise");
        const StepOutput out = scheduler->step(tensors.at(stepKey(i, "model_output")), i, x, noise);
        CHECK(noise.drawn() == steps[i].at("noise_drawn").get<std::size_t>());

        const double sampleErr = maxAbs(out.prevSample, tensors.at(stepKey(i, "prev_sample")));
        CHECK(sampleErr <= trace.tolerance);
        worstSample = std::max(worstSample, sampleErr);
        if (tensors.count(stepKey(i, "pred_original_sample"))) {
            REQUIRE(out.predOriginalSample.defined());
            const double x0Err =
                maxAbs(out.predOriginalSample, tensors.at(stepKey(i, "pred_original_sample")));
            CHECK(x0Err <= trace.tolerance);
            worstX0 = std::max(worstX0, x0Err);
        } else {
            CHECK_FALSE(out.predOriginalSample.defined());
        }
        x = out.prevSample;
    }
    report(trace.name, worstSample, worstX0);
}

TEST_CASE("x4 low-res augmentation equals the reference at every noise level",
          "[schedulers][parity]") {
    const auto tensors = readTensors(kDir + "x4_low_res_noise.safetensors");
    const LowResNoiseAugmentation augmentation;
    CHECK(augmentation.maxNoiseLevel() == 350);
    CHECK(maxAbs(augmentation.alphasCumprod(), tensors.at("alphas_cumprod")) == 0.0);

    const at::Tensor& image = tensors.at("image");
    const at::Tensor& noise = tensors.at("noise");
    const at::Tensor levels = tensors.at("noise_level");
    REQUIRE(levels.numel() == 4);
    double worst = 0;
    for (int64_t b = 0; b < levels.numel(); ++b) {
        const int level = int(levels[b].item<int64_t>());
        INFO("noise level " << level);
        const at::Tensor got =
            augmentation.apply(image.narrow(0, b, 1), noise.narrow(0, b, 1), level);
        const double err = maxAbs(got, tensors.at("noised").narrow(0, b, 1));
        CHECK(err <= 1e-5);
        worst = std::max(worst, err);

        // The same through a NoiseSource: exactly one draw of the image's shape.
        QueuedNoise source({noise.narrow(0, b, 1)}, "x4 test");
        CHECK(maxAbs(augmentation.apply(image.narrow(0, b, 1), level, source), got) == 0.0);
        CHECK(source.remaining() == 0);
    }
    report("x4_low_res_noise", worst, 0);

    // The main upscaler schedule helper matches the trace's config.
    const ScheduleConfig main = x4UpscalerScheduleConfig();
    const auto ddim = readTensors(kDir + "x4_upscaler_ddim_v_prediction.safetensors");
    CHECK(maxAbs(alphasCumprod(main), ddim.at("alphas_cumprod")) == 0.0);
    CHECK(main.predictionType == PredictionType::VPrediction);
}
