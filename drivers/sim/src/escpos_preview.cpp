// ESC/POS preview renderer (see escpos_preview.hpp for what is modelled).
//
// [SECTION] Fonts: the mapped font file and the glyph cache
// [SECTION] Canvas: the growing roll of paper
// [SECTION] Interpreter state: modes, the line buffer, QR storage
// [SECTION] Interpreter: the command loop (text, ESC, GS, FS, DLE)
// [SECTION] Drawing: lines, rasters, QR codes, cuts
// [SECTION] PNG
#include "drivers/sim/escpos_preview.hpp"

#include <fcntl.h>
#include <iconv.h>
#include <qrencode.h>
#include <stb/stb_image_write.h>
#include <stb/stb_truetype.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <unordered_map>

namespace drivers {

namespace {

// ---------------------------------------------------------------------------
// [SECTION] Fonts
// ---------------------------------------------------------------------------

struct FontFile {
    void* data = MAP_FAILED;
    std::size_t size = 0;
    FontFile() = default;
    FontFile(const FontFile&) = delete;
    FontFile& operator=(const FontFile&) = delete;
    ~FontFile() {
        if (data != MAP_FAILED) ::munmap(data, size);
    }
    [[nodiscard]] const unsigned char* bytes() const { return static_cast<const unsigned char*>(data); }
};

struct Face {
    std::shared_ptr<const FontFile> file;
    stbtt_fontinfo info{};
    int ascent = 880;   // font units above the baseline of the em box (OS/2 typo metrics)
    int descent = 120;  // font units below it (positive)
};

// The font files are system files, mapped once per process and kept: every
// render after the first reuses them. Only successes are cached, so a font
// installed later is found.
Expected<std::shared_ptr<const Face>> load_face(const std::string& path, int index) {
    static std::mutex mu;
    static std::map<std::pair<std::string, int>, std::shared_ptr<const Face>> faces;
    static std::map<std::string, std::shared_ptr<const FontFile>> files;
    std::lock_guard lock(mu);
    if (auto it = faces.find({path, index}); it != faces.end()) return it->second;

    std::shared_ptr<const FontFile> file;
    if (auto it = files.find(path); it != files.end()) {
        file = it->second;
    } else {
        const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            return DriverError{"preview.font", "the preview font " + path + " cannot be read (" + std::strerror(errno) +
                                                   "); install fonts-noto-cjk"};
        auto f = std::make_shared<FontFile>();
        struct stat st {};
        // stb_truetype trusts its input: refuse what cannot even hold a font header.
        if (::fstat(fd, &st) == 0 && st.st_size >= 12) {
            f->size = static_cast<std::size_t>(st.st_size);
            f->data = ::mmap(nullptr, f->size, PROT_READ, MAP_PRIVATE, fd, 0);
        }
        ::close(fd);
        if (f->data == MAP_FAILED) return DriverError{"preview.font", "the preview font " + path + " cannot be mapped"};
        file = f;
        files[path] = file;
    }
    auto face = std::make_shared<Face>();
    face->file = file;
    const int count = stbtt_GetNumberOfFonts(file->bytes());
    const int offset =
        index >= 0 && index < std::max(count, 1) ? stbtt_GetFontOffsetForIndex(file->bytes(), index) : -1;
    if (offset < 0 || stbtt_InitFont(&face->info, file->bytes(), offset) == 0)
        return DriverError{"preview.font",
                           "the preview font " + path + " has no usable face number " + std::to_string(index)};
    int asc = 0, desc = 0, gap = 0;
    if (stbtt_GetFontVMetricsOS2(&face->info, &asc, &desc, &gap) == 0 || asc <= 0 || desc >= 0)
        stbtt_GetFontVMetrics(&face->info, &asc, &desc, &gap);
    if (asc <= 0 || desc > 0 || asc - desc <= 0)
        return DriverError{"preview.font",
                           "the preview font " + path + " face " + std::to_string(index) + " has no usable metrics"};
    face->ascent = asc;
    face->descent = -desc;
    faces[{path, index}] = face;
    return std::shared_ptr<const Face>(face);
}

// One rasterised glyph: a 1-bit mask (the thermal head prints dots, not grey)
// placed relative to the top-left corner of its character cell.
struct Glyph {
    int dx = 0, dy = 0, w = 0, h = 0;
    bool missing = false;  // the font lacks it: drawn as an empty box
    std::vector<std::uint8_t> mask;
};

// ---------------------------------------------------------------------------
// [SECTION] Canvas
// ---------------------------------------------------------------------------

constexpr std::uint8_t kPaper = 255;
constexpr std::uint8_t kInk = 0;
constexpr std::uint8_t kMarkGrey = 150;  // cut lines, placeholders, the tear: drawn by the preview, not the printer

// Paper coordinates: x in [0, paper) across the printable width, y down the
// roll from the first printed row. Rows are added as drawing reaches them and
// never beyond max_rows.
class Canvas {
public:
    Canvas(int paper, int margin, int max_rows)
        : paper_(paper), margin_(margin), width_(paper + 2 * margin), max_rows_(max_rows) {}

    [[nodiscard]] int paper() const { return paper_; }
    [[nodiscard]] int max_rows() const { return max_rows_; }

