#include "inference/tokenizer/clip_tokenizer.h"

#include "inference/tokenizer/tokenizer_files.h"
#include "inference/tokenizer/tokenizer_module_abi.h"

#include <dlfcn.h>

#include <string>
#include <vector>

namespace atelier::inference {
namespace {

constexpr const char* kInstallHint =
    "The tokenizer module is built when libsentencepiece-dev, libicu-dev and zlib1g-dev are "
    "installed (scripts/install-deps.sh); ATELIER_TOKENIZER_MODULE and ATELIER_TOKENIZER_VOCAB "
    "name the files explicitly.";

struct ModuleFunctions {
    AtelierTokenizerCreateFn create = nullptr;
    AtelierTokenizerDestroyFn destroy = nullptr;
    AtelierTokenizerEncodeFn encode = nullptr;
    AtelierTokenizerCleanFn clean = nullptr;
};

template <typename Fn>
Fn symbol(void* library, const char* name, const std::string& path) {
    void* address = dlsym(library, name);
    if (address == nullptr) {
        throw TokenizerError(path + " is not an Atelier tokenizer module: it lacks " + name);
    }
    return reinterpret_cast<Fn>(address);
}

// Loads the module in its own symbol namespace: RTLD_LOCAL keeps its symbols (sentencepiece's
// protobuf 3.14) out of the global scope, RTLD_DEEPBIND makes it use its own dependencies
// before the process's (libtorch's protobuf 3.21). Once used it is never unloaded: a library
// with ICU's and protobuf's static state is not safe to dlclose, and it is small.
ModuleFunctions openModule(const std::string& path) {
    dlerror();
    void* library = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL | RTLD_DEEPBIND);
    if (library == nullptr) {
        const char* reason = dlerror();
        throw TokenizerError("cannot load the tokenizer module " + path + ": " +
                             (reason != nullptr ? reason : "unknown reason") + "\n" + kInstallHint);
    }
    try {
        const auto version = symbol<AtelierTokenizerAbiVersionFn>(
            library, ATELIER_TOKENIZER_ABI_VERSION_SYMBOL, path);
        if (version() != ATELIER_TOKENIZER_ABI_VERSION) {
            throw TokenizerError(path + " speaks tokenizer ABI " + std::to_string(version()) +
                                 ", this program needs " +
                                 std::to_string(ATELIER_TOKENIZER_ABI_VERSION) +
                                 " (a stale build?)");
        }
        ModuleFunctions fns;
        fns.create =
            symbol<AtelierTokenizerCreateFn>(library, ATELIER_TOKENIZER_CREATE_SYMBOL, path);
        fns.destroy =
            symbol<AtelierTokenizerDestroyFn>(library, ATELIER_TOKENIZER_DESTROY_SYMBOL, path);
        fns.encode =
            symbol<AtelierTokenizerEncodeFn>(library, ATELIER_TOKENIZER_ENCODE_SYMBOL, path);
        fns.clean = symbol<AtelierTokenizerCleanFn>(library, ATELIER_TOKENIZER_CLEAN_SYMBOL, path);
        return fns;
    } catch (...) {
        dlclose(library);  // not our module: nothing of it has run
        throw;
    }
}

using ErrorBuffer = char[1024];

// The module's two-call buffer protocol: try a buffer that fits nearly every prompt, grow once.
template <typename Item, typename Call>
std::vector<Item> callWithBuffer(size_t firstCapacity, Call&& call) {
    std::vector<Item> out(firstCapacity);
    ErrorBuffer error = "";
    size_t count = 0;
    if (call(out.data(), out.size(), &count, error) != 0) {
        throw TokenizerError(std::string("tokenizer module: ") + error);
    }
    if (count > out.size()) {
        out.resize(count);
        if (call(out.data(), out.size(), &count, error) != 0) {
            throw TokenizerError(std::string("tokenizer module: ") + error);
        }
    }
    out.resize(count);
    return out;
}

}  // namespace

struct ClipTokenizer::Loaded {
    std::string modulePath;
    std::string vocabularyPath;
    ModuleFunctions fns;
    AtelierClipTokenizer* handle = nullptr;

    Loaded(std::string module, std::string vocabulary)
        : modulePath(std::move(module)),
          vocabularyPath(std::move(vocabulary)),
          fns(openModule(modulePath)) {
        ErrorBuffer error = "";
        handle = fns.create(vocabularyPath.c_str(), error, sizeof error);
        if (handle == nullptr) throw TokenizerError(error);
    }
    ~Loaded() { fns.destroy(handle); }
    Loaded(const Loaded&) = delete;
    Loaded& operator=(const Loaded&) = delete;
};

ClipTokenizer::ClipTokenizer(std::shared_ptr<const Loaded> loaded) : loaded_(std::move(loaded)) {}

ClipTokenizer ClipTokenizer::load(const ClipTokenizerFiles& files) {
    std::string module = tokenizer::findFile(tokenizer::moduleCandidates(files.module),
                                             "the tokenizer module", kInstallHint);
    std::string vocabulary =
        tokenizer::findFile(tokenizer::vocabularyCandidates(files.vocabulary),
                            "CLIP's vocabulary (bpe_simple_vocab_16e6.txt.gz)",
                            "It is installed with Atelier (share/atelier/tokenizer/).");
    return ClipTokenizer(std::make_shared<const Loaded>(std::move(module), std::move(vocabulary)));
}

std::vector<int32_t> ClipTokenizer::bpe(const std::string& utf8) const {
    const Loaded& l = *loaded_;
    return callWithBuffer<int32_t>(
        utf8.size() + 16, [&](int32_t* ids, size_t capacity, size_t* count, char* error) {
            return l.fns.encode(l.handle, utf8.data(), utf8.size(), ids, capacity, count, error,
                                sizeof(ErrorBuffer));
        });
}

std::string ClipTokenizer::clean(const std::string& utf8) const {
    const Loaded& l = *loaded_;
    const std::vector<char> text = callWithBuffer<char>(
        utf8.size() * 2 + 16, [&](char* out, size_t capacity, size_t* size, char* error) {
            return l.fns.clean(l.handle, utf8.data(), utf8.size(), out, capacity, size, error,
                               sizeof(ErrorBuffer));
        });
    return std::string(text.begin(), text.end());
}

std::vector<int64_t> ClipTokenizer::encode77(const std::string& utf8) const {
    return frame77(bpe(utf8));
}

std::vector<int64_t> ClipTokenizer::frame77(const std::vector<int32_t>& bpeIds) {
    std::vector<int64_t> ids;
    ids.reserve(bpeIds.size() + 2);
    ids.push_back(kStartOfText);
    ids.insert(ids.end(), bpeIds.begin(), bpeIds.end());
    ids.push_back(kEndOfText);
    if (ids.size() > kContextLength) {
        ids.resize(kContextLength);
        ids.back() = kEndOfText;
    } else {
        ids.resize(kContextLength, kPad);
    }
    return ids;
}

const std::string& ClipTokenizer::modulePath() const { return loaded_->modulePath; }
const std::string& ClipTokenizer::vocabularyPath() const { return loaded_->vocabularyPath; }

}  // namespace atelier::inference
