#include "inference/tokenizer/module/html_unescape.h"

#include <catch2/catch.hpp>

using namespace atelier::inference::tokenizer;

// Expected values: Python 3.11's html.unescape and ftfy 6.1.1's fixes.unescape_html.
TEST_CASE("htmlUnescape decodes what Python's html.unescape decodes", "[tokenizer]") {
    const std::pair<std::u32string, std::u32string> cases[] = {
        {U"rock &amp; roll", U"rock & roll"},
        {U"&notit;", U"\u00ACit;"},  // longest known prefix, rest kept
        {U"&notin;", U"\u2209"},
        {U"&ampx", U"&x"},  // legacy name without ';'
        {U"&copy2", U"\u00A92"},
        {U"&AMP", U"&"},
        {U"&Amp;", U"&Amp;"},  // names are case-sensitive
        {U"&#0;", U"\uFFFD"},
        {U"&#128;", U"\u20AC"},  // C1 references read as Windows-1252
        {U"&#x110000;", U"\uFFFD"},
        {U"&#55296;", U"\uFFFD"},  // a surrogate
        {U"&#99999999999999999999;", U"\uFFFD"},
        {U"&#1;", U""},  // invalid code points vanish
        {U"&#65534;", U""},
        {U"&#12a;",
         U"\x0C"
         U"a;"},
        {U"&#x1F600", U"\U0001F600"},
        {U"&#x27;s", U"'s"},
        {U"a&nbsp;b", U"a\u00A0b"},
        {U"&#x;", U"&#x;"},
        {U"&;", U"&;"},
        {U"&" + std::u32string(40, U'a') + U";", U"&" + std::u32string(40, U'a') + U";"},
        {U"no entities", U"no entities"},
    };
    for (const auto& [input, expected] : cases) {
        INFO("input length " << input.size());
        CHECK(htmlUnescape(input) == expected);
    }
}

TEST_CASE("ftfyUnescapeHtml decodes only complete references, and all-caps names", "[tokenizer]") {
    const std::pair<std::u32string, std::u32string> cases[] = {
        {U"&EACUTE;", U"\u00C9"},
        {U"&ntilde; &Ntilde; &NTILDE; &nTILDE;", U"\u00F1 \u00D1 \u00D1 &nTILDE;"},
        {U"&amp", U"&amp"},
        {U"&#x2019;", U"\u2019"},
        {U"&#12a;", U"&#12a;"},
        {U"P&EACUTE;REZ", U"P\u00C9REZ"},
        {U"BUNDESSTRA&SZLIG;E", U"BUNDESSTRASSE"},
        {U"&Jscr;ohn &HilbertSpace;ancock", U"\U0001D4A5ohn \u210Bancock"},
        {U"&" + std::u32string(25, U'a') + U";", U"&" + std::u32string(25, U'a') + U";"},
    };
    for (const auto& [input, expected] : cases) CHECK(ftfyUnescapeHtml(input) == expected);
}