    // Makes rows [0, bottom) of paper exist (clipped to max_rows).
    void reach(int bottom) {
        bottom = std::min(bottom, max_rows_);
        const std::size_t need =
            static_cast<std::size_t>(margin_ + std::max(bottom, 0)) * static_cast<std::size_t>(width_);
        if (grey_.size() < need) grey_.resize(need, kPaper);
    }
    void set(int x, int y, std::uint8_t v) {
        if (x < 0 || x >= paper_ || y < 0 || y >= max_rows_) return;
        const std::size_t i = static_cast<std::size_t>(margin_ + y) * static_cast<std::size_t>(width_) +
                              static_cast<std::size_t>(margin_ + x);
        if (i < grey_.size()) grey_[i] = v;
    }
    void fill(int x0, int y0, int x1, int y1, std::uint8_t v) {
        x0 = std::max(x0, 0);
        x1 = std::min(x1, paper_);
        y0 = std::max(y0, 0);
        y1 = std::min(y1, max_rows_);
        for (int y = y0; y < y1; ++y)
            for (int x = x0; x < x1; ++x) set(x, y, v);
    }
    // Finishes the picture with `rows` rows of paper and the margins.
    Image finish(int rows) {
        Image img;
        img.width = width_;
        img.height = 2 * margin_ + rows;
        grey_.resize(static_cast<std::size_t>(img.width) * static_cast<std::size_t>(img.height), kPaper);
        img.grey = std::move(grey_);
        img.origin_x = margin_;
        img.origin_y = margin_;
        return img;
    }

private:
    int paper_, margin_, width_, max_rows_;
    std::vector<std::uint8_t> grey_;  // whole image rows, the top margin included
};

// ---------------------------------------------------------------------------
// [SECTION] Interpreter state
// ---------------------------------------------------------------------------

// Code page 437 for bytes 0x80..0xFF outside Chinese mode.
constexpr std::array<char16_t, 128> kCp437 = {
    0x00C7, 0x00FC, 0x00E9, 0x00E2, 0x00E4, 0x00E0, 0x00E5, 0x00E7, 0x00EA, 0x00EB, 0x00E8, 0x00EF, 0x00EE,
    0x00EC, 0x00C4, 0x00C5, 0x00C9, 0x00E6, 0x00C6, 0x00F4, 0x00F6, 0x00F2, 0x00FB, 0x00F9, 0x00FF, 0x00D6,
    0x00DC, 0x00A2, 0x00A3, 0x00A5, 0x20A7, 0x0192, 0x00E1, 0x00ED, 0x00F3, 0x00FA, 0x00F1, 0x00D1, 0x00AA,
    0x00BA, 0x00BF, 0x2310, 0x00AC, 0x00BD, 0x00BC, 0x00A1, 0x00AB, 0x00BB, 0x2591, 0x2592, 0x2593, 0x2502,
    0x2524, 0x2561, 0x2562, 0x2556, 0x2555, 0x2563, 0x2551, 0x2557, 0x255D, 0x255C, 0x255B, 0x2510, 0x2514,
    0x2534, 0x252C, 0x251C, 0x2500, 0x253C, 0x255E, 0x255F, 0x255A, 0x2554, 0x2569, 0x2566, 0x2560, 0x2550,
    0x256C, 0x2567, 0x2568, 0x2564, 0x2565, 0x2559, 0x2558, 0x2552, 0x2553, 0x256B, 0x256A, 0x2518, 0x250C,
    0x2588, 0x2584, 0x258C, 0x2590, 0x2580, 0x03B1, 0x00DF, 0x0393, 0x03C0, 0x03A3, 0x03C3, 0x00B5, 0x03C4,
    0x03A6, 0x0398, 0x03A9, 0x03B4, 0x221E, 0x03C6, 0x03B5, 0x2229, 0x2261, 0x00B1, 0x2265, 0x2264, 0x2320,
    0x2321, 0x00F7, 0x2248, 0x00B0, 0x2219, 0x00B7, 0x221A, 0x207F, 0x00B2, 0x25A0, 0x00A0,
};

struct Modes {
    int align = 0;  // 0 left, 1 centre, 2 right
    bool emphasized = false;
    bool double_strike = false;
    int underline = 0;        // dots: 0, 1, 2
    int kanji_underline = 0;  // FS -
    int width_mult = 1;       // 1..8
    int height_mult = 1;      // 1..8
    bool kanji_double_w = false;
    bool kanji_double_h = false;
    bool font_b = false;
    bool reverse = false;
    int right_spacing = 0;  // ESC SP, dots
    int kanji_left = 0;     // FS S
    int kanji_right = 0;
    bool chinese = false;  // FS & ... FS .
    int line_spacing = 30;
    int left_margin = 0;    // GS L, dots
    int area_width = 384;   // GS W, dots
    std::vector<int> tabs;  // in character widths, ascending
    // QR (GS ( k, cn 49)
    int qr_model = 50;
    int qr_module = 3;
    int qr_level = 48;
    std::vector<std::uint8_t> qr_data;
    bool qr_stored = false;
    // barcodes (placeholders only)
    int barcode_height = 162;
    int barcode_module = 3;
};

// One thing waiting in the line buffer, at x from the line's start.
struct Item {
    enum class Kind { Char, Bits } kind = Kind::Char;
    int x = 0;  // cell start, spacing included
    int w = 0;  // cell width, spacing included
    int h = 0;
    // Char
    char32_t cp = 0;
    bool latin = true;  // half-width cell (latin face) or full-width (CJK face)
    int glyph_x = 0;    // glyph cell offset inside the item (left spacing)
    int glyph_w = 0;    // glyph cell without spacing
    bool bold = false;
    int underline = 0;
    bool reverse = false;
    // Bits: ESC * image, 1 byte per dot
    std::vector<std::uint8_t> bits;
};

// ---------------------------------------------------------------------------
// [SECTION] Interpreter
// ---------------------------------------------------------------------------

class Interpreter {
public:
    Interpreter(std::span<const std::uint8_t> in, const PreviewOptions& opt, std::shared_ptr<const Face> cjk,
                std::shared_ptr<const Face> latin)
        : in_(in),
          opt_(opt),
          cjk_(std::move(cjk)),
          latin_(std::move(latin)),
          canvas_(opt.paper_dots, opt.margin_dots, opt.max_height_dots) {
        reset_modes();
        gb_ = ::iconv_open("UTF-32LE", "GB18030");
    }
    ~Interpreter() {
        if (gb_ != reinterpret_cast<iconv_t>(-1)) ::iconv_close(gb_);
    }
    Interpreter(const Interpreter&) = delete;
    Interpreter& operator=(const Interpreter&) = delete;

    Image run() {
        while (pos_ < in_.size() && !stopped_) step();
        if (!stopped_) notes_.unprinted_chars += static_cast<int>(line_.size());  // waits for an LF that never came
        const int rows = notes_.truncated ? canvas_.max_rows() : std::max(y_, 24);
        canvas_.reach(rows);
        Image img = canvas_.finish(rows);
        draw_marks(img);
        img.notes = std::move(notes_);
        return img;
    }

private:
    // -- bytes ---------------------------------------------------------------
    [[nodiscard]] std::size_t left() const { return in_.size() - pos_; }
    // Takes k parameter bytes; false (and the rest of the input consumed) when
    // the job ends inside the command.
    bool take(std::size_t k, const std::uint8_t*& p) {
        if (left() < k) {
            pos_ = in_.size();
            ++notes_.skipped_commands;
            return false;
        }
        p = in_.data() + pos_;
        pos_ += k;
        return true;
    }
    bool skip(std::size_t k) {
        const std::uint8_t* p = nullptr;
        return take(k, p);
    }
    // Skips up to k bytes (data blocks whose declared length may exceed the job).
    void skip_data(std::uint64_t k) { pos_ += static_cast<std::size_t>(std::min<std::uint64_t>(k, left())); }
    void skipped(std::size_t params) {
        ++notes_.skipped_commands;
        pos_ += std::min(params, left());
    }

