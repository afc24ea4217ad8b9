#pragma once
// A memory-mapped .safetensors file: the header is parsed and every bound checked on open, tensor
// data is read in place (zero copy). Plain C++: no torch here, so it is cheap to include and fuzz.
//
// Format: u64 little-endian header length N, N bytes of UTF-8 JSON
// {"name": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, "__metadata__": {..}},
// then the data buffer. Like the reference parser we require offsets that tile the buffer exactly:
// contiguous from 0, no overlaps, no gaps, no trailing bytes.
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace atelier::inference {

// Any problem with a weights file or folder; the message names the file (and tensor, if any).
struct WeightsError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

enum class DType { F64, F32, F16, BF16, I64, I32, I16, I8, U8, Bool };

const char* dtypeName(DType dtype);
std::size_t dtypeSize(DType dtype);

struct TensorInfo {
    std::string name;
    DType dtype = DType::F32;
    std::vector<int64_t> shape;
    uint64_t begin = 0;  // byte offsets into the data buffer
    uint64_t end = 0;
    uint64_t numel() const;
    uint64_t byteSize() const { return end - begin; }
};

class SafetensorsFile {
public:
    // Largest header we accept; real SD2 checkpoints have ~200 KB headers.
    static constexpr uint64_t kMaxHeaderBytes = 100ull * 1024 * 1024;

    // Opens and validates `path`; throws WeightsError naming the file and the problem.
    static SafetensorsFile open(const std::string& path);
    // Validates an in-memory image of a file (the fuzz/corpus entry point); `bytes` must outlive
    // the returned object. `displayName` is used in error messages.
    static SafetensorsFile fromBuffer(const uint8_t* bytes, std::size_t size,
                                      const std::string& displayName);

    SafetensorsFile(SafetensorsFile&&) noexcept;
    SafetensorsFile& operator=(SafetensorsFile&&) noexcept;
    ~SafetensorsFile();

    const std::string& path() const { return path_; }
    const std::vector<TensorInfo>& tensors() const { return tensors_; }  // in file (offset) order
    const TensorInfo* find(const std::string& name) const;
    const std::map<std::string, std::string>& metadata() const { return metadata_; }
    // Start of the tensor's bytes in the mapping (little-endian, as stored). Touching mapped
    // bytes of a file that another process truncates raises SIGBUS: weights that are loaded into
    // networks go through readBytes() instead.
    const uint8_t* data(const TensorInfo& tensor) const { return dataStart_ + tensor.begin; }
    // Copies the tensor's bytes into `dest` (byteSize() bytes) with pread, never through the
    // mapping: a file truncated or rewritten since it was opened gives a WeightsError naming the
    // file and tensor, not a crash.
    void readBytes(const TensorInfo& tensor, void* dest) const;

private:
    SafetensorsFile() = default;
    void parse(const uint8_t* bytes, std::size_t size);

    struct Mapping;
    std::unique_ptr<Mapping> mapping_;
    std::string path_;
    const uint8_t* dataStart_ = nullptr;
    std::vector<TensorInfo> tensors_;
    std::map<std::string, std::size_t> index_;
    std::map<std::string, std::string> metadata_;
};

}  // namespace atelier::inference
