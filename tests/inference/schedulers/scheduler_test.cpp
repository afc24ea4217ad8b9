#include "inference/schedulers/scheduler.h"
#include "inference/schedulers/low_res_noise.h"

#include <ATen/Context.h>
#include <ATen/Functions.h>
#include <ATen/TensorOperators.h>

#include <catch2/catch.hpp>

#include <cmath>

using namespace atelier::inference;
using Catch::Matchers::Contains;

namespace {

const SchedulerKind kAllKinds[] = {SchedulerKind::Ddim,           SchedulerKind::Euler,
                                   SchedulerKind::EulerAncestral, SchedulerKind::DpmPP2MKarras,
                                   SchedulerKind::Ddpm,           SchedulerKind::Pndm};

// Counts draws and serves seeded noise.
class CountingNoise final : public NoiseSource {
public:
    at::Tensor next(at::IntArrayRef shape, const at::TensorOptions& like,
                    const char* site) override {
        ++count;
        return seeded.next(shape, like, site);
    }
    int count = 0;
    SeededNoise seeded{7};
};

std::unique_ptr<Scheduler> ready(SchedulerKind kind, int steps, ScheduleConfig config = {},
                                 double eta = 0.0) {
    auto s = makeScheduler(kind, config, eta);
    s->setTimesteps(steps);
    return s;
}

// A whole loop with a synthetic model; returns the final sample.
at::Tensor runLoop(Scheduler& s, at::Tensor x, NoiseSource& noise, std::size_t first = 0) {
    for (std::size_t i = first; i < s.timesteps().size(); ++i) {
        const at::Tensor input = s.scaleModelInput(x, i);
        // (in float32: CPU half has no tanh in libtorch 1.13), returned in the sample's dtype
        const at::Tensor modelOutput =
            (at::tanh(input.to(at::kFloat) * 0.5) + 0.01 * double(i)).to(input.scalar_type());
        x = s.step(modelOutput, i, x, noise).prevSample;
    }
    return x;
}

double maxAbs(const at::Tensor& a, const at::Tensor& b) {
    return (a.to(at::kDouble) - b.to(at::kDouble)).abs().max().item<double>();
}

}  // namespace

TEST_CASE("scheduler names parse, and an unknown one lists the valid names", "[schedulers]") {
    CHECK(parseSchedulerName("ddim") == SchedulerKind::Ddim);
    CHECK(parseSchedulerName("euler") == SchedulerKind::Euler);
    CHECK(parseSchedulerName("euler_a") == SchedulerKind::EulerAncestral);
    CHECK(parseSchedulerName("dpmpp_2m_karras") == SchedulerKind::DpmPP2MKarras);
    CHECK(parseSchedulerName("ddpm") == SchedulerKind::Ddpm);
    CHECK(parseSchedulerName("pndm") == SchedulerKind::Pndm);
    for (SchedulerKind kind : kAllKinds) {
        CHECK(parseSchedulerName(schedulerName(kind)) == kind);
        CHECK(makeScheduler(kind, {})->kind() == kind);
    }
    CHECK(schedulerNames().size() == 6);
    CHECK_THROWS_AS(parseSchedulerName("DDIM"), std::invalid_argument);
    CHECK_THROWS_WITH(parseSchedulerName("k_lms"),
                      Contains("\"k_lms\"") && Contains("ddim") && Contains("euler_a") &&
                          Contains("dpmpp_2m_karras") && Contains("pndm"));
}

TEST_CASE("diffusers scheduler classes map to kinds", "[schedulers]") {
    CHECK(schedulerKindForDiffusersClass("DDIMScheduler") == SchedulerKind::Ddim);
    CHECK(schedulerKindForDiffusersClass("EulerAncestralDiscreteScheduler") ==
          SchedulerKind::EulerAncestral);
    CHECK(schedulerKindForDiffusersClass("DPMSolverMultistepScheduler") ==
          SchedulerKind::DpmPP2MKarras);
    CHECK(schedulerKindForDiffusersClass("PNDMScheduler") == SchedulerKind::Pndm);
    CHECK_THROWS_WITH(schedulerKindForDiffusersClass("LMSDiscreteScheduler"),
                      Contains("LMSDiscreteScheduler"));
}