    void reset_modes() {
        m_ = Modes{};
        m_.line_spacing = opt_.default_line_spacing_dots;
        m_.area_width = opt_.paper_dots;
        for (int t = 8; t <= 8 * 32; t += 8) m_.tabs.push_back(t);
    }

    [[nodiscard]] bool line_empty() const { return line_.empty() && pen_ == 0; }
    [[nodiscard]] int area_left() const { return std::clamp(m_.left_margin, 0, opt_.paper_dots - 24); }
    [[nodiscard]] int area_width() const {
        const int room = opt_.paper_dots - area_left();
        return std::clamp(m_.area_width, std::min(24, room), room);
    }

    void step() {
        const std::uint8_t b = in_[pos_];
        switch (b) {
            case 0x0A:  // LF: print the line, feed one line
                ++pos_;
                ++notes_.commands;
                print_line(m_.line_spacing);
                return;
            case 0x0C:  // FF: prints the line (page mode is not modelled)
                ++pos_;
                ++notes_.commands;
                if (!line_empty()) print_line(0);
                return;
            case 0x09:
                ++pos_;
                ++notes_.commands;
                tab();
                return;
            case 0x10:
                dle();
                return;
            case 0x1B:
                esc();
                return;
            case 0x1C:
                fs();
                return;
            case 0x1D:
                gs();
                return;
            default:
                break;
        }
        if (b < 0x20 || b == 0x7F) {  // CR and other controls: ignored
            ++pos_;
            return;
        }
        text();
    }

    // -- text ------------------------------------------------------------------
    void text() {
        const std::uint8_t b = in_[pos_];
        if (b < 0x80) {
            ++pos_;
            put_char(b, true);
            return;
        }
        if (!m_.chinese) {
            ++pos_;
            ++notes_.code_page_chars;
            put_char(kCp437[b - 0x80u], true);
            return;
        }
        // GB18030: lead 81..FE; trail 40..7E / 80..FE (2 bytes) or 30..39 81..FE 30..39 (4 bytes).
        std::size_t len = 0;
        if (b >= 0x81 && b <= 0xFE && left() >= 2) {
            const std::uint8_t t = in_[pos_ + 1];
            if ((t >= 0x40 && t <= 0x7E) || (t >= 0x80 && t <= 0xFE)) {
                len = 2;
            } else if (t >= 0x30 && t <= 0x39 && left() >= 4 && in_[pos_ + 2] >= 0x81 && in_[pos_ + 2] <= 0xFE &&
                       in_[pos_ + 3] >= 0x30 && in_[pos_ + 3] <= 0x39) {
                len = 4;
            }
        }
        if (len == 0) {  // not a character: one '?' for the lead byte, the next byte is read afresh
            ++pos_;
            ++notes_.bad_text;
            put_char(U'?', true);
            return;
        }
        const char32_t cp = decode_gb18030(in_.data() + pos_, len);
        pos_ += len;
        if (cp == 0) {
            ++notes_.bad_text;
            put_char(U'?', false);
            return;
        }
        put_char(cp, false);
    }

    char32_t decode_gb18030(const std::uint8_t* p, std::size_t len) {
        if (gb_ == reinterpret_cast<iconv_t>(-1)) return 0;
        char inbuf[4];
        std::memcpy(inbuf, p, len);
        unsigned char outbuf[8] = {};
        char* ip = inbuf;
        std::size_t il = len;
        char* op = reinterpret_cast<char*>(outbuf);
        std::size_t ol = sizeof outbuf;
        ::iconv(gb_, nullptr, nullptr, nullptr, nullptr);
        if (::iconv(gb_, &ip, &il, &op, &ol) == static_cast<std::size_t>(-1) || il != 0 || sizeof outbuf - ol != 4)
            return 0;
        const char32_t cp = static_cast<char32_t>(outbuf[0]) | static_cast<char32_t>(outbuf[1]) << 8 |
                            static_cast<char32_t>(outbuf[2]) << 16 | static_cast<char32_t>(outbuf[3]) << 24;
        return cp <= 0x10FFFF ? cp : 0;
    }

    void put_char(char32_t cp, bool half) {
        ++notes_.chars;
        Item it;
        it.kind = Item::Kind::Char;
        it.cp = cp;
        it.latin = half;
        int mw = m_.width_mult, mh = m_.height_mult;
        int base_w = 24, base_h = 24, lsp = 0, rsp = 0;
        if (half) {
            base_w = m_.font_b ? 9 : 12;
            base_h = m_.font_b ? 17 : 24;
            rsp = m_.right_spacing * mw;
            it.underline = m_.underline;
        } else {
            mw = std::max(mw, m_.kanji_double_w ? 2 : 1);
            mh = std::max(mh, m_.kanji_double_h ? 2 : 1);
            lsp = m_.kanji_left * mw;
            rsp = m_.kanji_right * mw;
            it.underline = std::max(m_.underline, m_.kanji_underline);
        }
        it.glyph_x = lsp;
        it.glyph_w = base_w * mw;
        it.w = lsp + it.glyph_w + rsp;
        it.h = base_h * mh;
        it.bold = m_.emphasized || m_.double_strike;
        it.reverse = m_.reverse;
        if (pen_ + it.w > area_width() && !line_empty()) print_line(m_.line_spacing);  // the line is full: wrap
        if (stopped_) return;
        it.x = pen_;
        pen_ += it.w;
        line_.push_back(std::move(it));
    }

    [[nodiscard]] int char_width() const { return ((m_.font_b ? 9 : 12) + m_.right_spacing) * m_.width_mult; }

    void tab() {
        const int cw = char_width();
        for (int t : m_.tabs) {
            const int x = t * cw;
            if (x > pen_) {
                if (x <= area_width()) pen_ = x;
                return;
            }
        }
    }

