// Every reference prompt tokenizes to the ids open_clip (v2.7.0, with ftfy 6.1.1) gave SD2.
#include "inference/tokenizer/clip_tokenizer.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <fstream>

using atelier::inference::ClipTokenizer;

TEST_CASE("all reference prompts give open_clip's 77 ids", "[tokenizer][parity]") {
    std::ifstream in(ATELIER_TEST_DATA_DIR "/reference/tokenizer/prompts.json");
    REQUIRE(in);
    const nlohmann::json reference = nlohmann::json::parse(in);
    const auto& prompts = reference.at("prompts");
    REQUIRE(prompts.size() == 300);

    const ClipTokenizer tokenizer = ClipTokenizer::load(
        {"", ATELIER_TEST_DATA_DIR "/reference/clip_bpe/bpe_simple_vocab_16e6.txt.gz"});
    int failures = 0;
    for (const auto& prompt : prompts) {
        const std::string text = prompt.at("text").get<std::string>();
        const auto expected = prompt.at("ids").get<std::vector<int64_t>>();
        const auto got = tokenizer.encode77(text);
        if (got != expected) {
            ++failures;
            UNSCOPED_INFO("prompt " << prompt.at("index").get<int>() << " ("
                                    << prompt.at("category").get<std::string>() << ") \"" << text
                                    << "\"\n  cleaned:  \"" << tokenizer.clean(text)
                                    << "\"\n  expected: " << Catch::Detail::stringify(expected)
                                    << "\n  got:      " << Catch::Detail::stringify(got));
        }
    }
    CHECK(failures == 0);
}
