#include "inference/tokenizer/module/clip_vocabulary.h"
#include "inference/tokenizer/module/clip_tokenizer_core.h"
#include "inference/tokenizer/module/unicode_text.h"

#include <catch2/catch.hpp>

#include <set>

using namespace atelier::inference::tokenizer;

namespace {

const std::string kVocabulary =
    ATELIER_TEST_DATA_DIR "/reference/clip_bpe/bpe_simple_vocab_16e6.txt.gz";

std::string errorOf(const std::string& text) {
    try {
        ClipVocabulary::parse(text, "test.txt");
    } catch (const std::runtime_error& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST_CASE("the byte alphabet is CLIP's bytes_to_unicode", "[tokenizer]") {
    const auto& alphabet = clipByteAlphabet();
    CHECK(alphabet['a'] == U'a');
    CHECK(alphabet[' '] == U'\u0120');  // the famous "Ġ"
    CHECK(alphabet[0] == U'\u0100');
    CHECK(alphabet[0xAD] == U'\u0143');
    CHECK(std::set<char32_t>(alphabet.begin(), alphabet.end()).size() == 256);
}

TEST_CASE("the vocabulary file gives open_clip's merges", "[tokenizer]") {
    const ClipVocabulary vocabulary = ClipVocabulary::loadGzip(kVocabulary);
    REQUIRE(vocabulary.merges.size() == 48894);
    CHECK(vocabulary.merges.front() == std::make_pair(std::string("i"), std::string("n")));
    CHECK(vocabulary.merges.back() == std::make_pair(std::string("jeky"), std::string("ll</w>")));
}

TEST_CASE("malformed vocabularies are refused with a line number", "[tokenizer]") {
    CHECK_THAT(errorOf("#version\na b"), Catch::Contains("test.txt has only 1 merges"));
    CHECK_THAT(errorOf("#version\na b\n"), Catch::Contains("test.txt line 3 is not a merge"));
    CHECK_THAT(errorOf("#version\na b c\n"), Catch::Contains("test.txt line 2 is not a merge"));
    CHECK_THAT(errorOf("#version\n\xFF b\n"), Catch::Contains("line 2 is not UTF-8"));
    CHECK_THROWS_WITH(ClipVocabulary::loadGzip("/nonexistent/v.txt.gz"),
                      Catch::Contains("cannot open the CLIP vocabulary /nonexistent/v.txt.gz"));
}

TEST_CASE("sentencepiece executes CLIP's BPE", "[tokenizer]") {
    const ClipTokenizerCore core(kVocabulary);
    // Expected: open_clip's SimpleTokenizer.encode.
    CHECK(core.encode("a photo of a cat") == std::vector<int32_t>{320, 1125, 539, 320, 2368});
    CHECK(core.encode("Hello, world!") == std::vector<int32_t>{3306, 267, 1002, 256});
    // Words are BPE'd independently even when sent to sentencepiece together.
    std::vector<int32_t> together, apart;
    core.appendWordIds({{U"photo", SpecialToken::None}, {U"graph", SpecialToken::None}}, together);
    core.appendWordIds({{U"photo", SpecialToken::None}}, apart);
    core.appendWordIds({{U"graph", SpecialToken::None}}, apart);
    CHECK(together == apart);
    std::vector<int32_t> joined;
    core.appendWordIds({{U"photograph", SpecialToken::None}}, joined);
    CHECK(joined != together);
}
