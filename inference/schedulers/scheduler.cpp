#include "inference/schedulers/scheduler.h"

#include "inference/schedulers/scheduler_kinds.h"

#include <ATen/Functions.h>
#include <ATen/TensorOperators.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <utility>

namespace atelier::inference {

namespace {

struct NamedKind {
    const char* name;
    SchedulerKind kind;
};
constexpr NamedKind kKinds[] = {
    {"ddim", SchedulerKind::Ddim},
    {"euler", SchedulerKind::Euler},
    {"euler_a", SchedulerKind::EulerAncestral},
    {"dpmpp_2m_karras", SchedulerKind::DpmPP2MKarras},
    {"ddpm", SchedulerKind::Ddpm},
    {"pndm", SchedulerKind::Pndm},
};

}  // namespace

const std::vector<std::string>& schedulerNames() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> out;
        for (const auto& k : kKinds) out.emplace_back(k.name);
        return out;
    }();
    return names;
}

SchedulerKind parseSchedulerName(const std::string& name) {
    for (const auto& k : kKinds) {
        if (name == k.name) return k.kind;
    }
    std::string valid;
    for (const auto& k : kKinds) valid += std::string(valid.empty() ? "" : ", ") + k.name;
    throw std::invalid_argument("unknown scheduler \"" + name + "\" (valid: " + valid + ")");
}

const char* schedulerName(SchedulerKind kind) {
    for (const auto& k : kKinds) {
        if (k.kind == kind) return k.name;
    }
    return "?";
}

SchedulerKind schedulerKindForDiffusersClass(const std::string& className) {
    static const std::pair<const char*, SchedulerKind> classes[] = {
        {"DDIMScheduler", SchedulerKind::Ddim},
        {"EulerDiscreteScheduler", SchedulerKind::Euler},
        {"EulerAncestralDiscreteScheduler", SchedulerKind::EulerAncestral},
        {"DPMSolverMultistepScheduler", SchedulerKind::DpmPP2MKarras},
        {"DDPMScheduler", SchedulerKind::Ddpm},
        {"PNDMScheduler", SchedulerKind::Pndm},
    };
    for (const auto& [name, kind] : classes) {
        if (className == name) return kind;
    }
    throw std::invalid_argument("scheduler class \"" + className + "\" is not supported");
}

Scheduler::Scheduler(const ScheduleConfig& config)
    : config_(config), alphasCumprod_(inference::alphasCumprod(config)) {
    const at::Tensor contiguous = alphasCumprod_.contiguous();
    const float* values = contiguous.data_ptr<float>();
    alphasCumprodValues_.assign(values, values + contiguous.numel());
}

Scheduler::~Scheduler() = default;

float Scheduler::alphaCumprod(int64_t timestep) const {
    if (timestep < 0 || timestep >= int64_t(alphasCumprodValues_.size())) {
        throw std::out_of_range("scheduler: timestep " + std::to_string(timestep) +
                                " is outside the training schedule");
    }
    return alphasCumprodValues_[std::size_t(timestep)];
}

void Scheduler::checkStepCount(int numInferenceSteps) const {
    if (numInferenceSteps < 1 || numInferenceSteps > config_.numTrainTimesteps) {
        throw std::invalid_argument(
            std::string(schedulerName(kind())) + ": " + std::to_string(numInferenceSteps) +
            " inference steps; expected 1 to " + std::to_string(config_.numTrainTimesteps));
    }
}

void Scheduler::checkIndex(std::size_t stepIndex, std::size_t count, const char* what) const {
    if (timesteps_.empty()) {
        throw std::logic_error(std::string(schedulerName(kind())) + ": " + what +
                               " before setTimesteps");
    }
    if (stepIndex >= count) {
        throw std::out_of_range(std::string(schedulerName(kind())) + ": " + what + " at step " +
                                std::to_string(stepIndex) + " of " + std::to_string(count));
    }
}

void Scheduler::checkStep(const at::Tensor& modelOutput, std::size_t stepIndex,
                          const at::Tensor& sample) const {
    checkIndex(stepIndex, timesteps_.size(), "step");
    const std::string who = schedulerName(kind());
    if (!modelOutput.defined() || !sample.defined()) {
        throw std::invalid_argument(who + ": step with an undefined tensor");
    }
    if (modelOutput.sizes() != sample.sizes()) {
        throw std::invalid_argument(who + ": model output " + c10::str(modelOutput.sizes()) +
                                    " and sample " + c10::str(sample.sizes()) + " differ in shape");
    }
    if (!at::isFloatingType(sample.scalar_type()) ||
        !at::isFloatingType(modelOutput.scalar_type())) {
        throw std::invalid_argument(who + ": step needs floating-point tensors");
    }
}

