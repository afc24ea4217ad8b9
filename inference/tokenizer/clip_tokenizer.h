#pragma once
// SD2's prompt tokenizer: open_clip's (v2.7.0) CLIP tokenizer, id for id.
//
// The work happens in a separately built module (atelier_tokenizer_sp: ftfy-compatible text
// cleaning with ICU, CLIP's BPE executed by sentencepiece) that is loaded with dlopen on first
// use; see tokenizer_module_abi.h for why it is not linked.
//
// Input is UTF-8. Invalid bytes are replaced as Python's bytes.decode("utf-8", "replace") would
// (each maximal ill-formed sequence becomes U+FFFD), so any byte string tokenizes the way
// open_clip tokenizes that decoded str.
//
// Thread safety: a loaded ClipTokenizer is immutable; encode77/bpe/clean may be called from
// any number of threads at once. Copies share the loaded tokenizer.
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace atelier::inference {

// Module or vocabulary missing or broken (the message names the paths tried), or a failure
// inside the module.
struct TokenizerError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Explicit files; an empty one is searched for (ClipTokenizer::load says where).
struct ClipTokenizerFiles {
    std::string module;      // atelier_tokenizer_sp.so
    std::string vocabulary;  // bpe_simple_vocab_16e6.txt.gz
};

class ClipTokenizer {
public:
    static constexpr int64_t kStartOfText = 49406;
    static constexpr int64_t kEndOfText = 49407;
    static constexpr int64_t kPad = 0;  // SD2 pads with 0 ("!"), not with <end_of_text>
    static constexpr size_t kContextLength = 77;

    // Loads the module and builds the BPE model (about 0.1 s). Without explicit files:
    //   module:     $ATELIER_TOKENIZER_MODULE if set (then only it), else next to the
    //               executable, <exe>/../lib/.../atelier/, the build tree, the install prefix;
    //   vocabulary: $ATELIER_TOKENIZER_VOCAB if set (then only it), else
    //               <exe>/../share/atelier/tokenizer/, the source tree, the install prefix.
    // Throws TokenizerError.
    static ClipTokenizer load(const ClipTokenizerFiles& files = {});

    // open_clip.tokenize(text)[0]: <start_of_text>, the BPE ids, <end_of_text>, then kPad up to
    // 77; longer sequences keep their first 77 ids with the last one set to <end_of_text>.
    std::vector<int64_t> encode77(const std::string& utf8) const;
    // The BPE ids alone (no framing, no truncation).
    std::vector<int32_t> bpe(const std::string& utf8) const;
    // The text the BPE ids come from: ftfy-fixed, HTML-unescaped, white space collapsed,
    // lower-cased.
    std::string clean(const std::string& utf8) const;

    // The framing and truncation of encode77, for ids from bpe().
    static std::vector<int64_t> frame77(const std::vector<int32_t>& bpeIds);

    const std::string& modulePath() const;
    const std::string& vocabularyPath() const;

private:
    struct Loaded;
    explicit ClipTokenizer(std::shared_ptr<const Loaded> loaded);
    std::shared_ptr<const Loaded> loaded_;
};

}  // namespace atelier::inference
