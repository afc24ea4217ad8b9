#include "inference/runtime_info.h"

#include <catch2/catch.hpp>

using namespace atelier::inference;

TEST_CASE("BLAS libraries are told apart by their resolved path", "[runtime]") {
    CHECK(classifyBlasPath("/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3") ==
          BlasKind::OpenBlas);
    CHECK(classifyBlasPath("/usr/lib/x86_64-linux-gnu/blas/libblas.so.3.11.0") ==
          BlasKind::Reference);
    CHECK(classifyBlasPath("/opt/intel/mkl/lib/libmkl_rt.so") == BlasKind::Mkl);
    CHECK(classifyBlasPath("/usr/lib/x86_64-linux-gnu/blis-pthread/libblas.so.3") == BlasKind::Other);
    CHECK(classifyBlasPath("") == BlasKind::NotLoaded);
}

TEST_CASE("libtorch runs on a fast BLAS", "[runtime]") {
    // Debian's libtorch calls the system's libblas.so.3; with the reference BLAS a full SD2 UNet
    // step is ~16x slower. scripts/install-deps.sh selects OpenBLAS; this catches a machine where
    // that did not happen.
    const RuntimeInfo info = queryRuntimeInfo();
    INFO("BLAS: " << blasKindName(info.blasKind) << " " << info.blasLibrary);
    CHECK(info.blasKind != BlasKind::Reference);
    CHECK(!info.torchVersion.empty());
    CHECK(info.intraOpThreads >= 1);
}
