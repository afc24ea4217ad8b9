#pragma once
// Internal to inference/: the samplers of the SD2 pipelines, one small API like diffusers'
// (set_timesteps, scale_model_input, step, add_noise), numerically equal to diffusers 0.27.2's
// DDIMScheduler, EulerDiscreteScheduler, EulerAncestralDiscreteScheduler,
// DPMSolverMultistepScheduler (dpmsolver++, Karras sigmas), DDPMScheduler and PNDMScheduler
// (skip_prk_steps, i.e. PLMS).
//
// Steps are addressed by index into timesteps(), not by timestep value (PNDM repeats one, and
// img2img starts in the middle). Step state (PNDM's and DPM++'s history) lives in the scheduler
// and is reset by setTimesteps(); a scheduler runs one denoising loop at a time.
//
// Any sample shape, dtype and device: the arithmetic runs in float32 (float64 stays float64) on
// the sample's device and results come back in the sample's dtype. Schedule coefficients are
// host scalars, so no step reads anything back from the device.
#include "inference/schedulers/noise_source.h"
#include "inference/schedulers/schedule_config.h"

#include <ATen/Tensor.h>

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

namespace atelier::inference {

enum class SchedulerKind { Ddim, Euler, EulerAncestral, DpmPP2MKarras, Ddpm, Pndm };

// "ddim", "euler", "euler_a", "dpmpp_2m_karras", "ddpm", "pndm"; anything else throws
// std::invalid_argument listing the valid names.
SchedulerKind parseSchedulerName(const std::string& name);
const char* schedulerName(SchedulerKind kind);
// The kind a diffusers `_class_name` stands for ("DDIMScheduler", "EulerDiscreteScheduler",
// "EulerAncestralDiscreteScheduler", "DPMSolverMultistepScheduler", "DDPMScheduler",
// "PNDMScheduler"): a model's default sampler. Others throw std::invalid_argument.
SchedulerKind schedulerKindForDiffusersClass(const std::string& className);
const std::vector<std::string>& schedulerNames();

struct StepOutput {
    at::Tensor prevSample;
    at::Tensor predOriginalSample;  // the model's x0 estimate; undefined for PNDM and DPM++
};

class Scheduler {
public:
    virtual ~Scheduler();
    Scheduler(const Scheduler&) = delete;
    Scheduler& operator=(const Scheduler&) = delete;

    virtual SchedulerKind kind() const = 0;

    // 1 <= numInferenceSteps <= numTrainTimesteps, else std::invalid_argument. Resets step state.
    virtual void setTimesteps(int numInferenceSteps) = 0;
    int numInferenceSteps() const { return numInferenceSteps_; }
    // What the UNet gets, one per step (PNDM has numInferenceSteps + 1, repeating one).
    const std::vector<double>& timesteps() const { return timesteps_; }
    // Euler/Euler-a/DPM++: the sigma of every step plus the final one (as float32 values, like
    // the reference); empty for the others.
    const std::vector<double>& sigmas() const { return sigmas_; }

    // Initial latents are noise * initNoiseSigma() (txt2img).
    virtual double initNoiseSigma() const { return 1.0; }
    // The UNet's input at step `stepIndex` (identity except for the Euler samplers).
    virtual at::Tensor scaleModelInput(const at::Tensor& sample, std::size_t stepIndex) const;
    // One denoising step from timesteps()[stepIndex]. Draws from `noise` exactly as often as
    // diffusers does (DDIM only with eta > 0; Euler one unused draw per step, as diffusers).
    // Throws std::logic_error before setTimesteps, std::out_of_range for a bad index,
    // std::invalid_argument for mismatched shapes.
    virtual StepOutput step(const at::Tensor& modelOutput, std::size_t stepIndex,
                            const at::Tensor& sample, NoiseSource& noise) = 0;
    // img2img: `original` noised to the level of step `stepIndex` (the first step to run).
    virtual at::Tensor addNoise(const at::Tensor& original, const at::Tensor& noise,
                                std::size_t stepIndex) const;
    // img2img: index of the first step to run for `strength` in [0, 1] (diffusers:
    // init_timestep = min(int(N * strength), N), t_start = N - init_timestep, times order()).
    // Strength 0 gives timesteps().size() for all but PNDM: nothing to run.
    std::size_t firstStepForStrength(double strength) const;
    // diffusers' `order`: model evaluations per step; 1 for every scheduler here.
    virtual int order() const { return 1; }

    const ScheduleConfig& config() const { return config_; }
    const at::Tensor& alphasCumprod() const { return alphasCumprod_; }  // float32, CPU

protected:
    explicit Scheduler(const ScheduleConfig& config);

    // Throws for a call before setTimesteps, an index past the end, mismatched tensors.
    void checkStep(const at::Tensor& modelOutput, std::size_t stepIndex,
                   const at::Tensor& sample) const;
    void checkIndex(std::size_t stepIndex, std::size_t count, const char* what) const;
    void checkStepCount(int numInferenceSteps) const;
    float alphaCumprod(int64_t timestep) const;

    ScheduleConfig config_;
    at::Tensor alphasCumprod_;
    std::vector<float> alphasCumprodValues_;
    int numInferenceSteps_ = 0;
    std::vector<double> timesteps_;
    std::vector<double> sigmas_;
};

// ddimEta is used by DDIM only (0: deterministic; 1: DDPM-like noise every step). Throws
// std::invalid_argument for a prediction type the scheduler does not support (diffusers'
// Euler-a and PNDM have no "sample" prediction) or a negative eta.
std::unique_ptr<Scheduler> makeScheduler(SchedulerKind kind, const ScheduleConfig& config,
                                         double ddimEta = 0.0);

}  // namespace atelier::inference
