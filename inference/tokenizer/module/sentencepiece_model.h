#pragma once
// Builds the sentencepiece model that executes CLIP's BPE: a serialized ModelProto, written
// directly in protobuf's wire format (Debian's libsentencepiece-dev ships no .pb.h, and the
// module must not depend on a protobuf of its own).
#include <string>
#include <vector>

namespace atelier::inference::tokenizer {

struct ClipVocabulary;

// U+E000 (private use) stands for CLIP's "</w>": one character appended to every word.
constexpr char32_t kWordEndMarker = 0xE000;

// The model's pieces are CLIP's vocabulary in CLIP's id order, so sentencepiece's ids are
// CLIP's ids:
//   0..255        the byte alphabet                             (NORMAL)
//   256..511      alphabet character + marker, score +1: merged before any rule, which makes
//                 the last symbol word-final as CLIP's bpe() starts    (NORMAL)
//   512..49405    merge r, score -r (lower rank merges first)   (NORMAL)
//   49406, 49407  <start_of_text>, <end_of_text>                (CONTROL: never produced)
//   49408         <unk>                                         (UNKNOWN: sentencepiece needs one)
// with an identity normalizer, no dummy prefix and no white-space handling.
std::string serializeClipBpeModel(const ClipVocabulary& vocabulary);

}  // namespace atelier::inference::tokenizer