at::Tensor Scheduler::scaleModelInput(const at::Tensor& sample, std::size_t stepIndex) const {
    checkIndex(stepIndex, timesteps_.size(), "scaleModelInput");
    return sample;
}

at::Tensor Scheduler::addNoise(const at::Tensor& original, const at::Tensor& noise,
                               std::size_t stepIndex) const {
    checkIndex(stepIndex, timesteps_.size(), "addNoise");
    // float32 coefficients, as the reference's add_noise
    const float ac = alphaCumprod(int64_t(timesteps_[stepIndex]));
    const auto type = schedulers_detail::computeType(original);
    const at::Tensor noisy = std::sqrt(ac) * original.to(type) +
                             std::sqrt(1.0f - ac) * noise.to(original.device(), type);
    return noisy.to(original.scalar_type());
}

std::size_t Scheduler::firstStepForStrength(double strength) const {
    if (!(strength >= 0.0 && strength <= 1.0)) {
        throw std::invalid_argument("strength " + std::to_string(strength) + " is outside [0, 1]");
    }
    if (timesteps_.empty()) {
        throw std::logic_error(std::string(schedulerName(kind())) +
                               ": firstStepForStrength before setTimesteps");
    }
    const int n = numInferenceSteps_;
    const int initTimestep = std::min(int(n * strength), n);  // Python's int(): truncation
    const int tStart = std::max(n - initTimestep, 0);
    return std::size_t(tStart) * std::size_t(order());
}

std::unique_ptr<Scheduler> makeScheduler(SchedulerKind kind, const ScheduleConfig& config,
                                         double ddimEta) {
    using namespace schedulers_detail;
    if (!(ddimEta >= 0.0)) throw std::invalid_argument("ddim eta must be >= 0");
    switch (kind) {
        case SchedulerKind::Ddim:
            return makeDdim(config, ddimEta);
        case SchedulerKind::Euler:
            return makeEuler(config, false);
        case SchedulerKind::EulerAncestral:
            return makeEuler(config, true);
        case SchedulerKind::DpmPP2MKarras:
            return makeDpmPP2MKarras(config);
        case SchedulerKind::Ddpm:
            return makeDdpm(config);
        case SchedulerKind::Pndm:
            return makePndm(config);
    }
    throw std::invalid_argument("unknown scheduler kind");
}

namespace schedulers_detail {

std::vector<double> npLinspace(double start, double stop, int num) {
    std::vector<double> out;
    if (num <= 0) return out;
    if (num == 1) return {start};
    const double step = (stop - start) / double(num - 1);
    for (int i = 0; i < num; ++i) out.push_back(double(i) * step + start);
    out.back() = stop;
    return out;
}

std::vector<double> npArangeDownToZero(double start, double step) {
    const auto count = int64_t(std::ceil(start / step));
    std::vector<double> out;
    for (int64_t i = 0; i < count; ++i) out.push_back(start + double(i) * -step);
    return out;
}

double npRound(double value) {
    // nearbyint rounds ties to even in the default rounding mode, as numpy does.
    return std::nearbyint(value);
}

std::vector<double> spacedTimesteps(const ScheduleConfig& config, int count, bool roundLinspace) {
    const int trainSteps = config.numTrainTimesteps;
    std::vector<double> out;
    switch (config.timestepSpacing) {
        case TimestepSpacing::Leading: {
            const int ratio = trainSteps / count;
            for (int i = count - 1; i >= 0; --i)
                out.push_back(double(i * ratio + config.stepsOffset));
            break;
        }
        case TimestepSpacing::Trailing:
            for (double t : npArangeDownToZero(trainSteps, double(trainSteps) / count)) {
                out.push_back(npRound(t) - 1);
            }
            break;
        case TimestepSpacing::Linspace: {
            auto values = npLinspace(0, trainSteps - 1, count);
            std::reverse(values.begin(), values.end());
            for (double t : values) out.push_back(roundLinspace ? npRound(t) : t);
            break;
        }
    }
    return out;
}

at::ScalarType computeType(const at::Tensor& sample) {
    return sample.scalar_type() == at::kDouble ? at::kDouble : at::kFloat;
}

at::Tensor clipPredictedSample(const ScheduleConfig& config, const at::Tensor& x0) {
    if (!config.clipSample) return x0;
    return x0.clamp(-config.clipSampleRange, config.clipSampleRange);
}

}  // namespace schedulers_detail

}  // namespace atelier::inference