    // -- ESC ---------------------------------------------------------------------
    void esc() {
        ++notes_.commands;
        ++pos_;
        if (left() == 0) {
            ++notes_.skipped_commands;
            return;
        }
        const std::uint8_t c = in_[pos_++];
        const std::uint8_t* p = nullptr;
        switch (c) {
            case '@':  // initialise: the line buffer is cleared, modes reset
                notes_.unprinted_chars += static_cast<int>(line_.size());
                line_.clear();
                pen_ = 0;
                reset_modes();
                return;
            case '!':
                if (!take(1, p)) return;
                m_.font_b = (p[0] & 0x01) != 0;
                m_.emphasized = (p[0] & 0x08) != 0;
                m_.height_mult = (p[0] & 0x10) != 0 ? 2 : 1;
                m_.width_mult = (p[0] & 0x20) != 0 ? 2 : 1;
                m_.underline = (p[0] & 0x80) != 0 ? 1 : 0;
                return;
            case ' ':
                if (take(1, p)) m_.right_spacing = p[0];
                return;
            case '$':  // absolute position
                if (!take(2, p)) return;
                if (const int x = p[0] | p[1] << 8; x <= area_width()) pen_ = x;
                return;
            case '\\': {  // relative position
                if (!take(2, p)) return;
                const int d = static_cast<std::int16_t>(static_cast<std::uint16_t>(p[0] | p[1] << 8));
                if (pen_ + d >= 0 && pen_ + d <= area_width()) pen_ += d;
                return;
            }
            case '-':
                if (take(1, p)) m_.underline = underline_dots(p[0]);
                return;
            case '2':
                m_.line_spacing = opt_.default_line_spacing_dots;
                return;
            case '3':
                if (take(1, p)) m_.line_spacing = p[0];
                return;
            case 'E':
                if (take(1, p)) m_.emphasized = (p[0] & 1) != 0;
                return;
            case 'G':
                if (take(1, p)) m_.double_strike = (p[0] & 1) != 0;
                return;
            case 'M':
                if (take(1, p)) m_.font_b = p[0] == 1 || p[0] == '1';
                return;
            case 'a':
                if (!take(1, p)) return;
                if (!line_empty()) {  // Epson: only at the beginning of a line
                    ++notes_.mid_line;
                    return;
                }
                if (p[0] <= 2)
                    m_.align = p[0];
                else if (p[0] >= '0' && p[0] <= '2')
                    m_.align = p[0] - '0';
                return;
            case 'd':
                if (take(1, p)) print_line(p[0] * m_.line_spacing);
                return;
            case 'J':
                if (take(1, p)) print_line(p[0]);
                return;
            case 'D': {  // tab positions n1 < n2 < ... NUL, at most 32
                m_.tabs.clear();
                for (int i = 0; i < 32 && left() > 0; ++i) {
                    const int v = in_[pos_++];
                    if (v == 0) return;
                    if (!m_.tabs.empty() && v <= m_.tabs.back()) return;  // not ascending: the list ends
                    m_.tabs.push_back(v);
                }
                if (left() > 0 && in_[pos_] == 0) ++pos_;
                return;
            }
            case '*':
                bit_image();
                return;
            case '&': {  // user-defined characters: y c1 c2, then per character x + y*x bytes
                if (!take(3, p)) return;
                ++notes_.skipped_commands;
                const int y = p[0], c1 = p[1], c2 = p[2];
                for (int ch = c1; ch <= c2 && left() > 0; ++ch) {
                    const int x = in_[pos_++];
                    skip_data(static_cast<std::uint64_t>(x) * static_cast<std::uint64_t>(y));
                }
                return;
            }
            case '(':
                length_block();
                return;
            case 'i':
            case 'm':
                cut(0);
                return;
            case 'L':  // page mode: not modelled, printed as standard mode
            case 'S':
            case 0x0C:  // print in page mode
            case '<':
            case 'v':
                ++notes_.skipped_commands;
                return;
            case 'W':
                skipped(8);
                return;
            case 'p':
                skipped(3);
                return;
            case 'c':
            case 'B':  // beeper on many Chinese printers: ESC B n t
                skipped(2);
                return;
            default:  // ESC % = ? K R T U V e r t u {, and any unknown ESC x: one parameter byte
                skipped(1);
                return;
        }
    }

    static int underline_dots(std::uint8_t n) {
        if (n == 1 || n == '1') return 1;
        if (n == 2 || n == '2') return 2;
        return 0;
    }

    // ESC * m nL nH d1..dk: a bit image in the line, column by column.
    void bit_image() {
        const std::uint8_t* p = nullptr;
        if (!take(3, p)) return;
        const int mode = p[0];
        const int columns = p[1] | p[2] << 8;
        int bytes_per_col = 0, sx = 1, sy = 1;
        switch (mode) {
            case 0:
                bytes_per_col = 1;
                sx = 2;
                sy = 3;
                break;
            case 1:
                bytes_per_col = 1;
                sx = 1;
                sy = 3;
                break;
            case 32:
                bytes_per_col = 3;
                sx = 2;
                sy = 1;
                break;
            case 33:
                bytes_per_col = 3;
                sx = 1;
                sy = 1;
                break;
            default:
                ++notes_.skipped_commands;
                return;  // the data length is unknowable
        }
        const std::size_t want = static_cast<std::size_t>(columns) * static_cast<std::size_t>(bytes_per_col);
        const std::size_t have = std::min(want, left());
        const std::uint8_t* data = in_.data() + pos_;
        pos_ += have;
        if (columns == 0) return;
        Item it;
        it.kind = Item::Kind::Bits;
        it.h = bytes_per_col * 8 * sy;
        const int room = area_width() - pen_;
        it.w = std::min(columns * sx, std::max(room, 0));  // beyond the print area: discarded
        if (it.w <= 0) return;
        it.bits.assign(static_cast<std::size_t>(it.w) * static_cast<std::size_t>(it.h), 0);
        for (int col = 0; col * sx < it.w; ++col) {
            for (int byte = 0; byte < bytes_per_col; ++byte) {
                const std::size_t i = static_cast<std::size_t>(col) * static_cast<std::size_t>(bytes_per_col) +
                                      static_cast<std::size_t>(byte);
                const std::uint8_t v = i < have ? data[i] : 0;
                for (int bit = 0; bit < 8; ++bit) {
                    if ((v & (0x80 >> bit)) == 0) continue;
                    const int row = (byte * 8 + bit) * sy;
                    for (int yy = row; yy < row + sy; ++yy)
                        for (int xx = col * sx; xx < col * sx + sx && xx < it.w; ++xx)
                            it.bits[static_cast<std::size_t>(yy) * static_cast<std::size_t>(it.w) +
                                    static_cast<std::size_t>(xx)] = 1;
                }
            }
        }
        ++notes_.rasters;
        it.x = pen_;
        pen_ += it.w;
        line_.push_back(std::move(it));
    }

