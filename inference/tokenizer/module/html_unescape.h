#pragma once
// HTML character references, decoded exactly as open_clip's cleaning decodes them.
#include <string>
#include <string_view>

namespace atelier::inference::tokenizer {

// Python's html.unescape (3.11): numeric references with or without ';' (invalid ones mapped as
// HTML5 says: C1 -> Windows-1252, surrogates and > U+10FFFF -> U+FFFD, noncharacters dropped),
// named references from the full HTML5 list, including the legacy names that need no ';' and
// the longest-known-prefix rule ("&notit;" -> "¬it;").
std::u32string htmlUnescape(std::u32string_view text);

// ftfy 6.1.1's unescape_html: only "&name;" / "&#num;" forms (1..24 ASCII letters or digits and
// a ';'), named ones from the HTML5 list plus their all-caps spellings ("&EACUTE;" -> "É").
std::u32string ftfyUnescapeHtml(std::u32string_view text);

}  // namespace atelier::inference::tokenizer
