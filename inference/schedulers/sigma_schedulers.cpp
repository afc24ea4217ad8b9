// Euler, Euler ancestral and DPM++ 2M Karras: samplers on sigma = sqrt((1 - ac) / ac). Ports of
// diffusers 0.27.2's scheduling_euler_discrete.py, scheduling_euler_ancestral_discrete.py and
// scheduling_dpmsolver_multistep.py (algorithm_type dpmsolver++, midpoint, use_karras_sigmas).
//
// The reference keeps sigmas as float32 (derived in float32, or in float64 and then rounded), so
// sigmas_ holds exactly those float32 values, and computes every coefficient as a float32 0-d
// tensor; doing the same in float (tensor operations in the same order) reproduces its results.
#include "inference/schedulers/scheduler_kinds.h"

#include <ATen/Functions.h>
#include <ATen/TensorOperators.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace atelier::inference::schedulers_detail {

namespace {

// sigma of every training timestep, computed in float32 like the reference's tensor expression.
std::vector<float> trainingSigmas(const std::vector<float>& alphasCumprod) {
    std::vector<float> sigmas;
    sigmas.reserve(alphasCumprod.size());
    for (float ac : alphasCumprod) sigmas.push_back(std::sqrt((1.0f - ac) / ac));
    return sigmas;
}

// numpy.interp(x, arange(len(table)), table) in double.
double interpolate(const std::vector<float>& table, double x) {
    const auto last = double(table.size() - 1);
    if (x <= 0) return table.front();
    if (x >= last) return table.back();
    const auto j = std::size_t(std::floor(x));
    const double slope = double(table[j + 1]) - double(table[j]);
    return slope * (x - double(j)) + double(table[j]);
}

// x0 from the model output at noise level sigma (the sample is x0 + sigma * eps, unscaled).
at::Tensor predictX0(PredictionType type, const at::Tensor& modelOutput, const at::Tensor& sample,
                     float sigma) {
    switch (type) {
        case PredictionType::Epsilon:
            return sample - sigma * modelOutput;
        case PredictionType::Sample:
            return modelOutput;
        case PredictionType::VPrediction:
            return modelOutput * (-sigma / std::sqrt(sigma * sigma + 1.0f)) +
                   sample / (sigma * sigma + 1.0f);
    }
    throw std::invalid_argument("unknown prediction type");
}

// Euler and Euler ancestral share the schedule, the input scaling and add_noise.
class EulerScheduler final : public Scheduler {
public:
    EulerScheduler(const ScheduleConfig& config, bool ancestral)
        : Scheduler(config), ancestral_(ancestral) {
        if (ancestral && config.predictionType == PredictionType::Sample) {
            throw std::invalid_argument("euler_a: prediction type \"sample\" is not supported");
        }
    }

    SchedulerKind kind() const override {
        return ancestral_ ? SchedulerKind::EulerAncestral : SchedulerKind::Euler;
    }

    void setTimesteps(int numInferenceSteps) override {
        checkStepCount(numInferenceSteps);
        numInferenceSteps_ = numInferenceSteps;
        const std::vector<float> table = trainingSigmas(alphasCumprodValues_);
        timesteps_.clear();
        sigmas_.clear();
        // Euler's timesteps are float32 (linspace spacing gives fractional ones).
        for (double t : spacedTimesteps(config_, numInferenceSteps, false)) {
            const double t32 = float(t);
            timesteps_.push_back(t32);
            sigmas_.push_back(float(interpolate(table, t32)));
        }
        sigmas_.push_back(0.0);
    }

    double initNoiseSigma() const override {
        if (sigmas_.empty()) throw std::logic_error("euler: initNoiseSigma before setTimesteps");
        const auto maxSigma = float(*std::max_element(sigmas_.begin(), sigmas_.end()));
        if (config_.timestepSpacing != TimestepSpacing::Leading) return maxSigma;
        return std::sqrt(maxSigma * maxSigma + 1.0f);  // float32, as the reference
    }

    at::Tensor scaleModelInput(const at::Tensor& sample, std::size_t stepIndex) const override {
        checkIndex(stepIndex, timesteps_.size(), "scaleModelInput");
        const auto sigma = float(sigmas_[stepIndex]);
        const double divisor = std::sqrt(sigma * sigma + 1.0f);
        return (sample.to(computeType(sample)) / divisor).to(sample.scalar_type());
    }

