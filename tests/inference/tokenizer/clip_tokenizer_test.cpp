// ClipTokenizer with its module: runs in a process that links libtorch (through
// atelier_inference), which is exactly where linking sentencepiece would crash.
#include "inference/tokenizer/clip_tokenizer.h"
#include "inference/runtime_info.h"

#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>
#include <sstream>
#include <thread>

using atelier::inference::ClipTokenizer;
using atelier::inference::TokenizerError;

namespace {

const std::string kReferenceVocabulary =
    ATELIER_TEST_DATA_DIR "/reference/clip_bpe/bpe_simple_vocab_16e6.txt.gz";

const ClipTokenizer& tokenizer() {
    static const ClipTokenizer loaded = ClipTokenizer::load({"", kReferenceVocabulary});
    return loaded;
}

std::string readFile(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

bool processHasMapped(const std::string& libraryName) {
    return readFile("/proc/self/maps").find(libraryName) != std::string::npos;
}

std::vector<int64_t> framed(std::vector<int64_t> ids) {
    ids.insert(ids.begin(), 49406);
    ids.push_back(49407);
    ids.resize(77, 0);
    return ids;
}

}  // namespace

TEST_CASE("the module tokenizes in a process running libtorch and its protobuf", "[tokenizer]") {
    // Make sure libtorch is loaded and initialised before the module comes in.
    const auto runtime = atelier::inference::queryRuntimeInfo();
    REQUIRE_FALSE(runtime.torchVersion.empty());
    REQUIRE(processHasMapped("libtorch"));
    REQUIRE(processHasMapped("libprotobuf"));

    const ClipTokenizer loaded = ClipTokenizer::load();
    CHECK(processHasMapped("atelier_tokenizer_sp"));
    CHECK(processHasMapped("libsentencepiece"));
    CHECK(loaded.encode77("a photo of a cat") == framed({320, 1125, 539, 320, 2368}));
}

TEST_CASE("the installed vocabulary is CLIP's, byte for byte", "[tokenizer]") {
    const ClipTokenizer loaded = ClipTokenizer::load();
    CHECK(loaded.vocabularyPath() == ATELIER_SOURCE_DIR
          "/resources/tokenizer/bpe_simple_vocab_16e6.txt.gz");
    CHECK(readFile(loaded.vocabularyPath()) == readFile(kReferenceVocabulary));
}

TEST_CASE("an empty prompt is start, end and padding", "[tokenizer]") {
    std::vector<int64_t> expected(77, 0);
    expected[0] = 49406;
    expected[1] = 49407;
    CHECK(tokenizer().encode77("") == expected);
    CHECK(tokenizer().encode77(" \t\n ") == expected);
    CHECK(tokenizer().bpe("").empty());
}

TEST_CASE("long prompts are cut to 77 ids ending in <end_of_text>", "[tokenizer]") {
    std::string prompt;
    for (int i = 0; i < 80; ++i) prompt += "cat ";
    CHECK(tokenizer().bpe(prompt).size() == 80);
    const auto ids = tokenizer().encode77(prompt);
    REQUIRE(ids.size() == 77);
    CHECK(ids[0] == 49406);
    CHECK(ids[75] == 2368);
    CHECK(ids[76] == 49407);
}

TEST_CASE("open_clip's special names map to their ids inside a prompt", "[tokenizer]") {
    CHECK(tokenizer().bpe("<start_of_text>x<end_of_text>") ==
          std::vector<int32_t>{49406, 343, 49407});
    CHECK(tokenizer().bpe("<START_OF_TEXT>") == std::vector<int32_t>{49406});
    // Matched case-insensitively (long s folds to s) but not the exact name: BPE'd as text.
    CHECK(tokenizer().bpe("<\xC5\xBFtart_of_text>") ==
          std::vector<int32_t>{27, 129, 123, 16707, 62, 684, 62, 18169, 285});
}

TEST_CASE("invalid UTF-8 is replaced as Python's errors='replace' does", "[tokenizer]") {
    // Expected ids: open_clip's tokenizer on bytes.decode("utf-8", "replace").
    CHECK(tokenizer().bpe("caf\xE9 au lait") ==
          std::vector<int32_t>{20867, 39802, 2566, 572, 585});  // 'caf\ufffd au lait'
    CHECK(tokenizer().bpe("\xED\xA0\x80 x") == std::vector<int32_t>{47356, 47356, 39802, 343});
    CHECK(tokenizer().bpe("a\xE2\x82") == std::vector<int32_t>{320, 39802});  // truncated
    CHECK(tokenizer().bpe("\xFF\xFE") == std::vector<int32_t>{47356, 39802});
    CHECK(tokenizer().clean("caf\xE9") == "caf\xEF\xBF\xBD");
}

TEST_CASE("embedded NUL bytes are part of the prompt, then removed like other controls",
          "[tokenizer]") {
    CHECK(tokenizer().bpe(std::string("a\0photo", 7)) == tokenizer().bpe("aphoto"));
}

TEST_CASE("clean shows the text the ids come from", "[tokenizer]") {
    CHECK(tokenizer().clean("  It\xE2\x80\x99s &amp; \xEF\xAC\x81ne\t\tNOW  ") ==
          "it's & fine now");
}

TEST_CASE("one tokenizer serves many threads at once", "[tokenizer]") {
    const std::vector<std::string> prompts = {"a photo of a cat", "caf\xC3\x83\xC2\xA9 mojibake",
                                              "\xEF\xBC\xA6\xEF\xBC\xB5\xEF\xBC\xAC\xEF\xBC\xAC",
                                              "rock &amp; roll", "\xE6\x9D\xB1\xE4\xBA\xAC"};
    std::vector<std::vector<int64_t>> expected;
    for (const auto& p : prompts) expected.push_back(tokenizer().encode77(p));

    std::vector<int> mismatches(4, 0);
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&, t] {
            for (int round = 0; round < 50; ++round) {
                for (size_t i = 0; i < prompts.size(); ++i) {
                    if (tokenizer().encode77(prompts[i]) != expected[i]) ++mismatches[t];
                }
            }
        });
    }
    for (auto& thread : threads) thread.join();
    CHECK(mismatches == std::vector<int>(4, 0));
}

TEST_CASE("a vocabulary that is not CLIP's merges is refused with its path", "[tokenizer]") {
    const std::string notVocabulary =
        ATELIER_TEST_DATA_DIR "/reference/clip_bpe/LICENSE.open_clip.txt";
    try {
        ClipTokenizer::load({"", notVocabulary});
        FAIL("no error");
    } catch (const TokenizerError& e) {
        CHECK_THAT(e.what(), Catch::Contains("the CLIP vocabulary " + notVocabulary));
    }
}

TEST_CASE("a missing vocabulary is reported with the path tried", "[tokenizer]") {
    try {
        ClipTokenizer::load({"", "/nonexistent/vocab.txt.gz"});
        FAIL("no error");
    } catch (const TokenizerError& e) {
        CHECK_THAT(e.what(), Catch::Contains("cannot find CLIP's vocabulary") &&
                                 Catch::Contains("/nonexistent/vocab.txt.gz"));
    }
}
