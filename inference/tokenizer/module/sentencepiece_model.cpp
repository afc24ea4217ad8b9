#include "inference/tokenizer/module/sentencepiece_model.h"

#include "inference/tokenizer/module/clip_vocabulary.h"
#include "inference/tokenizer/module/unicode_text.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>

namespace atelier::inference::tokenizer {
namespace {

// sentencepiece_model.proto (v0.1.97) field numbers and enum values used here.
enum WireType : uint32_t { kVarint = 0, kLengthDelimited = 2, kFixed32 = 5 };
enum PieceType : uint64_t { kNormal = 1, kUnknown = 2, kControl = 3 };
constexpr uint32_t kModelPieces = 1, kModelTrainerSpec = 2, kModelNormalizerSpec = 3;
constexpr uint32_t kPieceText = 1, kPieceScore = 2, kPieceType = 3;
constexpr uint32_t kTrainerModelType = 3, kTrainerVocabSize = 4, kTrainerUnkId = 40,
                   kTrainerBosId = 41, kTrainerEosId = 42;
constexpr uint64_t kModelTypeBpe = 2;
constexpr uint32_t kNormalizerName = 1, kNormalizerAddDummyPrefix = 3,
                   kNormalizerRemoveExtraWhitespaces = 4, kNormalizerEscapeWhitespaces = 5;

class ProtoWriter {
public:
    void varint(uint32_t field, uint64_t value) {
        key(field, kVarint);
        raw(value);
    }
    // int32 fields encode negative values as 64-bit two's complement.
    void int32(uint32_t field, int32_t value) {
        varint(field, static_cast<uint64_t>(static_cast<int64_t>(value)));
    }
    void float32(uint32_t field, float value) {
        key(field, kFixed32);
        uint32_t bits = 0;
        std::memcpy(&bits, &value, sizeof bits);
        for (int i = 0; i < 4; ++i) bytes_.push_back(static_cast<char>((bits >> (8 * i)) & 0xFF));
    }
    void bytes(uint32_t field, const std::string& value) {
        key(field, kLengthDelimited);
        raw(value.size());
        bytes_ += value;
    }
    const std::string& data() const { return bytes_; }

private:
    void key(uint32_t field, WireType type) { raw((static_cast<uint64_t>(field) << 3) | type); }
    void raw(uint64_t value) {
        while (value >= 0x80) {
            bytes_.push_back(static_cast<char>((value & 0x7F) | 0x80));
            value >>= 7;
        }
        bytes_.push_back(static_cast<char>(value));
    }
    std::string bytes_;
};

std::string piece(const std::string& text, float score, PieceType type) {
    ProtoWriter p;
    p.bytes(kPieceText, text);
    p.float32(kPieceScore, score);
    p.varint(kPieceType, type);
    return p.data();
}

// A CLIP symbol in the model's alphabet: "</w>" becomes the marker character.
std::string modelSymbol(std::string clipSymbol) {
    static const std::string kEndOfWord = "</w>";
    if (clipSymbol.size() > kEndOfWord.size() &&
        clipSymbol.compare(clipSymbol.size() - kEndOfWord.size(), kEndOfWord.size(), kEndOfWord) ==
            0) {
        clipSymbol.resize(clipSymbol.size() - kEndOfWord.size());
        appendUtf8(clipSymbol, kWordEndMarker);
    }
    return clipSymbol;
}

}  // namespace

std::string serializeClipBpeModel(const ClipVocabulary& vocabulary) {
    // CLIP lists the alphabet in bytes_to_unicode's order, which is code point order.
    std::array<char32_t, 256> alphabet = clipByteAlphabet();
    std::sort(alphabet.begin(), alphabet.end());

    ProtoWriter model;
    for (char32_t c : alphabet) {
        model.bytes(kModelPieces, piece(encodeUtf8(std::u32string(1, c)), 0.0f, kNormal));
    }
    for (char32_t c : alphabet) {
        model.bytes(kModelPieces,
                    piece(encodeUtf8(std::u32string{c, kWordEndMarker}), 1.0f, kNormal));
    }
    for (size_t rank = 0; rank < vocabulary.merges.size(); ++rank) {
        const auto& [first, second] = vocabulary.merges[rank];
        model.bytes(kModelPieces,
                    piece(modelSymbol(first + second), -static_cast<float>(rank), kNormal));
    }
    model.bytes(kModelPieces, piece("<start_of_text>", 0.0f, kControl));
    model.bytes(kModelPieces, piece("<end_of_text>", 0.0f, kControl));
    model.bytes(kModelPieces, piece("<unk>", 0.0f, kUnknown));

    ProtoWriter trainer;
    trainer.varint(kTrainerModelType, kModelTypeBpe);
    trainer.int32(kTrainerVocabSize, kClipVocabularySize + 1);
    trainer.int32(kTrainerUnkId, kClipVocabularySize);
    trainer.int32(kTrainerBosId, -1);
    trainer.int32(kTrainerEosId, -1);
    model.bytes(kModelTrainerSpec, trainer.data());

    ProtoWriter normalizer;
    normalizer.bytes(kNormalizerName, "identity");
    normalizer.varint(kNormalizerAddDummyPrefix, 0);
    normalizer.varint(kNormalizerRemoveExtraWhitespaces, 0);
    normalizer.varint(kNormalizerEscapeWhitespaces, 0);
    model.bytes(kModelNormalizerSpec, normalizer.data());
    return model.data();
}

}  // namespace atelier::inference::tokenizer
