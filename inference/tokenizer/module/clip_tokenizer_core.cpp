#include "inference/tokenizer/module/clip_tokenizer_core.h"

#include "inference/tokenizer/module/clip_vocabulary.h"
#include "inference/tokenizer/module/sentencepiece_model.h"
#include "inference/tokenizer/module/unicode_text.h"

#include <sentencepiece_processor.h>

#include <stdexcept>

namespace atelier::inference::tokenizer {

ClipTokenizerCore::ClipTokenizerCore(const std::string& vocabularyGzPath)
    : processor_(std::make_unique<sentencepiece::SentencePieceProcessor>()) {
    const ClipVocabulary vocabulary = ClipVocabulary::loadGzip(vocabularyGzPath);
    const auto status = processor_->LoadFromSerializedProto(serializeClipBpeModel(vocabulary));
    if (!status.ok()) {
        throw std::runtime_error("sentencepiece rejected the BPE model built from " +
                                 vocabularyGzPath + ": " + status.ToString());
    }
    if (processor_->GetPieceSize() != kClipVocabularySize + 1) {
        throw std::runtime_error("the BPE model built from " + vocabularyGzPath + " has " +
                                 std::to_string(processor_->GetPieceSize()) + " pieces");
    }
    for (int b = 0; b < 256; ++b)
        byteSymbols_[b] = encodeUtf8(std::u32string(1, clipByteAlphabet()[b]));
}

ClipTokenizerCore::~ClipTokenizerCore() = default;

void ClipTokenizerCore::appendBpe(const std::string& modelInput, std::vector<int32_t>& ids) const {
    if (modelInput.empty()) return;
    std::vector<int> pieceIds;
    const auto status = processor_->Encode(modelInput, &pieceIds);
    if (!status.ok()) throw std::runtime_error("sentencepiece failed: " + status.ToString());
    for (int id : pieceIds) {
        // Every input character is in the alphabet, so <unk> (or a special id) means a bug.
        if (id < 0 || id >= kClipStartOfTextId) {
            throw std::logic_error("sentencepiece produced id " + std::to_string(id));
        }
        ids.push_back(id);
    }
}

void ClipTokenizerCore::appendWordIds(const std::vector<PreToken>& words,
                                      std::vector<int32_t>& ids) const {
    // Consecutive words go to sentencepiece in one call: every word ends in the marker and no
    // piece has the marker inside, so no merge can cross a word boundary.
    std::string modelInput;
    std::string markerUtf8;
    appendUtf8(markerUtf8, kWordEndMarker);
    for (const PreToken& word : words) {
        if (word.special != SpecialToken::None) {
            appendBpe(modelInput, ids);
            modelInput.clear();
            ids.push_back(word.special == SpecialToken::StartOfText ? kClipStartOfTextId
                                                                    : kClipEndOfTextId);
            continue;
        }
        for (unsigned char byte : encodeUtf8(word.text)) modelInput += byteSymbols_[byte];
        modelInput += markerUtf8;
    }
    appendBpe(modelInput, ids);
}

std::vector<int32_t> ClipTokenizerCore::encode(std::string_view utf8) const {
    std::vector<int32_t> ids;
    appendWordIds(splitClipWords(cleanForClip(decodeUtf8Replacing(utf8))), ids);
    return ids;
}

std::string ClipTokenizerCore::clean(std::string_view utf8) const {
    return encodeUtf8(cleanForClip(decodeUtf8Replacing(utf8)));
}

}  // namespace atelier::inference::tokenizer