TEST_CASE("timesteps follow diffusers for every spacing", "[schedulers]") {
    using V = std::vector<double>;
    CHECK(ready(SchedulerKind::Ddim, 5)->timesteps() == V{801, 601, 401, 201, 1});
    // the reference pipelines' schedules (tests/data/reference/pipelines/*.json)
    CHECK(ready(SchedulerKind::EulerAncestral, 6)->timesteps() == V{831, 665, 499, 333, 167, 1});
    CHECK(ready(SchedulerKind::DpmPP2MKarras, 6)->timesteps() == V{999, 837, 594, 249, 30, 0});
    CHECK(ready(SchedulerKind::Pndm, 5)->timesteps() == V{801, 601, 601, 401, 201, 1});
    CHECK(ready(SchedulerKind::Pndm, 1)->timesteps() == V{1});

    ScheduleConfig trailing;
    trailing.timestepSpacing = TimestepSpacing::Trailing;
    CHECK(ready(SchedulerKind::Ddim, 4, trailing)->timesteps() == V{999, 749, 499, 249});
    CHECK(ready(SchedulerKind::Ddpm, 3, trailing)->timesteps() == V{999, 666, 332});
    CHECK(ready(SchedulerKind::Euler, 3, trailing)->timesteps() == V{999, 666, 332});
    CHECK(ready(SchedulerKind::Ddim, 7, trailing)->timesteps().size() == 7);

    ScheduleConfig linspace;
    linspace.timestepSpacing = TimestepSpacing::Linspace;
    CHECK(ready(SchedulerKind::Ddim, 4, linspace)->timesteps() == V{999, 666, 333, 0});
    CHECK(ready(SchedulerKind::Ddim, 3, linspace)->timesteps() ==
          V{999, 500, 0});  // 499.5: to even
    // Euler keeps linspace timesteps fractional, and its init sigma is then sigma_max itself.
    auto euler = ready(SchedulerKind::Euler, 3, linspace);
    CHECK(euler->timesteps() == V{999, 499.5, 0});
    CHECK(euler->initNoiseSigma() == Approx(euler->sigmas().front()));
    CHECK(euler->sigmas().size() == 4);
    CHECK(euler->sigmas().back() == 0.0);
}

TEST_CASE("initial noise sigma", "[schedulers]") {
    CHECK(ready(SchedulerKind::Ddim, 10)->initNoiseSigma() == 1.0);
    CHECK(ready(SchedulerKind::DpmPP2MKarras, 10)->initNoiseSigma() == 1.0);
    // README: sqrt(sigma_max^2 + 1) = 8.4501 for 10 "leading" steps
    CHECK(ready(SchedulerKind::Euler, 10)->initNoiseSigma() == Approx(8.4501).epsilon(1e-5));
    CHECK(ready(SchedulerKind::EulerAncestral, 10)->initNoiseSigma() ==
          Approx(8.4501).epsilon(1e-5));
}

TEST_CASE("img2img: the first step for a strength", "[schedulers]") {
    auto ddim = ready(SchedulerKind::Ddim, 10);
    CHECK(ddim->firstStepForStrength(1.0) == 0);
    CHECK(ddim->firstStepForStrength(0.75) == 3);  // int(7.5) = 7 steps run
    CHECK(ddim->firstStepForStrength(0.7) == 3);   // 10 * 0.7 = 7.000000000000001
    CHECK(ddim->firstStepForStrength(0.5) == 5);
    CHECK(ddim->firstStepForStrength(0.05) == 10);  // nothing to run
    CHECK(ddim->firstStepForStrength(0.0) == 10);
    // depth2img reference: 6 steps at strength 0.75 run 4
    CHECK(ready(SchedulerKind::Ddim, 6)->firstStepForStrength(0.75) == 2);
    // PNDM has one more timestep than steps: 0.75 of 10 runs 8 of its 11 entries
    auto pndm = ready(SchedulerKind::Pndm, 10);
    CHECK(pndm->firstStepForStrength(0.75) == 3);
    CHECK(pndm->timesteps().size() - 3 == 8);

    CHECK_THROWS_AS(ddim->firstStepForStrength(1.5), std::invalid_argument);
    CHECK_THROWS_AS(ddim->firstStepForStrength(-0.1), std::invalid_argument);
    CHECK_THROWS_AS(ddim->firstStepForStrength(std::nan("")), std::invalid_argument);
    CHECK_THROWS_AS(makeScheduler(SchedulerKind::Ddim, {})->firstStepForStrength(0.5),
                    std::logic_error);
}