    // ESC ( x / GS ( x / FS ( x pL pH data: all but GS ( k (QR) skipped.
    void length_block(bool gs = false) {
        const std::uint8_t* p = nullptr;
        if (!take(3, p)) return;
        const std::size_t len = static_cast<std::size_t>(p[1] | p[2] << 8);
        const std::size_t have = std::min(len, left());
        const std::span<const std::uint8_t> body = in_.subspan(pos_, have);
        pos_ += have;
        if (gs && p[0] == 'k' && have == len) {
            symbol(body);
            return;
        }
        ++notes_.skipped_commands;
    }

    // GS ( k body: cn fn parameters.
    void symbol(std::span<const std::uint8_t> b) {
        if (b.size() < 2 || b[0] != 49) {  // 49: QR; PDF417, MaxiCode, DataMatrix ... not modelled
            ++notes_.skipped_commands;
            return;
        }
        const std::uint8_t fn = b[1];
        switch (fn) {
            case 65:  // model: n1 (49 model 1, 50 model 2, 51 micro), n2 0
                if (b.size() >= 3 && b[2] >= 49 && b[2] <= 51) m_.qr_model = b[2];
                return;
            case 67:  // module size 1..16
                if (b.size() >= 3 && b[2] >= 1 && b[2] <= 16) m_.qr_module = b[2];
                return;
            case 69:  // error correction 48..51 (L M Q H)
                if (b.size() >= 3 && b[2] >= 48 && b[2] <= 51) m_.qr_level = b[2];
                return;
            case 80:  // store: m (48) + data
                if (b.size() >= 3) {
                    m_.qr_data.assign(b.begin() + 3, b.end());
                    m_.qr_stored = true;
                }
                return;
            case 81:  // print: m (48)
                print_qr();
                return;
            default:
                ++notes_.skipped_commands;
                return;  // 82: size transmission
        }
    }

    // -- GS ----------------------------------------------------------------------
    void gs() {
        ++notes_.commands;
        ++pos_;
        if (left() == 0) {
            ++notes_.skipped_commands;
            return;
        }
        const std::uint8_t c = in_[pos_++];
        const std::uint8_t* p = nullptr;
        switch (c) {
            case '!': {
                if (!take(1, p)) return;
                const int w = p[0] >> 4, h = p[0] & 0x0F;
                if (w > 7 || h > 7) {
                    ++notes_.skipped_commands;
                    return;
                }
                m_.width_mult = w + 1;
                m_.height_mult = h + 1;
                return;
            }
            case 'B':
                if (take(1, p)) m_.reverse = (p[0] & 1) != 0;
                return;
            case 'L':  // left margin, at the beginning of a line only
                if (!take(2, p)) return;
                if (line_empty())
                    m_.left_margin = p[0] | p[1] << 8;
                else
                    ++notes_.mid_line;
                return;
            case 'W':  // print area width
                if (!take(2, p)) return;
                if (line_empty())
                    m_.area_width = p[0] | p[1] << 8;
                else
                    ++notes_.mid_line;
                return;
            case 'V': {  // cut: m; 65 66 97 98 103 104 take n too
                if (!take(1, p)) return;
                const int mode = p[0];
                if (mode == 0 || mode == 1 || mode == 48 || mode == 49) {
                    cut(0);
                } else if (mode == 65 || mode == 66 || mode == 97 || mode == 98 || mode == 103 || mode == 104) {
                    if (take(1, p)) cut(p[0]);
                } else {
                    ++notes_.skipped_commands;
                }
                return;
            }
            case 'v':  // GS v 0 raster
                if (left() > 0 && in_[pos_] == '0') {
                    ++pos_;
                    raster();
                } else {
                    skipped(1);
                }
                return;
            case '(':
                length_block(true);
                return;
            case 'h':
                if (take(1, p) && p[0] >= 1) m_.barcode_height = p[0];
                return;
            case 'w':
                if (take(1, p) && p[0] >= 1 && p[0] <= 6) m_.barcode_module = p[0];
                return;
            case 'k':
                barcode();
                return;
            case '*': {  // define downloaded bit image: x y + x*y*8
                if (!take(2, p)) return;
                ++notes_.skipped_commands;
                skip_data(static_cast<std::uint64_t>(p[0]) * p[1] * 8);
                return;
            }
            case '8':  // GS 8 L p1 p2 p3 p4 data: graphics with a 4-byte length
                if (left() > 0 && in_[pos_] == 'L') {
                    ++pos_;
                    if (!take(4, p)) return;
                    ++notes_.skipped_commands;
                    skip_data(static_cast<std::uint64_t>(p[0]) | static_cast<std::uint64_t>(p[1]) << 8 |
                              static_cast<std::uint64_t>(p[2]) << 16 | static_cast<std::uint64_t>(p[3]) << 24);
                } else {
                    skipped(1);
                }
                return;
            case ':':
            case 'c':
                ++notes_.skipped_commands;
                return;
            case '$':
            case '\\':
            case 'P':
                skipped(2);
                return;
            case '^':
            case 'z':
                skipped(3);
                return;
            case 'g':
                skipped(4);
                return;
            default:  // GS / E H I T a b f j r, and any unknown GS x: one parameter byte
                skipped(1);
                return;
        }
    }

    // GS k: m 0..6 d1..dk NUL, or m 65..79 n d1..dn. Drawn as a hatched box.
    void barcode() {
        const std::uint8_t* p = nullptr;
        if (!take(1, p)) return;
        const int mode = p[0];
        std::size_t n = 0;
        if (mode <= 6) {
            while (pos_ + n < in_.size() && in_[pos_ + n] != 0 && n < 255) ++n;
            pos_ += n;
            if (left() > 0 && in_[pos_] == 0) ++pos_;
        } else if (mode >= 65 && mode <= 79) {
            if (!take(1, p)) return;
            n = p[0];
            skip_data(n);
        } else {
            ++notes_.skipped_commands;
            return;
        }
        if (n == 0) return;
        flush_for_graphics();
        if (stopped_) return;
        const int w = std::min(static_cast<int>(n * 11 + 35) * m_.barcode_module, area_width());
        const int h = m_.barcode_height;
        const int x0 = area_left() + aligned_offset(w);
        if (!room_for(h)) return;
        canvas_.reach(y_ + h);
        for (int y = 0; y < h; ++y)
            for (int x = 0; x < w; ++x) {
                const bool edge = x == 0 || y == 0 || x == w - 1 || y == h - 1;
                if (edge || (x + y) % 8 == 0) canvas_.set(x0 + x, y_ + y, kMarkGrey);
            }
        ++notes_.placeholders;
        y_ += h;
    }

