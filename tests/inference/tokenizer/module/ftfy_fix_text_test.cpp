#include "inference/tokenizer/module/ftfy_fix_text.h"

#include "inference/tokenizer/module/ftfy_codecs.h"
#include "inference/tokenizer/module/ftfy_patterns.h"

#include <catch2/catch.hpp>

using namespace atelier::inference::tokenizer;

// Expected values: ftfy 6.1.1 (its documentation's examples and a few found by fuzzing).
TEST_CASE("fix_text repairs what ftfy repairs", "[tokenizer]") {
    const std::pair<std::u32string, std::u32string> cases[] = {
        {U"\u00E2\u0153\u201D No problems", U"\u2714 No problems"},
        {U"&macr;\\_(\u00E3\u0083\u0084)_/&macr;", U"\u00AF\\_(\u30C4)_/\u00AF"},
        {U"Broken text&hellip; it&#x2019;s \uFB02ubberi\uFB01c!",
         U"Broken text\u2026 it's flubberific!"},
        {U"\uFF2C\uFF2F\uFF35\uFF24\u3000\uFF2E\uFF2F\uFF29\uFF33\uFF25\uFF33", U"LOUD NOISES"},
        {U"\uFF35\uFF80\uFF70\uFF9D", U"U\u30BF\u30FC\u30F3"},
        {U"caf\u00C3\u00A9 mojibake", U"caf\u00E9 mojibake"},
        {U"\x1B[36;44mI'm blue\x1B[0m", U"I'm blue"},
        {U"a\r\nb\rc\u2028d\u0085e", U"a\nb\nc\nd\u2026e"},
        {U"&lt;b&gt; x <", U"&lt;b&gt; x <"},        // '<': taken for HTML
        {U"&lt;b&gt;\n<i>&amp;", U"<b>\n<i>&amp;"},  // ... from that line on
        {U"e\u0301", U"\u00E9"},
        {U"zero\u200Bwidth\uFEFF" + std::u32string(1, U'\0') + U"x", U"zero\u200Bwidthx"},
        {U"\u201Chere\u2019s a test\u201D", U"\"here's a test\""},
    };
    for (const auto& [input, expected] : cases) CHECK(ftfyFixText(input) == expected);
}

TEST_CASE("fix_encoding undoes mojibake and leaves the rest", "[tokenizer]") {
    CHECK(ftfyFixEncoding(U"s\u00C3\u00B3") == U"s\u00F3");
    CHECK(ftfyFixEncoding(U"voil\u00C3 le travail") == U"voil\u00E0 le travail");  // lost A0
    CHECK(ftfyFixEncoding(U"\u00C3 la mode") == U"\u00E0 la mode");
    CHECK(ftfyFixEncoding(U"&ATILDE;&SUP3;") == U"&ATILDE;&SUP3;");
    CHECK(ftfyFixEncoding(U"\u00E2\u20AC\u0153 like this \u00E2\u20AC\uFFFD") ==
          U"\u201C like this \uFFFD");
    // Latin-1 read as Windows-1252; 0x1A stays itself (a fuzzing find).
    CHECK(ftfyFixEncoding(U"\u00A8 \x1A \u0085 \r\n") == U"\u00A8 \x1A \u2026 \r\n");
    CHECK(ftfyFixEncoding(U"caf\u00E9 na\u00EFve") == U"caf\u00E9 na\u00EFve");
}

TEST_CASE("the mojibake heuristic fires on mojibake, not on ordinary accents", "[tokenizer]") {
    CHECK(looksLikeMojibake(U"caf\u00C3\u00A9"));
    CHECK(looksLikeMojibake(U"\u0080"));
    CHECK_FALSE(looksLikeMojibake(U"caf\u00E9 cr\u00E8me br\u00FBl\u00E9e"));
    CHECK_FALSE(looksLikeMojibake(U"\u6771\u4EAC"));
}

TEST_CASE("ftfy's codecs encode only what they can and decode UTF-8 variants", "[tokenizer]") {
    const auto& encodings = ftfyCharmapEncodings();
    REQUIRE(encodings.size() == 9);
    CHECK(encodings[1].name() == "sloppy-windows-1252");
    CHECK(encodings[1].canEncode(U"\u20AC\u0081\uFFFD"));  // sloppy: 0x81 passes, 0x1A is U+FFFD
    CHECK_FALSE(encodings[1].canEncode(U"\x1A"));
    CHECK(encodings[1].encode(U"\u20AC\u0081\uFFFD") == "\x80\x81\x1A");
    CHECK_FALSE(latin1Encoding().canEncode(U"\u20AC"));

    std::u32string out;
    CHECK(decodeUtf8Variants("\xED\xA0\xBD\xED\xB8\x8D", out));  // CESU-8 of U+1F60D
    CHECK(out == U"\U0001F60D");
    CHECK(
        decodeUtf8Variants("a\xC0\x80"
                           "b",
                           out));  // Java's NUL
    CHECK(out == std::u32string(U"a\0b", 3));
    CHECK_FALSE(decodeUtf8Variants("\xED\xA0\xBD", out));  // lone surrogate
}
