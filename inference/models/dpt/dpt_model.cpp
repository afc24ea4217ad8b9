#include "inference/models/dpt/dpt_model.h"

#include "inference/models/dpt/dpt_neck.h"
#include "inference/models/dpt/dpt_vit.h"
#include "inference/models/dpt/pil_resize.h"
#include "inference/models/load_weights.h"
#include "inference/weights/safetensors_file.h"
#include "inference/weights/torch_tensors.h"

#include <ATen/Functions.h>
#include <c10/core/InferenceMode.h>

#include <filesystem>
#include <stdexcept>

namespace atelier::inference {

namespace fs = std::filesystem;

struct DptForDepthEstimation::Parts {
    std::shared_ptr<DptTrunk> trunk;
    std::shared_ptr<DptNeck> neck;
    std::shared_ptr<DptDepthHead> head;
};

DptForDepthEstimation::DptForDepthEstimation(const DptConfig& config)
    : config_(config), parts_(std::make_shared<Parts>()) {
    config_.validate("DPT configuration");
    parts_->trunk = register_module("dpt", std::make_shared<DptTrunk>(config_));
    parts_->neck = register_module("neck", std::make_shared<DptNeck>(config_));
    parts_->head = register_module("head", std::make_shared<DptDepthHead>(config_));
}

int64_t DptForDepthEstimation::parameterCount() const {
    int64_t count = 0;
    for (const auto& p : parameters(/*recurse=*/true)) count += p.numel();
    return count;
}

at::Tensor DptForDepthEstimation::forward(const at::Tensor& pixelValues) {
    const int64_t size = config_.imageSize;
    if (pixelValues.dim() != 4 || pixelValues.size(1) != config_.numChannels ||
        pixelValues.size(2) != size || pixelValues.size(3) != size) {
        throw std::invalid_argument("DPT expects pixel values [B, " +
                                    std::to_string(config_.numChannels) + ", " +
                                    std::to_string(size) + ", " + std::to_string(size) + "]");
    }
    c10::InferenceMode inference;
    const DptTrunkOutput trunk = parts_->trunk->forward(pixelValues.to(at::kFloat));
    // DPTForDepthEstimation (hybrid): the backbone's two skip features, then the ViT layers
    // named by backbone_out_indices[2:] (outputs of those layers, before the final layernorm).
    std::vector<at::Tensor> features = trunk.backboneFeatures;
    features.push_back(trunk.layerOutputs.at(size_t(config_.backboneOutIndices[2])));
    features.push_back(trunk.layerOutputs.at(size_t(config_.backboneOutIndices[3])));
    return parts_->head->forward(parts_->neck->forward(features));
}

at::Tensor dptPixelValues(const std::vector<uint8_t>& rgb, int width, int height,
                          const DptProcessorConfig& p) {
    if (width <= 0 || height <= 0 || rgb.size() != size_t(width) * size_t(height) * 3) {
        throw std::invalid_argument(
            "the image's pixel buffer does not hold width x height RGB pixels");
    }
    const int outW = p.doResize ? int(p.width) : width;
    const int outH = p.doResize ? int(p.height) : height;
    const std::vector<uint8_t> resized =
        pilResizeRgb8(rgb, width, height, outW, outH, pilFilterFromCode(p.resample));
    at::Tensor out = at::empty({1, 3, outH, outW}, at::kFloat);
    float* data = out.data_ptr<float>();
    const size_t plane = size_t(outW) * outH;
    for (int c = 0; c < 3; ++c) {
        // numpy: (uint8 * scale) in float64, cast to float32; then (x - mean) / std in float32.
        const float mean = float(p.mean[c]), std = float(p.std[c]);
        for (size_t i = 0; i < plane; ++i) {
            float v = float(resized[i * 3 + c]);
            if (p.doRescale) v = float(double(resized[i * 3 + c]) * p.rescaleFactor);
            if (p.doNormalize) v = (v - mean) / std;
            data[size_t(c) * plane + i] = v;
        }
    }
    return out;
}

namespace {

bool isFile(const fs::path& p) {
    std::error_code ec;
    return fs::is_regular_file(p, ec);
}

bool isDirectory(const fs::path& p) {
    std::error_code ec;
    return fs::is_directory(p, ec);
}

std::string firstFile(std::initializer_list<fs::path> candidates) {
    for (const fs::path& p : candidates) {
        if (isFile(p)) return p.string();
    }
    return {};
}

DptFiles filesOfEstimatorFolder(const fs::path& dir, const fs::path& modelRoot) {
    DptFiles files;
    files.weights = firstFile({dir / "model.safetensors"});
    if (files.weights.empty()) {
        const bool pickled = isFile(dir / "pytorch_model.bin");
        throw WeightsError(dir.string() + ": no model.safetensors" +
                           (pickled ? " (only pytorch_model.bin, a pickle, which Atelier does not "
                                      "open: convert it to .safetensors)"
                                    : ""));
    }
    files.config = firstFile({dir / "config.json"});
    if (files.config.empty())
        throw WeightsError(dir.string() + ": no config.json beside model.safetensors");
    files.processor = firstFile({dir / "preprocessor_config.json",
                                 modelRoot / "feature_extractor" / "preprocessor_config.json"});
    return files;
}

}  // namespace

DptFiles findDptFiles(const std::string& pathText) {
    const fs::path path(pathText);
    if (isDirectory(path)) {
        if (isDirectory(path / "depth_estimator"))
            return filesOfEstimatorFolder(path / "depth_estimator", path);
        if (isFile(path / "config.json") || isFile(path / "model.safetensors")) {
            return filesOfEstimatorFolder(path, path.parent_path());
        }
        throw WeightsError(pathText +
                           ": neither a depth model folder (no depth_estimator/) nor a "
                           "depth estimator folder (no config.json, model.safetensors)");
    }
    if (!isFile(path)) throw WeightsError(pathText + ": no such file or folder");
    if (path.extension() != ".safetensors") {
        throw WeightsError(pathText + ": a depth estimator is a .safetensors file or a folder");
    }
    DptFiles files;
    files.weights = pathText;
    files.config = firstFile({path.parent_path() / "config.json"});
    files.processor = firstFile({path.parent_path() / "preprocessor_config.json"});
    return files;
}

LoadedDpt loadDpt(const std::string& path) {
    LoadedDpt loaded;
    loaded.files = findDptFiles(path);
    const DptConfig config = loaded.files.config.empty()
                                 ? DptConfig::dptHybridMidas()
                                 : DptConfig::fromJsonFile(loaded.files.config);
    loaded.processor = loaded.files.processor.empty()
                           ? DptProcessorConfig::defaultsFor(config)
                           : DptProcessorConfig::fromJsonFile(loaded.files.processor);
    if (!loaded.processor.doResize) {
        throw WeightsError(loaded.files.processor +
                           ": do_resize false is not supported (the "
                           "estimator works at a fixed size)");
    }
    if (loaded.processor.width != config.imageSize || loaded.processor.height != config.imageSize) {
        throw WeightsError(
            loaded.files.processor + ": resizes to " + std::to_string(loaded.processor.width) +
            "x" + std::to_string(loaded.processor.height) + " but the estimator (" +
            (loaded.files.config.empty() ? "DPT-Hybrid defaults" : loaded.files.config) +
            ") works at " + std::to_string(config.imageSize) + "x" +
            std::to_string(config.imageSize));
    }
    const TensorMap tensors = readTensors(loaded.files.weights);
    double elements = 0;
    for (const auto& [name, tensor] : tensors) {
        if (!at::isFloatingType(tensor.scalar_type())) {
            throw WeightsError(loaded.files.weights + ": tensor " + name +
                               " is not floating point");
        }
        elements += double(tensor.numel());
    }
    if (config.parameterLowerBound() > elements) {
        throw WeightsError(
            loaded.files.weights + " holds " + std::to_string(int64_t(elements)) +
            " weights, fewer than the architecture in " +
            (loaded.files.config.empty() ? "DPT-Hybrid's defaults" : loaded.files.config) +
            " needs (at least " + std::to_string(int64_t(config.parameterLowerBound())) +
            "): the file and the configuration do not belong together");
    }
    loaded.model = std::make_shared<DptForDepthEstimation>(config);
    loadWeightsStrict(*loaded.model, tensors,
                      loaded.files.weights + " (DPT-Hybrid depth estimator" +
                          (loaded.files.config.empty()
                               ? ", Intel/dpt-hybrid-midas sizes: no config.json beside it"
                               : ", sizes from " + loaded.files.config) +
                          ")");
    loaded.model->eval();
    return loaded;
}

}  // namespace atelier::inference
