#pragma once
// CLIP's BPE vocabulary (bpe_simple_vocab_16e6.txt.gz) and its byte-level alphabet.
#include <array>
#include <string>
#include <utility>
#include <vector>

namespace atelier::inference::tokenizer {

constexpr int kClipMergeCount = 48894;  // merges open_clip reads (49152 - 256 - 2)
constexpr int kClipStartOfTextId = 49406;
constexpr int kClipEndOfTextId = 49407;
constexpr int kClipVocabularySize = 49408;

// GPT-2/CLIP's bytes_to_unicode: each byte as a printable character (printable Latin-1 bytes
// stand for themselves, the others map to U+0100..U+0143).
const std::array<char32_t, 256>& clipByteAlphabet();

struct ClipVocabulary {
    // Merge rules in rank order (UTF-8); "</w>" marks a word-final symbol, as in the file.
    std::vector<std::pair<std::string, std::string>> merges;

    // Reads the first kClipMergeCount merges after the header line, as open_clip does.
    // Throws std::runtime_error naming the file on unreadable or malformed input.
    static ClipVocabulary loadGzip(const std::string& path);
    static ClipVocabulary parse(const std::string& text, const std::string& sourceName);
};

}  // namespace atelier::inference::tokenizer