TEST_CASE("add_noise noises to the level of the given step", "[schedulers]") {
    const at::Tensor x = at::linspace(-1, 1, 32).reshape({1, 2, 4, 4});
    const at::Tensor n = at::cos(at::arange(32, at::kFloat)).reshape({1, 2, 4, 4});

    auto ddim = ready(SchedulerKind::Ddim, 10);
    const double ac = ddim->alphasCumprod()[601].item<float>();  // step 3 is t = 601
    CHECK(maxAbs(ddim->addNoise(x, n, 3), std::sqrt(ac) * x + std::sqrt(1 - ac) * n) < 1e-6);

    auto euler = ready(SchedulerKind::Euler, 10);
    const double sigma = euler->sigmas()[3];
    CHECK(sigma == Approx(std::sqrt((1 - ac) / ac)).epsilon(1e-6));
    CHECK(maxAbs(euler->addNoise(x, n, 3), x + sigma * n) < 1e-6);

    auto dpm = ready(SchedulerKind::DpmPP2MKarras, 10);
    const double s = dpm->sigmas()[3];
    const double alpha = 1 / std::sqrt(s * s + 1);
    CHECK(maxAbs(dpm->addNoise(x, n, 3), alpha * x + alpha * s * n) < 1e-6);

    CHECK_THROWS_AS(ddim->addNoise(x, n, 10), std::out_of_range);
}

TEST_CASE("each scheduler draws noise exactly as diffusers does", "[schedulers]") {
    const at::Tensor x = at::randn({1, 4, 8, 8});
    struct Expected {
        SchedulerKind kind;
        double eta;
        int draws;
    };
    const Expected cases[] = {
        {SchedulerKind::Ddim, 0.0, 0},          {SchedulerKind::Ddim, 1.0, 10},
        {SchedulerKind::Euler, 0.0, 10},        {SchedulerKind::EulerAncestral, 0.0, 10},
        {SchedulerKind::DpmPP2MKarras, 0.0, 0}, {SchedulerKind::Ddpm, 0.0, 10},
        {SchedulerKind::Pndm, 0.0, 0},
    };
    for (const auto& c : cases) {
        INFO(schedulerName(c.kind) << " eta " << c.eta);
        auto s = ready(c.kind, 10, {}, c.eta);
        CountingNoise noise;
        runLoop(*s, x, noise);
        CHECK(noise.count == c.draws);
    }
    // DDPM draws nothing at t = 0 (trailing spacing never reaches 0; linspace does).
    ScheduleConfig linspace;
    linspace.timestepSpacing = TimestepSpacing::Linspace;
    auto ddpm = ready(SchedulerKind::Ddpm, 4, linspace);
    CountingNoise noise;
    runLoop(*ddpm, x, noise);
    CHECK(noise.count == 3);
}

TEST_CASE("setTimesteps resets the multistep history", "[schedulers]") {
    const at::Tensor x = at::randn({1, 4, 6, 6});
    for (SchedulerKind kind : {SchedulerKind::Pndm, SchedulerKind::DpmPP2MKarras}) {
        INFO(schedulerName(kind));
        auto s = ready(kind, 8);
        SeededNoise n1(1), n2(1);
        const at::Tensor first = runLoop(*s, x, n1);
        s->setTimesteps(8);
        CHECK(at::equal(runLoop(*s, x, n2), first));
        // and a different step count gives a different schedule and result
        s->setTimesteps(5);
        SeededNoise n3(1);
        CHECK_FALSE(at::equal(runLoop(*s, x, n3), first));
    }
}