    StepOutput step(const at::Tensor& modelOutput, std::size_t stepIndex, const at::Tensor& sample,
                    NoiseSource& noise) override {
        checkStep(modelOutput, stepIndex, sample);
        const auto type = computeType(sample);
        const at::Tensor x = sample.to(type);
        const at::Tensor m = modelOutput.to(type);
        const auto sigma = float(sigmas_[stepIndex]);
        const auto sigmaNext = float(sigmas_[stepIndex + 1]);

        if (!ancestral_) {
            // diffusers draws this every step although s_churn = 0 multiplies it by zero; the
            // draw is kept so replayed noise stays in order.
            (void)noise.next(x.sizes(), x.options(), "euler step (unused, as diffusers)");
        }
        const at::Tensor x0 = predictX0(config_.predictionType, m, x, sigma);
        const at::Tensor derivative = (x - x0) / sigma;
        at::Tensor prev;
        if (ancestral_) {
            const float sigmaUp = std::sqrt(
                sigmaNext * sigmaNext * (sigma * sigma - sigmaNext * sigmaNext) / (sigma * sigma));
            const float sigmaDown = std::sqrt(sigmaNext * sigmaNext - sigmaUp * sigmaUp);
            prev = x + derivative * (sigmaDown - sigma);
            prev = prev + noise.next(x.sizes(), x.options(), "euler_a step") * sigmaUp;
        } else {
            prev = x + derivative * (sigmaNext - sigma);
        }
        return {prev.to(sample.scalar_type()), x0.to(sample.scalar_type())};
    }

    at::Tensor addNoise(const at::Tensor& original, const at::Tensor& noise,
                        std::size_t stepIndex) const override {
        checkIndex(stepIndex, timesteps_.size(), "addNoise");
        const auto type = computeType(original);
        const at::Tensor noisy =
            original.to(type) + noise.to(original.device(), type) * float(sigmas_[stepIndex]);
        return noisy.to(original.scalar_type());
    }

private:
    bool ancestral_;
};

// diffusers' _sigma_to_t: the (fractional) training timestep whose log-sigma matches, by linear
// interpolation in log-sigma; `logSigmas` ascending.
double sigmaToTimestep(double sigma, const std::vector<float>& logSigmas) {
    const double logSigma = std::log(std::max(sigma, 1e-10));
    // low = argmax(cumsum(logSigma - logSigmas >= 0)), i.e. the first index where the running
    // count of entries <= logSigma reaches its final value; 0 if there is none.
    std::size_t count = 0, best = 0, low = 0;
    for (std::size_t i = 0; i < logSigmas.size(); ++i) {
        if (logSigma - double(logSigmas[i]) >= 0) ++count;
        if (count > best) {
            best = count;
            low = i;
        }
    }
    low = std::min(low, logSigmas.size() - 2);
    const std::size_t high = low + 1;
    const double lowValue = logSigmas[low];
    const double highValue = logSigmas[high];
    const double w = std::clamp((lowValue - logSigma) / (lowValue - highValue), 0.0, 1.0);
    return (1 - w) * double(low) + w * double(high);
}

// log and exp through ATen's own kernels: the reference takes them of 0-d float32 tensors, and
// ATen's vectorised log/exp can differ from libm's in the last bit.
float atenLog(float value) { return at::log(at::scalar_tensor(value, at::kFloat)).item<float>(); }
float atenExp(float value) { return at::exp(at::scalar_tensor(value, at::kFloat)).item<float>(); }

struct AlphaSigma {
    float alpha;
    float sigma;
    float lambda;  // log(alpha) - log(sigma); +inf at sigma 0
};
AlphaSigma alphaSigma(double sigma32) {
    const auto sigma = float(sigma32);
    const float alpha = 1.0f / std::sqrt(sigma * sigma + 1.0f);
    const float s = sigma * alpha;
    return {alpha, s, atenLog(alpha) - atenLog(s)};
}

class DpmPP2MKarrasScheduler final : public Scheduler {
public:
    explicit DpmPP2MKarrasScheduler(const ScheduleConfig& config) : Scheduler(config) {
        if (config.solverOrder < 1 || config.solverOrder > 2) {
            throw std::invalid_argument("dpmpp_2m_karras: solver_order must be 1 or 2");
        }
    }

    SchedulerKind kind() const override { return SchedulerKind::DpmPP2MKarras; }

