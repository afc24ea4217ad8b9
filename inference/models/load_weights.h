#pragma once
// Internal to inference/: copying a checkpoint's tensors into a torch::nn::Module, strictly.
#include "inference/models/layout.h"

#include <ATen/Tensor.h>
#include <torch/nn/module.h>

#include <map>
#include <string>

namespace atelier::inference {

// Tensor name (component-relative, LDM naming) -> tensor (often a zero-copy view of the file).
using TensorMap = std::map<std::string, at::Tensor>;

ShapeMap shapesOf(const TensorMap& tensors);
ShapeMap parameterShapes(const torch::nn::Module& module);  // parameters and buffers

// Copies every parameter and buffer of `module` from `tensors` (converted to the parameter's dtype
// and device). Every module tensor must be present with the same shape and every entry of
// `tensors` must be used, except `ignored` names: entries of the file the module does not use
// (e.g. the text encoder's last layer, which SD2 skips). Otherwise throws WeightsError naming
// `what` and listing the mismatches, before anything is copied.
void loadWeightsStrict(torch::nn::Module& module, const TensorMap& tensors, const std::string& what,
                       const std::vector<std::string>& ignored = {});

}  // namespace atelier::inference
