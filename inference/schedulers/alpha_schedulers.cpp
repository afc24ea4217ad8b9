// DDIM, DDPM and PNDM (PLMS): samplers on integer timesteps that read alphas_cumprod directly.
// Ports of diffusers 0.27.2's scheduling_ddim.py, scheduling_ddpm.py and scheduling_pndm.py.
#include "inference/schedulers/scheduler_kinds.h"

#include <ATen/Functions.h>
#include <ATen/TensorOperators.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace atelier::inference::schedulers_detail {

namespace {

// The reference computes every schedule coefficient as a float32 0-d tensor; doing the same in
// float (and the tensor operations in the same order) reproduces its results to the last bits.
float sqrtf32(float value) { return std::sqrt(value); }

// x0 and epsilon from the model output, for the three prediction types.
struct Predicted {
    at::Tensor x0;
    at::Tensor epsilon;
};

Predicted predict(PredictionType type, const at::Tensor& modelOutput, const at::Tensor& sample,
                  float alphaProd) {
    const float a = sqrtf32(alphaProd);
    const float b = sqrtf32(1.0f - alphaProd);
    switch (type) {
        case PredictionType::Epsilon:
            return {(sample - b * modelOutput) / a, modelOutput};
        case PredictionType::Sample:
            return {modelOutput, (sample - a * modelOutput) / b};
        case PredictionType::VPrediction:
            return {a * sample - b * modelOutput, a * modelOutput + b * sample};
    }
    throw std::invalid_argument("unknown prediction type");
}

class DdimScheduler final : public Scheduler {
public:
    DdimScheduler(const ScheduleConfig& config, double eta) : Scheduler(config), eta_(eta) {}

    SchedulerKind kind() const override { return SchedulerKind::Ddim; }

    void setTimesteps(int numInferenceSteps) override {
        checkStepCount(numInferenceSteps);
        numInferenceSteps_ = numInferenceSteps;
        timesteps_ = spacedTimesteps(config_, numInferenceSteps, true);
    }

    StepOutput step(const at::Tensor& modelOutput, std::size_t stepIndex, const at::Tensor& sample,
                    NoiseSource& noise) override {
        checkStep(modelOutput, stepIndex, sample);
        const auto type = computeType(sample);
        const at::Tensor x = sample.to(type);
        const at::Tensor m = modelOutput.to(type);

        // diffusers steps by a fixed stride from the current timestep, not to the next entry.
        const auto t = int64_t(timesteps_[stepIndex]);
        const int64_t prevT = t - config_.numTrainTimesteps / numInferenceSteps_;
        const float alphaProd = alphaCumprod(t);
        const float alphaProdPrev = prevT >= 0 ? alphaCumprod(prevT) : finalAlphaCumprod();

        Predicted p = predict(config_.predictionType, m, x, alphaProd);
        p.x0 = clipPredictedSample(config_, p.x0);

        const float variance =
            ((1.0f - alphaProdPrev) / (1.0f - alphaProd)) * (1.0f - alphaProd / alphaProdPrev);
        const float stdDev = float(eta_) * sqrtf32(variance);
        const at::Tensor direction = sqrtf32(1.0f - alphaProdPrev - stdDev * stdDev) * p.epsilon;
        at::Tensor prev = sqrtf32(alphaProdPrev) * p.x0 + direction;
        if (eta_ > 0) {
            prev = prev + stdDev * noise.next(x.sizes(), x.options(), "ddim step");
        }
        return {prev.to(sample.scalar_type()), p.x0.to(sample.scalar_type())};
    }

private:
    float finalAlphaCumprod() const { return config_.setAlphaToOne ? 1.0f : alphaCumprod(0); }

    double eta_;
};

class DdpmScheduler final : public Scheduler {
public:
    explicit DdpmScheduler(const ScheduleConfig& config) : Scheduler(config) {}

    SchedulerKind kind() const override { return SchedulerKind::Ddpm; }

    void setTimesteps(int numInferenceSteps) override {
        checkStepCount(numInferenceSteps);
        numInferenceSteps_ = numInferenceSteps;
        timesteps_ = spacedTimesteps(config_, numInferenceSteps, true);
    }

    StepOutput step(const at::Tensor& modelOutput, std::size_t stepIndex, const at::Tensor& sample,
                    NoiseSource& noise) override {
        checkStep(modelOutput, stepIndex, sample);
        const auto type = computeType(sample);
        const at::Tensor x = sample.to(type);
        const at::Tensor m = modelOutput.to(type);

        const auto t = int64_t(timesteps_[stepIndex]);
        const int64_t prevT = t - config_.numTrainTimesteps / numInferenceSteps_;
        const float alphaProd = alphaCumprod(t);
        const float alphaProdPrev = prevT >= 0 ? alphaCumprod(prevT) : 1.0f;  // DDPM: not ac[0]
        const float betaProd = 1.0f - alphaProd;
        const float betaProdPrev = 1.0f - alphaProdPrev;
        const float currentAlpha = alphaProd / alphaProdPrev;
        const float currentBeta = 1.0f - currentAlpha;

        Predicted p = predict(config_.predictionType, m, x, alphaProd);
        p.x0 = clipPredictedSample(config_, p.x0);

        const float x0Coeff = (sqrtf32(alphaProdPrev) * currentBeta) / betaProd;
        const float sampleCoeff = sqrtf32(currentAlpha) * betaProdPrev / betaProd;
        at::Tensor prev = x0Coeff * p.x0 + sampleCoeff * x;
        if (t > 0) {
            float variance = std::max(betaProdPrev / betaProd * currentBeta, 1e-20f);
            if (config_.varianceType == DdpmVarianceType::FixedLarge) variance = currentBeta;
            prev = prev + sqrtf32(variance) * noise.next(x.sizes(), x.options(), "ddpm step");
        }
        return {prev.to(sample.scalar_type()), p.x0.to(sample.scalar_type())};
    }
};

// PNDM with skip_prk_steps: linear multistep (PLMS) on the model outputs of past steps. The
// first step is taken twice (second-order start), so timesteps() repeats one entry.
class PndmScheduler final : public Scheduler {
public:
    explicit PndmScheduler(const ScheduleConfig& config) : Scheduler(config) {
        if (config.predictionType == PredictionType::Sample) {
            throw std::invalid_argument("pndm: prediction type \"sample\" is not supported");
        }
    }