    // -- FS ----------------------------------------------------------------------
    void fs() {
        ++notes_.commands;
        ++pos_;
        if (left() == 0) {
            ++notes_.skipped_commands;
            return;
        }
        const std::uint8_t c = in_[pos_++];
        const std::uint8_t* p = nullptr;
        switch (c) {
            case '&':
                m_.chinese = true;
                return;
            case '.':
                m_.chinese = false;
                return;
            case '!':
                if (!take(1, p)) return;
                m_.kanji_double_w = (p[0] & 0x04) != 0;
                m_.kanji_double_h = (p[0] & 0x08) != 0;
                m_.kanji_underline = (p[0] & 0x80) != 0 ? 1 : 0;
                return;
            case 'W':
                if (take(1, p)) m_.kanji_double_w = m_.kanji_double_h = (p[0] & 1) != 0;
                return;
            case '-':
                if (take(1, p)) m_.kanji_underline = underline_dots(p[0]);
                return;
            case 'S':
                if (!take(2, p)) return;
                m_.kanji_left = p[0];
                m_.kanji_right = p[1];
                return;
            case '2':
                skipped(2 + 72);
                return;  // user-defined kanji
            case '?':
            case 'p':
                skipped(2);
                return;
            case 'q': {  // NV bit images: n, then per image xL xH yL yH + x*y*8
                if (!take(1, p)) return;
                ++notes_.skipped_commands;
                for (int i = 0; i < p[0] && left() > 0; ++i) {
                    const std::uint8_t* h = nullptr;
                    if (!take(4, h)) return;
                    skip_data(static_cast<std::uint64_t>(h[0] | h[1] << 8) *
                              static_cast<std::uint64_t>(h[2] | h[3] << 8) * 8);
                }
                return;
            }
            case '(':
                length_block();
                return;
            default:
                skipped(1);
                return;  // FS C, and any unknown FS x
        }
    }

    // -- DLE: real-time commands, no effect on the paper -------------------------
    void dle() {
        ++pos_;
        if (left() == 0) return;
        const std::uint8_t c = in_[pos_];
        if (c == 0x04 || c == 0x05) {  // DLE EOT n, DLE ENQ n
            ++pos_;
            ++notes_.commands;
            skipped(1);
        } else if (c == 0x14) {  // DLE DC4 fn ...: fn 8 takes 7 bytes, the others 2
            ++pos_;
            ++notes_.commands;
            if (left() == 0) {
                ++notes_.skipped_commands;
                return;
            }
            const std::uint8_t fn = in_[pos_++];
            skipped(fn == 8 ? 7 : 2);
        }
        // a lone DLE is an ignored control byte
    }

    // ---------------------------------------------------------------------------
    // [SECTION] Drawing
    // ---------------------------------------------------------------------------

    // The paper may advance to y_ + h? If not, the job is cut short here.
    bool room_for(int h) {
        if (static_cast<long>(y_) + h <= canvas_.max_rows()) return true;
        notes_.truncated = true;
        stopped_ = true;
        return false;
    }

    [[nodiscard]] int aligned_offset(int content_w) const {
        const int free = area_width() - content_w;
        if (free <= 0) return 0;
        if (m_.align == 1) return free / 2;
        if (m_.align == 2) return free;
        return 0;
    }

    // Prints the line buffer and advances by max(advance, line height); an
    // empty line just feeds `advance`.
    void print_line(int advance) {
        if (line_.empty()) {
            pen_ = 0;
            if (!room_for(advance)) return;
            y_ += advance;
            return;
        }
        int line_h = 0, content_w = 0;
        for (const Item& it : line_) {
            line_h = std::max(line_h, it.h);
            content_w = std::max(content_w, it.x + it.w);
        }
        const int x0 = area_left() + aligned_offset(content_w);
        const bool fits = room_for(line_h);
        canvas_.reach(y_ + line_h);
        for (const Item& it : line_) {
            const int top = y_ + line_h - it.h;  // cells of one line share the bottom (baseline)
            if (it.kind == Item::Kind::Bits) {
                for (int yy = 0; yy < it.h; ++yy)
                    for (int xx = 0; xx < it.w; ++xx)
                        if (it.bits[static_cast<std::size_t>(yy) * static_cast<std::size_t>(it.w) +
                                    static_cast<std::size_t>(xx)] != 0)
                            canvas_.set(x0 + it.x + xx, top + yy, kInk);
            } else {
                draw_char(it, x0 + it.x, top);
            }
        }
        line_.clear();
        pen_ = 0;
        if (!fits) return;
        const int step = std::max(advance, line_h);
        if (!room_for(step)) return;
        y_ += step;
    }

    const Glyph& glyph(const Item& it) {
        const std::uint64_t key = static_cast<std::uint64_t>(it.cp) | static_cast<std::uint64_t>(it.latin) << 21 |
                                  static_cast<std::uint64_t>(it.glyph_w) << 22 | static_cast<std::uint64_t>(it.h) << 34;
        if (auto f = glyphs_.find(key); f != glyphs_.end()) return f->second;
        if (glyphs_.size() > 4096) glyphs_.clear();  // bounded: a job with that many distinct glyphs re-renders some
        Glyph g;
        const Face& face = it.latin ? *latin_ : *cjk_;
        const int index = stbtt_FindGlyphIndex(&face.info, static_cast<int>(it.cp));
        if (index == 0) {
            g.missing = it.cp != U' ' && it.cp != 0x3000 && it.cp != 0xA0;
            return glyphs_.emplace(key, std::move(g)).first->second;
        }
        const float units = static_cast<float>(face.ascent + face.descent);
        const float sy = static_cast<float>(it.h) / units;
        float sx = static_cast<float>(it.latin ? 2 * it.glyph_w : it.glyph_w) / units;  // half-width text: half an em
        int advance = 0, lsb = 0;
        stbtt_GetGlyphHMetrics(&face.info, index, &advance, &lsb);
        if (advance > 0 && static_cast<float>(advance) * sx > static_cast<float>(it.glyph_w) * 1.05f)
            sx = static_cast<float>(it.glyph_w) /
                 static_cast<float>(advance);  // a full-width glyph in a half cell: narrowed
        int x0 = 0, y0 = 0, x1 = 0, y1 = 0;
        stbtt_GetGlyphBitmapBox(&face.info, index, sx, sy, &x0, &y0, &x1, &y1);
        const int w = x1 - x0, h = y1 - y0;
        if (w > 0 && h > 0 && w <= 4 * it.glyph_w + 8 && h <= 4 * it.h + 8) {
            std::vector<unsigned char> cover(static_cast<std::size_t>(w) * static_cast<std::size_t>(h), 0);
            stbtt_MakeGlyphBitmap(&face.info, cover.data(), w, h, w, sx, sy, index);
            g.mask.resize(cover.size());
            for (std::size_t i = 0; i < cover.size(); ++i) g.mask[i] = cover[i] >= 112 ? 1 : 0;  // the head prints dots
            const int pen = static_cast<int>(
                std::lround((static_cast<float>(it.glyph_w) - static_cast<float>(advance) * sx) / 2.0f));
            g.dx = pen + x0;
            g.dy = static_cast<int>(std::lround(static_cast<float>(face.ascent) * sy)) + y0;
            g.w = w;
            g.h = h;
        }
        return glyphs_.emplace(key, std::move(g)).first->second;
    }

