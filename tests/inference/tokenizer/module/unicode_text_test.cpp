#include "inference/tokenizer/module/unicode_text.h"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace atelier::inference::tokenizer;

namespace {
size_t replacements(const std::u32string& s) { return std::count(s.begin(), s.end(), U'\uFFFD'); }
}  // namespace

TEST_CASE("invalid UTF-8 becomes one U+FFFD per maximal ill-formed part, as in Python",
          "[tokenizer]") {
    // Counts from Python: bytes.decode("utf-8", "replace").
    CHECK(decodeUtf8Replacing("\xE1\x80") == U"\uFFFD");                  // truncated
    CHECK(decodeUtf8Replacing("\xED\xA0\x80") == U"\uFFFD\uFFFD\uFFFD");  // a surrogate
    CHECK(decodeUtf8Replacing("\xF0\x90\x80"
                              "A") ==
          U"\uFFFD"
          "A");                                                         // interrupted
    CHECK(decodeUtf8Replacing("\xC0\xAF") == U"\uFFFD\uFFFD");          // overlong '/'
    CHECK(replacements(decodeUtf8Replacing("\xF4\x90\x80\x80")) == 4);  // above U+10FFFF
    CHECK(decodeUtf8Replacing("\xE2\x82\xAC\x80") == U"\u20AC\uFFFD");
    CHECK(decodeUtf8Replacing("\xF0\x9F\x98\xBA") == U"\U0001F63A");
    CHECK(decodeUtf8Replacing(std::string("a\0b", 3)) == std::u32string(U"a\0b", 3));
}

TEST_CASE("strict decoding refuses what replacing decoding repairs", "[tokenizer]") {
    std::u32string out;
    CHECK(decodeUtf8Strict("caf\xC3\xA9", out));
    CHECK(out == U"caf\u00E9");
    CHECK_FALSE(decodeUtf8Strict("caf\xE9", out));
    CHECK_FALSE(decodeUtf8Strict("\xED\xA0\x80", out));
}

TEST_CASE("UTF-8 encoding round-trips every plane", "[tokenizer]") {
    const std::u32string text = U"a\u00E9\u4E2D\U0001F431\U0010FFFF";
    CHECK(decodeUtf8Replacing(encodeUtf8(text)) == text);
    CHECK(encodeUtf8(U"\u00E9") == "\xC3\xA9");
}

TEST_CASE("space predicates follow str.isspace and the regex module's \\s", "[tokenizer]") {
    CHECK(isPythonSpace(U'\x1C'));  // Python: yes; White_Space: no
    CHECK_FALSE(isRegexWhiteSpace(U'\x1C'));
    for (char32_t c : {U' ', U'\t', U'\n', U'\x0B', U'\x0C', U'\r', U'\x85', U'\xA0', U'\u3000',
                       U'\u2028', U'\u202F'}) {
        CHECK(isPythonSpace(c));
        CHECK(isRegexWhiteSpace(c));
    }
    CHECK_FALSE(isRegexWhiteSpace(U'\u200B'));  // zero width space is not white space
    CHECK_FALSE(isPythonSpace(U'\u200B'));
}

TEST_CASE("lower() applies full mappings and the final sigma rule", "[tokenizer]") {
    CHECK(lowerPython(
              U"\u039F\u0394\u03A5\u03A3\u03A3\u0395\u03A5\u03A3 \u03A3\u039F\u03A6\u039F\u03A3") ==
          U"\u03BF\u03B4\u03C5\u03C3\u03C3\u03B5\u03C5\u03C2 \u03C3\u03BF\u03C6\u03BF\u03C2");
    CHECK(lowerPython(U"\u0130stanbul") == U"i\u0307stanbul");
    CHECK(lowerPython(U"ABC \u1E9E") == U"abc \u00DF");
}

TEST_CASE("categories and NFC/NFKC come from ICU", "[tokenizer]") {
    CHECK(isLetter(U'\u00E9'));
    CHECK(isLetter(U'\u6771'));
    CHECK_FALSE(isLetter(U'\u0345'));
    CHECK(isNumber(U'\u216B'));  // Roman numeral twelve (Nl)
    CHECK(isNumber(U'\u00BD'));  // one half (No)
    CHECK(normalizeNfc(U"e\u0301") == U"\u00E9");
    CHECK(normalizeNfkc(U"\uFF21") == U"A");
    CHECK(simpleCaseFold(U'\u017F') == U's');
}
