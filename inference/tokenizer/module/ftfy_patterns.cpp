// Character categories and patterns ported from ftfy 6.1.1 (badness.py, chardata.py, fixes.py;
// Copyright (C) 2013-2018 Robyn Speer, MIT License, see LICENSE.ftfy.txt beside this file).
#include "inference/tokenizer/module/ftfy_patterns.h"

#include "inference/tokenizer/module/icu_text.h"

#include <unicode/regex.h>

#include <cstdio>
#include <memory>
#include <stdexcept>

namespace atelier::inference::tokenizer {
namespace {

// ---- ftfy.badness.MOJIBAKE_CATEGORIES: '-' marks a range, every other character is itself.
const std::u32string kCommon = U"\u00A0\u00AD\u00B7\u00B4\u2013\u2014\u2015\u2026\u2019";
const std::u32string kC1 = U"\u0080-\u009F";
const std::u32string kBad =
    U"\u00A6\u00A4\u00A8\u00AC\u00AF\u00B6\u00A7\u00B8\u0192\u02C6\u02C7\u02D8\u02DB\u02DC"
    U"\u2020\u2021\u2030\u2310\u25CA\uFFFD\u00AA\u00BA";
const std::u32string kCurrency = U"\u00A2\u00A3\u00A5\u20A7\u20AC";
const std::u32string kStartPunctuation =
    U"\u00A1\u00AB\u00BF\u00A9\u0384\u0385\u2018\u201A\u201C\u201E\u2022\u2039\uF8FF";
const std::u32string kEndPunctuation = U"\u00AE\u00BB\u02DD\u201D\u203A\u2122";
const std::u32string kNumeric =
    U"\u00B2\u00B3\u00B9\u00B1\u00BC\u00BD\u00BE\u00D7\u00B5\u00F7\u2044\u2202\u2206\u220F"
    U"\u2211\u221A\u221E\u2229\u222B\u2248\u2260\u2261\u2264\u2265\u2116";
const std::u32string kKaomoji = U"\u00D2-\u00D6\u00D9-\u00DC\u00F2-\u00F6\u00F8-\u00FC\u0150\u00B0";
const std::u32string kUpperAccented =
    U"\u00C0-\u00D1\u00D8\u00DC\u00DD\u0102\u0104\u0106\u010C\u010E\u0110\u0118\u011A\u011E"
    U"\u0130\u0139\u013D\u0141\u0143\u0147\u0152\u0158\u015A\u015E\u0160\u0162\u0164\u016E"
    U"\u0170\u0178\u0179\u017B\u017D\u0490";
const std::u32string kLowerAccented =
    U"\u00DF\u00E0-\u00F1\u0103\u0105\u0107\u010D\u010F\u0111\u0119\u011B\u011F\u013A\u013E"
    U"\u0142\u0153\u0155\u015B\u015F\u0161\u0165\u00FC\u017A\u017C\u017E\u0491\uFB01\uFB02";
const std::u32string kUpperCommon =
    U"\u00DE\u0391-\u03A9\u0386\u0388\u0389\u038A\u038C\u038E\u038F\u03AA\u03AB\u0401-\u042F";
const std::u32string kLowerCommon = U"\u03B1-\u03C9\u03AC\u03AD\u03AE\u03AF\u03B0\u0430-\u045F";
const std::u32string kBox =
    U"\u2502\u250C\u2510\u2518\u251C\u2524\u252C\u253C\u2550-\u256C\u2580\u2584\u2588\u258C"
    U"\u2590\u2591\u2592\u2593";

// ---- ftfy.chardata.UTF8_CLUES
const std::u32string kUtf8FirstOf2 =
    U"\u00C2-\u00DF\u0102\u0106\u010C\u010E\u0110\u0118\u011A\u011E\u0130\u0139\u0143\u0147"
    U"\u0150\u0158\u015E\u0162\u016E\u0170\u0392-\u03A1\u03A3-\u03AF\u0412-\u042F";
const std::u32string kUtf8FirstOf3 =
    U"\u00E0-\u00EF\u0103\u0107\u010D\u010F\u0119\u011B\u013A\u0155\u03B0-\u03BF\u0430-\u043F";
const std::u32string kUtf8FirstOf4 = U"\u00F0\u00F3\u0111\u011F\u03C0\u03C3\u0440\u0443";
const std::u32string kUtf8ContinuationStrict =
    U"\u0080-\u00BF\u0104\u0105\u013D\u013E\u0141\u0142\u0152\u0153\u015A\u015B\u015E\u015F"
    U"\u0160\u0161\u0164\u0165\u0178-\u017E\u0192\u02C6\u02C7\u02D8\u02DB\u02DC\u02DD\u0384"
    U"\u0385\u0386\u0388\u0389\u038A\u038C\u038E\u038F\u0401-\u040C\u040E\u040F\u0451-\u045C"
    U"\u045E\u045F\u0490\u0491\u2020\u2021\u2022\u2030\u2039\u203A\u20AC\u2116\u2122";
// The non-strict continuation set adds spaces, dashes, quotes and the ellipsis.
const std::u32string kUtf8Continuation =
    kUtf8ContinuationStrict + U"\u2013\u2014\u2015\u2018\u2019\u201A\u201C\u201D\u201E\u2026 ";

// ---- Writing ICU patterns. Every character is escaped, so nothing in the data can be read as
// syntax; '-' inside a set spec stays a range operator.
std::string escaped(char32_t c) {
    char buffer[16];
    std::snprintf(buffer, sizeof buffer, "\\x{%X}", static_cast<unsigned>(c));
    return buffer;
}

std::string literal(std::u32string_view chars) {
    std::string out;
    for (char32_t c : chars) out += escaped(c);
    return out;
}

std::string set(std::initializer_list<std::u32string_view> specs) {
    std::string out = "[";
    for (std::u32string_view spec : specs) {
        for (char32_t c : spec) out += c == U'-' ? std::string("-") : escaped(c);
    }
    return out + "]";
}

// Python re's \s and \w for str patterns.
const std::string kPySpace = "[\\x{9}-\\x{D}\\x{1C}-\\x{20}\\p{Zs}\\p{bc=WS}\\p{bc=B}\\p{bc=S}]";
const std::string kPyWord = "[\\p{L}\\p{nt=De}\\p{nt=Di}\\p{nt=Nu}_]";
const std::string kPyAnyButNewline = "[^\\x{A}]";

std::string alternatives(std::initializer_list<std::string> parts) {
    std::string out;
    for (const std::string& p : parts) out += (out.empty() ? "" : "|") + p;
    return out;
}

// ftfy.badness.BADNESS_RE, alternative by alternative.
std::string badnessPattern() {
    const std::u32string lowerUpperBoxPunctCurrencyNumeric = kLowerAccented + kUpperAccented +
                                                             kBox + kStartPunctuation +
                                                             kEndPunctuation + kCurrency + kNumeric;
    const std::u32string arabicContext = kCommon + kCurrency + kBad + kNumeric + kStartPunctuation +
                                         U"\u0178\u0160\u00AE\u00B0\u00B5\u00BB";
    return alternatives({
        set({kC1}),
        set({kBad, lowerUpperBoxPunctCurrencyNumeric}) + set({kBad}),
        set({U"a-zA-Z"}) + set({kLowerCommon, kUpperCommon}) + set({kBad}),
        set({kBad}) + set({lowerUpperBoxPunctCurrencyNumeric}),
        set({kLowerAccented, kLowerCommon, kBox, kEndPunctuation, kCurrency, kNumeric}) +
            set({kUpperAccented}),
        set({kBox, kEndPunctuation, kCurrency, kNumeric}) + set({kLowerAccented}),
        set({kLowerAccented, kBox, kEndPunctuation}) + set({kCurrency}),
        kPySpace + set({kUpperAccented}) + set({kCurrency}),
        set({kUpperAccented, kBox}) + set({kNumeric}),
        set({kLowerAccented, kUpperAccented, kBox, kCurrency, kEndPunctuation}) +
            set({kStartPunctuation}) + set({kNumeric}),
        set({kLowerAccented, kUpperAccented, kCurrency, kNumeric, kBox}) + set({kEndPunctuation}) +
            set({kStartPunctuation}),
        set({kCurrency, kNumeric, kBox}) + set({kStartPunctuation}),
        set({U"a-z"}) + set({kUpperAccented}) + set({kStartPunctuation, kCurrency}),
        set({kBox}) + set({kKaomoji}),
        set({kLowerAccented, kUpperAccented, kCurrency, kNumeric, kStartPunctuation,
             kEndPunctuation}) +
            set({kBox}),
        set({kBox}) + set({kEndPunctuation}),
        set({kLowerAccented, kUpperAccented}) + set({kEndPunctuation}) + kPyWord,
        // the ligature oe not followed by an unaccented Latin letter
        set({U"\u0152\u0153"}) + "[^A-Za-z]",
        // common Windows-1252 two-character mojibake
        set({U"\u00C2\u00C3\u00CE\u00D0"}) +
            set({U"\u20AC\u0160\u0161\u00A2\u00A3\u0178\u017E\u00A0\u00AD\u00AE\u00A9\u00B0\u00B7"
                 U"\u00BB",
                 kStartPunctuation, kEndPunctuation, U"\u2013\u2014\u00B4"}),
        literal(U"\u00D7") + set({U"\u00B2\u00B3"}),
        // Windows-1252 mojibake of Arabic: four characters
        set({U"\u00D8\u00D9"}) + set({arabicContext}) + set({U"\u00D8\u00D9"}) +
            set({arabicContext}),
        // start of three-character sequences for some South Asian alphabets
        literal(U"\u00E0") + set({U"\u00B2\u00B5\u00B9\u00BC\u00BD\u00BE"}),
        // MacRoman mojibake
        literal(U"\u221A") +
            set({U"\u00B1\u2202\u2020\u2260\u00AE\u2122\u00B4\u2264\u2265\u00A5\u00B5\u00F8"}),
        literal(U"\u2248") + set({U"\u00B0\u00A2"}),
        literal(U"\u201A\u00C4") +
            set({U"\u00EC\u00EE\u00EF\u00F2\u00F4\u00FA\u00F9\u00FB\u2020\u00B0\u00A2\u03C0"}),
        literal(U"\u201A") + set({U"\u00E2\u00F3"}) + set({U"\u00E0\u00E4\u00B0\u00EA"}),
        // Windows-1251 mojibake of U+2000..U+206F
        literal(U"\u0432\u0402"),
        // Windows-1251 mojibake of Latin-1 and/or Cyrillic: three characters
        set({U"\u0412\u0413\u0420\u0421"}) +
            set({kC1, kBad, kStartPunctuation, kEndPunctuation, kCurrency, U"\u00B0\u00B5"}) +
            set({U"\u0412\u0413\u0420\u0421"}),
        literal(U"\u0413\u045E\u0412\u0402\u0412") + kPyAnyButNewline + set({U"A-Za-z "}),
        // Windows-1252 encodings of 'à' and 'á', and of U+00A0 itself
        literal(U"\u00C3") + set({U"\u00A0\u00A1"}),
        set({U"a-z"}) + kPySpace + "?" + set({U"\u00C3\u00C2"}) + set({U" "}),
        "^" + set({U"\u00C3\u00C2"}) + set({U" "}),
        // Â encoding exactly the character it precedes
        set({U"a-z.,?!", kEndPunctuation}) + literal(U"\u00C2") +
            set({U" ", kStartPunctuation, kEndPunctuation}),
        // Windows-1253 mojibake of U+2000..U+206F
        literal(U"\u03B2\u20AC") + set({U"\u2122\u00A0\u0386\u00AD\u00AE\u00B0"}),
        // Windows-1253 mojibake of Latin-1 and/or Greek: three characters
        set({U"\u0392\u0393\u039E\u039F"}) +
            set({kC1, kBad, kStartPunctuation, kEndPunctuation, kCurrency, U"\u00B0"}) +
            set({U"\u0392\u0393\u039E\u039F"}),
    });
}

std::string utf8DetectorPattern() {
    return "(?<!" + set({kUtf8ContinuationStrict}) + ")(" + set({kUtf8FirstOf2}) +
           set({kUtf8Continuation}) + "|" + set({kUtf8FirstOf3}) + set({kUtf8Continuation}) +
           "{2}|" + set({kUtf8FirstOf4}) + set({kUtf8Continuation}) + "{3})+";
}

// Byte patterns (bytes widened to code points 0..255).
const char* const kAlteredUtf8Pattern =
    "[\\x{C2}\\x{C3}\\x{C5}\\x{CE}\\x{D0}\\x{D9}]\\x{20}"
    "|[\\x{E2}\\x{E3}]\\x{20}[\\x{80}-\\x{84}\\x{86}-\\x{9F}\\x{A1}-\\x{BF}]"
    "|[\\x{E0}-\\x{E3}][\\x{80}-\\x{84}\\x{86}-\\x{9F}\\x{A1}-\\x{BF}]\\x{20}"
    "|\\x{F0}\\x{20}[\\x{80}-\\x{BF}][\\x{80}-\\x{BF}]"
    "|\\x{F0}[\\x{80}-\\x{BF}]\\x{20}[\\x{80}-\\x{BF}]"
    "|\\x{F0}[\\x{80}-\\x{BF}][\\x{80}-\\x{BF}]\\x{20}";
// "\xc3 " that is not "à" starting a Portuguese contraction ("às", "àquele", ...).
const char* const kAGraveWordPattern = "\\x{C3}\\x{20}(?!\\x{20}|quele|quela|quilo|s\\x{20})";
const char* const kLossyUtf8Pattern =
    "[\\x{C2}-\\x{DF}]\\x{1A}"
    "|[\\x{C2}-\\x{C3}]\\x{3F}"
    "|\\x{ED}[\\x{A0}-\\x{AF}][\\x{1A}\\x{3F}]"
    "\\x{ED}[\\x{B0}-\\x{BF}][\\x{1A}\\x{3F}\\x{80}-\\x{BF}]"
    "|\\x{ED}[\\x{A0}-\\x{AF}][\\x{1A}\\x{3F}\\x{80}-\\x{BF}]"
    "\\x{ED}[\\x{B0}-\\x{BF}][\\x{1A}\\x{3F}]"
    "|[\\x{E0}-\\x{EF}][\\x{1A}\\x{3F}][\\x{1A}\\x{80}-\\x{BF}]"
    "|[\\x{E0}-\\x{EF}][\\x{1A}\\x{80}-\\x{BF}][\\x{1A}\\x{3F}]"
    "|[\\x{F0}-\\x{F4}][\\x{1A}\\x{3F}][\\x{1A}\\x{80}-\\x{BF}][\\x{1A}\\x{80}-\\x{BF}]"
    "|[\\x{F0}-\\x{F4}][\\x{1A}\\x{80}-\\x{BF}][\\x{1A}\\x{3F}][\\x{1A}\\x{80}-\\x{BF}]"
    "|[\\x{F0}-\\x{F4}][\\x{1A}\\x{80}-\\x{BF}][\\x{1A}\\x{80}-\\x{BF}][\\x{1A}\\x{3F}]"
    "|\\x{1A}";
const char* const kAnsiEscapePattern = "\\x{1B}\\[[\\p{Nd};]*[a-zA-Z]";

// A compiled pattern; RegexPattern is immutable and may be shared between threads (matchers
// are created per use).
class Pattern {
public:
    explicit Pattern(const std::string& source) {
        UParseError where{};
        UErrorCode status = U_ZERO_ERROR;
        pattern_.reset(
            icu::RegexPattern::compile(icu::UnicodeString::fromUTF8(source), 0, where, status));
        if (U_FAILURE(status)) {
            throw std::logic_error("ftfy pattern does not compile (" +
                                   std::string(u_errorName(status)) + " at offset " +
                                   std::to_string(where.offset) + ")");
        }
    }

