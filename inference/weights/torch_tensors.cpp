#include "inference/weights/torch_tensors.h"

#include "inference/weights/safetensors_writer.h"

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

at::Tensor readTensorCopy(const SafetensorsFile& file, const TensorInfo& info) {
    at::Tensor t = at::empty(info.shape, at::TensorOptions().dtype(toScalarType(info.dtype)));
    if (info.numel() > 0) file.readBytes(info, t.data_ptr());
    return t;
}

std::map<std::string, at::Tensor> readTensors(const std::string& path) {
    auto file = std::make_shared<const SafetensorsFile>(SafetensorsFile::open(path));
    std::map<std::string, at::Tensor> tensors;
    for (const auto& info : file->tensors()) tensors[info.name] = tensorView(file, info);
    return tensors;
}

namespace {
DType fromScalarType(at::ScalarType type, const std::string& what) {
    switch (type) {
        case at::kDouble: return DType::F64;
        case at::kFloat: return DType::F32;
        case at::kHalf: return DType::F16;
        case at::kBFloat16: return DType::BF16;
        case at::kLong: return DType::I64;
        case at::kInt: return DType::I32;
        case at::kShort: return DType::I16;
        case at::kChar: return DType::I8;
        case at::kByte: return DType::U8;
        case at::kBool: return DType::Bool;
        default: throw WeightsError(what + ": dtype not storable in safetensors");
    }
}
}  // namespace

void writeTensors(const std::string& path, const std::map<std::string, at::Tensor>& tensors,
                  const std::map<std::string, std::string>& metadata) {
    std::vector<at::Tensor> keep;  // CPU contiguous copies live until the write is done
    std::vector<TensorToWrite> entries;
    for (const auto& [name, tensor] : tensors) {
        keep.push_back(tensor.detach().to(at::kCPU).contiguous());
        const at::Tensor& t = keep.back();
        entries.push_back({name, fromScalarType(t.scalar_type(), path + ": " + name),
                           t.sizes().vec(), t.data_ptr(), uint64_t(t.nbytes())});
    }
    writeSafetensors(path, entries, metadata);
}

}  // namespace atelier::inference
