#pragma once
// Text as Python sees it: a sequence of code points (std::u32string), with the conversions and
// character predicates that open_clip's cleaning relies on, spelled the way CPython and the
// `regex` module define them (ICU supplies the Unicode data).
#include <string>
#include <string_view>

namespace atelier::inference::tokenizer {

// Decodes UTF-8 like Python's bytes.decode("utf-8", errors="replace"): each maximal ill-formed
// subsequence (bad lead byte, truncated or interrupted sequence, overlong form, surrogate, value
// above U+10FFFF) becomes one U+FFFD. Never throws.
std::u32string decodeUtf8Replacing(std::string_view bytes);

// Strict decoding (Python's errors="strict"): false when `bytes` is not well-formed UTF-8.
bool decodeUtf8Strict(std::string_view bytes, std::u32string& out);

// Encodes code points as UTF-8 (the text never holds surrogates; see decodeUtf8Replacing).
std::string encodeUtf8(std::u32string_view text);
void appendUtf8(std::string& out, char32_t c);

// str.isspace(): ASCII tab..CR and 0x1C..0x1F, or bidi class WS/B/S, or category Zs.
bool isPythonSpace(char32_t c);
// `\s` of the `regex` module used by open_clip: the White_Space property.
bool isRegexWhiteSpace(char32_t c);
// `\p{L}` and `\p{N}` (general categories L* and N*).
bool isLetter(char32_t c);
bool isNumber(char32_t c);
// Simple case folding, as the `regex` module's IGNORECASE compares characters.
char32_t simpleCaseFold(char32_t c);

// str.strip(): removes isPythonSpace characters at both ends.
std::u32string stripPython(std::u32string_view text);
// str.lower(): full lower-case mappings with the Final_Sigma rule (ICU root locale).
std::u32string lowerPython(std::u32string_view text);
// unicodedata.normalize("NFC" / "NFKC", text).
std::u32string normalizeNfc(std::u32string_view text);
std::u32string normalizeNfkc(std::u32string_view text);

}  // namespace atelier::inference::tokenizer
