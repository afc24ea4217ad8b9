#pragma once
// The regular expressions ftfy 6.1.1 uses to recognise and repair mojibake, compiled with ICU.
// Text patterns follow Python's `re` (\s = str.isspace, \w = str.isalnum or '_', '.' = not '\n');
// byte patterns run on bytes widened to U+0000..U+00FF.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace atelier::inference::tokenizer {

// ftfy.badness.is_bad: does the text contain a sequence that is much likelier mojibake than
// intended (e.g. a lower-case accented letter followed by a currency sign)?
bool looksLikeMojibake(std::u32string_view text);

// Matches of ftfy.chardata.UTF8_DETECTOR_RE (runs of characters that look like UTF-8 read as
// a single-byte encoding), as [begin, end) code-point ranges.
std::vector<std::pair<size_t, size_t>> findUtf8LookingRuns(std::u32string_view text);

// ftfy.chardata.ALTERED_UTF8_RE: UTF-8 that would be valid if a 0x20 were 0xA0.
bool hasAlteredUtf8(std::string_view bytes);
// ftfy.fixes.restore_byte_a0.
std::string restoreByteA0(std::string_view bytes);
// ftfy.fixes.replace_lossy_sequences: UTF-8 sequences with bytes lost to 0x1A (or '?') become
// the UTF-8 of U+FFFD.
std::string replaceLossySequences(std::string_view bytes);

// ftfy.fixes.remove_terminal_escapes: drops ANSI escapes such as "\x1b[36;44m".
std::u32string removeTerminalEscapes(std::u32string_view text);

}  // namespace atelier::inference::tokenizer
