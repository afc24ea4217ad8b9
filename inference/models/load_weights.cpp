#include "inference/models/load_weights.h"

#include "inference/weights/safetensors_file.h"

#include <c10/core/InferenceMode.h>

namespace atelier::inference {

ShapeMap shapesOf(const TensorMap& tensors) {
    ShapeMap shapes;
    for (const auto& [name, tensor] : tensors) shapes[name] = tensor.sizes().vec();
    return shapes;
}

ShapeMap parameterShapes(const torch::nn::Module& module) {
    ShapeMap shapes;
    for (const auto& item : module.named_parameters(/*recurse=*/true)) shapes[item.key()] = item.value().sizes().vec();
    for (const auto& item : module.named_buffers(/*recurse=*/true)) shapes[item.key()] = item.value().sizes().vec();
    return shapes;
}

void loadWeightsStrict(torch::nn::Module& module, const TensorMap& tensors, const std::string& what,
                       const std::vector<std::string>& ignored) {
    const LayoutMismatch mismatch = compareLayout(parameterShapes(module), shapesOf(tensors), ignored);
    if (!mismatch.empty()) {
        throw WeightsError(what + " does not match the expected architecture:\n" + mismatch.describe());
    }
    c10::InferenceMode guard(false);  // parameters are not inference tensors
    at::NoGradGuard noGrad;
    auto copyInto = [&](const std::string& name, at::Tensor& target) {
        const auto it = tensors.find(name);
        if (it == tensors.end()) return;  // an ignored name
        target.copy_(it->second);
    };
    for (auto& item : module.named_parameters(true)) copyInto(item.key(), item.value());
    for (auto& item : module.named_buffers(true)) copyInto(item.key(), item.value());
}

}  // namespace atelier::inference
