// The module's exported C functions (tokenizer_module_abi.h). Everything else in the module is
// hidden (-fvisibility=hidden), so nothing of sentencepiece, its protobuf or ICU leaks out.
#include "inference/tokenizer/tokenizer_module_abi.h"

#include "inference/tokenizer/module/clip_tokenizer_core.h"

#include <algorithm>
#include <cstring>
#include <exception>
#include <new>
#include <stdexcept>

#define ATELIER_EXPORT extern "C" __attribute__((visibility("default")))

struct AtelierClipTokenizer {
    atelier::inference::tokenizer::ClipTokenizerCore core;
};

namespace {

void writeError(char* error, size_t capacity, const char* message) {
    if (error == nullptr || capacity == 0) return;
    const size_t n = std::min(std::strlen(message), capacity - 1);
    std::memcpy(error, message, n);
    error[n] = '\0';
}

// Runs `body`, turning any exception into an error status and message.
template <typename Body>
int guarded(char* error, size_t errorCapacity, Body&& body) {
    try {
        body();
        return 0;
    } catch (const std::exception& e) {
        writeError(error, errorCapacity, e.what());
    } catch (...) {
        writeError(error, errorCapacity, "unknown failure in the tokenizer module");
    }
    return 1;
}

template <typename T, typename Item>
void copyOut(const T& result, Item* out, size_t capacity, size_t* count) {
    *count = result.size();
    if (out != nullptr) std::copy_n(result.begin(), std::min(capacity, result.size()), out);
}

}  // namespace

ATELIER_EXPORT int atelier_tokenizer_abi_version(void) { return ATELIER_TOKENIZER_ABI_VERSION; }

ATELIER_EXPORT AtelierClipTokenizer* atelier_tokenizer_create(const char* vocabularyPath,
                                                              char* error, size_t errorCapacity) {
    AtelierClipTokenizer* tokenizer = nullptr;
    guarded(error, errorCapacity, [&] {
        if (vocabularyPath == nullptr) throw std::invalid_argument("no vocabulary path given");
        tokenizer = new AtelierClipTokenizer{
            atelier::inference::tokenizer::ClipTokenizerCore(vocabularyPath)};
    });
    return tokenizer;
}

ATELIER_EXPORT void atelier_tokenizer_destroy(AtelierClipTokenizer* tokenizer) { delete tokenizer; }

ATELIER_EXPORT int atelier_tokenizer_encode(const AtelierClipTokenizer* tokenizer, const char* utf8,
                                            size_t length, int32_t* ids, size_t capacity,
                                            size_t* count, char* error, size_t errorCapacity) {
    return guarded(error, errorCapacity, [&] {
        if (tokenizer == nullptr || count == nullptr || (utf8 == nullptr && length > 0)) {
            throw std::invalid_argument("atelier_tokenizer_encode: null argument");
        }
        copyOut(tokenizer->core.encode(std::string_view(utf8, length)), ids, capacity, count);
    });
}

ATELIER_EXPORT int atelier_tokenizer_clean(const AtelierClipTokenizer* tokenizer, const char* utf8,
                                           size_t length, char* text, size_t capacity, size_t* size,
                                           char* error, size_t errorCapacity) {
    return guarded(error, errorCapacity, [&] {
        if (tokenizer == nullptr || size == nullptr || (utf8 == nullptr && length > 0)) {
            throw std::invalid_argument("atelier_tokenizer_clean: null argument");
        }
        copyOut(tokenizer->core.clean(std::string_view(utf8, length)), text, capacity, size);
    });
}
