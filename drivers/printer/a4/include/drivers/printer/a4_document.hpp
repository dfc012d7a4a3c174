#pragma once
// A4 documents for residents and staff: notices now, the daily settlement
// report (a table) next. Rendered to PDF with cairo + pango, then printed
// through CUPS (a4_printer.hpp) or written to a file.
//
// Contract:
//   render_pdf(): CPU only, no I/O after the fonts are loaded: about 20 ms
//     for a one-page notice and 30 ms for three pages on the 2-core
//     development machine, up to 2.5 times that while it is busy
//     (bench/a4_bench.cpp). The first call in a process also loads
//     fontconfig's cache and the fonts (40 to 120 ms in all). Any thread, several at once: pango's default
//     font map is per thread and nothing else is shared. Call it from a
//     worker thread like everything else that prints.
//     Errors (DriverError::code):
//       "a4.empty_document"  neither a title nor any body text: a blank page
//                            helps nobody, so it is refused.
//       "a4.bad_text"        a field is not valid UTF-8 (the message names the
//                            field, never its text).
//       "a4.bad_style"       a size, margin or spacing out of range.
//       "a4.font_missing"    style.font_family is not installed and
//                            style.require_font is set (fonts-noto-cjk).
//       "a4.render"          cairo failed (out of memory); cairo's words.
//   write_pdf_file(): blocks on the file system. Writes <path>.tmp and
//     renames it, so a reader never sees half a PDF. Error "a4.write"
//     (names the path and the system's reason).
//
// Document text is public, but neither this code nor its errors ever
// repeat it: errors name the field ("paragraph 3"), not its contents.
//
// Fonts: CFF fonts (Noto Sans CJK is one) are embedded as Type 3 outline
// fonts with a ToUnicode map, because cairo 1.16 breaks some CFF glyphs when
// it subsets them (如 prints blank); see A4Style::outline_cff_fonts.
//
// Layout: title (bold, centred) with issuer and date under it on the first
// page; then the paragraphs, then the blocks. Paragraphs wrap anywhere
// between Chinese characters and between words of Latin text
// (PANGO_WRAP_WORD_CHAR) and break across pages line by line. Every page
// carries the footer text (if any) and the page label ("第 1 页 / 共 3 页").
// Tables break between rows and repeat their header row on each page; a
// single row taller than a page is drawn anyway and runs into the footer.
#include <cstdint>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "drivers/common/expected.hpp"

namespace drivers::a4 {

enum class A4Align { Start, Centre, End };

// A sub-heading inside the body ("一、用餐时间"). Kept on the page of the
// first lines that follow it.
struct A4Heading {
    std::string text;
};

// A simple table: a settlement report's rows. Cells wrap inside their column.
struct A4Table {
    std::vector<std::string> header;             // column titles; may be empty (no header row)
    std::vector<std::vector<std::string>> rows;  // short rows are padded with blank cells
    std::vector<double> widths;                  // relative column widths (> 0); empty: equal
    std::vector<A4Align> align;                  // per column; missing entries: Start
};

struct A4Paragraph {
    std::string text;  // '\n' starts a new paragraph (with its own indent)
};

using A4Block = std::variant<A4Paragraph, A4Heading, A4Table>;

struct A4Notice {
    std::string title;                    // "关于端午节食堂停餐的通知"
    std::string issuer;                   // "幸福里社区居委会"
    std::string date;                     // as it should be printed: "2025年5月28日"
    std::vector<std::string> paragraphs;  // the body, in order; empty strings are skipped
    std::vector<A4Block> blocks;          // after the paragraphs: headings, more text, tables
    std::string footer;                   // optional, on every page ("咨询电话：…")
};

struct A4Style {
    std::string font_family = "Noto Sans CJK SC";
    bool require_font = true;  // refuse ("a4.font_missing") rather than let fontconfig substitute
    // Sizes in points. Generous on purpose: many readers are over 70.
    double title_pt = 22.0;
    double meta_pt = 14.0;  // issuer and date under the title
    double heading_pt = 17.0;
    double body_pt = 15.0;
    double table_pt = 13.0;
    double footer_pt = 12.0;
    double line_spacing = 1.4;      // body text: baseline to baseline, in multiples of the font size; 1.0 to 3.0
    double paragraph_gap_pt = 8.0;  // extra space between paragraphs
    double margin_mm = 20.0;        // all four sides; 5 to 50
    bool indent_first_line = true;  // two characters, as Chinese notices do
    // "{page}" and "{pages}" are replaced. The drivers have no UI catalog:
    // the caller passes the wording in the language it prints.
    std::string page_label = "第 {page} 页 / 共 {pages} 页";
    std::string creator = "kiosk";  // PDF metadata (Creator); the title and issuer go in Title and Author
    // Draw CFF (PostScript-outline) fonts such as Noto Sans CJK as Type 3
    // outline fonts instead of embedding them. cairo 1.16's CFF subsetter
    // loses parts of some glyphs (如 prints blank); see a4_document.cpp,
    // [SECTION] Glyphs. The text stays extractable either way.
    bool outline_cff_fonts = true;
};

// The PDF, ready for A4Printer::submit or write_pdf_file.
Expected<std::vector<std::uint8_t>> render_pdf(const A4Notice& notice, const A4Style& style = {});

// Writes `pdf` to `path` atomically (temporary file, then rename).
Expected<void> write_pdf_file(std::span<const std::uint8_t> pdf, const std::string& path);

}  // namespace drivers::a4
