#pragma once
// Internal to inference/: the x4 upscaler's low-res conditioning augmentation. The low-res image
// (in [-1, 1]) is noised once, on its own schedule, at `noise_level`, which is also the UNet's
// class label: noised = sqrt(ac[l]) * image + sqrt(1 - ac[l]) * noise. Equal to diffusers'
// low_res_scheduler.add_noise and to LDM's ImageConcatWithNoiseAugmentation.
#include "inference/schedulers/noise_source.h"
#include "inference/schedulers/schedule_config.h"

#include <ATen/Tensor.h>

namespace atelier::inference {

// scaled_linear 1e-4..0.02 over 1000 steps (the yaml's "linear" is this schedule).
ScheduleConfig x4LowResNoiseScheduleConfig();
// The upscaler's main (denoising) schedule: the same betas, v-prediction.
ScheduleConfig x4UpscalerScheduleConfig();

class LowResNoiseAugmentation {
public:
    static constexpr int kDefaultMaxNoiseLevel = 350;  // the released model's max_noise_level

    // Throws std::invalid_argument unless 0 <= maxNoiseLevel < the schedule's length.
    explicit LowResNoiseAugmentation(const ScheduleConfig& schedule = x4LowResNoiseScheduleConfig(),
                                     int maxNoiseLevel = kDefaultMaxNoiseLevel);

    int maxNoiseLevel() const { return maxNoiseLevel_; }
    const at::Tensor& alphasCumprod() const { return alphasCumprod_; }

    // noiseLevel outside [0, maxNoiseLevel] throws std::invalid_argument; `noise` has image's
    // shape. The result has image's dtype and device.
    at::Tensor apply(const at::Tensor& image, const at::Tensor& noise, int noiseLevel) const;
    // Draws the noise (one tensor of image's shape, as the reference pipeline does) first.
    at::Tensor apply(const at::Tensor& image, int noiseLevel, NoiseSource& noise) const;

private:
    void checkLevel(int noiseLevel) const;

    at::Tensor alphasCumprod_;
    int maxNoiseLevel_;
};

}  // namespace atelier::inference
