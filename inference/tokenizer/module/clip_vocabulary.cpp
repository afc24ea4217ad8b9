#include "inference/tokenizer/module/clip_vocabulary.h"

#include "inference/tokenizer/module/unicode_text.h"

#include <zlib.h>

#include <memory>
#include <string_view>
#include <stdexcept>

namespace atelier::inference::tokenizer {
namespace {

std::array<char32_t, 256> makeByteAlphabet() {
    std::array<char32_t, 256> alphabet{};
    char32_t next = 256;
    for (int b = 0; b < 256; ++b) {
        const bool printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || b >= 0xAE;
        alphabet[b] = printable ? static_cast<char32_t>(b) : next++;
    }
    return alphabet;
}

// The whole decompressed file; the real one is 1.6 MB, anything past 64 MB is not a vocabulary.
std::string readGzip(const std::string& path) {
    constexpr size_t kMaxBytes = 64u << 20;
    std::unique_ptr<gzFile_s, int (*)(gzFile)> file(gzopen(path.c_str(), "rb"), gzclose);
    if (!file) throw std::runtime_error("cannot open the CLIP vocabulary " + path);
    std::string text;
    char buffer[1 << 16];
    while (true) {
        const int n = gzread(file.get(), buffer, sizeof buffer);
        if (n < 0) {
            int code = 0;
            throw std::runtime_error("the CLIP vocabulary " + path + " is not a readable gzip file (" +
                                     gzerror(file.get(), &code) + ")");
        }
        if (n == 0) break;
        text.append(buffer, static_cast<size_t>(n));
        if (text.size() > kMaxBytes) {
            throw std::runtime_error("the CLIP vocabulary " + path + " is larger than 64 MB");
        }
    }
    return text;
}

}  // namespace

const std::array<char32_t, 256>& clipByteAlphabet() {
    static const std::array<char32_t, 256> alphabet = makeByteAlphabet();
    return alphabet;
}

ClipVocabulary ClipVocabulary::loadGzip(const std::string& path) {
    return parse(readGzip(path), path);
}

ClipVocabulary ClipVocabulary::parse(const std::string& text, const std::string& sourceName) {
    ClipVocabulary vocabulary;
    vocabulary.merges.reserve(kClipMergeCount);
    const std::string_view bytes(text);
    size_t newline = bytes.find('\n');  // line 1 is the version header
    for (int merge = 1; merge <= kClipMergeCount; ++merge) {
        const std::string where = "the CLIP vocabulary " + sourceName + " line " +
                                  std::to_string(merge + 1);
        if (newline == std::string_view::npos) {
            throw std::runtime_error("the CLIP vocabulary " + sourceName + " has only " +
                                     std::to_string(merge - 1) + " merges; " +
                                     std::to_string(kClipMergeCount) + " are needed");
        }
        const size_t begin = newline + 1;
        newline = bytes.find('\n', begin);
        const size_t end = newline == std::string_view::npos ? bytes.size() : newline;
        std::u32string line;
        if (!decodeUtf8Strict(bytes.substr(begin, end - begin), line)) {
            throw std::runtime_error(where + " is not UTF-8");
        }
        // str.split(): the two symbols of the merge, separated by white space.
        std::vector<std::u32string> parts;
        for (size_t i = 0; i < line.size();) {
            while (i < line.size() && isPythonSpace(line[i])) ++i;
            const size_t wordBegin = i;
            while (i < line.size() && !isPythonSpace(line[i])) ++i;
            if (i > wordBegin) parts.push_back(line.substr(wordBegin, i - wordBegin));
        }
        if (parts.size() != 2) throw std::runtime_error(where + " is not a merge of two symbols");
        vocabulary.merges.emplace_back(std::move(parts[0]), std::move(parts[1]));
    }
    return vocabulary;
}

}  // namespace atelier::inference::tokenizer