    std::unique_ptr<icu::RegexMatcher> matcher(const icu::UnicodeString& input) const {
        UErrorCode status = U_ZERO_ERROR;
        std::unique_ptr<icu::RegexMatcher> m(pattern_->matcher(input, status));
        if (U_FAILURE(status)) throw std::runtime_error("ICU regex matcher failed");
        return m;
    }

    bool found(const icu::UnicodeString& input) const { return matcher(input)->find(); }

    // Python's pattern.sub(replacement, input) with a constant replacement (no group syntax).
    icu::UnicodeString replaceAll(const icu::UnicodeString& input,
                                  const icu::UnicodeString& replacement) const {
        auto m = matcher(input);
        icu::UnicodeString out;
        int32_t last = 0;
        UErrorCode status = U_ZERO_ERROR;
        while (m->find()) {
            out.append(input, last, m->start(status) - last).append(replacement);
            last = m->end(status);
        }
        if (U_FAILURE(status)) throw std::runtime_error("ICU regex replace failed");
        return out.append(input, last, input.length() - last);
    }

    // Like replaceAll, but the replacement of each match is computed from it.
    template <typename Fn>
    icu::UnicodeString replaceEach(const icu::UnicodeString& input, Fn&& replacementFor) const {
        auto m = matcher(input);
        icu::UnicodeString out;
        int32_t last = 0;
        UErrorCode status = U_ZERO_ERROR;
        while (m->find()) {
            const int32_t start = m->start(status), end = m->end(status);
            out.append(input, last, start - last)
                .append(replacementFor(icu::UnicodeString(input, start, end - start)));
            last = end;
        }
        if (U_FAILURE(status)) throw std::runtime_error("ICU regex replace failed");
        return out.append(input, last, input.length() - last);
    }

private:
    std::unique_ptr<icu::RegexPattern> pattern_;
};

const Pattern& badness() {
    static const Pattern p(badnessPattern());
    return p;
}
const Pattern& utf8Detector() {
    static const Pattern p(utf8DetectorPattern());
    return p;
}
const Pattern& alteredUtf8() {
    static const Pattern p(kAlteredUtf8Pattern);
    return p;
}
const Pattern& aGraveWord() {
    static const Pattern p(kAGraveWordPattern);
    return p;
}
const Pattern& lossyUtf8() {
    static const Pattern p(kLossyUtf8Pattern);
    return p;
}
const Pattern& ansiEscape() {
    static const Pattern p(kAnsiEscapePattern);
    return p;
}

icu::UnicodeString widen(std::string_view bytes) {
    icu::UnicodeString s;
    for (char b : bytes) s.append(static_cast<UChar>(static_cast<unsigned char>(b)));
    return s;
}

std::string narrowBytes(const icu::UnicodeString& s) {
    std::string bytes;
    bytes.reserve(static_cast<size_t>(s.length()));
    for (int32_t i = 0; i < s.length(); ++i) bytes.push_back(static_cast<char>(s.charAt(i)));
    return bytes;
}

}  // namespace

bool looksLikeMojibake(std::u32string_view text) { return badness().found(toIcu(text)); }

std::vector<std::pair<size_t, size_t>> findUtf8LookingRuns(std::u32string_view text) {
    const icu::UnicodeString input = toIcu(text);
    auto m = utf8Detector().matcher(input);
    std::vector<std::pair<size_t, size_t>> runs;
    UErrorCode status = U_ZERO_ERROR;
    while (m->find()) {
        runs.emplace_back(codePointIndex(input, m->start(status)),
                          codePointIndex(input, m->end(status)));
    }
    if (U_FAILURE(status)) throw std::runtime_error("ICU regex search failed");
    return runs;
}

bool hasAlteredUtf8(std::string_view bytes) { return alteredUtf8().found(widen(bytes)); }

std::string restoreByteA0(std::string_view bytes) {
    const icu::UnicodeString aGraveFixed =
        aGraveWord().replaceAll(widen(bytes), widen("\xC3\xA0 "));
    const icu::UnicodeString restored =
        alteredUtf8().replaceEach(aGraveFixed, [](icu::UnicodeString match) {
            return match.findAndReplace(icu::UnicodeString(static_cast<UChar>(0x20)),
                                        icu::UnicodeString(static_cast<UChar>(0xA0)));
        });
    return narrowBytes(restored);
}

std::string replaceLossySequences(std::string_view bytes) {
    return narrowBytes(lossyUtf8().replaceAll(widen(bytes), widen("\xEF\xBF\xBD")));
}

std::u32string removeTerminalEscapes(std::u32string_view text) {
    if (text.find(U'\x1B') == std::u32string_view::npos) return std::u32string(text);
    return fromIcu(ansiEscape().replaceAll(toIcu(text), icu::UnicodeString()));
}

}  // namespace atelier::inference::tokenizer
