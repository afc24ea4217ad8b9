// `atelier-cli inspect` without a model: what the inference runtime runs on.
#include "app/cli/commands.h"

#include "inference/runtime_info.h"

#include <iostream>

namespace atelier::cli {

void addRuntimeCommands(CLI::App& app) {
    CLI::App* runtime = app.add_subcommand(
        "runtime", "Show libtorch's version, the BLAS it calls, threads and GPUs");
    runtime->callback([] {
        const inference::RuntimeInfo info = inference::queryRuntimeInfo();
        std::cout << "libtorch:  " << info.torchVersion << "\n"
                  << "BLAS:      " << inference::blasKindName(info.blasKind);
        if (!info.blasLibrary.empty()) std::cout << " (" << info.blasLibrary << ")";
        std::cout << "\n"
                  << "threads:   " << info.intraOpThreads << "\n"
                  << "CUDA GPUs: " << info.cudaDevices << "\n";
        if (info.blasKind == inference::BlasKind::Reference)
            std::cerr << "warning: the reference BLAS is ~16x slower than OpenBLAS for SD2; run "
                         "scripts/install-deps.sh\n";
    });
}

}  // namespace atelier::cli
