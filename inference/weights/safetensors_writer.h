#pragma once
// Writing .safetensors files (results, conditioning tensors, raw depth). Plain C++, no torch:
// callers hand over raw little-endian bytes. The file is written to a temporary name beside the
// target, flushed, and renamed over it, so an existing file is never left half-written.
#include "inference/weights/safetensors_file.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace atelier::inference {

struct TensorToWrite {
    std::string name;
    DType dtype = DType::F32;
    std::vector<int64_t> shape;
    const void* data = nullptr;  // numel * dtypeSize bytes, little-endian, contiguous
    uint64_t byteSize = 0;
};

// Throws WeightsError naming the file on a bad entry (duplicate name, size != dtype x shape) or an
// I/O failure; on failure the target path is untouched.
void writeSafetensors(const std::string& path, const std::vector<TensorToWrite>& tensors,
                      const std::map<std::string, std::string>& metadata = {});

}  // namespace atelier::inference
