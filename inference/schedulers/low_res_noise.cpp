#include "inference/schedulers/low_res_noise.h"

#include <ATen/Functions.h>
#include <ATen/TensorOperators.h>

#include <cmath>
#include <stdexcept>
#include <string>

namespace atelier::inference {

ScheduleConfig x4LowResNoiseScheduleConfig() {
    ScheduleConfig c;
    c.betaStart = 0.0001;
    c.betaEnd = 0.02;
    c.betaSchedule = BetaSchedule::ScaledLinear;
    c.stepsOffset = 0;
    return c;
}

ScheduleConfig x4UpscalerScheduleConfig() {
    ScheduleConfig c;
    c.betaStart = 0.0001;
    c.betaEnd = 0.02;
    c.betaSchedule = BetaSchedule::ScaledLinear;
    c.predictionType = PredictionType::VPrediction;
    return c;
}

LowResNoiseAugmentation::LowResNoiseAugmentation(const ScheduleConfig& schedule, int maxNoiseLevel)
    : alphasCumprod_(inference::alphasCumprod(schedule)), maxNoiseLevel_(maxNoiseLevel) {
    if (maxNoiseLevel < 0 || maxNoiseLevel >= schedule.numTrainTimesteps) {
        throw std::invalid_argument("max_noise_level " + std::to_string(maxNoiseLevel) +
                                    " must be in [0, " +
                                    std::to_string(schedule.numTrainTimesteps - 1) + "]");
    }
}

void LowResNoiseAugmentation::checkLevel(int noiseLevel) const {
    if (noiseLevel < 0 || noiseLevel > maxNoiseLevel_) {
        throw std::invalid_argument("noise_level " + std::to_string(noiseLevel) +
                                    " is outside [0, " + std::to_string(maxNoiseLevel_) + "]");
    }
}

at::Tensor LowResNoiseAugmentation::apply(const at::Tensor& image, const at::Tensor& noise,
                                          int noiseLevel) const {
    checkLevel(noiseLevel);
    if (!noise.defined() || noise.sizes() != image.sizes()) {
        throw std::invalid_argument("low-res noise must have the image's shape");
    }
    const float ac = alphasCumprod_[noiseLevel].item<float>();  // float32 math, as the reference
    const auto type = image.scalar_type() == at::kDouble ? at::kDouble : at::kFloat;
    const at::Tensor noised =
        std::sqrt(ac) * image.to(type) + std::sqrt(1.0f - ac) * noise.to(image.device(), type);
    return noised.to(image.scalar_type());
}

at::Tensor LowResNoiseAugmentation::apply(const at::Tensor& image, int noiseLevel,
                                          NoiseSource& noise) const {
    checkLevel(noiseLevel);  // before drawing: a refused request consumes no noise
    const auto type = image.scalar_type() == at::kDouble ? at::kDouble : at::kFloat;
    const at::Tensor drawn =
        noise.next(image.sizes(), image.options().dtype(type), "x4 low-res noise");
    return apply(image, drawn, noiseLevel);
}

}  // namespace atelier::inference
