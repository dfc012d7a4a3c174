#pragma once
// The receipt model: what a receipt says, independent of any printer.
//
// A Receipt is a list of blocks built fluently by the kiosk's templates, then
// turned into printer bytes by drivers::escpos::encode() (escpos_encode.hpp)
// for one PrinterProfile. Nothing here does I/O or can fail: values that are
// out of range are clamped when the receipt is encoded (see each field).
//
//   using namespace drivers::escpos;
//   Receipt r;
//   r.text("幸福里社区长者食堂", {.align = Align::Centre, .bold = true})
//    .text("取餐号", {.align = Align::Centre})
//    .text("0042", {.align = Align::Centre, .bold = true, .width = 4, .height = 4})
//    .rule()
//    .row("原价", "15.00元")
//    .row("补贴", "-5.00元")
//    .row("应付", "10.00元", {.bold = true})
//    .rule()
//    .qr("ORDER-20240501-0042")
//    .cut();
//
// Text is UTF-8. Line breaks inside text start new lines; tabs become spaces;
// other control characters are dropped; invalid UTF-8 prints as '?'.
// Layout (escpos_encode.hpp): Chinese and other full-width characters take two
// columns, ASCII one; a 58 mm printer has 32 columns, an 80 mm one 48; text at
// width multiplier w has columns / w columns.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <variant>
#include <vector>

namespace drivers::escpos {

enum class Align : std::uint8_t { Left = 0, Centre = 1, Right = 2 };

struct TextStyle {
    Align align = Align::Left;
    bool bold = false;
    int width = 1;   // character width multiplier, 1–8 (clamped)
    int height = 1;  // character height multiplier, 1–8 (clamped)
};

// QR error correction: L 7 %, M 15 %, Q 25 %, H 30 % of the symbol may be lost.
enum class QrLevel : std::uint8_t { L = 0, M = 1, Q = 2, H = 3 };

struct QrOptions {
    int module_size = 6;  // dots per module, 1–16 (clamped; shrunk if the symbol would not fit the paper)
    QrLevel level = QrLevel::M;
    Align align = Align::Centre;
};

enum class CutKind : std::uint8_t { Partial, Full };

// A 1-bit image: rows top to bottom, each (width + 7) / 8 bytes, most
// significant bit leftmost, 1 = black dot (the ESC/POS raster layout).
struct Bitmap {
    int width = 0;   // dots
    int height = 0;  // dots
    std::vector<std::uint8_t> bits{};

    [[nodiscard]] static Bitmap blank(int width, int height);
    // Thresholds 8-bit grey (0 black … 255 white), width × height bytes, rows
    // top to bottom; `dither` spreads the error (Floyd–Steinberg) for photos
    // and shaded logos. A short `grey` leaves the missing dots white.
    [[nodiscard]] static Bitmap from_grey(int width, int height, std::span<const std::uint8_t> grey,
                                          std::uint8_t threshold = 128, bool dither = false);
    [[nodiscard]] int stride() const { return (width + 7) / 8; }
    [[nodiscard]] bool get(int x, int y) const;
    void set(int x, int y, bool black = true);  // outside the image: ignored
    [[nodiscard]] bool empty() const { return width <= 0 || height <= 0; }
};

namespace block {
struct Text {
    std::string utf8{};
    TextStyle style{};
};
// A label on the left and a value on the right ("原价 … 15.00元"). When both do
// not fit on one line the label wraps in the room left of the value (value on
// the first line); a value wider than half the line goes on its own
// right-aligned line(s) under the label. `style.align` is ignored.
struct Row {
    std::string label{};
    std::string value{};
    TextStyle style{};
};
struct Rule {
    char ch = '-';  // printable ASCII; anything else prints '-'
};
struct Feed {
    int lines = 1;  // 0–255 (clamped)
};
struct Qr {
    std::string data{};  // bytes as given (an order id, a URL); 1–2,000 bytes
    QrOptions options{};
};
struct Image {
    Bitmap bitmap{};  // wider than the paper: cropped on the right
    Align align = Align::Centre;
};
struct LineSpacing {
    int dots = 0;  // 0: the printer's default (ESC 2); else 1–255 dots (ESC 3 n)
};
struct Cut {
    CutKind kind = CutKind::Partial;  // the encoder always feeds the paper past the cutter first
};
}  // namespace block

using Block = std::variant<block::Text, block::Row, block::Rule, block::Feed, block::Qr, block::Image,
                           block::LineSpacing, block::Cut>;

class Receipt {
public:
    Receipt& text(std::string utf8, TextStyle style = {});
    Receipt& row(std::string label, std::string value, TextStyle style = {});
    Receipt& rule(char ch = '-');
    Receipt& feed(int lines = 1);
    Receipt& qr(std::string data, QrOptions options = {});
    Receipt& image(Bitmap bitmap, Align align = Align::Centre);
    Receipt& line_spacing(int dots);  // applies to the text blocks after it
    Receipt& cut(CutKind kind = CutKind::Partial);
    Receipt& append(const Receipt& other);  // templates built from parts

    [[nodiscard]] const std::vector<Block>& blocks() const { return blocks_; }
    [[nodiscard]] bool empty() const { return blocks_.empty(); }

private:
    std::vector<Block> blocks_;
};

// The printer's font: which characters it can print as text. Characters
// outside it are printed as a raster image of their line (escpos_encode.hpp).
enum class FontCoverage : std::uint8_t {
    Gb2312,      // GB2312 only: the font of many cheap 58 mm printers (no 赟, no 喆, no €)
    Gbk,         // every two-byte code; four-byte sequences (㐀 U+3400 …) would print as garbage
    Gb18030,     // every two-byte GB18030 (GBK) character plus CJK extension A (four-byte, U+3400–U+4DBF)
    Gb18030All,  // also the supplementary planes (𫖯 U+2B5AF …): GB18030-2022 level 3 fonts
};

struct PrinterProfile {
    int width_mm = 58;  // 58 or 80 (anything but 80 is treated as 58)
    bool native_qr = true;  // false: the printer lacks GS ( k; QR codes are sent as raster images
    FontCoverage font = FontCoverage::Gb18030;
    int cut_feed_lines = 4;     // lines fed before a cut: print head to cutter (0–255)
    int raster_band_rows = 128;  // rows per GS v 0 command (1–255; small buffers want small bands)

    [[nodiscard]] int columns() const { return width_mm == 80 ? 48 : 32; }  // font A, 12 × 24 dots
    [[nodiscard]] int dots() const { return width_mm == 80 ? 576 : 384; }   // printable width at 203 dpi
};

}  // namespace drivers::escpos
