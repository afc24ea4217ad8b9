#pragma once
// Internal to inference/: the noise schedule a model was trained with, as diffusers'
// `scheduler_config.json` describes it, and the tensors derived from it.
//
// The defaults are SD2's (what diffusers' converter writes for every SD2 checkpoint), not the
// defaults of any one diffusers class: a key missing from a JSON file keeps the SD2 value.
// Which sampler runs is chosen separately (scheduler.h); keys that only pick a sampler variant
// (`use_karras_sigmas`, `algorithm_type`, `solver_type`, ...) are therefore ignored here.
#include <ATen/Tensor.h>

#include <stdexcept>
#include <string>

namespace atelier::inference {

// A scheduler config that cannot be used; the message names the file and the key.
struct ScheduleConfigError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

enum class BetaSchedule {
    Linear,           // linspace(betaStart, betaEnd)
    ScaledLinear,     // linspace(sqrt(betaStart), sqrt(betaEnd))^2 (= LDM's "linear")
    SquaredCosCapV2,  // the cosine schedule (betas_for_alpha_bar), betaStart/End unused
};
enum class PredictionType { Epsilon, VPrediction, Sample };
enum class TimestepSpacing { Leading, Trailing, Linspace };
enum class DdpmVarianceType { FixedSmall, FixedLarge };
enum class FinalSigmas { Zero, SigmaMin };  // DPM++: the sigma after the last step

struct ScheduleConfig {
    int numTrainTimesteps = 1000;
    double betaStart = 0.00085;
    double betaEnd = 0.012;
    BetaSchedule betaSchedule = BetaSchedule::ScaledLinear;
    PredictionType predictionType = PredictionType::Epsilon;
    int stepsOffset = 1;
    bool setAlphaToOne = false;  // DDIM/PNDM: alpha_prev of the last step is 1, not ac[0]
    TimestepSpacing timestepSpacing = TimestepSpacing::Leading;
    bool clipSample = false;  // DDIM/DDPM: clamp the predicted x0 to +-clipSampleRange
    double clipSampleRange = 1.0;
    DdpmVarianceType varianceType = DdpmVarianceType::FixedSmall;
    // DPM++ (the reference builds it with from_config + these values)
    int solverOrder = 2;  // 1 or 2
    bool lowerOrderFinal = true;
    bool eulerAtFinal = false;
    FinalSigmas finalSigmasType = FinalSigmas::Zero;
};

// The x4 upscaler's schedules and LDM's SD2 schedule differ only in the beta range.
ScheduleConfig sd2ScheduleConfig();

// alphas_cumprod [numTrainTimesteps], float32 on the CPU, computed as diffusers does (float32
// linspace, square, 1 - betas, cumprod), so the values are bit-identical to the reference's.
at::Tensor alphasCumprod(const ScheduleConfig& config);

// Reads a diffusers `scheduler_config.json`. Unknown keys are ignored, missing keys keep the
// defaults above; a wrong type, an out-of-range value or a feature SD2 never uses
// (trained_betas, thresholding, rescale_betas_zero_snr, learned variances) throws
// ScheduleConfigError naming `fileForErrors` and the key. Python's `Infinity`/`NaN` literals,
// which diffusers writes (e.g. lambda_min_clipped), are accepted.
ScheduleConfig scheduleConfigFromDiffusersJson(const std::string& jsonText,
                                               const std::string& fileForErrors);

// The same for a file (refused above 1 MiB: a scheduler config is a few hundred bytes).
ScheduleConfig scheduleConfigFromDiffusersFile(const std::string& path);

// Python's json module writes -Infinity, Infinity and NaN as bare words, which strict JSON parsers
// refuse; this turns them (outside strings) into the strings "-Infinity", "Infinity", "NaN".
std::string quotePythonJsonConstants(const std::string& jsonText);

const char* predictionTypeName(PredictionType type);

}  // namespace atelier::inference