    void setTimesteps(int numInferenceSteps) override {
        checkStepCount(numInferenceSteps);
        numInferenceSteps_ = numInferenceSteps;
        const std::vector<float> table = trainingSigmas(alphasCumprodValues_);
        std::vector<float> logSigmas;
        for (float s : table) logSigmas.push_back(std::log(s));  // float32, as numpy on float32

        // Karras et al. (2022) rho = 7 spacing between the schedule's extreme sigmas, in double.
        const double rho = 7.0;
        const double minInvRho = std::pow(double(table.front()), 1 / rho);
        const double maxInvRho = std::pow(double(table.back()), 1 / rho);
        timesteps_.clear();
        sigmas_.clear();
        for (double ramp : npLinspace(0, 1, numInferenceSteps)) {
            const double sigma = std::pow(maxInvRho + ramp * (minInvRho - maxInvRho), rho);
            timesteps_.push_back(npRound(sigmaToTimestep(sigma, logSigmas)));
            sigmas_.push_back(float(sigma));
        }
        sigmas_.push_back(config_.finalSigmasType == FinalSigmas::Zero ? 0.0 : table.front());
        history_.assign(std::size_t(config_.solverOrder), at::Tensor());
        lowerOrderSteps_ = 0;
    }

    StepOutput step(const at::Tensor& modelOutput, std::size_t stepIndex, const at::Tensor& sample,
                    NoiseSource&) override {
        checkStep(modelOutput, stepIndex, sample);
        const auto type = computeType(sample);
        const at::Tensor x = sample.to(type);
        const at::Tensor m = modelOutput.to(type);
        const std::size_t count = timesteps_.size();
        const bool lastStep = stepIndex == count - 1;
        const bool lowerOrderFinal =
            lastStep && (config_.eulerAtFinal || (config_.lowerOrderFinal && count < 15) ||
                         config_.finalSigmasType == FinalSigmas::Zero);

        // dpmsolver++ works on the x0 prediction; keep the last solverOrder of them.
        const AlphaSigma s0 = alphaSigma(sigmas_[stepIndex]);
        at::Tensor x0;
        switch (config_.predictionType) {
            case PredictionType::Epsilon:
                x0 = (x - s0.sigma * m) / s0.alpha;
                break;
            case PredictionType::Sample:
                x0 = m;
                break;
            case PredictionType::VPrediction:
                x0 = s0.alpha * x - s0.sigma * m;
                break;
        }
        std::rotate(history_.begin(), history_.begin() + 1, history_.end());
        history_.back() = x0;

        const double sigmaNext = sigmas_[stepIndex + 1];
        at::Tensor prev;
        if (sigmaNext == 0) {
            prev = x0;  // the first-order update's limit: sigma_t/sigma_s = 0, exp(-h) = 0
        } else {
            const AlphaSigma t = alphaSigma(sigmaNext);
            const float h = t.lambda - s0.lambda;
            const float expm1 = atenExp(-h) - 1.0f;
            if (config_.solverOrder == 1 || lowerOrderSteps_ < 1 || lowerOrderFinal ||
                stepIndex == 0) {
                prev = (t.sigma / s0.sigma) * x - (t.alpha * expm1) * x0;
            } else {
                // multistep second order, midpoint form
                const AlphaSigma s1 = alphaSigma(sigmas_[stepIndex - 1]);
                const float r0 = (s0.lambda - s1.lambda) / h;
                const at::Tensor& m0 = history_[history_.size() - 1];
                const at::Tensor& m1 = history_[history_.size() - 2];
                const at::Tensor d1 = (1.0f / r0) * (m0 - m1);
                prev = (t.sigma / s0.sigma) * x - (t.alpha * expm1) * m0 -
                       (0.5f * (t.alpha * expm1)) * d1;
            }
        }
        if (lowerOrderSteps_ < config_.solverOrder) ++lowerOrderSteps_;
        return {prev.to(sample.scalar_type()), at::Tensor()};
    }

    at::Tensor addNoise(const at::Tensor& original, const at::Tensor& noise,
                        std::size_t stepIndex) const override {
        checkIndex(stepIndex, timesteps_.size(), "addNoise");
        const AlphaSigma a = alphaSigma(sigmas_[stepIndex]);
        const auto type = computeType(original);
        const at::Tensor noisy =
            a.alpha * original.to(type) + a.sigma * noise.to(original.device(), type);
        return noisy.to(original.scalar_type());
    }

private:
    std::vector<at::Tensor> history_;  // x0 predictions, newest last
    int lowerOrderSteps_ = 0;          // diffusers' lower_order_nums
};

}  // namespace

std::unique_ptr<Scheduler> makeEuler(const ScheduleConfig& config, bool ancestral) {
    return std::make_unique<EulerScheduler>(config, ancestral);
}
std::unique_ptr<Scheduler> makeDpmPP2MKarras(const ScheduleConfig& config) {
    return std::make_unique<DpmPP2MKarrasScheduler>(config);
}

}  // namespace atelier::inference::schedulers_detail
