#pragma once
// Text for the printer: UTF-8 in, cells out (one per character, with its
// column width and GB18030 bytes), wrapped by the layout rules.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "drivers/printer/receipt.hpp"

namespace drivers::escpos::detail {

struct Cell {
    char32_t cp = 0;
    std::uint8_t width = 1;   // columns at size 1
    std::uint8_t gb_len = 0;  // 1, 2 or 4 when the printer's font prints it; 0: raster fallback
    std::uint8_t gb[4] = {};
};
using Cells = std::vector<Cell>;

// One paragraph per line break; tabs become spaces, other controls vanish,
// invalid UTF-8 becomes '?'.
std::vector<std::u32string> paragraphs(std::string_view utf8);

// GB18030 bytes of one code point into `out`; returns 1, 2 or 4, or 0 when it
// has none (glibc iconv; one converter per thread).
int gb18030_encode(char32_t cp, std::uint8_t out[4]);
// UTF-8 of one GB18030 sequence (2 or 4 bytes); false when it is not valid.
bool gb18030_decode(const std::uint8_t* seq, int len, std::string& out_utf8);

// Whether the font prints the code point whose GB18030 bytes are `gb`.
bool font_has(FontCoverage font, char32_t cp, const std::uint8_t* gb, int gb_len);
bool is_wide(char32_t cp);  // East Asian wide or full-width (for raster-drawn characters)

Cell make_cell(char32_t cp, FontCoverage font);
Cells make_cells(std::u32string_view text, FontCoverage font);
int width_of(const Cells& cells);

// Wraps cells into lines of at most `columns` columns (see escpos_encode.hpp
// for the rules). An empty paragraph gives one empty line.
std::vector<Cells> wrap(const Cells& cells, int columns);

void append_utf8(std::string& out, char32_t cp);
std::string to_utf8(const Cells& cells);

}  // namespace drivers::escpos::detail
