#pragma once
// Internal to inference/: safetensors entries as at::Tensor. Not included by app/ or ui/.
#include "inference/weights/safetensors_file.h"

#include <ATen/Tensor.h>

#include <map>
#include <memory>
#include <string>

namespace atelier::inference {

at::ScalarType toScalarType(DType dtype);

// A CPU tensor viewing the file's bytes without copying (the tensor keeps the mapping alive).
// Falls back to one copy when the bytes are not aligned to the element size.
at::Tensor tensorView(const std::shared_ptr<const SafetensorsFile>& file, const TensorInfo& info);

// A CPU tensor holding a copy of the tensor's bytes, read with pread (see readBytes()).
at::Tensor readTensorCopy(const SafetensorsFile& file, const TensorInfo& info);

// Every tensor of `path`, by name, as zero-copy views (throws WeightsError like open()).
std::map<std::string, at::Tensor> readTensors(const std::string& path);

// Writes CPU copies of `tensors` (any device, contiguous or not) atomically; see
// safetensors_writer.h.
void writeTensors(const std::string& path, const std::map<std::string, at::Tensor>& tensors,
                  const std::map<std::string, std::string>& metadata = {});

}  // namespace atelier::inference
