#pragma once
// Internal to inference/: an SD2 model on disk, opened from headers and configs only.
//
// Two layouts: the original single file (`model.diffusion_model.*`, `first_stage_model.*`,
// `cond_stage_model.model.*`, with its inference `.yaml` beside it when present) and diffusers
// folders (`model_index.json`, `unet/`, `vae/`, `text_encoder/`, `scheduler/`). Both end up as
// per-component recipes in the original naming, configs detected from shapes, the prediction
// type with where it came from, and a list of what had to be assumed. Opening also checks every
// component's names and shapes against the network its config describes (built on the meta
// device: no memory), so a wrong or damaged file is refused before any weight is read.
#include "inference/models/diffusers_names.h"
#include "inference/models/model_configs.h"
#include "inference/weights/safetensors_file.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace atelier::inference {

enum class CheckpointLayout { SingleFile, Diffusers };
enum class ModelVariant { TextToImage, Inpainting, Depth, Upscaler };
enum class Prediction { Epsilon, V };

const char* layoutName(CheckpointLayout layout);
const char* predictionName(Prediction prediction);
// "txt2img-eps", "txt2img-v", "inpainting", "depth", "x4-upscaler" (the reference's names).
std::string variantName(ModelVariant variant, Prediction prediction);

struct ComponentSource {
    Component component = Component::UNet;
    std::shared_ptr<const SafetensorsFile> file;
    std::string prefix;       // prepended to every recipe source name to find it in `file`
    TensorRecipes recipes;    // LDM name (component-relative) -> how to assemble it
    std::vector<std::string> unused;  // LDM names in the file the network does not run
};

// The diffusion schedule the model was trained with (the samplers' parameters come from it).
struct TrainingSchedule {
    double betaStart = 0.00085;
    double betaEnd = 0.012;
    int64_t numTrainTimesteps = 1000;
    std::string schedulerConfigJson;  // diffusers scheduler_config.json text, when there is one
    // x4 upscaler: the low-resolution image's noise augmentation.
    double lowResBetaStart = 0.0001;
    double lowResBetaEnd = 0.02;
    int64_t maxNoiseLevel = 350;
};

struct CheckpointOptions {
    std::optional<Prediction> prediction;  // the user's explicit choice wins over configs
    std::string configPath;                // an explicit .yaml for a single file
};

struct ModelCheckpoint {
    std::string path;
    CheckpointLayout layout = CheckpointLayout::SingleFile;
    ModelVariant variant = ModelVariant::TextToImage;
    Prediction prediction = Prediction::Epsilon;
    std::string predictionSource;  // where the prediction type came from
    std::string configSource;      // the yaml / folder configs read, or "none"
    std::vector<std::string> assumptions;  // what had to be assumed, said to the user
    std::vector<std::string> notes;        // file contents deliberately not used
    ComponentSource unet, vae, text;
    UNetConfig unetConfig;
    VaeConfig vaeConfig;
    TextEncoderConfig textConfig;
    TrainingSchedule schedule;
    int64_t sampleSize = 64;  // the UNet's native latent side (txt2img's default size / VAE factor)
    std::string schedulerClass;  // diffusers folder: the scheduler config's _class_name
};

// Throws WeightsError with the path and what is wrong (unreadable, not SD2, an SD1.x file,
// mismatched tensors with the list of mismatches, a folder whose files point outside it).
ModelCheckpoint openCheckpoint(const std::string& path, const CheckpointOptions& options = {});

// Implemented with the networks (torch): builds each network on the meta device from the
// detected config and compares names and shapes; throws WeightsError listing the mismatches.
void validateCheckpointLayout(const ModelCheckpoint& checkpoint);

}  // namespace atelier::inference