    void draw_char(const Item& it, int x, int top) {
        const std::uint8_t fg = it.reverse ? kPaper : kInk;
        if (it.reverse) canvas_.fill(x, top, x + it.w, top + it.h, kInk);
        const int gx = x + it.glyph_x;
        const Glyph& g = glyph(it);
        if (g.missing) {
            ++notes_.missing_glyphs;
            const int bx0 = gx + 2, bx1 = gx + it.glyph_w - 2, by0 = top + it.h / 8, by1 = top + it.h - it.h / 8;
            for (int xx = bx0; xx < bx1; ++xx) {
                canvas_.set(xx, by0, fg);
                canvas_.set(xx, by1 - 1, fg);
            }
            for (int yy = by0; yy < by1; ++yy) {
                canvas_.set(bx0, yy, fg);
                canvas_.set(bx1 - 1, yy, fg);
            }
        }
        for (int yy = 0; yy < g.h; ++yy)
            for (int xx = 0; xx < g.w; ++xx) {
                if (g.mask[static_cast<std::size_t>(yy) * static_cast<std::size_t>(g.w) +
                           static_cast<std::size_t>(xx)] == 0)
                    continue;
                canvas_.set(gx + g.dx + xx, top + g.dy + yy, fg);
                if (it.bold) canvas_.set(gx + g.dx + xx + 1, top + g.dy + yy, fg);
            }
        if (it.underline > 0 && !it.reverse) canvas_.fill(x, top + it.h - it.underline, x + it.w, top + it.h, kInk);
    }

    // Graphics start a line of their own: a pending line is printed first
    // (an Epson ignores them instead; noted as mid_line).
    void flush_for_graphics() {
        if (line_empty()) return;
        ++notes_.mid_line;
        print_line(m_.line_spacing);
    }

    // GS v 0 m xL xH yL yH d1..dk, k = x * y: x bytes across, y dots down.
    void raster() {
        const std::uint8_t* p = nullptr;
        if (!take(5, p)) return;
        const int mode = p[0] >= 48 ? p[0] - 48 : p[0];
        const std::size_t xb = static_cast<std::size_t>(p[1] | p[2] << 8);
        const std::size_t yd = static_cast<std::size_t>(p[3] | p[4] << 8);
        const std::size_t want = xb * yd;
        const std::size_t have = std::min(want, left());
        const std::uint8_t* data = in_.data() + pos_;
        pos_ += have;
        if (mode > 3) {
            ++notes_.skipped_commands;
            return;
        }
        if (xb == 0 || yd == 0) return;
        flush_for_graphics();
        if (stopped_) return;
        const int sx = (mode & 1) != 0 ? 2 : 1, sy = (mode & 2) != 0 ? 2 : 1;
        // The job may end inside the image: only the rows that arrived are printed.
        const std::size_t rows = std::min(yd, (have + xb - 1) / xb);
        const long full_w = static_cast<long>(xb) * 8 * sx;
        const int w = static_cast<int>(std::min<long>(full_w, area_width()));
        const int x0 = area_left() + (full_w > area_width() ? 0 : aligned_offset(w));
        const std::size_t used_bytes = std::min(xb, static_cast<std::size_t>((w + 8 * sx - 1) / (8 * sx)));
        ++notes_.rasters;
        for (std::size_t r = 0; r < rows; ++r) {
            if (!room_for(sy)) return;
            canvas_.reach(y_ + sy);
            for (std::size_t bx = 0; bx < used_bytes; ++bx) {
                const std::size_t i = r * xb + bx;
                const std::uint8_t v = i < have ? data[i] : 0;
                if (v == 0) continue;
                for (int bit = 0; bit < 8; ++bit) {
                    if ((v & (0x80 >> bit)) == 0) continue;
                    const int px = static_cast<int>(bx) * 8 * sx + bit * sx;
                    for (int dx = 0; dx < sx; ++dx) {
                        if (px + dx >= w) break;
                        for (int dy = 0; dy < sy; ++dy) canvas_.set(x0 + px + dx, y_ + dy, kInk);
                    }
                }
            }
            y_ += sy;
        }
    }

    void print_qr() {
        flush_for_graphics();
        if (stopped_) return;
        if (!m_.qr_stored || m_.qr_data.empty()) {
            ++notes_.qr_failed;
            return;
        }
        static constexpr QRecLevel kLevels[] = {QR_ECLEVEL_L, QR_ECLEVEL_M, QR_ECLEVEL_Q, QR_ECLEVEL_H};
        const QRecLevel level = kLevels[m_.qr_level - 48];
        const bool has_nul = std::find(m_.qr_data.begin(), m_.qr_data.end(), 0) != m_.qr_data.end();
        const std::string text(m_.qr_data.begin(), m_.qr_data.end());
        QRcode* q = nullptr;
        if (m_.qr_model == 51) {  // Micro QR: the smallest version that holds the data
            for (int v = 1; v <= 4 && q == nullptr && !has_nul; ++v)
                q = QRcode_encodeStringMQR(text.c_str(), v, level, QR_MODE_8, 1);
        } else if (has_nul) {
            q = QRcode_encodeData(static_cast<int>(m_.qr_data.size()), m_.qr_data.data(), 0, level);
        } else {
            q = QRcode_encodeString(text.c_str(), 0, level, QR_MODE_8, 1);
        }
        if (q == nullptr) {
            ++notes_.qr_failed;
            return;
        }
        const int n = q->width;
        const int size = n * m_.qr_module;
        if (size > area_width()) {  // a printer does not print a symbol wider than the paper
            QRcode_free(q);
            ++notes_.qr_failed;
            return;
        }
        const int x0 = area_left() + aligned_offset(size);
        const bool fits = room_for(size);
        canvas_.reach(y_ + size);
        for (int my = 0; my < n; ++my)
            for (int mx = 0; mx < n; ++mx)
                if ((q->data[my * n + mx] & 1) != 0)
                    canvas_.fill(x0 + mx * m_.qr_module, y_ + my * m_.qr_module, x0 + (mx + 1) * m_.qr_module,
                                 y_ + (my + 1) * m_.qr_module, kInk);
        QRcode_free(q);
        ++notes_.qr_printed;
        if (fits) y_ += size;
    }

