#include "inference/tokenizer/module/clip_vocabulary.h"

#include "inference/tokenizer/module/unicode_text.h"

#include <zlib.h>

#include <algorithm>
#include <memory>
#include <stdexcept>
#include <string_view>

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

// The decompressed text up to and including line `lines` (1-based; fewer if the file is
// shorter). open_clip reads only the first 48 895 of the file's 262 146 lines, so decompression
// stops there. Anything past 64 MB is not a vocabulary.
std::string readGzipLines(const std::string& path, size_t lines) {
    constexpr size_t kMaxBytes = 64u << 20;
    std::unique_ptr<gzFile_s, int (*)(gzFile)> file(gzopen(path.c_str(), "rb"), gzclose);
    if (!file) throw std::runtime_error("cannot open the CLIP vocabulary " + path);
    std::string text;
    size_t newlines = 0;
    char buffer[1 << 16];
    while (newlines < lines) {
        const int n = gzread(file.get(), buffer, sizeof buffer);
        if (n < 0) {
            int code = 0;
            throw std::runtime_error("the CLIP vocabulary " + path +
                                     " is not a readable gzip file (" + gzerror(file.get(), &code) +
                                     ")");
        }
        if (n == 0) break;
        text.append(buffer, static_cast<size_t>(n));
        newlines += static_cast<size_t>(std::count(buffer, buffer + n, '\n'));
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
    return parse(readGzipLines(path, kClipMergeCount + 1), path);
}

ClipVocabulary ClipVocabulary::parse(const std::string& text, const std::string& sourceName) {
    ClipVocabulary vocabulary;
    vocabulary.merges.reserve(kClipMergeCount);
    const std::string_view bytes(text);
    std::u32string decoded;             // reused: only for validation
    size_t newline = bytes.find('\n');  // line 1 is the version header
    for (int merge = 1; merge <= kClipMergeCount; ++merge) {
        const std::string where =
            "the CLIP vocabulary " + sourceName + " line " + std::to_string(merge + 1);
        if (newline == std::string_view::npos) {
            throw std::runtime_error("the CLIP vocabulary " + sourceName + " has only " +
                                     std::to_string(merge - 1) + " merges; " +
                                     std::to_string(kClipMergeCount) + " are needed");
        }
        const size_t begin = newline + 1;
        newline = bytes.find('\n', begin);
        const std::string_view line = bytes.substr(
            begin, (newline == std::string_view::npos ? bytes.size() : newline) - begin);
        if (!decodeUtf8Strict(line, decoded)) throw std::runtime_error(where + " is not UTF-8");
        // open_clip takes line.split(): every line of the file is two symbols and one space.
        const size_t space = line.find(' ');
        const bool twoSymbols = space != std::string_view::npos && space > 0 &&
                                space + 1 < line.size() &&
                                std::count_if(decoded.begin(), decoded.end(), isPythonSpace) == 1;
        if (!twoSymbols) throw std::runtime_error(where + " is not a merge of two symbols");
        vocabulary.merges.emplace_back(line.substr(0, space), line.substr(space + 1));
    }
    return vocabulary;
}

}  // namespace atelier::inference::tokenizer
