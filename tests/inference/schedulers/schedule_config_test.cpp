#include "inference/schedulers/schedule_config.h"

#include <ATen/Functions.h>

#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>
#include <iterator>

using namespace atelier::inference;
using Catch::Matchers::Contains;

namespace {

std::string readText(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    REQUIRE(in);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

// The message of the ScheduleConfigError `json` raises.
std::string errorOf(const std::string& json) {
    try {
        scheduleConfigFromDiffusersJson(json, "models/x/scheduler/scheduler_config.json");
    } catch (const ScheduleConfigError& e) {
        return e.what();
    }
    FAIL("no error for " << json);
    return {};
}

}  // namespace

TEST_CASE("a converted SD2 scheduler_config.json reads as the SD2 schedule", "[schedulers]") {
    const std::string file = ATELIER_TEST_DATA_DIR
        "/reference/models/x4-upscaler/diffusers/scheduler/scheduler_config.json";
    const ScheduleConfig c = scheduleConfigFromDiffusersJson(readText(file), file);
    CHECK(c.numTrainTimesteps == 1000);
    CHECK(c.betaStart == 0.0001);
    CHECK(c.betaEnd == 0.02);
    CHECK(c.betaSchedule == BetaSchedule::ScaledLinear);
    CHECK(c.predictionType == PredictionType::VPrediction);
    CHECK(c.stepsOffset == 1);
    CHECK_FALSE(c.setAlphaToOne);
    CHECK(c.timestepSpacing == TimestepSpacing::Leading);
    CHECK_FALSE(c.clipSample);

    const std::string lowRes = ATELIER_TEST_DATA_DIR
        "/reference/models/x4-upscaler/diffusers/low_res_scheduler/scheduler_config.json";
    const ScheduleConfig l = scheduleConfigFromDiffusersJson(readText(lowRes), lowRes);
    CHECK(l.clipSample);
    CHECK(l.stepsOffset == 0);
    CHECK(l.predictionType == PredictionType::Epsilon);
    CHECK(l.varianceType == DdpmVarianceType::FixedSmall);
}

TEST_CASE("scheduler configs are read from files, with the path in every error", "[schedulers]") {
    const std::string file = ATELIER_TEST_DATA_DIR
        "/reference/models/txt2img-v/diffusers/scheduler/scheduler_config.json";
    CHECK(scheduleConfigFromDiffusersFile(file).predictionType == PredictionType::VPrediction);
    const std::string missing = ATELIER_TEST_DATA_DIR "/no/such/scheduler_config.json";
    CHECK_THROWS_WITH(scheduleConfigFromDiffusersFile(missing),
                      Contains(missing) && Contains("cannot open"));
    // a model weight file where the config should be: refused by size, not parsed
    const std::string weights = ATELIER_TEST_DATA_DIR
        "/reference/models/txt2img-v/diffusers/unet/diffusion_pytorch_model.safetensors";
    CHECK_THROWS_WITH(scheduleConfigFromDiffusersFile(weights),
                      Contains(weights) && Contains("too large"));
}

TEST_CASE("missing keys keep the SD2 defaults; unknown keys are ignored", "[schedulers]") {
    const ScheduleConfig c =
        scheduleConfigFromDiffusersJson(R"({"_class_name": "X", "some_new_option": [1, 2]})", "f");
    const ScheduleConfig d;
    CHECK(c.numTrainTimesteps == 1000);
    CHECK(c.betaStart == 0.00085);
    CHECK(c.betaEnd == 0.012);
    CHECK(c.betaSchedule == BetaSchedule::ScaledLinear);
    CHECK(c.predictionType == PredictionType::Epsilon);
    CHECK(c.stepsOffset == 1);
    CHECK(c.timestepSpacing == d.timestepSpacing);
    CHECK(c.solverOrder == 2);
    CHECK(c.lowerOrderFinal);
    CHECK(c.finalSigmasType == FinalSigmas::Zero);
}

TEST_CASE("Python's Infinity and NaN literals are read, strings are left alone", "[schedulers]") {
    // diffusers writes lambda_min_clipped = -inf as a bare -Infinity.
    const ScheduleConfig c = scheduleConfigFromDiffusersJson(
        R"({"lambda_min_clipped": -Infinity, "note": "NaN -Infinity \" Infinity",
            "solver_order": 1, "final_sigmas_type": "sigma_min"})",
        "f");
    CHECK(c.solverOrder == 1);
    CHECK(c.finalSigmasType == FinalSigmas::SigmaMin);
    CHECK(quotePythonJsonConstants(R"({"a": -Infinity, "b": "NaN", "c": [NaN, Infinity]})") ==
          R"({"a": "-Infinity", "b": "NaN", "c": ["NaN", "Infinity"]})");
    // A non-finite number where a finite one belongs is an error, not a silent NaN.
    CHECK_THAT(errorOf(R"({"beta_start": NaN})"),
               Contains("beta_start") && Contains("expected a number, got a non-finite number"));
}

