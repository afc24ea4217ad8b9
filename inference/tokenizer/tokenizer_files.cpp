#include "inference/tokenizer/tokenizer_files.h"

#include "inference/tokenizer/clip_tokenizer.h"

#include <cstdlib>
#include <filesystem>
#include <system_error>

// Set by inference/CMakeLists.txt.
#ifndef ATELIER_TOKENIZER_MODULE_FILE
#error "ATELIER_TOKENIZER_MODULE_FILE and its siblings must be defined by the build"
#endif

namespace fs = std::filesystem;

namespace atelier::inference::tokenizer {
namespace {

std::vector<std::string> candidates(const std::string& explicitPath, const char* environment,
                                    const std::string& fileName,
                                    const std::vector<std::string>& exeRelativeDirs,
                                    const std::vector<std::string>& absoluteDirs) {
    if (!explicitPath.empty()) return {explicitPath};
    if (const char* fromEnvironment = std::getenv(environment);
        fromEnvironment != nullptr && *fromEnvironment != '\0') {
        return {fromEnvironment};
    }
    std::vector<std::string> all;
    if (const std::string exeDir = executableDirectory(); !exeDir.empty()) {
        for (const std::string& relative : exeRelativeDirs) {
            all.push_back((fs::path(exeDir) / relative / fileName).lexically_normal().string());
        }
    }
    for (const std::string& dir : absoluteDirs) all.push_back((fs::path(dir) / fileName).string());
    return all;
}

}  // namespace

std::string executableDirectory() {
    std::error_code error;
    const fs::path exe = fs::read_symlink("/proc/self/exe", error);
    return error ? std::string() : exe.parent_path().string();
}

std::vector<std::string> moduleCandidates(const std::string& explicitPath) {
    return candidates(explicitPath, "ATELIER_TOKENIZER_MODULE", ATELIER_TOKENIZER_MODULE_FILE,
                      {".", ATELIER_TOKENIZER_MODULE_DIR_FROM_BINDIR},
                      {ATELIER_TOKENIZER_MODULE_BUILD_DIR, ATELIER_TOKENIZER_MODULE_INSTALL_DIR});
}

std::vector<std::string> vocabularyCandidates(const std::string& explicitPath) {
    return candidates(explicitPath, "ATELIER_TOKENIZER_VOCAB", ATELIER_TOKENIZER_VOCAB_FILE,
                      {ATELIER_TOKENIZER_VOCAB_DIR_FROM_BINDIR},
                      {ATELIER_TOKENIZER_VOCAB_SOURCE_DIR, ATELIER_TOKENIZER_VOCAB_INSTALL_DIR});
}

std::string findFile(const std::vector<std::string>& candidates, const std::string& what,
                     const std::string& hint) {
    std::string tried;
    for (const std::string& path : candidates) {
        std::error_code error;
        if (fs::is_regular_file(path, error)) return path;
        tried += "\n  " + path;
    }
    throw TokenizerError("cannot find " + what + "; tried:" + tried + "\n" + hint);
}

}  // namespace atelier::inference::tokenizer
