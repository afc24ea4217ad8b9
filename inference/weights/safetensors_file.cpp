#include "inference/weights/safetensors_file.h"

#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <set>

namespace atelier::inference {
namespace {

using json = nlohmann::json;

struct DTypeEntry {
    const char* name;
    DType dtype;
    std::size_t size;
};
constexpr DTypeEntry kDTypes[] = {
    {"F64", DType::F64, 8}, {"F32", DType::F32, 4}, {"F16", DType::F16, 2},
    {"BF16", DType::BF16, 2}, {"I64", DType::I64, 8}, {"I32", DType::I32, 4},
    {"I16", DType::I16, 2}, {"I8", DType::I8, 1}, {"U8", DType::U8, 1},
    {"BOOL", DType::Bool, 1},
};

bool mulOverflows(uint64_t a, uint64_t b, uint64_t* out) {
    return __builtin_mul_overflow(a, b, out);
}

}  // namespace

const char* dtypeName(DType dtype) {
    for (const auto& e : kDTypes)
        if (e.dtype == dtype) return e.name;
    return "?";
}

std::size_t dtypeSize(DType dtype) {
    for (const auto& e : kDTypes)
        if (e.dtype == dtype) return e.size;
    return 0;
}

uint64_t TensorInfo::numel() const {
    uint64_t n = 1;
    for (int64_t d : shape) n *= uint64_t(d);  // validated not to overflow on open
    return n;
}

struct SafetensorsFile::Mapping {
    void* address = nullptr;
    std::size_t length = 0;
    int fd = -1;  // kept open for readBytes()
    ~Mapping() {
        if (address != nullptr && address != MAP_FAILED) munmap(address, length);
        if (fd >= 0) ::close(fd);
    }
};

SafetensorsFile::SafetensorsFile(SafetensorsFile&&) noexcept = default;
SafetensorsFile& SafetensorsFile::operator=(SafetensorsFile&&) noexcept = default;
SafetensorsFile::~SafetensorsFile() = default;

SafetensorsFile SafetensorsFile::open(const std::string& path) {
    SafetensorsFile file;
    file.path_ = path;
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw WeightsError(path + ": cannot open (" + std::strerror(errno) + ")");
    struct stat st {};
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        throw WeightsError(path + ": not a regular file");
    }
    const auto size = std::size_t(st.st_size);
    if (size < 8) {
        ::close(fd);
        throw WeightsError(path + ": truncated (" + std::to_string(size) +
                           " bytes, shorter than the 8-byte header length)");
    }
    file.mapping_ = std::make_unique<Mapping>();
    file.mapping_->address = mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
    file.mapping_->fd = fd;
    if (file.mapping_->address == MAP_FAILED) {
        throw WeightsError(path + ": cannot be memory-mapped (" + std::strerror(errno) + ")");
    }
    file.mapping_->length = size;
    file.parse(static_cast<const uint8_t*>(file.mapping_->address), size);
    return file;
}

void SafetensorsFile::readBytes(const TensorInfo& tensor, void* dest) const {
    const uint64_t size = tensor.byteSize();
    if (!mapping_) {  // an in-memory image
        std::memcpy(dest, data(tensor), size);
        return;
    }
    const auto* base = static_cast<const uint8_t*>(mapping_->address);
    uint64_t offset = uint64_t(dataStart_ - base) + tensor.begin;
    auto* out = static_cast<uint8_t*>(dest);
    uint64_t done = 0;
    while (done < size) {
        const ssize_t n = ::pread(mapping_->fd, out + done, std::size_t(std::min<uint64_t>(size - done, 1u << 30)),
                                  off_t(offset + done));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0)
            throw WeightsError(path_ + ": tensor '" + tensor.name + "' cannot be read (" +
                               (n < 0 ? std::string(std::strerror(errno)) : "the file is shorter than when it was opened") +
                               ")");
        done += uint64_t(n);
    }
}

SafetensorsFile SafetensorsFile::fromBuffer(const uint8_t* bytes, std::size_t size,
                                            const std::string& displayName) {
    SafetensorsFile file;
    file.path_ = displayName;
    if (size < 8) {
        throw WeightsError(displayName + ": truncated (" + std::to_string(size) +
                           " bytes, shorter than the 8-byte header length)");
    }
    file.parse(bytes, size);
    return file;
}

