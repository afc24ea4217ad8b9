#include "inference/tokenizer/module/unicode_text.h"

#include "inference/tokenizer/module/icu_text.h"

#include <unicode/locid.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/ustring.h>

#include <stdexcept>

namespace atelier::inference::tokenizer {
namespace {

// Length of a well-formed sequence started by `lead`, and the allowed range of its second byte
// (Unicode Table 3-7); 0 for bytes that cannot start one.
struct LeadInfo {
    int length;
    unsigned char secondLow, secondHigh;
};

LeadInfo leadInfo(unsigned char lead) {
    if (lead < 0x80) return {1, 0, 0};
    if (lead >= 0xC2 && lead <= 0xDF) return {2, 0x80, 0xBF};
    if (lead == 0xE0) return {3, 0xA0, 0xBF};
    if (lead >= 0xE1 && lead <= 0xEC) return {3, 0x80, 0xBF};
    if (lead == 0xED) return {3, 0x80, 0x9F};  // no surrogates
    if (lead >= 0xEE && lead <= 0xEF) return {3, 0x80, 0xBF};
    if (lead == 0xF0) return {4, 0x90, 0xBF};
    if (lead >= 0xF1 && lead <= 0xF3) return {4, 0x80, 0xBF};
    if (lead == 0xF4) return {4, 0x80, 0x8F};  // nothing above U+10FFFF
    return {0, 0, 0};
}

// Decodes one sequence at `i`. Returns the number of bytes consumed; `ok` is false when those
// bytes are a maximal ill-formed subpart (to be replaced by one U+FFFD).
size_t decodeOne(std::string_view bytes, size_t i, char32_t& c, bool& ok) {
    const auto lead = static_cast<unsigned char>(bytes[i]);
    const LeadInfo info = leadInfo(lead);
    ok = false;
    if (info.length == 0) return 1;
    if (info.length == 1) {
        c = lead;
        ok = true;
        return 1;
    }
    c = lead & (0x7F >> info.length);
    for (int k = 1; k < info.length; ++k) {
        if (i + k >= bytes.size()) return k;
        const auto b = static_cast<unsigned char>(bytes[i + k]);
        const unsigned char low = k == 1 ? info.secondLow : 0x80;
        const unsigned char high = k == 1 ? info.secondHigh : 0xBF;
        if (b < low || b > high) return k;
        c = (c << 6) | (b & 0x3F);
    }
    ok = true;
    return info.length;
}

}  // namespace

std::u32string decodeUtf8Replacing(std::string_view bytes) {
    std::u32string out;
    out.reserve(bytes.size());
    for (size_t i = 0; i < bytes.size();) {
        char32_t c = 0;
        bool ok = false;
        i += decodeOne(bytes, i, c, ok);
        out.push_back(ok ? c : U'\uFFFD');
    }
    return out;
}

bool decodeUtf8Strict(std::string_view bytes, std::u32string& out) {
    out.clear();
    out.reserve(bytes.size());
    for (size_t i = 0; i < bytes.size();) {
        char32_t c = 0;
        bool ok = false;
        i += decodeOne(bytes, i, c, ok);
        if (!ok) return false;
        out.push_back(c);
    }
    return true;
}

void appendUtf8(std::string& out, char32_t c) {
    if (c < 0x80) {
        out.push_back(static_cast<char>(c));
    } else if (c < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (c >> 6)));
        out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else if (c < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (c >> 12)));
        out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (c >> 18)));
        out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    }
}

std::string encodeUtf8(std::u32string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char32_t c : text) appendUtf8(out, c);
    return out;
}

bool isPythonSpace(char32_t c) {
    if (c < 0x80) return (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20);
    const auto ch = static_cast<UChar32>(c);
    const UCharDirection dir = u_charDirection(ch);
    return dir == U_WHITE_SPACE_NEUTRAL || dir == U_BLOCK_SEPARATOR || dir == U_SEGMENT_SEPARATOR ||
           u_charType(ch) == U_SPACE_SEPARATOR;
}

bool isRegexWhiteSpace(char32_t c) {
    return u_hasBinaryProperty(static_cast<UChar32>(c), UCHAR_WHITE_SPACE);
}

bool isLetter(char32_t c) { return (U_GET_GC_MASK(static_cast<UChar32>(c)) & U_GC_L_MASK) != 0; }

bool isNumber(char32_t c) { return (U_GET_GC_MASK(static_cast<UChar32>(c)) & U_GC_N_MASK) != 0; }

char32_t simpleCaseFold(char32_t c) {
    return static_cast<char32_t>(u_foldCase(static_cast<UChar32>(c), U_FOLD_CASE_DEFAULT));
}

std::u32string stripPython(std::u32string_view text) {
    size_t begin = 0, end = text.size();
    while (begin < end && isPythonSpace(text[begin])) ++begin;
    while (end > begin && isPythonSpace(text[end - 1])) --end;
    return std::u32string(text.substr(begin, end - begin));
}

std::u32string lowerPython(std::u32string_view text) {
    icu::UnicodeString s = toIcu(text);
    s.toLower(icu::Locale::getRoot());
    return fromIcu(s);
}

namespace {
std::u32string normalizeWith(const icu::Normalizer2* normalizer, std::u32string_view text) {
    UErrorCode status = U_ZERO_ERROR;
    const icu::UnicodeString result = normalizer->normalize(toIcu(text), status);
    if (U_FAILURE(status))
        throw std::runtime_error(std::string("ICU normalization failed: ") + u_errorName(status));
    return fromIcu(result);
}
}  // namespace

std::u32string normalizeNfc(std::u32string_view text) {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
    if (U_FAILURE(status)) throw std::runtime_error("ICU has no NFC data");
    return normalizeWith(nfc, text);
}

std::u32string normalizeNfkc(std::u32string_view text) {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCInstance(status);
    if (U_FAILURE(status)) throw std::runtime_error("ICU has no NFKC data");
    return normalizeWith(nfkc, text);
}

}  // namespace atelier::inference::tokenizer
