#include "inference/models/model_loader.h"

#include "inference/models/layers.h"
#include "inference/weights/torch_tensors.h"

#include <ATen/Functions.h>
#include <c10/core/InferenceMode.h>

namespace atelier::inference {
namespace {

at::TensorOptions metaOptions() { return at::TensorOptions().dtype(at::kFloat).device(at::kMeta); }

at::TensorOptions realOptions(const NetworkOptions& o) {
    return at::TensorOptions().dtype(o.dtype).device(o.device);
}

std::string describeComponent(const ModelCheckpoint& m, const ComponentSource& s) {
    return m.path + " (" + componentName(s.component) + ", " + s.file->path() + ")";
}

std::vector<std::string> recipeNames(const ComponentSource& s) {
    std::vector<std::string> names;
    for (const auto& [name, recipe] : s.recipes) names.push_back(name);
    return names;
}

// Streams the file into the network one tensor at a time (peak memory: the network plus its
// largest tensor), after the same strict name/shape check as at open.
template <typename Net>
void loadInto(Net& net, const ModelCheckpoint& m, const ComponentSource& s) {
    const LayoutMismatch mismatch = compareLayout(parameterShapes(*net), shapesOf(s.recipes), unusedNames(s, m));
    if (!mismatch.empty())
        throw WeightsError(describeComponent(m, s) + " does not match the expected architecture:\n" + mismatch.describe());
    at::NoGradGuard noGrad;
    auto fill = [&](const std::string& name, at::Tensor& target) { target.copy_(componentTensor(s, name)); };
    for (auto& item : net->named_parameters(true)) fill(item.key(), item.value());
    for (auto& item : net->named_buffers(true)) fill(item.key(), item.value());
}

}  // namespace

std::vector<std::string> unusedNames(const ComponentSource& source, const ModelCheckpoint& m) {
    if (source.component == Component::TextEncoder) return unusedOpenClipTextNames(m.textConfig, recipeNames(source));
    return {};
}

at::Tensor componentTensor(const ComponentSource& source, const std::string& ldmName) {
    const auto it = source.recipes.find(ldmName);
    if (it == source.recipes.end()) throw WeightsError(source.file->path() + ": no tensor for '" + ldmName + "'");
    const TensorRecipe& recipe = it->second;
    std::vector<at::Tensor> parts;
    for (const auto& sourceName : recipe.sources) {
        const TensorInfo* info = source.file->find(source.prefix + sourceName);
        if (info == nullptr)
            throw WeightsError(source.file->path() + ": tensor '" + source.prefix + sourceName + "' vanished");
        parts.push_back(readTensorCopy(*source.file, *info));
    }
    at::Tensor t = parts.size() == 1 ? parts[0] : at::cat(parts, 0);
    if (t.sizes().vec() != recipe.shape) t = t.reshape(recipe.shape);
    return t;
}

void validateCheckpointLayout(const ModelCheckpoint& m) {
    c10::InferenceMode guard;
    std::string report;
    auto check = [&](const torch::nn::Module& net, const ComponentSource& s) {
        const LayoutMismatch mismatch = compareLayout(parameterShapes(net), shapesOf(s.recipes), unusedNames(s, m));
        if (!mismatch.empty())
            report += std::string(componentName(s.component)) + " (" + s.file->path() + "):\n" + mismatch.describe();
    };
    try {
        check(*UNetModel(m.unetConfig, metaOptions()), m.unet);
        check(*AutoencoderKL(m.vaeConfig, metaOptions()), m.vae);
        check(*OpenClipText(m.textConfig, metaOptions()), m.text);
    } catch (const std::invalid_argument& e) {
        throw WeightsError(m.path + ": inconsistent configuration: " + e.what());
    }
    if (!report.empty())
        throw WeightsError(m.path + " does not match the " + variantName(m.variant, m.prediction) +
                           " architecture its shapes and configs describe:\n" + report);
}

template <typename Net, typename Config>
Net loadNetwork(const ModelCheckpoint& m, const Config& config, const ComponentSource& s, const NetworkOptions& o) {
    c10::InferenceMode normalTensors(false);  // parameters must not be inference tensors
    Net net(config, realOptions(o));
    loadInto(net, m, s);
    net->eval();
    return net;
}

UNetModel loadUNet(const ModelCheckpoint& m, const NetworkOptions& o) {
    return loadNetwork<UNetModel>(m, m.unetConfig, m.unet, o);
}

AutoencoderKL loadVae(const ModelCheckpoint& m, const NetworkOptions& o) {
    return loadNetwork<AutoencoderKL>(m, m.vaeConfig, m.vae, o);
}

OpenClipText loadTextEncoder(const ModelCheckpoint& m, const NetworkOptions& o) {
    return loadNetwork<OpenClipText>(m, m.textConfig, m.text, o);
}

}  // namespace atelier::inference
