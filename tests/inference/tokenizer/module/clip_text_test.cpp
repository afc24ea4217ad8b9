#include "inference/tokenizer/module/clip_text.h"

#include <catch2/catch.hpp>

using namespace atelier::inference::tokenizer;

namespace {
std::vector<std::u32string> words(std::u32string_view text) {
    std::vector<std::u32string> out;
    for (const PreToken& t : splitClipWords(text)) out.push_back(t.text);
    return out;
}
}  // namespace

// Expected values: open_clip's basic_clean/whitespace_clean/lower and its regex.findall.
TEST_CASE("cleaning collapses white space, unescapes twice and lower-cases", "[tokenizer]") {
    CHECK(cleanForClip(U"  Hello\t\tWORLD  ") == U"hello world");
    CHECK(cleanForClip(U"&amp;amp;") == U"&");
    CHECK(cleanForClip(U"a\x1C"
                       U"b") == U"ab");
    CHECK(cleanForClip(U"non\u00A0breaking\u3000space") == U"non breaking space");
    CHECK(cleanForClip(U"\u0130stanbul") == U"i\u0307stanbul");
}

TEST_CASE("words split as open_clip's pattern splits them", "[tokenizer]") {
    using W = std::vector<std::u32string>;
    CHECK(words(U"it's a dog's life") == W{U"it", U"'s", U"a", U"dog", U"'s", U"life"});
    CHECK(words(U"rock 'n' roll") == W{U"rock", U"'", U"n", U"'", U"roll"});
    CHECK(words(U"x'\u017F ''s") == W{U"x", U"'\u017F", U"''", U"s"});  // IGNORECASE: ſ is s
    CHECK(words(U"a\u0345b") == W{U"a", U"b"});                         // matched by no alternative
    CHECK(words(U"1999") == W{U"1", U"9", U"9", U"9"});
    CHECK(words(U"wait?!") == W{U"wait", U"?!"});
    CHECK(words(U"hello, world!") == W{U"hello", U",", U"world", U"!"});
}

TEST_CASE("only the exact special names become special tokens", "[tokenizer]") {
    const auto tokens = splitClipWords(U"<start_of_text>x<end_of_text><\u017Ftart_of_text>");
    REQUIRE(tokens.size() == 4);
    CHECK(tokens[0].special == SpecialToken::StartOfText);
    CHECK(tokens[1].special == SpecialToken::None);
    CHECK(tokens[2].special == SpecialToken::EndOfText);
    CHECK(tokens[3].text == U"<\u017Ftart_of_text>");
    CHECK(tokens[3].special == SpecialToken::None);
}
