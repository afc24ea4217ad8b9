#pragma once
// The public face of the SD2 model core, in plain C++ value types (no torch): what app/, ui/
// and atelier-cli use. A model is a single-file checkpoint (original layout, its .yaml beside
// it) or a diffusers folder; opening reads headers and configs only and refuses a file that
// does not fit the architecture; networks load lazily on first use.
//
// Errors: WeightsError (inference/weights/safetensors_file.h) for unreadable, malformed or
// mismatched model files; RequestError for a bad argument (device, dtype, prompt...).
#include "inference/weights/safetensors_file.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace atelier::inference {

struct RequestError : std::invalid_argument {
    using std::invalid_argument::invalid_argument;
};

struct ModelOptions {
    std::string device = "cpu";  // "cpu", "cuda", "cuda:N"
    std::string dtype = "fp32";  // "fp32", "fp16", "bf16" for the UNet and text encoder
    std::string vaeDtype = "fp32";  // the VAE decodes in fp32 by default (fp16 overflows)
    std::optional<std::string> prediction;  // "epsilon" / "v": overrides what the files say
    std::string configPath;                 // an explicit .yaml for a single file
    // CPU threads for libtorch's intra-op pool (process-wide). 0: every logical CPU - libtorch's
    // own default counts physical cores only, which halves speed on 2-vCPU machines.
    int threads = 0;
};

struct ComponentSummary {
    std::string name;      // "unet", "vae", "text encoder"
    std::string file;
    int64_t parameters = 0;  // of the network as run (the text encoder's unused layer excluded)
    int64_t tensorsInFile = 0;
    std::string fileDtypes;  // e.g. "F32" or "F16, F32"
    std::vector<std::pair<std::string, std::string>> details;  // architecture facts, in order
    double loadSeconds = -1;  // < 0: not loaded
};

struct ModelSummary {
    std::string path;
    std::string layout;            // "single file (original layout)" / "diffusers folder"
    std::string variant;           // txt2img-eps, txt2img-v, inpainting, depth, x4-upscaler
    std::string prediction;        // "epsilon" / "v"
    std::string predictionSource;  // where it came from (a config, an assumption, the user)
    std::string configSource;
    std::vector<std::string> assumptions;
    std::vector<std::string> notes;
    std::vector<ComponentSummary> components;
    double openSeconds = 0;
};

// A float32 tensor as plain data, row-major.
struct FloatTensor {
    std::vector<int64_t> shape;
    std::vector<float> values;
};

class Sd2Model {
public:
    static Sd2Model open(const std::string& path, const ModelOptions& options = {});
    Sd2Model(Sd2Model&&) noexcept;
    Sd2Model& operator=(Sd2Model&&) noexcept;
    ~Sd2Model();

    const ModelSummary& summary() const;
    // Loads every network now and records each one's load time in summary().
    void loadAll();

    // The conditioning the UNet receives for `prompt`: float32 [1, 77, width] (SD2: tokenize,
    // OpenCLIP text tower to the penultimate layer, ln_final).
    FloatTensor encodePrompt(const std::string& prompt);

    struct Impl;
    Impl& impl() { return *impl_; }
    friend Sd2Model fullSizeRandomModel(const ModelOptions& options, uint64_t seed);

private:
    explicit Sd2Model(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

// Writes `tensors` (name, tensor) as float32 into a .safetensors file, atomically.
void writeFloatTensors(const std::string& path,
                       const std::vector<std::pair<std::string, const FloatTensor*>>& tensors);

}  // namespace atelier::inference
