#pragma once
// Conversions between the module's code-point strings and ICU's UTF-16 strings.
#include <unicode/unistr.h>

#include <string>
#include <string_view>

namespace atelier::inference::tokenizer {

icu::UnicodeString toIcu(std::u32string_view text);
std::u32string fromIcu(const icu::UnicodeString& text);
// Code-point index of a UTF-16 index in `text` (ICU regex reports UTF-16 offsets).
int32_t codePointIndex(const icu::UnicodeString& text, int32_t utf16Index);

}  // namespace atelier::inference::tokenizer
