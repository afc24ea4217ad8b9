#pragma once
// The encodings ftfy 6.1.1 uses to undo mojibake: the single-byte codecs it tries (some of them
// "sloppy": unassigned bytes pass through as Latin-1, byte 0x1A stands for U+FFFD) and its
// "utf-8-variants" decoder (UTF-8 plus CESU-8 surrogate pairs and Java's C0 80 for U+0000).
#include <string>
#include <string_view>
#include <vector>

namespace atelier::inference::tokenizer {

class SingleByteEncoding {
public:
    SingleByteEncoding(std::string name, bool sloppy, const char32_t (&decodeTable)[256]);

    const std::string& name() const { return name_; }
    bool sloppy() const { return sloppy_; }
    // ftfy's possible_encoding: every character is ASCII other than U+001A, or one that bytes
    // 0x80..0xFF or 0x1A decode to.
    bool canEncode(std::u32string_view text) const;
    // Precondition: canEncode(text).
    std::string encode(std::u32string_view text) const;
    std::u32string decode(std::string_view bytes) const;
    char32_t decodeByte(unsigned char byte) const { return decode_[byte]; }

private:
    std::string name_;
    bool sloppy_;
    char32_t decode_[256];
    std::vector<std::pair<char32_t, unsigned char>> encode_;  // sorted by character
};

// latin-1, sloppy-windows-1252, -1251, -1250, -1253, -1254, iso-8859-2, macroman, cp437:
// ftfy's CHARMAP_ENCODINGS, in the order it tries them.
const std::vector<SingleByteEncoding>& ftfyCharmapEncodings();
const SingleByteEncoding& latin1Encoding();
const SingleByteEncoding& sloppyWindows1252Encoding();

// Python's bytes.decode("windows-1252") (strict): false if a byte is one of the five that
// Windows-1252 leaves unassigned.
bool decodeWindows1252Strict(std::string_view bytes, std::u32string& out);

// ftfy's "utf-8-variants" codec, strict: false when the bytes do not decode.
bool decodeUtf8Variants(std::string_view bytes, std::u32string& out);

bool isAscii(std::u32string_view text);

}  // namespace atelier::inference::tokenizer
