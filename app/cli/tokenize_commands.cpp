// `atelier-cli tokenize`: SD2 / OpenCLIP token ids of a prompt, or of a JSON list of prompts.
#include "app/cli/commands.h"

#include "inference/tokenizer/clip_tokenizer.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <fstream>
#include <iostream>
#include <sstream>

namespace atelier::cli {
namespace {

struct TokenizeOptions {
    bool promptGiven = false;  // an empty PROMPT is a valid prompt
    std::string prompt;
    std::string promptsJson;
    bool json = false;
    bool bench = false;
    int rounds = 20;
};

std::vector<std::string> readPrompts(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw BadInput("cannot read prompts file " + path);
    nlohmann::json doc;
    try {
        doc = nlohmann::json::parse(in);
    } catch (const nlohmann::json::exception& e) {
        throw BadInput(path + " is not valid JSON: " + e.what());
    }
    if (!doc.is_array()) throw BadInput(path + " must hold a JSON array of strings");
    std::vector<std::string> prompts;
    for (size_t i = 0; i < doc.size(); ++i) {
        if (!doc[i].is_string()) {
            throw BadInput(path + ": element " + std::to_string(i) + " is not a string");
        }
        prompts.push_back(doc[i].get<std::string>());
    }
    return prompts;
}

void printIds(const std::vector<int64_t>& ids, bool json) {
    std::cout << (json ? "[" : "");
    for (size_t i = 0; i < ids.size(); ++i) {
        if (i > 0) std::cout << (json ? ", " : " ");
        std::cout << ids[i];
    }
    std::cout << (json ? "]" : "");
}

// Load time, then every prompt encoded `rounds` times; figures on stdout.
void runBench(const std::vector<std::string>& prompts, int rounds) {
    using Clock = std::chrono::steady_clock;
    const auto seconds = [](Clock::duration d) { return std::chrono::duration<double>(d).count(); };
    const auto loadStart = Clock::now();
    const inference::ClipTokenizer tokenizer = inference::ClipTokenizer::load();
    const double loadSeconds = seconds(Clock::now() - loadStart);

    size_t tokens = 0;
    size_t bytes = 0;
    const auto encodeStart = Clock::now();
    for (int round = 0; round < rounds; ++round) {
        for (const std::string& prompt : prompts) {
            tokens += tokenizer.bpe(prompt).size();
            bytes += prompt.size();
        }
    }
    const double encodeSeconds = seconds(Clock::now() - encodeStart);
    const double encodes = static_cast<double>(prompts.size()) * rounds;
    std::cout << "load:        " << loadSeconds * 1e3 << " ms (module + BPE model)\n"
              << "encoded:     " << prompts.size() << " prompts x " << rounds << " rounds in "
              << encodeSeconds << " s\n"
              << "per prompt:  " << encodeSeconds / encodes * 1e6 << " us\n"
              << "throughput:  " << tokens / encodeSeconds << " BPE tokens/s, "
              << bytes / encodeSeconds / 1e6 << " MB/s of prompt text\n";
}

void runTokenize(const TokenizeOptions& options) {
    const bool fromFile = !options.promptsJson.empty();
    if (options.promptGiven == fromFile) {
        throw BadInput("give either a PROMPT or --prompts-json FILE");
    }
    if (options.rounds < 1) throw BadInput("--rounds must be at least 1");
    const std::vector<std::string> prompts =
        fromFile ? readPrompts(options.promptsJson) : std::vector<std::string>{options.prompt};
    if (options.bench) {
        runBench(prompts, options.rounds);
        return;
    }
    const inference::ClipTokenizer tokenizer = inference::ClipTokenizer::load();
    if (!fromFile) {
        printIds(tokenizer.encode77(options.prompt), options.json);
        std::cout << "\n";
        return;
    }
    if (options.json) std::cout << "[";
    for (size_t i = 0; i < prompts.size(); ++i) {
        if (options.json && i > 0) std::cout << ",\n ";
        printIds(tokenizer.encode77(prompts[i]), options.json);
        if (!options.json) std::cout << "\n";
    }
    if (options.json) std::cout << "]\n";
}

}  // namespace

void addTokenizeCommands(CLI::App& app) {
    auto options = std::make_shared<TokenizeOptions>();
    CLI::App* tokenize = app.add_subcommand(
        "tokenize",
        "Print the 77 SD2 (OpenCLIP) token ids of a prompt, or of each prompt in a "
        "JSON array of strings");
    CLI::Option* prompt =
        tokenize->add_option("prompt", options->prompt, "The prompt (UTF-8; may be empty)");
    tokenize->add_option("--prompts-json", options->promptsJson,
                         "A JSON file holding an array of prompt strings");
    tokenize->add_flag("--json", options->json, "Print JSON arrays instead of space-separated ids");
    tokenize->add_flag("--bench", options->bench,
                       "Measure load time and encoding speed instead of printing ids");
    tokenize->add_option("--rounds", options->rounds, "Rounds over the prompts for --bench")
        ->capture_default_str();
    tokenize->callback([options, prompt] {
        options->promptGiven = prompt->count() > 0;
        try {
            runTokenize(*options);
        } catch (const inference::TokenizerError& e) {
            std::cerr << "atelier-cli: " << e.what() << "\n";
            exitStatus() = kExitInternal;
        }
    });
}

}  // namespace atelier::cli
