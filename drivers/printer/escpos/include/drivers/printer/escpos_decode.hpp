#pragma once
// ESC/POS bytes read back into text and command markers: for tests ("the
// pickup ticket decodes to these lines, with a cut and a QR code"), for the
// simulated printer's preview, and for tools that show what was printed.
//
// It understands what encode() sends (and a little more: GS V with feed, ESC
// d, ESC J, DLE EOT requests, GS a, ESC !, ESC -). Anything else is skipped
// and named in `problems`, so a test can insist on none. Pure, total, any
// thread; garbage in gives problems out, never a crash.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "drivers/printer/receipt.hpp"

namespace drivers::escpos {

struct DecodedLine {
    enum class Kind : std::uint8_t { Text, Image, Qr } kind = Kind::Text;
    std::string text{};  // Text: UTF-8 (GB18030 decoded inside Chinese mode); Image: "[image WxH]"; Qr: "[qr]"
    Align align = Align::Left;
    bool bold = false;
    int width = 1;  // size multipliers in force when the line was printed
    int height = 1;
};

// Consecutive GS v 0 commands of the same width, with nothing between them,
// are one image sent in bands; so two pictures sent back to back (a raster
// text line right after another) read back as one taller image.
struct DecodedImage {
    Bitmap bitmap{};  // all bands of one image joined
    int bands = 0;  // GS v 0 commands it came in
    Align align = Align::Left;
};

struct DecodedQr {
    std::string data{};     // the stored bytes
    int module_size = 3;  // printer default when never set
    char level = 'L';     // 'L' 'M' 'Q' 'H'
    bool printed = false;
    bool in_chinese_mode = false;  // printed while Chinese mode was on: prints empty on many printers
};

struct Decoded {
    std::vector<DecodedLine> lines;  // in paper order; blank lines from LF and feeds included
    std::vector<DecodedImage> images;
    std::vector<DecodedQr> qr_codes;
    std::vector<std::string> commands;  // readable trace in order: "init", "align centre", "bold on",
                                        // "size 4x4", "chinese on", "chinese off", "text", "feed 4",
                                        // "qr model", "qr size 6", "qr level M", "qr store", "qr print",
                                        // "raster 48x30", "cut partial", "status 1", ...
    std::vector<std::string> problems;  // malformed or unknown commands, truncated data, bad GB18030
    int cuts = 0;
    int inits = 0;
    bool chinese_mode_at_end = false;

    [[nodiscard]] std::string text() const;  // every line's text joined with '\n'
    [[nodiscard]] bool has_cut() const { return cuts > 0; }
    [[nodiscard]] bool contains(std::string_view utf8) const { return text().find(utf8) != std::string::npos; }
    // Index of the first command equal to `name` at or after `from`, or -1.
    [[nodiscard]] int find_command(std::string_view name, int from = 0) const;
};

[[nodiscard]] Decoded decode_text(std::span<const std::uint8_t> bytes);

}  // namespace drivers::escpos