    SchedulerKind kind() const override { return SchedulerKind::Pndm; }

    void setTimesteps(int numInferenceSteps) override {
        checkStepCount(numInferenceSteps);
        numInferenceSteps_ = numInferenceSteps;
        // spacedTimesteps is descending; PNDM's construction reads it ascending.
        std::vector<double> ascending = spacedTimesteps(config_, numInferenceSteps, true);
        std::reverse(ascending.begin(), ascending.end());
        // concat([:-1], [-2:-1], [-1:]) reversed: the second-to-last entry appears twice.
        std::vector<double> plms(ascending.begin(), ascending.end() - 1);
        if (ascending.size() >= 2) plms.push_back(ascending[ascending.size() - 2]);
        plms.push_back(ascending.back());
        timesteps_.assign(plms.rbegin(), plms.rend());
        ets_.clear();
        counter_ = 0;
        curSample_ = at::Tensor();
    }

    StepOutput step(const at::Tensor& modelOutput, std::size_t stepIndex, const at::Tensor& sample,
                    NoiseSource&) override {
        checkStep(modelOutput, stepIndex, sample);
        const auto type = computeType(sample);
        at::Tensor x = sample.to(type);
        const at::Tensor m = modelOutput.to(type);

        // The multistep state follows the calls (diffusers' counter), not stepIndex: an img2img
        // run that starts late begins its history afresh, as the reference does.
        const int64_t stride = config_.numTrainTimesteps / numInferenceSteps_;
        auto t = int64_t(timesteps_[stepIndex]);
        int64_t prevT = t - stride;
        if (counter_ != 1) {
            if (ets_.size() > 3) ets_.erase(ets_.begin(), ets_.end() - 3);
            ets_.push_back(m);
        } else {
            prevT = t;
            t = t + stride;
        }

        at::Tensor combined;
        const std::size_t n = ets_.size();
        if (n == 1 && counter_ == 0) {
            combined = m;
            curSample_ = x;
        } else if (n == 1 && counter_ == 1) {
            combined = (m + ets_.back()) / 2;
            x = curSample_;
            curSample_ = at::Tensor();
        } else if (n == 2) {
            combined = (3 * ets_[1] - ets_[0]) / 2;
        } else if (n == 3) {
            combined = (23 * ets_[2] - 16 * ets_[1] + 5 * ets_[0]) / 12;
        } else {
            combined = (1.0 / 24) *
                       (55 * ets_[n - 1] - 59 * ets_[n - 2] + 37 * ets_[n - 3] - 9 * ets_[n - 4]);
        }
        const at::Tensor prev = previousSample(x, t, prevT, combined);
        ++counter_;
        return {prev.to(sample.scalar_type()), at::Tensor()};
    }

private:
    at::Tensor previousSample(const at::Tensor& sample, int64_t t, int64_t prevT,
                              at::Tensor modelOutput) const {
        const float alphaProd = alphaCumprod(t);
        const float alphaProdPrev =
            prevT >= 0 ? alphaCumprod(prevT) : (config_.setAlphaToOne ? 1.0f : alphaCumprod(0));
        const float betaProd = 1.0f - alphaProd;
        const float betaProdPrev = 1.0f - alphaProdPrev;
        if (config_.predictionType == PredictionType::VPrediction) {
            modelOutput = sqrtf32(alphaProd) * modelOutput + sqrtf32(betaProd) * sample;
        }
        const float sampleCoeff = sqrtf32(alphaProdPrev / alphaProd);
        const float denominator =
            alphaProd * sqrtf32(betaProdPrev) + sqrtf32(alphaProd * betaProd * alphaProdPrev);
        return sampleCoeff * sample - ((alphaProdPrev - alphaProd) * modelOutput) / denominator;
    }

    std::vector<at::Tensor> ets_;  // past model outputs, newest last (at most 4)
    int counter_ = 0;
    at::Tensor curSample_;
};

}  // namespace

std::unique_ptr<Scheduler> makeDdim(const ScheduleConfig& config, double eta) {
    return std::make_unique<DdimScheduler>(config, eta);
}
std::unique_ptr<Scheduler> makeDdpm(const ScheduleConfig& config) {
    return std::make_unique<DdpmScheduler>(config);
}
std::unique_ptr<Scheduler> makePndm(const ScheduleConfig& config) {
    return std::make_unique<PndmScheduler>(config);
}

}  // namespace atelier::inference::schedulers_detail