TEST_CASE("wrong types and unsupported values name the file and the key", "[schedulers]") {
    const std::string file = "models/x/scheduler/scheduler_config.json";
    CHECK_THAT(errorOf(R"({"beta_start": "0.1"})"),
               Contains(file) && Contains("\"beta_start\"") && Contains("expected a number"));
    CHECK_THAT(errorOf(R"({"num_train_timesteps": 1000.0})"),
               Contains("num_train_timesteps") && Contains("expected an integer"));
    CHECK_THAT(errorOf(R"({"steps_offset": 1000})"),
               Contains("steps_offset") && Contains("outside"));
    CHECK_THAT(errorOf(R"({"set_alpha_to_one": 1})"),
               Contains("set_alpha_to_one") && Contains("expected true or false"));
    CHECK_THAT(errorOf(R"({"prediction_type": "velocity"})"),
               Contains("prediction_type") && Contains("\"velocity\"") && Contains("v_prediction"));
    CHECK_THAT(errorOf(R"({"timestep_spacing": 3})"),
               Contains("timestep_spacing") && Contains("expected a string"));
    CHECK_THAT(errorOf(R"({"beta_schedule": "sigmoid"})"), Contains("beta_schedule"));
    CHECK_THAT(errorOf(R"({"trained_betas": [0.1, 0.2]})"), Contains("trained_betas"));
    CHECK_THAT(errorOf(R"({"thresholding": true})"), Contains("thresholding"));
    CHECK_THAT(errorOf(R"({"rescale_betas_zero_snr": true})"), Contains("rescale_betas_zero_snr"));
    CHECK_THAT(errorOf(R"({"variance_type": "learned_range"})"), Contains("variance_type"));
    CHECK_THAT(errorOf(R"({"solver_order": 3})"), Contains("solver_order"));
    CHECK_THAT(errorOf(R"({"beta_start": 0.5, "beta_end": 0.1})"), Contains("beta_end"));
    CHECK_THAT(errorOf(R"({"beta_start": 0.1,)"), Contains(file) && Contains("not valid JSON"));
    CHECK_THAT(errorOf("[1, 2]"), Contains(file) && Contains("expected a JSON object"));
    // null means "use the default" only where diffusers itself writes null
    CHECK(scheduleConfigFromDiffusersJson(R"({"variance_type": null, "trained_betas": null})", "f")
              .varianceType == DdpmVarianceType::FixedSmall);
    CHECK_THAT(errorOf(R"({"steps_offset": null})"), Contains("steps_offset"));
}

TEST_CASE("beta schedules give diffusers' alphas_cumprod", "[schedulers]") {
    ScheduleConfig c;
    const at::Tensor scaled = alphasCumprod(c);
    REQUIRE(scaled.sizes() == at::IntArrayRef{1000});
    CHECK(scaled.scalar_type() == at::kFloat);
    // by hand: ac[0] = 1 - 0.00085, ac[1] = ac[0] * (1 - beta_1)
    const double b1 =
        std::pow(std::sqrt(0.00085) + (std::sqrt(0.012) - std::sqrt(0.00085)) / 999, 2);
    CHECK(scaled[0].item<float>() == Approx(1 - 0.00085).epsilon(1e-7));
    CHECK(scaled[1].item<float>() == Approx((1 - 0.00085) * (1 - b1)).epsilon(1e-6));
    // SD2's largest sigma, sqrt((1 - ac) / ac), is 14.6146 (the reference's Karras sigma_max)
    CHECK(scaled[999].item<float>() == Approx(1.0 / (1 + 14.6146 * 14.6146)).epsilon(1e-4));

    c.betaSchedule = BetaSchedule::Linear;
    const at::Tensor linear = alphasCumprod(c);
    CHECK(linear[1].item<float>() ==
          Approx((1 - 0.00085) * (1 - (0.00085 + (0.012 - 0.00085) / 999))).epsilon(1e-6));

    c.betaSchedule = BetaSchedule::SquaredCosCapV2;
    const at::Tensor cosine = alphasCumprod(c);
    // cumprod of the cosine betas telescopes to alpha_bar(t) / alpha_bar(0)
    const double pi = std::acos(-1.0);
    auto alphaBar = [pi](double t) { return std::pow(std::cos((t + 0.008) / 1.008 * pi / 2), 2); };
    CHECK(cosine[499].item<float>() == Approx(alphaBar(0.5) / alphaBar(0)).epsilon(1e-5));
}
