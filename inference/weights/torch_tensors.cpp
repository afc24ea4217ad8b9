#include "inference/weights/torch_tensors.h"

#include <ATen/Functions.h>

#include <cstdint>

namespace atelier::inference {

at::ScalarType toScalarType(DType dtype) {
    switch (dtype) {
        case DType::F64: return at::kDouble;
        case DType::F32: return at::kFloat;
        case DType::F16: return at::kHalf;
        case DType::BF16: return at::kBFloat16;
        case DType::I64: return at::kLong;
        case DType::I32: return at::kInt;
        case DType::I16: return at::kShort;
        case DType::I8: return at::kChar;
        case DType::U8: return at::kByte;
        case DType::Bool: return at::kBool;
    }
    throw WeightsError("unknown dtype");
}

at::Tensor tensorView(const std::shared_ptr<const SafetensorsFile>& file, const TensorInfo& info) {
    const auto options = at::TensorOptions().dtype(toScalarType(info.dtype)).device(at::kCPU);
    if (info.numel() == 0) return at::empty(info.shape, options);
    auto* bytes = const_cast<uint8_t*>(file->data(info));
    const bool aligned = reinterpret_cast<std::uintptr_t>(bytes) % dtypeSize(info.dtype) == 0;
    // The deleter owns a reference to the file: the mapping lives as long as any view of it.
    auto keepAlive = std::make_shared<std::shared_ptr<const SafetensorsFile>>(file);
    at::Tensor view = at::from_blob(
        bytes, info.shape, [keepAlive](void*) mutable { keepAlive.reset(); }, options);
    return aligned ? view : view.clone();
}

}  // namespace atelier::inference