TEST_CASE("any batch and shape; half and double samples come back in their dtype", "[schedulers]") {
    const at::Tensor x = at::randn({2, 4, 3, 5});
    for (SchedulerKind kind : kAllKinds) {
        INFO(schedulerName(kind));
        auto reference = ready(kind, 6);
        SeededNoise n1(3);
        const at::Tensor expected = runLoop(*reference, x, n1);
        CHECK(expected.sizes() == x.sizes());
        CHECK(expected.scalar_type() == at::kFloat);
        CHECK(at::isfinite(expected).all().item<bool>());

        auto asDouble = ready(kind, 6);
        SeededNoise n2(3);
        const at::Tensor d = runLoop(*asDouble, x.to(at::kDouble), n2);
        CHECK(d.scalar_type() == at::kDouble);
        CHECK(maxAbs(d, expected) < 1e-4);

        // fp16 samples (as on CUDA): computed in float32 inside, returned as half
        auto asHalf = ready(kind, 6);
        SeededNoise n3(3);
        const at::Tensor h = runLoop(*asHalf, x.to(at::kHalf), n3);
        CHECK(h.scalar_type() == at::kHalf);
        CHECK(maxAbs(h, expected) < 0.05 * (1 + expected.abs().max().item<double>()));
    }
}

TEST_CASE("on CUDA, fp16 samples match the CPU float32 run", "[schedulers][cuda]") {
    if (!at::hasCUDA()) {
        SUCCEED("no CUDA device: skipped");
        return;
    }
    const at::Tensor x = at::randn({1, 4, 8, 8});
    for (SchedulerKind kind : kAllKinds) {
        INFO(schedulerName(kind));
        auto cpu = ready(kind, 6, {}, 1.0);
        auto gpu = ready(kind, 6, {}, 1.0);
        SeededNoise n1(5), n2(5);
        const at::Tensor expected = runLoop(*cpu, x, n1);
        const at::Tensor got = runLoop(*gpu, x.to(at::kCUDA).to(at::kHalf), n2);
        CHECK(got.is_cuda());
        CHECK(got.scalar_type() == at::kHalf);
        CHECK(maxAbs(got.cpu(), expected) < 0.05 * (1 + expected.abs().max().item<double>()));
    }
}

TEST_CASE("misuse is refused with a clear exception", "[schedulers]") {
    auto fresh = makeScheduler(SchedulerKind::Ddim, {});
    const at::Tensor x = at::zeros({1, 4, 2, 2});
    SeededNoise noise(0);
    CHECK_THROWS_AS(fresh->step(x, 0, x, noise), std::logic_error);
    CHECK_THROWS_AS(fresh->setTimesteps(0), std::invalid_argument);
    CHECK_THROWS_AS(fresh->setTimesteps(1001), std::invalid_argument);
    fresh->setTimesteps(10);
    CHECK_THROWS_AS(fresh->step(x, 10, x, noise), std::out_of_range);
    CHECK_THROWS_AS(fresh->scaleModelInput(x, 10), std::out_of_range);
    CHECK_THROWS_WITH(fresh->step(at::zeros({1, 4, 2, 3}), 0, x, noise),
                      Contains("differ in shape"));
    CHECK_THROWS_AS(fresh->step(x.to(at::kLong), 0, x.to(at::kLong), noise), std::invalid_argument);

    ScheduleConfig sample;
    sample.predictionType = PredictionType::Sample;
    CHECK_THROWS_AS(makeScheduler(SchedulerKind::EulerAncestral, sample), std::invalid_argument);
    CHECK_THROWS_AS(makeScheduler(SchedulerKind::Pndm, sample), std::invalid_argument);
    CHECK_NOTHROW(makeScheduler(SchedulerKind::Ddim, sample));
    CHECK_THROWS_AS(makeScheduler(SchedulerKind::Ddim, {}, -1.0), std::invalid_argument);
}

