#include "inference/tokenizer/module/clip_text.h"

#include "inference/tokenizer/module/ftfy_fix_text.h"
#include "inference/tokenizer/module/html_unescape.h"
#include "inference/tokenizer/module/unicode_text.h"

namespace atelier::inference::tokenizer {
namespace {

constexpr std::u32string_view kStartOfText = U"<start_of_text>";
constexpr std::u32string_view kEndOfText = U"<end_of_text>";

// re.sub(r'\s+', ' ', text) with the `regex` module's \s.
std::u32string collapseWhiteSpace(std::u32string_view text) {
    std::u32string out;
    out.reserve(text.size());
    bool inRun = false;
    for (char32_t c : text) {
        if (isRegexWhiteSpace(c)) {
            if (!inRun) out.push_back(U' ');
            inRun = true;
        } else {
            out.push_back(c);
            inRun = false;
        }
    }
    return out;
}

// Case-insensitive literal match at `pos`, comparing simple case foldings.
bool matchesFolded(std::u32string_view text, size_t pos, std::u32string_view literal) {
    if (text.size() - pos < literal.size()) return false;
    for (size_t k = 0; k < literal.size(); ++k) {
        if (simpleCaseFold(text[pos + k]) != simpleCaseFold(literal[k])) return false;
    }
    return true;
}

// 's|'t|'re|'ve|'m|'ll|'d at `pos`; returns the length matched or 0.
size_t matchContraction(std::u32string_view text, size_t pos) {
    static constexpr std::u32string_view kContractions[] = {U"'s", U"'t",  U"'re", U"'ve",
                                                            U"'m", U"'ll", U"'d"};
    if (text[pos] != U'\'') return 0;
    for (std::u32string_view c : kContractions) {
        if (matchesFolded(text, pos, c)) return c.size();
    }
    return 0;
}

// [^\s\p{L}\p{N}] as the `regex` module evaluates it with IGNORECASE.
bool isOtherSymbol(char32_t c) {
    return !isRegexWhiteSpace(c) && !isLetter(c) && !isNumber(c) && c != 0x0345;
}

}  // namespace

std::u32string cleanForClip(std::u32string_view text) {
    std::u32string s = ftfyFixText(text);
    s = htmlUnescape(htmlUnescape(s));
    s = stripPython(s);
    s = stripPython(collapseWhiteSpace(s));
    return lowerPython(s);
}

std::vector<PreToken> splitClipWords(std::u32string_view text) {
    std::vector<PreToken> words;
    const size_t n = text.size();
    for (size_t pos = 0; pos < n;) {
        size_t length = 0;
        SpecialToken special = SpecialToken::None;
        if (matchesFolded(text, pos, kStartOfText)) {
            length = kStartOfText.size();
            if (text.substr(pos, length) == kStartOfText) special = SpecialToken::StartOfText;
        } else if (matchesFolded(text, pos, kEndOfText)) {
            length = kEndOfText.size();
            if (text.substr(pos, length) == kEndOfText) special = SpecialToken::EndOfText;
        } else if ((length = matchContraction(text, pos)) != 0) {
        } else if (isLetter(text[pos])) {
            while (pos + length < n && isLetter(text[pos + length])) ++length;
        } else if (isNumber(text[pos])) {
            length = 1;
        } else if (isOtherSymbol(text[pos])) {
            while (pos + length < n && isOtherSymbol(text[pos + length])) ++length;
        } else {
            ++pos;  // white space, or a character no alternative accepts
            continue;
        }
        words.push_back({std::u32string(text.substr(pos, length)), special});
        pos += length;
    }
    return words;
}

}  // namespace atelier::inference::tokenizer
