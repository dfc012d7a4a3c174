#pragma once
// Pictures the encoder makes itself: text lines the printer's font cannot
// print (stb_truetype), and QR codes for printers without GS ( k (libqrencode).
#include <memory>
#include <string>

#include "drivers/printer/receipt.hpp"
#include "text.hpp"

namespace drivers::escpos::detail {

// A font file mapped once per (path, face) for the life of the process.
class FallbackFont {
public:
    // nullptr when the file cannot be read or is not a font. Any thread.
    static std::shared_ptr<const FallbackFont> get(const std::string& path, int face);
    virtual ~FallbackFont() = default;
    // Draws `cp` into `into` centred in the cell [x, x + cell_w) whose em box
    // is em_w × em_h dots with its top at `top`. A character the font lacks
    // is drawn as an empty box. Any thread.
    virtual void draw(Bitmap& into, char32_t cp, int x, int top, int cell_w, int em_w, int em_h, bool bold) const = 0;
};

// A text line as a full-width picture `dots` wide: cells at their column
// positions (12 × width dots per column), aligned like the printer would.
Bitmap render_line(const FallbackFont* font, const Cells& cells, const TextStyle& style, int dots, int height);

// The QR symbol for `data`, each module `module` dots, centred in a picture
// `dots` wide with a quiet zone; empty when the data does not fit a QR code
// at this level or the symbol cannot fit the paper even at one dot a module.
Bitmap render_qr(const std::string& data, QrLevel level, int module, Align align, int dots);
// Modules per side for `data` at `level`, 0 when too long (libqrencode).
int qr_modules(const std::string& data, QrLevel level);

}  // namespace drivers::escpos::detail
