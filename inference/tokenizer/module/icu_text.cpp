#include "inference/tokenizer/module/icu_text.h"

namespace atelier::inference::tokenizer {

icu::UnicodeString toIcu(std::u32string_view text) {
    return icu::UnicodeString::fromUTF32(reinterpret_cast<const UChar32*>(text.data()),
                                         static_cast<int32_t>(text.size()));
}

std::u32string fromIcu(const icu::UnicodeString& text) {
    std::u32string out;
    out.reserve(static_cast<size_t>(text.length()));
    for (int32_t i = 0; i < text.length();) {
        const UChar32 c = text.char32At(i);
        out.push_back(static_cast<char32_t>(c));
        i += U16_LENGTH(c);
    }
    return out;
}

int32_t codePointIndex(const icu::UnicodeString& text, int32_t utf16Index) {
    return text.countChar32(0, utf16Index);
}

}  // namespace atelier::inference::tokenizer
