#include "inference/weights/safetensors_writer.h"

#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <set>

namespace atelier::inference {
namespace {

// Writes all of `size` bytes or throws.
void writeAll(int fd, const void* data, uint64_t size, const std::string& path) {
    const auto* bytes = static_cast<const uint8_t*>(data);
    while (size > 0) {
        const ssize_t n = ::write(fd, bytes, size > (1u << 30) ? (1u << 30) : size);
        if (n < 0) {
            if (errno == EINTR) continue;
            throw WeightsError(path + ": write failed: " + std::strerror(errno));
        }
        bytes += n;
        size -= static_cast<uint64_t>(n);
    }
}

uint64_t checkedNumel(const TensorToWrite& t, const std::string& path) {
    uint64_t numel = 1;
    for (int64_t d : t.shape) {
        if (d < 0) throw WeightsError(path + ": tensor '" + t.name + "' has a negative dimension");
        if (d != 0 && numel > UINT64_MAX / static_cast<uint64_t>(d))
            throw WeightsError(path + ": tensor '" + t.name + "' is too large");
        numel *= static_cast<uint64_t>(d);
    }
    return numel;
}

}  // namespace

void writeSafetensors(const std::string& path, const std::vector<TensorToWrite>& tensors,
                      const std::map<std::string, std::string>& metadata) {
    nlohmann::ordered_json header = nlohmann::ordered_json::object();
    if (!metadata.empty()) {
        nlohmann::ordered_json meta = nlohmann::ordered_json::object();
        for (const auto& [key, value] : metadata) meta[key] = value;
        header["__metadata__"] = meta;
    }
    std::set<std::string> names;
    uint64_t offset = 0;
    for (const auto& t : tensors) {
        if (t.name.empty() || t.name == "__metadata__" || !names.insert(t.name).second)
            throw WeightsError(path + ": tensor name '" + t.name + "' is empty, reserved or repeated");
        const uint64_t numel = checkedNumel(t, path);
        if (numel * dtypeSize(t.dtype) != t.byteSize || (t.byteSize > 0 && t.data == nullptr))
            throw WeightsError(path + ": tensor '" + t.name + "' has " + std::to_string(t.byteSize) +
                               " bytes, its dtype and shape need " +
                               std::to_string(numel * dtypeSize(t.dtype)));
        header[t.name] = {{"dtype", dtypeName(t.dtype)},
                          {"shape", t.shape},
                          {"data_offsets", {offset, offset + t.byteSize}}};
        offset += t.byteSize;
    }
    std::string text = header.dump();
    // Pad with spaces (legal inside the header) so tensor data starts 8-byte aligned.
    while ((text.size() % 8) != 0) text.push_back(' ');

    const std::string temp = path + ".tmp-" + std::to_string(::getpid());
    const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) throw WeightsError(path + ": cannot create: " + std::strerror(errno));
    bool open = true;
    try {
        uint8_t length[8];
        uint64_t n = text.size();
        for (int i = 0; i < 8; ++i) length[i] = static_cast<uint8_t>(n >> (8 * i));
        writeAll(fd, length, 8, path);
        writeAll(fd, text.data(), text.size(), path);
        for (const auto& t : tensors) writeAll(fd, t.data, t.byteSize, path);
        if (::fsync(fd) != 0) throw WeightsError(path + ": fsync failed: " + std::strerror(errno));
        open = false;
        if (::close(fd) != 0) throw WeightsError(path + ": close failed: " + std::strerror(errno));
    } catch (...) {
        if (open) ::close(fd);
        ::unlink(temp.c_str());
        throw;
    }
    if (std::rename(temp.c_str(), path.c_str()) != 0) {
        const std::string why = std::strerror(errno);
        ::unlink(temp.c_str());
        throw WeightsError(path + ": cannot replace: " + why);
    }
}

}  // namespace atelier::inference
