#pragma once
// The whole tokenizer inside the module: open_clip's cleaning and word split, then CLIP's BPE
// executed by sentencepiece. Immutable after construction; encode() and clean() may run on many
// threads at once (sentencepiece's Encode is const and ICU's patterns are shared read-only).
#include "inference/tokenizer/module/clip_text.h"

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace sentencepiece {
class SentencePieceProcessor;
}

namespace atelier::inference::tokenizer {

class ClipTokenizerCore {
public:
    // Throws std::runtime_error naming the file when the vocabulary cannot be read.
    explicit ClipTokenizerCore(const std::string& vocabularyGzPath);
    ~ClipTokenizerCore();

    // open_clip's SimpleTokenizer.encode: ids without <start_of_text>/<end_of_text> framing.
    // Invalid UTF-8 is first replaced as bytes.decode("utf-8", "replace") would.
    std::vector<int32_t> encode(std::string_view utf8) const;
    // The cleaned, lower-cased text that is split into words (UTF-8).
    std::string clean(std::string_view utf8) const;

    // BPE of already split words (exposed for tests).
    void appendWordIds(const std::vector<PreToken>& words, std::vector<int32_t>& ids) const;

private:
    void appendBpe(const std::string& modelInput, std::vector<int32_t>& ids) const;

    std::unique_ptr<sentencepiece::SentencePieceProcessor> processor_;
    std::array<std::string, 256> byteSymbols_;  // UTF-8 of each byte's alphabet character
};

}  // namespace atelier::inference::tokenizer
