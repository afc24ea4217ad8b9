#include "inference/schedulers/noise_source.h"

#include "inference/weights/torch_tensors.h"

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Functions.h>

#include <cctype>
#include <map>
#include <sstream>

namespace atelier::inference {

namespace {

std::string shapeText(at::IntArrayRef shape) {
    std::ostringstream out;
    out << '[';
    for (std::size_t i = 0; i < shape.size(); ++i) out << (i ? ", " : "") << shape[i];
    out << ']';
    return out.str();
}

}  // namespace

SeededNoise::SeededNoise(uint64_t seed) : generator_(at::detail::createCPUGenerator(seed)) {}

at::Tensor SeededNoise::next(at::IntArrayRef shape, const at::TensorOptions& like, const char*) {
    const at::Tensor cpu = at::randn(shape, generator_, at::TensorOptions().dtype(at::kFloat));
    return cpu.to(like.device(), like.dtype().toScalarType());
}

QueuedNoise::QueuedNoise(std::vector<at::Tensor> tensors, std::string sourceName)
    : tensors_(std::move(tensors)), sourceName_(std::move(sourceName)) {}

at::Tensor QueuedNoise::next(at::IntArrayRef shape, const at::TensorOptions& like,
                             const char* site) {
    const std::string where =
        sourceName_ + ": noise draw " + std::to_string(next_) + " (" + (site ? site : "?") + ")";
    if (next_ >= tensors_.size()) {
        throw NoiseError(where + " of shape " + shapeText(shape) + ": only " +
                         std::to_string(tensors_.size()) + " noise tensors are stored");
    }
    const at::Tensor& stored = tensors_[next_];
    if (stored.sizes() != shape) {
        throw NoiseError(where + " asks for shape " + shapeText(shape) +
                         " but the stored tensor has shape " + shapeText(stored.sizes()));
    }
    ++next_;
    return stored.to(like.device(), like.dtype().toScalarType());
}

namespace {

// noise.000, noise.001, ... in order; refuses gaps and non-float entries.
std::vector<at::Tensor> noiseTensorsOf(const std::string& path) {
    const std::string prefix = "noise.";
    std::map<long, at::Tensor> numbered;
    for (const auto& [name, tensor] : readTensors(path)) {
        if (name.compare(0, prefix.size(), prefix) != 0) continue;
        const std::string digits = name.substr(prefix.size());
        bool allDigits = !digits.empty() && digits.size() <= 6;
        for (char c : digits) allDigits = allDigits && std::isdigit(static_cast<unsigned char>(c));
        if (!allDigits) continue;
        if (!at::isFloatingType(tensor.scalar_type())) {
            throw NoiseError(path + ": " + name + " is not a floating-point tensor");
        }
        numbered[std::stol(digits)] = tensor;
    }
    std::vector<at::Tensor> tensors;
    for (const auto& [index, tensor] : numbered) {
        if (index != long(tensors.size())) {
            throw NoiseError(path +
                             ": noise tensors must be numbered from noise.000 without gaps; " +
                             "noise number " + std::to_string(tensors.size()) + " is missing");
        }
        tensors.push_back(tensor);
    }
    return tensors;
}

}  // namespace

FileNoise::FileNoise(const std::string& path) : QueuedNoise(noiseTensorsOf(path), path) {}

}  // namespace atelier::inference
