#pragma once
// open_clip's text preparation (v2.7.0 tokenizer.py): cleaning and the split into words.
#include <string>
#include <string_view>
#include <vector>

namespace atelier::inference::tokenizer {

// whitespace_clean(basic_clean(text)).lower(): ftfy.fix_text, html.unescape twice, strip,
// runs of White_Space -> one space, strip, lower().
std::u32string cleanForClip(std::u32string_view text);

enum class SpecialToken { None, StartOfText, EndOfText };

struct PreToken {
    std::u32string text;
    SpecialToken special = SpecialToken::None;
};

// re.findall of open_clip's pattern (the `regex` module, IGNORECASE) on cleaned text:
//   <start_of_text>|<end_of_text>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+
// Characters no alternative matches (white space; U+0345, which IGNORECASE lets case-fold into
// a letter) are skipped. A special name matched case-insensitively ("<ſtart_of_text>") is still
// a word: open_clip only maps the exact spelling to its id.
std::vector<PreToken> splitClipWords(std::u32string_view cleaned);

}  // namespace atelier::inference::tokenizer
