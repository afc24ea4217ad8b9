#include "inference/tokenizer/clip_tokenizer.h"
#include "inference/tokenizer/tokenizer_files.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <string>

using atelier::inference::ClipTokenizer;
using atelier::inference::TokenizerError;
namespace files = atelier::inference::tokenizer;

namespace {

std::string loadError(const atelier::inference::ClipTokenizerFiles& explicitFiles) {
    try {
        ClipTokenizer::load(explicitFiles);
    } catch (const TokenizerError& e) {
        return e.what();
    }
    return "";
}

// Sets an environment variable for one scope.
struct ScopedEnv {
    std::string name;
    ScopedEnv(std::string n, const std::string& value) : name(std::move(n)) {
        setenv(name.c_str(), value.c_str(), 1);
    }
    ~ScopedEnv() { unsetenv(name.c_str()); }
};

std::vector<int32_t> repeated(int32_t id, size_t count) { return std::vector<int32_t>(count, id); }

}  // namespace

TEST_CASE("frame77 wraps the BPE ids and pads with 0", "[tokenizer]") {
    const auto ids = ClipTokenizer::frame77({320, 1125, 539, 320, 2368});
    REQUIRE(ids.size() == 77);
    CHECK(std::vector<int64_t>(ids.begin(), ids.begin() + 8) ==
          std::vector<int64_t>{49406, 320, 1125, 539, 320, 2368, 49407, 0});
    CHECK(std::all_of(ids.begin() + 7, ids.end(), [](int64_t id) { return id == 0; }));
}

TEST_CASE("frame77 of nothing is start, end and padding", "[tokenizer]") {
    std::vector<int64_t> expected(77, 0);
    expected[0] = 49406;
    expected[1] = 49407;
    CHECK(ClipTokenizer::frame77({}) == expected);
}

TEST_CASE("frame77 truncates to 77 with <end_of_text> last", "[tokenizer]") {
    SECTION("75 ids fit exactly") {
        const auto ids = ClipTokenizer::frame77(repeated(2368, 75));
        CHECK(ids[75] == 2368);
        CHECK(ids[76] == 49407);
    }
    SECTION("76 ids lose the last one") {
        const auto ids = ClipTokenizer::frame77(repeated(2368, 76));
        REQUIRE(ids.size() == 77);
        CHECK(ids[0] == 49406);
        CHECK(ids[75] == 2368);
        CHECK(ids[76] == 49407);
    }
    SECTION("a long prompt keeps its first 75") {
        std::vector<int32_t> bpe;
        for (int32_t i = 0; i < 500; ++i) bpe.push_back(1000 + i);
        const auto ids = ClipTokenizer::frame77(bpe);
        REQUIRE(ids.size() == 77);
        CHECK(ids[1] == 1000);
        CHECK(ids[75] == 1074);
        CHECK(ids[76] == 49407);
    }
}

TEST_CASE("a missing module is reported with the path tried and how to get one", "[tokenizer]") {
    const std::string error = loadError({"/nonexistent/atelier_tokenizer_sp.so", ""});
    CHECK_THAT(error, Catch::Contains("cannot find the tokenizer module"));
    CHECK_THAT(error, Catch::Contains("/nonexistent/atelier_tokenizer_sp.so"));
    CHECK_THAT(error, Catch::Contains("libsentencepiece-dev"));
}

TEST_CASE("ATELIER_TOKENIZER_MODULE is the only place looked at when set", "[tokenizer]") {
    const ScopedEnv env("ATELIER_TOKENIZER_MODULE", "/nonexistent/from-env.so");
    CHECK(files::moduleCandidates("") == std::vector<std::string>{"/nonexistent/from-env.so"});
    CHECK_THAT(loadError({}), Catch::Contains("/nonexistent/from-env.so"));
}

TEST_CASE("without overrides the module is looked for beside the executable first", "[tokenizer]") {
    unsetenv("ATELIER_TOKENIZER_MODULE");
    const auto candidates = files::moduleCandidates("");
    REQUIRE(candidates.size() >= 4);
    CHECK(candidates.front() == files::executableDirectory() + "/atelier_tokenizer_sp.so");
    CHECK_THAT(candidates.back(), Catch::EndsWith("/atelier/atelier_tokenizer_sp.so"));
}

TEST_CASE("a file that is not a shared library is refused with the loader's reason",
          "[tokenizer]") {
    const std::string notALibrary =
        ATELIER_TEST_DATA_DIR "/reference/clip_bpe/LICENSE.open_clip.txt";
    const std::string error = loadError({notALibrary, ""});
    CHECK_THAT(error, Catch::Contains("cannot load the tokenizer module " + notALibrary));
}

TEST_CASE("ATELIER_TOKENIZER_VOCAB is the only vocabulary looked at when set", "[tokenizer]") {
    const ScopedEnv env("ATELIER_TOKENIZER_VOCAB", "/nonexistent/vocab.txt.gz");
    CHECK(files::vocabularyCandidates("") == std::vector<std::string>{"/nonexistent/vocab.txt.gz"});
}

TEST_CASE("the vocabulary is found in the source tree of a build", "[tokenizer]") {
    unsetenv("ATELIER_TOKENIZER_VOCAB");
    const std::string found = files::findFile(files::vocabularyCandidates(""), "vocabulary", "");
    CHECK(found == ATELIER_SOURCE_DIR "/resources/tokenizer/bpe_simple_vocab_16e6.txt.gz");
}

TEST_CASE("findFile lists every path it tried", "[tokenizer]") {
    try {
        files::findFile({"/nonexistent/a", "/nonexistent/b"}, "the thing", "Install it.");
        FAIL("no error");
    } catch (const TokenizerError& e) {
        CHECK_THAT(e.what(), Catch::Equals("cannot find the thing; tried:\n  /nonexistent/a\n"
                                           "  /nonexistent/b\nInstall it."));
    }
}
