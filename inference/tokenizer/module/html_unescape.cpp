#include "inference/tokenizer/module/html_unescape.h"

#include "inference/tokenizer/module/unicode_text.h"

#include <algorithm>
#include <iterator>

namespace atelier::inference::tokenizer {
namespace {

#include "inference/tokenizer/module/generated/html_entities.inc"

template <size_t N>
const char* findEntity(const HtmlEntity (&table)[N], std::string_view name) {
    const auto* end = table + N;
    const auto* it = std::lower_bound(
        table, end, name,
        [](const HtmlEntity& e, std::string_view n) { return std::string_view(e.name) < n; });
    return it != end && std::string_view(it->name) == name ? it->utf8 : nullptr;
}

bool isAsciiDigit(char32_t c) { return c >= U'0' && c <= U'9'; }
bool isAsciiHexDigit(char32_t c) {
    return isAsciiDigit(c) || (c >= U'a' && c <= U'f') || (c >= U'A' && c <= U'F');
}
bool isAsciiAlnum(char32_t c) {
    return isAsciiDigit(c) || (c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z');
}
bool isAscii(std::u32string_view s) {
    return std::all_of(s.begin(), s.end(), [](char32_t c) { return c < 0x80; });
}
std::string narrow(std::u32string_view ascii) { return std::string(ascii.begin(), ascii.end()); }

// html._invalid_charrefs: what HTML5 says the numeric references 0x00, 0x0D and 0x80..0x9F mean.
char32_t invalidCharref(unsigned long long num, bool& found) {
    // clang-format off
    static constexpr char32_t kC1[32] = {
        0x20AC, 0x81,   0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
        0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D,   0x017D, 0x8F,
        0x90,   0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
        0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D,   0x017E, 0x0178};
    // clang-format on
    found = true;
    if (num == 0x00) return 0xFFFD;
    if (num == 0x0D) return U'\r';
    if (num >= 0x80 && num <= 0x9F) return kC1[num - 0x80];
    found = false;
    return 0;
}

// html._invalid_codepoints: references to these produce nothing.
bool isInvalidCodepoint(unsigned long long num) {
    return (num >= 0x1 && num <= 0x8) || num == 0xB || (num >= 0xE && num <= 0x1F) ||
           (num >= 0x7F && num <= 0x9F) || (num >= 0xFDD0 && num <= 0xFDEF) ||
           (num <= 0x10FFFF && (num & 0xFFFE) == 0xFFFE);
}

// Value of a digit run, saturating: anything above U+10FFFF behaves the same.
unsigned long long parseNumber(std::u32string_view digits, int base) {
    unsigned long long value = 0;
    for (char32_t c : digits) {
        const unsigned d = isAsciiDigit(c) ? c - U'0' : (c | 0x20) - U'a' + 10;
        value = value * base + d;
        if (value > 0x10FFFF) return 0x110000;
    }
    return value;
}

void appendNumericReference(std::u32string& out, unsigned long long num) {
    bool found = false;
    const char32_t mapped = invalidCharref(num, found);
    if (found) {
        out.push_back(mapped);
    } else if ((num >= 0xD800 && num <= 0xDFFF) || num > 0x10FFFF) {
        out.push_back(0xFFFD);
    } else if (!isInvalidCodepoint(num)) {
        out.push_back(static_cast<char32_t>(num));
    }
}

void appendUtf8Literal(std::u32string& out, const char* utf8) { out += decodeUtf8Replacing(utf8); }

// Named reference body `s` (without '&', maybe ending in ';'), as html._replace_charref does it.
void appendNamedReference(std::u32string& out, std::u32string_view s) {
    if (isAscii(s)) {
        if (const char* value = findEntity(kHtml5Entities, narrow(s))) {
            appendUtf8Literal(out, value);
            return;
        }
    }
    for (size_t x = s.size() - 1; x > 1; --x) {
        const std::u32string_view prefix = s.substr(0, x);
        if (!isAscii(prefix)) continue;
        if (const char* value = findEntity(kHtml5Entities, narrow(prefix))) {
            appendUtf8Literal(out, value);
            out.append(s.substr(x));
            return;
        }
    }
    out.push_back(U'&');
    out.append(s);
}

bool isNameChar(char32_t c) {
    return c != U'\t' && c != U'\n' && c != U'\f' && c != U' ' && c != U'<' && c != U'&' &&
           c != U'#' && c != U';';
}

// Tries html._charref at text[amp] == '&'; returns the length matched (0: no match).
size_t matchCharref(std::u32string_view text, size_t amp, std::u32string& out) {
    size_t i = amp + 1;
    const size_t n = text.size();
    auto optionalSemicolon = [&](size_t j) { return j < n && text[j] == U';' ? j + 1 : j; };
    if (i < n && text[i] == U'#') {
        size_t j = i + 1;
        while (j < n && isAsciiDigit(text[j])) ++j;
        if (j > i + 1) {
            appendNumericReference(out, parseNumber(text.substr(i + 1, j - i - 1), 10));
            return optionalSemicolon(j) - amp;
        }
        if (i + 1 < n && (text[i + 1] == U'x' || text[i + 1] == U'X')) {
            j = i + 2;
            while (j < n && isAsciiHexDigit(text[j])) ++j;
            if (j > i + 2) {
                appendNumericReference(out, parseNumber(text.substr(i + 2, j - i - 2), 16));
                return optionalSemicolon(j) - amp;
            }
        }
        return 0;  // '#' cannot start a name
    }
    size_t j = i;
    while (j < n && j - i < 32 && isNameChar(text[j])) ++j;
    if (j == i) return 0;
    j = optionalSemicolon(j);
    appendNamedReference(out, text.substr(i, j - i));
    return j - amp;
}

}  // namespace

std::u32string htmlUnescape(std::u32string_view text) {
    if (text.find(U'&') == std::u32string_view::npos) return std::u32string(text);
    std::u32string out;
    out.reserve(text.size());
    for (size_t i = 0; i < text.size();) {
        if (text[i] == U'&') {
            if (const size_t matched = matchCharref(text, i, out)) {
                i += matched;
                continue;
            }
        }
        out.push_back(text[i++]);
    }
    return out;
}

std::u32string ftfyUnescapeHtml(std::u32string_view text) {
    std::u32string out;
    out.reserve(text.size());
    for (size_t i = 0; i < text.size();) {
        if (text[i] != U'&') {
            out.push_back(text[i++]);
            continue;
        }
        // &#?[0-9A-Za-z]{1,24};
        const size_t start = i + 1 < text.size() && text[i + 1] == U'#' ? i + 2 : i + 1;
        size_t j = start;
        while (j < text.size() && isAsciiAlnum(text[j])) ++j;
        if (j == start || j - start > 24 || j >= text.size() || text[j] != U';') {
            out.push_back(text[i++]);
            continue;
        }
        const std::u32string_view entity = text.substr(i, j + 1 - i);  // "&...;"
        const std::string name = narrow(entity.substr(1));
        if (const char* value = findEntity(kHtml5Entities, name)) {
            appendUtf8Literal(out, value);
        } else if (const char* upper = findEntity(kFtfyUppercaseEntities, name)) {
            appendUtf8Literal(out, upper);
        } else if (entity[1] == U'#') {
            // Keep the reference unless html.unescape consumed it whole, ';' included.
            const std::u32string unescaped = htmlUnescape(entity);
            out +=
                unescaped.find(U';') == std::u32string::npos ? unescaped : std::u32string(entity);
        } else {
            out.append(entity);
        }
        i = j + 1;
    }
    return out;
}

}  // namespace atelier::inference::tokenizer