TEST_CASE("x4 low-res noise levels are validated", "[schedulers]") {
    const LowResNoiseAugmentation augmentation;
    const at::Tensor image = at::zeros({1, 3, 4, 4});
    const at::Tensor noise = at::ones({1, 3, 4, 4});
    // level 0 is barely noised: sqrt(1 - ac[0]) = sqrt(beta_0) = 0.01
    CHECK(augmentation.apply(image, noise, 0).max().item<float>() == Approx(0.01).epsilon(1e-3));
    CHECK_NOTHROW(augmentation.apply(image, noise, 350));
    CHECK_THROWS_WITH(augmentation.apply(image, noise, 351),
                      Contains("noise_level 351") && Contains("[0, 350]"));
    CHECK_THROWS_AS(augmentation.apply(image, noise, -1), std::invalid_argument);
    CHECK_THROWS_AS(augmentation.apply(image, at::ones({1, 3, 2, 2}), 20), std::invalid_argument);
    CountingNoise counting;
    CHECK_THROWS_AS(augmentation.apply(image, 400, counting), std::invalid_argument);
    CHECK(counting.count == 0);
    CHECK(augmentation.apply(image, 20, counting).sizes() == image.sizes());
    CHECK(counting.count == 1);
    CHECK_THROWS_AS(LowResNoiseAugmentation(x4LowResNoiseScheduleConfig(), 1000),
                    std::invalid_argument);
}

TEST_CASE("config options beyond the SD2 defaults", "[schedulers]") {
    const at::Tensor x = at::randn({1, 4, 4, 4}) * 3;
    SeededNoise noise(0);

    // clip_sample clamps the predicted x0 (DDIM and DDPM)
    ScheduleConfig clip;
    clip.clipSample = true;
    clip.clipSampleRange = 0.5;
    for (SchedulerKind kind : {SchedulerKind::Ddim, SchedulerKind::Ddpm}) {
        auto s = ready(kind, 10, clip);
        const StepOutput out = s->step(x * 10, 0, x, noise);
        CHECK(out.predOriginalSample.abs().max().item<float>() <= 0.5f);
    }

    // set_alpha_to_one: DDIM's last step then lands exactly on x0 (alpha_prev = 1)
    ScheduleConfig one;
    one.setAlphaToOne = true;
    auto ddim = ready(SchedulerKind::Ddim, 10, one);
    const StepOutput last = ddim->step(x * 0.1, 9, x, noise);
    CHECK(maxAbs(last.prevSample, last.predOriginalSample) < 1e-6);

    // DPM++ with final sigma = sigma_min: the schedule ends at the smallest training sigma and
    // the last step is a first-order update to it, not a jump to x0
    ScheduleConfig sigmaMin;
    sigmaMin.finalSigmasType = FinalSigmas::SigmaMin;
    auto dpm = ready(SchedulerKind::DpmPP2MKarras, 10, sigmaMin);
    const double ac0 = dpm->alphasCumprod()[0].item<float>();
    CHECK(dpm->sigmas().back() == Approx(std::sqrt((1 - ac0) / ac0)).epsilon(1e-6));
    CHECK(dpm->sigmas().back() == Approx(dpm->sigmas()[9]).epsilon(1e-6));  // Karras ends there
    auto dpmZero = ready(SchedulerKind::DpmPP2MKarras, 10);
    CHECK(dpmZero->sigmas().back() == 0.0);
    SeededNoise n1(2), n2(2);
    const at::Tensor a = runLoop(*dpm, x, n1);
    const at::Tensor b = runLoop(*dpmZero, x, n2);
    CHECK(at::isfinite(a).all().item<bool>());
    CHECK(maxAbs(a, b) > 0);

    // solver_order 1 is DPM-Solver++ first order: a different trajectory than 2M
    ScheduleConfig firstOrder;
    firstOrder.solverOrder = 1;
    auto dpm1 = ready(SchedulerKind::DpmPP2MKarras, 10, firstOrder);
    SeededNoise n3(2);
    CHECK(maxAbs(runLoop(*dpm1, x, n3), b) > 1e-4);
}
