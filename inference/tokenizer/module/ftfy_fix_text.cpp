// A port of ftfy 6.1.1 (Copyright (C) 2013-2018 Robyn Speer, MIT License, LICENSE.ftfy.txt):
// __init__.py fix_text / fix_and_explain / fix_encoding_and_explain and the fixers in fixes.py,
// with TextFixerConfig's defaults. Text is a sequence of code points, as in Python.
//
// fix_surrogates is left out on purpose: it only acts on UTF-16 surrogates, and text here never
// holds any (invalid UTF-8 input becomes U+FFFD, and neither HTML references nor ftfy's codecs
// produce surrogates).
#include "inference/tokenizer/module/ftfy_fix_text.h"

#include "inference/tokenizer/module/ftfy_codecs.h"
#include "inference/tokenizer/module/ftfy_patterns.h"
#include "inference/tokenizer/module/html_unescape.h"
#include "inference/tokenizer/module/unicode_text.h"

#include <algorithm>
#include <unordered_map>

namespace atelier::inference::tokenizer {
namespace {

constexpr size_t kMaxDecodeLength = 1000000;

// ---- fix_encoding

std::u32string decodeInconsistentUtf8(const std::u32string& text) {
    const auto runs = findUtf8LookingRuns(text);
    if (runs.empty()) return text;
    std::u32string out;
    size_t last = 0;
    for (const auto& [begin, end] : runs) {
        out.append(text, last, begin - last);
        std::u32string run = text.substr(begin, end - begin);
        // Only runs shorter than the whole text, so this cannot recurse forever.
        if (run.size() < text.size() && looksLikeMojibake(run)) run = ftfyFixEncoding(run);
        out += run;
        last = end;
    }
    out.append(text, last, std::u32string::npos);
    return out;
}

bool hasC1Control(std::u32string_view text) {
    return std::any_of(text.begin(), text.end(), [](char32_t c) { return c >= 0x80 && c <= 0x9F; });
}

// Reads each C1 control character as the Windows-1252 character of the same byte.
std::u32string fixC1Controls(std::u32string text) {
    for (char32_t& c : text) {
        if (c >= 0x80 && c <= 0x9F) c = sloppyWindows1252Encoding().decodeByte(c);
    }
    return text;
}

// Reinterprets text that a single-byte encoding should have decoded as UTF-8.
bool redecodeAsUtf8(const std::u32string& text, const SingleByteEncoding& encoding,
                    std::u32string& fixed) {
    std::string bytes = encoding.encode(text);
    if (hasAlteredUtf8(bytes)) bytes = restoreByteA0(bytes);
    if (encoding.sloppy()) bytes = replaceLossySequences(bytes);
    const bool variants =
        bytes.find('\xED') != std::string::npos || bytes.find('\xC0') != std::string::npos;
    return variants ? decodeUtf8Variants(bytes, fixed) : decodeUtf8Strict(bytes, fixed);
}

std::u32string fixEncodingOneStep(const std::u32string& text) {
    if (text.empty() || isAscii(text) || !looksLikeMojibake(text)) return text;

    bool latin1Possible = false;
    for (const SingleByteEncoding& encoding : ftfyCharmapEncodings()) {
        if (!encoding.canEncode(text)) continue;
        latin1Possible = latin1Possible || &encoding == &latin1Encoding();
        std::u32string fixed;
        if (redecodeAsUtf8(text, encoding, fixed)) return fixed;
    }

    if (!findUtf8LookingRuns(text).empty()) {
        std::u32string fixed = decodeInconsistentUtf8(text);
        if (fixed != text) return fixed;
    }

    // Latin-1 that was meant to be Windows-1252. (ftfy 6.1.1 also means to accept text that
    // Windows-1252 can encode as it is, but it looks for "windows-1252" among names spelled
    // "sloppy-windows-1252", so that branch never runs; neither does it here.)
    if (latin1Possible) {
        std::u32string fixed;
        if (decodeWindows1252Strict(latin1Encoding().encode(text), fixed) && fixed != text) {
            return fixed;
        }
    }

    if (hasC1Control(text)) return fixC1Controls(text);
    return text;
}

// ---- the other fixers

std::u32string fixLatinLigatures(std::u32string_view text) {
    static const std::unordered_map<char32_t, std::u32string_view> kLigatures = {
        {U'\u0132', U"IJ"},      {U'\u0133', U"ij"},      {U'\u0149', U"\u02BCn"},
        {U'\u01F1', U"DZ"},      {U'\u01F2', U"Dz"},      {U'\u01F3', U"dz"},
        {U'\u01C4', U"D\u017D"}, {U'\u01C5', U"D\u017E"}, {U'\u01C6', U"d\u017E"},
        {U'\u01C7', U"LJ"},      {U'\u01C8', U"Lj"},      {U'\u01C9', U"lj"},
        {U'\u01CA', U"NJ"},      {U'\u01CB', U"Nj"},      {U'\u01CC', U"nj"},
        {U'\uFB00', U"ff"},      {U'\uFB01', U"fi"},      {U'\uFB02', U"fl"},
        {U'\uFB03', U"ffi"},     {U'\uFB04', U"ffl"},     {U'\uFB05', U"\u017Ft"},
        {U'\uFB06', U"st"},
    };
    std::u32string out;
    out.reserve(text.size());
    for (char32_t c : text) {
        const auto it = kLigatures.find(c);
        if (it == kLigatures.end()) {
            out.push_back(c);
        } else {
            out.append(it->second);
        }
    }
    return out;
}

// U+3000 and U+FF01..U+FFEF to their NFKC forms (fullwidth ASCII, halfwidth katakana, ...).
std::u32string fixCharacterWidth(std::u32string_view text) {
    std::u32string out;
    out.reserve(text.size());
    for (char32_t c : text) {
        if (c == 0x3000) {
            out.push_back(U' ');
        } else if (c >= 0xFF01 && c < 0xFFF0) {
            out += normalizeNfkc(std::u32string(1, c));
        } else {
            out.push_back(c);
        }
    }
    return out;
}

std::u32string uncurlQuotes(std::u32string text) {
    for (char32_t& c : text) {
        if (c == 0x02BC || (c >= 0x2018 && c <= 0x201B)) {
            c = U'\'';
        } else if (c >= 0x201C && c <= 0x201F) {
            c = U'"';
        }
    }
    return text;
}

std::u32string fixLineBreaks(std::u32string_view text) {
    std::u32string out;
    out.reserve(text.size());
    for (size_t i = 0; i < text.size(); ++i) {
        const char32_t c = text[i];
        if (c == U'\r' && i + 1 < text.size() && text[i + 1] == U'\n') continue;  // CRLF -> LF
        const bool lineBreak = c == U'\r' || c == 0x2028 || c == 0x2029 || c == 0x85;
        out.push_back(lineBreak ? U'\n' : c);
    }
    return out;
}

bool isRemovableControl(char32_t c) {
    return c <= 0x08 || c == 0x0B || (c >= 0x0E && c <= 0x1F) || c == 0x7F ||
           (c >= 0x206A && c <= 0x206F) || c == 0xFEFF || (c >= 0xFFF9 && c <= 0xFFFC);
}

std::u32string removeControlChars(std::u32string text) {
    text.erase(std::remove_if(text.begin(), text.end(), isRemovableControl), text.end());
    return text;
}

// fix_and_explain on one segment.
std::u32string fixSegment(std::u32string text, bool unescapeHtml) {
    while (true) {
        const std::u32string original = text;
        if (unescapeHtml) text = ftfyUnescapeHtml(text);
        text = ftfyFixEncoding(std::move(text));
        if (hasC1Control(text)) text = fixC1Controls(std::move(text));
        text = fixLatinLigatures(text);
        text = fixCharacterWidth(text);
        text = uncurlQuotes(std::move(text));
        text = fixLineBreaks(text);
        text = removeTerminalEscapes(text);
        text = removeControlChars(std::move(text));
        text = normalizeNfc(text);
        if (text == original) return text;
    }
}

}  // namespace

std::u32string ftfyFixEncoding(std::u32string text) {
    while (true) {
        std::u32string fixed = fixEncodingOneStep(text);
        if (fixed == text) return text;
        text = std::move(fixed);
    }
}

std::u32string ftfyFixText(std::u32string_view text) {
    std::u32string out;
    out.reserve(text.size());
    // "auto": entities are decoded until a segment contains '<' (then the text is taken for
    // HTML, whose entities must stay); that decision carries over to all later segments.
    bool unescapeHtml = true;
    for (size_t pos = 0; pos < text.size();) {
        const size_t newline = text.find(U'\n', pos);
        size_t end = newline == std::u32string_view::npos ? text.size() : newline + 1;
        end = std::min(end, pos + kMaxDecodeLength);
        const std::u32string_view segment = text.substr(pos, end - pos);
        if (segment.find(U'<') != std::u32string_view::npos) unescapeHtml = false;
        out += fixSegment(std::u32string(segment), unescapeHtml);
        pos = end;
    }
    return out;
}

}  // namespace atelier::inference::tokenizer
