#include "inference/runtime_info.h"

#include <ATen/Context.h>
#include <ATen/Parallel.h>
#include <ATen/detail/CUDAHooksInterface.h>
#include <torch/version.h>

#include <link.h>

#include <climits>
#include <cstdlib>
#include <string>

namespace atelier::inference {
namespace {

std::string resolvePath(const char* path) {
    char resolved[PATH_MAX];
    if (realpath(path, resolved) != nullptr) return resolved;
    return path;
}

int collectBlas(dl_phdr_info* info, size_t, void* data) {
    auto* found = static_cast<std::string*>(data);
    const std::string name = info->dlpi_name ? info->dlpi_name : "";
    const auto slash = name.find_last_of('/');
    const std::string base = slash == std::string::npos ? name : name.substr(slash + 1);
    // libblas.so.3 is the alternatives-managed name libtorch links against; it decides.
    if (base.rfind("libblas.so", 0) == 0) {
        *found = resolvePath(name.c_str());
        return 1;
    }
    return 0;
}

}  // namespace

BlasKind classifyBlasPath(const std::string& resolvedPath) {
    if (resolvedPath.empty()) return BlasKind::NotLoaded;
    if (resolvedPath.find("openblas") != std::string::npos) return BlasKind::OpenBlas;
    if (resolvedPath.find("mkl") != std::string::npos) return BlasKind::Mkl;
    if (resolvedPath.find("/blas/") != std::string::npos) return BlasKind::Reference;
    return BlasKind::Other;
}

const char* blasKindName(BlasKind kind) {
    switch (kind) {
        case BlasKind::OpenBlas: return "OpenBLAS";
        case BlasKind::Reference: return "reference BLAS (slow: install libopenblas0-pthread)";
        case BlasKind::Mkl: return "MKL";
        case BlasKind::Other: return "other";
        case BlasKind::NotLoaded: return "none loaded";
    }
    return "unknown";
}

RuntimeInfo queryRuntimeInfo() {
    RuntimeInfo info;
    info.torchVersion = TORCH_VERSION;
    std::string blasPath;
    dl_iterate_phdr(collectBlas, &blasPath);
    info.blasKind = classifyBlasPath(blasPath);
    info.blasLibrary = blasPath;
    if (info.blasKind == BlasKind::NotLoaded && at::hasMKL()) {
        // PyTorch wheels link MKL statically: no libblas is loaded, and none is needed.
        info.blasKind = BlasKind::Mkl;
        info.blasLibrary = "statically linked into libtorch";
    }
    info.intraOpThreads = at::get_num_threads();
    info.cudaDevices = at::detail::getCUDAHooks().getNumGPUs();
    return info;
}

}  // namespace atelier::inference
