#pragma once
// Internal to inference/: safetensors entries as at::Tensor. Not included by app/ or ui/.
#include "inference/weights/safetensors_file.h"

#include <ATen/Tensor.h>

#include <memory>

namespace atelier::inference {

at::ScalarType toScalarType(DType dtype);

// A CPU tensor viewing the file's bytes without copying (the tensor keeps the mapping alive).
// Falls back to one copy when the bytes are not aligned to the element size.
at::Tensor tensorView(const std::shared_ptr<const SafetensorsFile>& file, const TensorInfo& info);

}  // namespace atelier::inference