    // Cuts after feeding `feed` dots. A pending line is printed first.
    void cut(int feed) {
        if (!line_empty()) {
            ++notes_.mid_line;
            print_line(m_.line_spacing);
        }
        if (stopped_ || !room_for(feed)) return;
        y_ += feed;
        if (cuts_.empty() || cuts_.back() != y_) cuts_.push_back(y_);
    }

    // Cut lines (dashed, with a little pair of scissors) and, when the job was
    // cut short, a zigzag tear along the bottom.
    void draw_marks(Image& img) {
        auto put = [&](int x, int y, std::uint8_t v) {
            if (x >= 0 && x < img.width && y >= 0 && y < img.height)
                img.grey[static_cast<std::size_t>(y) * static_cast<std::size_t>(img.width) +
                         static_cast<std::size_t>(x)] = v;
        };
        for (int cy : cuts_) {
            const int row = img.origin_y + cy;
            if (row >= img.height) continue;
            notes_.cut_rows.push_back(row);
            for (int x = 14; x < img.width; ++x)
                if ((x / 6) % 2 == 0) put(x, row, kMarkGrey);
            // scissors at the left edge: two rings and two blades crossing
            for (int a = 0; a < 24; ++a) {
                const double t = a * 3.14159265358979 / 12.0;
                put(2 + static_cast<int>(std::lround(2 * std::cos(t))),
                    row - 3 + static_cast<int>(std::lround(2 * std::sin(t))), kMarkGrey);
                put(2 + static_cast<int>(std::lround(2 * std::cos(t))),
                    row + 3 + static_cast<int>(std::lround(2 * std::sin(t))), kMarkGrey);
            }
            for (int i = 0; i < 8; ++i) {
                put(4 + i, row - 2 + i / 2, kMarkGrey);
                put(4 + i, row + 2 - i / 2, kMarkGrey);
            }
        }
        if (notes_.truncated) {
            const int base = img.origin_y + canvas_.max_rows();
            for (int x = 0; x < img.width; ++x) {
                const int zig = std::abs((x % 16) - 8);
                for (int y = base + zig; y < img.height; ++y) put(x, y, kMarkGrey);
            }
        }
    }

    std::span<const std::uint8_t> in_;
    std::size_t pos_ = 0;
    const PreviewOptions& opt_;
    std::shared_ptr<const Face> cjk_, latin_;
    Canvas canvas_;
    iconv_t gb_ = reinterpret_cast<iconv_t>(-1);
    Modes m_;
    std::vector<Item> line_;
    int pen_ = 0;  // x in the line, from the print area's left
    int y_ = 0;    // paper fed so far, in dots
    bool stopped_ = false;
    std::vector<int> cuts_;
    std::unordered_map<std::uint64_t, Glyph> glyphs_;
    PreviewNotes notes_;
};

}  // namespace

Expected<Image> render_preview(std::span<const std::uint8_t> bytes, const PreviewOptions& options) {
    if (options.paper_dots < 64 || options.paper_dots > 2048 || options.margin_dots < 0 || options.margin_dots > 256 ||
        options.max_height_dots < 24 || options.max_height_dots > 100000 || options.default_line_spacing_dots < 0 ||
        options.default_line_spacing_dots > 255)
        return DriverError{
            "preview.options",
            "preview options out of range: paper 64-2048 dots, margin 0-256, height 24-100000, line spacing 0-255"};
    auto cjk = load_face(options.font_path, options.font_face);
    if (!cjk) return cjk.error();
    if (stbtt_FindGlyphIndex(&(*cjk)->info, 0x4E2D) == 0)  // 中
        return DriverError{"preview.font", "the preview font " + options.font_path + " face " +
                                               std::to_string(options.font_face) +
                                               " has no Chinese characters; use Noto Sans CJK SC (face 2)"};
    std::shared_ptr<const Face> latin = *cjk;
    if (options.latin_face >= 0 && options.latin_face != options.font_face) {
        if (auto l = load_face(options.font_path, options.latin_face); l && stbtt_FindGlyphIndex(&(*l)->info, 'A') != 0)
            latin = *l;
    }
    Interpreter interp(bytes, options, *cjk, latin);
    return interp.run();
}

// ---------------------------------------------------------------------------
// [SECTION] PNG
// ---------------------------------------------------------------------------

Expected<std::vector<std::uint8_t>> encode_png(const Image& image) {
    if (image.width <= 0 || image.height <= 0 ||
        image.grey.size() != static_cast<std::size_t>(image.width) * static_cast<std::size_t>(image.height))
        return DriverError{"preview.png", "the preview image is empty or inconsistent"};
    std::vector<std::uint8_t> out;
    auto sink = [](void* ctx, void* data, int size) {
        auto* v = static_cast<std::vector<std::uint8_t>*>(ctx);
        const auto* b = static_cast<const std::uint8_t*>(data);
        v->insert(v->end(), b, b + size);
    };
    if (stbi_write_png_to_func(sink, &out, image.width, image.height, 1, image.grey.data(), image.width) == 0)
        return DriverError{"preview.png", "the preview image could not be encoded as PNG"};
    return out;
}

Expected<void> write_png(const Image& image, const std::filesystem::path& path) {
    auto png = encode_png(image);
    if (!png) return png.error();
    std::filesystem::path tmp = path;
    tmp += ".tmp";
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);  // receipts are personal
    if (fd < 0) return DriverError{"preview.write", "cannot write " + tmp.string() + ": " + std::strerror(errno)};
    std::size_t done = 0;
    while (done < png->size()) {
        const ssize_t n = ::write(fd, png->data() + done, png->size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            const int err = errno;
            ::close(fd);
            ::unlink(tmp.c_str());
            return DriverError{"preview.write", "cannot write " + tmp.string() + ": " + std::strerror(err)};
        }
        done += static_cast<std::size_t>(n);
    }
    if (::close(fd) != 0 || ::rename(tmp.c_str(), path.c_str()) != 0) {
        const int err = errno;
        ::unlink(tmp.c_str());
        return DriverError{"preview.write", "cannot write " + path.string() + ": " + std::strerror(err)};
    }
    return {};
}

}  // namespace drivers