void SafetensorsFile::parse(const uint8_t* bytes, std::size_t size) {
    const std::string& where = path_;
    uint64_t headerLength = 0;
    for (int i = 7; i >= 0; --i) headerLength = (headerLength << 8) | bytes[i];
    if (headerLength > kMaxHeaderBytes) {
        throw WeightsError(where + ": header length " + std::to_string(headerLength) +
                           " exceeds the 100 MB limit (corrupt or not a safetensors file)");
    }
    if (headerLength > size - 8) {
        throw WeightsError(where + ": truncated inside the header (header declares " +
                           std::to_string(headerLength) + " bytes, file has " +
                           std::to_string(size - 8) + " after the length)");
    }
    if (headerLength < 2 || bytes[8] != '{') {
        throw WeightsError(where + ": header does not start with '{' (not a safetensors file)");
    }
    const char* headerBegin = reinterpret_cast<const char*>(bytes + 8);
    const char* headerEnd = headerBegin + headerLength;

    // nlohmann keeps the last of duplicate keys silently; a callback sees every key first.
    std::set<std::string> seenNames;
    std::string duplicate;
    json header;
    try {
        header = json::parse(
            headerBegin, headerEnd,
            [&](int depth, json::parse_event_t event, json& parsed) {
                if (depth == 1 && event == json::parse_event_t::key) {
                    const auto& key = parsed.get_ref<const std::string&>();
                    if (!seenNames.insert(key).second && duplicate.empty()) duplicate = key;
                }
                return true;
            });
    } catch (const json::exception& e) {
        throw WeightsError(where + ": header is not valid JSON/UTF-8 (" + e.what() + ")");
    }
    if (!duplicate.empty()) {
        throw WeightsError(where + ": tensor '" + duplicate + "' appears twice in the header");
    }
    if (!header.is_object()) throw WeightsError(where + ": header is not a JSON object");

    const uint64_t dataSize = size - 8 - headerLength;
    for (auto it = header.begin(); it != header.end(); ++it) {
        const std::string& name = it.key();
        const json& entry = it.value();
        if (name == "__metadata__") {
            if (!entry.is_object()) throw WeightsError(where + ": __metadata__ is not an object");
            for (auto m = entry.begin(); m != entry.end(); ++m) {
                if (!m.value().is_string()) {
                    throw WeightsError(where + ": metadata value '" + m.key() +
                                       "' is not a string");
                }
                metadata_[m.key()] = m.value().get<std::string>();
            }
            continue;
        }
        const std::string what = where + ": tensor '" + name + "'";
        if (!entry.is_object()) throw WeightsError(what + " is not an object");
        const auto dtypeIt = entry.find("dtype");
        const auto shapeIt = entry.find("shape");
        const auto offsetsIt = entry.find("data_offsets");
        if (dtypeIt == entry.end() || shapeIt == entry.end() || offsetsIt == entry.end()) {
            throw WeightsError(what + " lacks dtype, shape or data_offsets");
        }
        TensorInfo info;
        info.name = name;
        if (!dtypeIt->is_string()) throw WeightsError(what + ": dtype is not a string");
        const std::string dtype = dtypeIt->get<std::string>();
        const auto known = std::find_if(std::begin(kDTypes), std::end(kDTypes),
                                        [&](const DTypeEntry& e) { return dtype == e.name; });
        if (known == std::end(kDTypes)) {
            throw WeightsError(what + ": unsupported dtype '" + dtype + "'");
        }
        info.dtype = known->dtype;
        if (!shapeIt->is_array()) throw WeightsError(what + ": shape is not an array");
        uint64_t numel = 1;
        for (const json& dim : *shapeIt) {
            if (!dim.is_number_unsigned()) {
                throw WeightsError(what + ": shape has a dimension that is not a non-negative integer");
            }
            const uint64_t d = dim.get<uint64_t>();
            if (d > uint64_t(INT64_MAX) || mulOverflows(numel, d, &numel)) {
                throw WeightsError(what + ": shape's element count overflows");
            }
            info.shape.push_back(int64_t(d));
        }
        if (!offsetsIt->is_array() || offsetsIt->size() != 2 || !(*offsetsIt)[0].is_number_unsigned() ||
            !(*offsetsIt)[1].is_number_unsigned()) {
            throw WeightsError(what + ": data_offsets is not [begin, end]");
        }
        info.begin = (*offsetsIt)[0].get<uint64_t>();
        info.end = (*offsetsIt)[1].get<uint64_t>();
        if (info.end < info.begin) throw WeightsError(what + ": data_offsets end < begin");
        if (info.end > dataSize) {
            throw WeightsError(what + ": data lies past the end of the file (truncated?)");
        }
        uint64_t expectedBytes = 0;
        if (mulOverflows(numel, known->size, &expectedBytes) || expectedBytes != info.byteSize()) {
            throw WeightsError(what + ": " + dtype + " x shape needs " +
                               std::to_string(expectedBytes) + " bytes but data_offsets span " +
                               std::to_string(info.byteSize()));
        }
        tensors_.push_back(std::move(info));
    }

    std::sort(tensors_.begin(), tensors_.end(), [](const TensorInfo& a, const TensorInfo& b) {
        return a.begin != b.begin ? a.begin < b.begin : a.end < b.end;
    });
    uint64_t expectedBegin = 0;
    for (const TensorInfo& t : tensors_) {
        if (t.begin != expectedBegin) {
            throw WeightsError(where + ": tensor '" + t.name + "' " +
                               (t.begin < expectedBegin ? "overlaps the previous tensor"
                                                        : "leaves a gap after the previous tensor"));
        }
        expectedBegin = t.end;
    }
    if (expectedBegin != dataSize) {
        throw WeightsError(where + ": " + std::to_string(dataSize - expectedBegin) +
                           " bytes after the last tensor (corrupt or truncated header)");
    }
    for (std::size_t i = 0; i < tensors_.size(); ++i) index_[tensors_[i].name] = i;
    dataStart_ = bytes + 8 + headerLength;
}

const TensorInfo* SafetensorsFile::find(const std::string& name) const {
    const auto it = index_.find(name);
    return it == index_.end() ? nullptr : &tensors_[it->second];
}

}  // namespace atelier::inference
