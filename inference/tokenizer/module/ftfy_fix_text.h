#pragma once
// ftfy 6.1.1's fix_text with its default configuration, which open_clip runs on every prompt:
// HTML entities, mojibake, C1 controls, Latin ligatures, full/half-width forms, curly quotes,
// line breaks, terminal escapes, control characters, then NFC, repeated until nothing changes.
#include <string>
#include <string_view>

namespace atelier::inference::tokenizer {

std::u32string ftfyFixText(std::u32string_view text);

// ftfy.fix_encoding: only the mojibake repair (exposed for tests).
std::u32string ftfyFixEncoding(std::u32string text);

}  // namespace atelier::inference::tokenizer
