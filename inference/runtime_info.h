#pragma once
// What the inference runtime runs on: libtorch version, BLAS, threads, accelerators.
// Speed on CPU depends mostly on which BLAS libtorch ends up calling (Debian's libtorch calls the
// system's libblas.so.3: the reference BLAS is ~16x slower than OpenBLAS for the UNet), so we say it.
#include <string>

namespace atelier::inference {

enum class BlasKind { OpenBlas, Reference, Mkl, Other, NotLoaded };

struct RuntimeInfo {
    std::string torchVersion;
    BlasKind blasKind = BlasKind::NotLoaded;
    std::string blasLibrary;  // resolved path of the loaded BLAS library, or a description
    int intraOpThreads = 0;
    int cudaDevices = 0;
};

RuntimeInfo queryRuntimeInfo();
const char* blasKindName(BlasKind kind);

// Classifies a resolved BLAS library path (exposed for tests).
BlasKind classifyBlasPath(const std::string& resolvedPath);

}  // namespace atelier::inference
