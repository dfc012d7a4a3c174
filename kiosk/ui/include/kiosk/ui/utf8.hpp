#pragma once
// Minimal UTF-8 decoding and encoding for glyph bookkeeping and line breaking.
#include <cstddef>
#include <string>
#include <string_view>

namespace kiosk::ui {

// Decodes the code point at `i` and advances `i`. Malformed bytes decode as
// U+FFFD and advance one byte, so a bad string never stalls a loop.
char32_t next_codepoint(std::string_view s, std::size_t& i);

void append_utf8(std::string& out, char32_t cp);

}  // namespace kiosk::ui
