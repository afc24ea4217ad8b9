#pragma once
// Internal to inference/: where the Gaussian noise of a generation comes from. Every draw of a
// pipeline (initial latents, the VAE posterior sample, add_noise, the noise ancestral samplers
// inject each step) goes through one NoiseSource, in the order diffusers draws it, so a recorded
// reference run can be replayed draw for draw and a seed reproduces an image on any device.
#include <ATen/Tensor.h>
#include <ATen/core/Generator.h>

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace atelier::inference {

// A draw a NoiseSource cannot serve; the message names the source, the draw index and the site.
struct NoiseError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

class NoiseSource {
public:
    virtual ~NoiseSource() = default;
    // A standard normal tensor of `shape` with `like`'s dtype and device. `site` names the caller
    // (e.g. "initial latents", "euler_a step") for error messages.
    virtual at::Tensor next(at::IntArrayRef shape, const at::TensorOptions& like,
                            const char* site) = 0;
};

// Draws on the CPU in float32 from its own generator and then moves/casts to `like`: the same seed
// gives the same numbers on the CPU and on CUDA (and equals torch.randn with a CPU generator
// seeded alike, which is how diffusers users usually seed).
class SeededNoise final : public NoiseSource {
public:
    explicit SeededNoise(uint64_t seed);
    at::Tensor next(at::IntArrayRef shape, const at::TensorOptions& like,
                    const char* site) override;

private:
    at::Generator generator_;
};

// Serves given tensors in order; a draw of another shape, or one past the end, throws NoiseError.
class QueuedNoise : public NoiseSource {
public:
    // `sourceName` (a file name, "test") is what error messages call the source.
    QueuedNoise(std::vector<at::Tensor> tensors, std::string sourceName);
    at::Tensor next(at::IntArrayRef shape, const at::TensorOptions& like,
                    const char* site) override;
    std::size_t drawn() const { return next_; }
    std::size_t remaining() const { return tensors_.size() - next_; }

private:
    std::vector<at::Tensor> tensors_;
    std::string sourceName_;
    std::size_t next_ = 0;
};

// Replays `noise.000`, `noise.001`, ... of a .safetensors file (a recorded reference run). The
// names must be numbered from 000 without gaps; other tensors in the file are ignored.
class FileNoise final : public QueuedNoise {
public:
    explicit FileNoise(const std::string& path);
};

}  // namespace atelier::inference
