#include "inference/tokenizer/module/ftfy_codecs.h"

#include "inference/tokenizer/module/unicode_text.h"

#include <algorithm>
#include <iterator>

namespace atelier::inference::tokenizer {
namespace {

#include "inference/tokenizer/module/generated/single_byte_charmaps.inc"

std::vector<SingleByteEncoding> makeEncodings() {
    std::vector<SingleByteEncoding> all;
    for (const SingleByteCharmap& map : kSingleByteCharmaps) {
        all.emplace_back(map.name, map.sloppy, map.decode);
    }
    return all;
}

}  // namespace

SingleByteEncoding::SingleByteEncoding(std::string name, bool sloppy,
                                       const char32_t (&decodeTable)[256])
    : name_(std::move(name)), sloppy_(sloppy) {
    std::copy(std::begin(decodeTable), std::end(decodeTable), decode_);
    for (int b = 0; b < 256; ++b) encode_.emplace_back(decode_[b], static_cast<unsigned char>(b));
    std::sort(encode_.begin(), encode_.end());
}

bool SingleByteEncoding::canEncode(std::u32string_view text) const {
    return std::all_of(text.begin(), text.end(), [this](char32_t c) {
        if (c < 0x80 && c != 0x1A) return true;
        if (c == decode_[0x1A]) return true;
        // Bytes 0x80..0xFF never decode to ASCII in these encodings, so a hit in the table
        // outside 0x00..0x7F (and 0x1A) is one of them.
        const auto it = std::lower_bound(encode_.begin(), encode_.end(),
                                         std::make_pair(c, static_cast<unsigned char>(0)));
        return it != encode_.end() && it->first == c && it->second >= 0x80;
    });
}

std::string SingleByteEncoding::encode(std::u32string_view text) const {
    std::string bytes;
    bytes.reserve(text.size());
    for (char32_t c : text) {
        const auto it = std::lower_bound(encode_.begin(), encode_.end(),
                                         std::make_pair(c, static_cast<unsigned char>(0)));
        bytes.push_back(static_cast<char>(it->second));
    }
    return bytes;
}

std::u32string SingleByteEncoding::decode(std::string_view bytes) const {
    std::u32string text;
    text.reserve(bytes.size());
    for (char b : bytes) text.push_back(decode_[static_cast<unsigned char>(b)]);
    return text;
}

const std::vector<SingleByteEncoding>& ftfyCharmapEncodings() {
    static const std::vector<SingleByteEncoding> all = makeEncodings();
    return all;
}

const SingleByteEncoding& latin1Encoding() { return ftfyCharmapEncodings()[0]; }
const SingleByteEncoding& sloppyWindows1252Encoding() { return ftfyCharmapEncodings()[1]; }

bool decodeWindows1252Strict(std::string_view bytes, std::u32string& out) {
    for (char b : bytes) {
        const auto byte = static_cast<unsigned char>(b);
        if (byte == 0x81 || byte == 0x8D || byte == 0x8F || byte == 0x90 || byte == 0x9D) {
            return false;
        }
    }
    // ASCII is itself (the sloppy table would read 0x1A as U+FFFD, ftfy's own convention).
    out.clear();
    for (char b : bytes) {
        const auto byte = static_cast<unsigned char>(b);
        out.push_back(byte < 0x80 ? byte : sloppyWindows1252Encoding().decodeByte(byte));
    }
    return true;
}

namespace {

bool inRange(std::string_view bytes, size_t i, unsigned char low, unsigned char high) {
    if (i >= bytes.size()) return false;
    const auto b = static_cast<unsigned char>(bytes[i]);
    return b >= low && b <= high;
}

// ED A0-AF 80-BF ED B0-BF 80-BF: a surrogate pair encoded as two 3-byte sequences.
bool isCesu8Pair(std::string_view bytes, size_t i) {
    return inRange(bytes, i, 0xED, 0xED) && inRange(bytes, i + 1, 0xA0, 0xAF) &&
           inRange(bytes, i + 2, 0x80, 0xBF) && inRange(bytes, i + 3, 0xED, 0xED) &&
           inRange(bytes, i + 4, 0xB0, 0xBF) && inRange(bytes, i + 5, 0x80, 0xBF);
}

}  // namespace

bool decodeUtf8Variants(std::string_view bytes, std::u32string& out) {
    out.clear();
    size_t plainStart = 0;
    auto flushPlain = [&](size_t end) {
        std::u32string part;
        if (!decodeUtf8Strict(bytes.substr(plainStart, end - plainStart), part)) return false;
        out += part;
        return true;
    };
    for (size_t i = 0; i < bytes.size();) {
        if (inRange(bytes, i, 0xC0, 0xC0) && inRange(bytes, i + 1, 0x80, 0x80)) {
            if (!flushPlain(i)) return false;
            out.push_back(U'\0');
            i += 2;
            plainStart = i;
        } else if (isCesu8Pair(bytes, i)) {
            if (!flushPlain(i)) return false;
            const auto b = [&](size_t k) {
                return static_cast<char32_t>(static_cast<unsigned char>(bytes[i + k]));
            };
            out.push_back(((b(1) & 0x0F) << 16) + ((b(2) & 0x3F) << 10) + ((b(4) & 0x0F) << 6) +
                          (b(5) & 0x3F) + 0x10000);
            i += 6;
            plainStart = i;
        } else {
            ++i;
        }
    }
    return flushPlain(bytes.size());
}

bool isAscii(std::u32string_view text) {
    return std::all_of(text.begin(), text.end(), [](char32_t c) { return c < 0x80; });
}

}  // namespace atelier::inference::tokenizer
