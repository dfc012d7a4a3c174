#pragma once
// ESC/POS preview: what the paper would look like.
//
// An interpreter for the ESC/POS byte stream of one print job, written from
// the protocol description (docs/hardware.md section 2), independently of the
// encoder in drivers/printer/escpos: it runs the commands on a simulated roll
// of thermal paper and returns the picture, so a preview cross-checks the
// encoder instead of repeating it.
//
// What it models (a 203 dpi printer, one dot = one pixel):
//   text      the printer's cell grid: ASCII 12x24 (font B 9x17), CJK 24x24,
//             scaled by GS ! / ESC ! / FS ! / FS W; bold (ESC E, ESC G) drawn
//             twice one dot apart; underline (ESC -, FS -) 1 or 2 dots;
//             reverse (GS B); right spacing (ESC SP, FS S); tabs (HT, ESC D);
//             positions (ESC $, ESC \); margins (GS L, GS W).
//             Chinese mode (FS & .. FS .): GB18030 (2- and 4-byte) decoded with
//             glibc iconv. Outside it, bytes >= 0x80 are code page 437, which
//             is what an Epson-compatible printer prints for GB18030 sent
//             without FS & (the "garbled Chinese" bug shows as box drawing).
//   lines     characters gather in a line buffer; LF, ESC d, ESC J, a full
//             line, a cut, a raster or a QR print it. A line advances by
//             max(line spacing, tallest cell); taller cells sit on one baseline.
//             ESC a applies to the line it begins (Epson: ignored mid-line).
//   graphics  GS v 0 raster (x bytes * y dots exact, m = 1/2/3 scaling) and
//             ESC * bit images; QR codes (GS ( k, cn 49: model, module size,
//             error level, store, print) drawn with libqrencode as a real,
//             scannable symbol. Graphics honour the alignment; wider than the
//             print area they are clipped, as a printer discards them.
//   cuts      GS V (all forms), ESC i / ESC m: a dashed line across the paper
//             at the cut; GS V 65/66 n feed n dots first.
//   skipped   real-time commands (DLE EOT/ENQ/DC4), status, barcodes (a
//             hatched placeholder box), page mode (treated as standard mode),
//             NV and downloaded images, user-defined characters. Unknown
//             ESC x / GS x / FS x skip one parameter byte; GS ( x, FS ( x,
//             ESC ( x skip their pL pH length.
//
// Robustness: the input may be any bytes. Parsing never reads past the end,
// every length field is checked against what is left, and the picture never
// grows past PreviewOptions::max_height_dots: the job is then cut short,
// Image::notes.truncated is set and a zigzag tear is drawn at the bottom.
// Memory is bounded by (paper + margins) * max_height_dots bytes plus a glyph
// cache bounded by the distinct characters drawn.
//
// Threads: render_preview, encode_png and write_png are pure functions of
// their arguments (the font file is mapped once per process, behind a mutex,
// and only read afterwards): call them from any thread, concurrently. They
// block for the rendering (milliseconds to tens of milliseconds for a
// receipt) and, for write_png, the disk: keep them off the frame loop.
//
// Privacy: receipts hold personal data. No error message or note here ever
// contains receipt text.
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "drivers/common/expected.hpp"

namespace drivers {

inline constexpr const char* kDefaultPreviewFont = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";

struct PreviewOptions {
    int paper_dots = 384;  // printable width: 384 (58 mm) or 576 (80 mm); 64 to 2048 accepted
    std::string font_path = kDefaultPreviewFont;
    int font_face = 2;                   // face in the collection for CJK text: 2 = Noto Sans CJK SC
    int latin_face = 7;                  // for half-width text: 7 = Noto Sans Mono CJK SC, whose
                                         // Latin is half an em wide like a printer's 12x24 font;
                                         // -1 (or a face that cannot be loaded): font_face, narrowed
    int margin_dots = 24;                // blank paper drawn left, right, top and bottom
    int max_height_dots = 20000;         // of printed paper (about 2.5 m); more is cut short
    int default_line_spacing_dots = 30;  // ESC 2 and after ESC @
};

// What the interpreter met that the picture alone may not tell. Counts only:
// never any receipt text.
struct PreviewNotes {
    bool truncated = false;    // the job went past max_height_dots; the rest was not drawn
    int commands = 0;          // commands met (not counting text bytes)
    int chars = 0;             // characters put in the line buffer
    int skipped_commands = 0;  // commands recognised or not, parsed past without effect
    int bad_text = 0;          // invalid GB18030 sequences, drawn as '?'
    int code_page_chars = 0;   // bytes >= 0x80 outside Chinese mode (GB18030 sent without FS &?)
    int unprinted_chars = 0;   // characters lost: cleared by ESC @, or waiting for an LF when the job ended
    int missing_glyphs = 0;    // characters the font lacks, drawn as an empty box
    int rasters = 0;           // GS v 0 and ESC * images drawn
    int qr_printed = 0;
    int qr_failed = 0;          // QR print with nothing stored, data too long, or wider than the paper
    int placeholders = 0;       // barcodes drawn as hatched boxes (not rendered)
    int mid_line = 0;           // ESC a ignored mid-line, or a raster/QR/cut that had to print a pending line first
    std::vector<int> cut_rows;  // image row of each cut, top to bottom
};

// An 8-bit greyscale picture: 0 is black ink, 255 white paper.
struct Image {
    int width = 0;
    int height = 0;
    std::vector<std::uint8_t> grey;  // width * height, row-major
    int origin_x = 0;                // image column of printable dot 0 (= margin)
    int origin_y = 0;                // image row of the first paper row printed
    PreviewNotes notes;

    [[nodiscard]] std::uint8_t at(int x, int y) const {
        return grey[static_cast<std::size_t>(y) * static_cast<std::size_t>(width) + static_cast<std::size_t>(x)];
    }
};

// Runs the job's bytes and returns the picture: width = paper_dots + 2 *
// margin_dots; height = the paper fed (at least 24 dots) + 2 * margin_dots.
// Any byte sequence gives a picture (see PreviewNotes for what was odd).
// Errors:
//   preview.options  paper_dots, margin_dots, max_height_dots or the line
//                    spacing out of range
//   preview.font     the font file cannot be read or has no usable CJK face
[[nodiscard]] Expected<Image> render_preview(std::span<const std::uint8_t> bytes, const PreviewOptions& options = {});

// The picture as a greyscale PNG. Errors: preview.png (empty image, encoder failure).
[[nodiscard]] Expected<std::vector<std::uint8_t>> encode_png(const Image& image);

// Writes the PNG to `path`, mode 0600 (through a temporary file in the same
// folder, renamed into place). Errors: preview.png, preview.write (with the path and
// the system's reason).
[[nodiscard]] Expected<void> write_png(const Image& image, const std::filesystem::path& path);

}  // namespace drivers
