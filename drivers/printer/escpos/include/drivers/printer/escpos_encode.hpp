#pragma once
// ESC/POS encoder: a Receipt laid out for one PrinterProfile, as the bytes a
// receipt printer takes.
//
// Contract:
//   encode(): pure apart from reading the fallback font (below); any thread;
//     never fails. Typical pickup ticket: well under 1 ms (bench/escpos_bench).
//   check(): what encode() would have to work around, as errors, for template
//     tests and `kiosk doctor`: "escpos.qr_too_long", "escpos.font" (the
//     fallback font cannot be read), "escpos.image_too_wide".
//
// What the bytes look like (and why):
//   * ESC @ then FS . : a known state. Many Chinese printers start in Chinese
//     mode, and ESC @ does not leave it.
//   * Text: wrapped here, by display width, never by the printer (which would
//     break anywhere). Full-width characters count two columns, ASCII one;
//     width multiplier w divides the columns by w. Latin words are not broken
//     unless longer than a line; no line starts with closing punctuation
//     (，。、：；！？）》」… and , . ; : ! ? ) ] }) or ends with an opening one.
//   * Chinese text: GB18030 bytes (glibc iconv) inside FS & … FS . ; the
//     encoder leaves Chinese mode before every QR code, raster image and cut,
//     and at the end (a QR after Chinese text printing empty is a known trap).
//   * A line holding a character the profile's font lacks (FontCoverage) is
//     sent as a raster image of that line: rendered with stb_truetype from
//     EncodeOptions::fallback_font at the printer font's 24-dot height times
//     the style's multipliers, thresholded to 1 bit, with the alignment and
//     column positions the text would have had. If the font cannot be read the
//     missing characters print as '?' (check() reports it).
//   * QR: GS ( k (model 2, module size, level, store, print) when
//     profile.native_qr; otherwise a raster image made with libqrencode, the
//     same module size (shrunk to fit), with a quiet zone.
//   * Raster images (logos, QR fallback, text fallback): GS v 0 in bands of
//     profile.raster_band_rows rows, each band x·y bytes exactly, always the
//     full printable width with the alignment drawn into the image (not every
//     printer applies ESC a to raster images).
//   * Cut: ESC d profile.cut_feed_lines then GS V 1 (partial) or GS V 0 (full):
//     the paper is always fed past the cutter first.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "drivers/common/expected.hpp"
#include "drivers/printer/receipt.hpp"

namespace drivers::escpos {

inline constexpr const char* kDefaultFallbackFont = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";

struct EncodeOptions {
    std::string fallback_font = kDefaultFallbackFont;  // TrueType/OpenType file or collection
    int fallback_face = 2;                             // Noto Sans CJK: 2 is Simplified Chinese
};

[[nodiscard]] std::vector<std::uint8_t> encode(const Receipt& receipt, const PrinterProfile& profile,
                                               const EncodeOptions& options = {});

[[nodiscard]] Expected<void> check(const Receipt& receipt, const PrinterProfile& profile,
                                   const EncodeOptions& options = {});

// The layout rules, for templates that want to know before they print.
// Columns a UTF-8 string takes on this profile's printer at width 1.
[[nodiscard]] int display_width(std::string_view utf8, const PrinterProfile& profile);
// `utf8` wrapped to lines of at most `columns` columns (the encoder's rules).
[[nodiscard]] std::vector<std::string> wrap_text(std::string_view utf8, int columns, const PrinterProfile& profile);
// True when the profile's font prints every character of `utf8` as text.
[[nodiscard]] bool font_covers(std::string_view utf8, const PrinterProfile& profile);

// Single commands, for tools and tests (the encoder uses the same bytes).
namespace cmd {
inline constexpr std::uint8_t ESC = 0x1B, GS = 0x1D, FS = 0x1C, DLE = 0x10, EOT = 0x04, LF = 0x0A;
[[nodiscard]] std::vector<std::uint8_t> init();                      // 1B 40
[[nodiscard]] std::vector<std::uint8_t> align(Align a);              // 1B 61 n
[[nodiscard]] std::vector<std::uint8_t> bold(bool on);               // 1B 45 n
[[nodiscard]] std::vector<std::uint8_t> size(int width, int height);  // 1D 21 n
[[nodiscard]] std::vector<std::uint8_t> line_spacing(int dots);      // 1B 33 n, or 1B 32 for 0
[[nodiscard]] std::vector<std::uint8_t> feed(int lines);             // 1B 64 n
[[nodiscard]] std::vector<std::uint8_t> cut(CutKind kind);           // 1D 56 00 / 1D 56 01
[[nodiscard]] std::vector<std::uint8_t> chinese_on();                // 1C 26
[[nodiscard]] std::vector<std::uint8_t> chinese_off();               // 1C 2E
}  // namespace cmd

}  // namespace drivers::escpos
