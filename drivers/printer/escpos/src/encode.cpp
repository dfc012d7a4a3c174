// ESC/POS encoder. Index:
//   [commands]  single commands (cmd::)
//   [encoder]   the state machine that emits a receipt: style changes only
//               when they change, Chinese mode entered lazily and left before
//               every picture, QR code and cut
//   [layout]    text, rows and rules turned into lines
//   [public]    encode(), check(), display_width(), wrap_text(), font_covers()
#include <algorithm>
#include <string>
#include <type_traits>

#include "drivers/printer/escpos_encode.hpp"
#include "raster.hpp"
#include "text.hpp"

namespace drivers::escpos {

using detail::Cell;
using detail::Cells;

// [commands] ----------------------------------------------------------------

namespace cmd {
namespace {
std::uint8_t byte(int v) { return static_cast<std::uint8_t>(std::clamp(v, 0, 255)); }
}  // namespace
std::vector<std::uint8_t> init() { return {ESC, '@'}; }
std::vector<std::uint8_t> align(Align a) { return {ESC, 'a', static_cast<std::uint8_t>(a)}; }
std::vector<std::uint8_t> bold(bool on) { return {ESC, 'E', static_cast<std::uint8_t>(on ? 1 : 0)}; }
std::vector<std::uint8_t> size(int width, int height) {
    const int w = std::clamp(width, 1, 8) - 1, h = std::clamp(height, 1, 8) - 1;
    return {GS, '!', static_cast<std::uint8_t>((w << 4) | h)};
}
std::vector<std::uint8_t> line_spacing(int dots) {
    if (dots <= 0) return {ESC, '2'};
    return {ESC, '3', byte(dots)};
}
std::vector<std::uint8_t> feed(int lines) { return {ESC, 'd', byte(lines)}; }
std::vector<std::uint8_t> cut(CutKind kind) { return {GS, 'V', static_cast<std::uint8_t>(kind == CutKind::Full ? 0 : 1)}; }
std::vector<std::uint8_t> chinese_on() { return {FS, '&'}; }
std::vector<std::uint8_t> chinese_off() { return {FS, '.'}; }
}  // namespace cmd

namespace {

constexpr std::size_t kMaxQrData = 2000;
constexpr const char* kQrUnavailable = "(QR code unavailable)";

TextStyle clamped(TextStyle s) {
    s.width = std::clamp(s.width, 1, 8);
    s.height = std::clamp(s.height, 1, 8);
    if (s.align != Align::Left && s.align != Align::Centre && s.align != Align::Right) s.align = Align::Left;
    return s;
}

bool covered(const Cells& cells) {
    return std::all_of(cells.begin(), cells.end(), [](const Cell& c) { return c.gb_len > 0; });
}

Cells spaces(int n) {
    Cell sp;
    sp.cp = U' ';
    sp.gb_len = 1;
    sp.gb[0] = ' ';
    return Cells(static_cast<std::size_t>(std::max(n, 0)), sp);
}

Cells cells_of(std::string_view utf8, FontCoverage font, bool join_paragraphs) {
    Cells out;
    bool first = true;
    for (const auto& p : detail::paragraphs(utf8)) {
        if (!first && join_paragraphs) out.push_back(detail::make_cell(U' ', font));
        auto c = detail::make_cells(p, font);
        out.insert(out.end(), c.begin(), c.end());
        first = false;
    }
    return out;
}

// [encoder] -------------------------------------------------------------------

class Encoder {
public:
    Encoder(const PrinterProfile& profile, const EncodeOptions& options) : p_(profile), o_(options) {
        out_.reserve(1024);
        put(cmd::init());
        put(cmd::chinese_off());  // ESC @ does not leave Chinese mode on many printers
    }

    std::vector<std::uint8_t> finish() {
        chinese(false);
        return std::move(out_);
    }

    void text(const block::Text& t) {
        const TextStyle s = clamped(t.style);
        const int columns = p_.columns() / s.width;
        for (const auto& par : detail::paragraphs(t.utf8))
            for (auto& line : detail::wrap(detail::make_cells(par, p_.font), columns)) emit_line(line, s);
    }

    void row(const block::Row& r) {
        TextStyle s = clamped(r.style);
        s.align = Align::Left;
        const int columns = p_.columns() / s.width;
        const Cells label = cells_of(r.label, p_.font, true);
        const Cells value = cells_of(r.value, p_.font, true);
        const int lw = detail::width_of(label), vw = detail::width_of(value);
        if (lw + vw + (lw > 0 && vw > 0 ? 1 : 0) <= columns) {
            Cells line = label;
            const Cells pad = spaces(columns - lw - vw);
            line.insert(line.end(), pad.begin(), pad.end());
            line.insert(line.end(), value.begin(), value.end());
            emit_line(line, s);
        } else if (vw <= columns / 2) {
            auto lines = detail::wrap(label, columns - vw - 1);
            Cells first = lines.front();
            const Cells pad = spaces(columns - detail::width_of(first) - vw);
            first.insert(first.end(), pad.begin(), pad.end());
            first.insert(first.end(), value.begin(), value.end());
            emit_line(first, s);
            for (std::size_t i = 1; i < lines.size(); ++i) emit_line(lines[i], s);
        } else {
            if (lw > 0)
                for (auto& line : detail::wrap(label, columns)) emit_line(line, s);
            for (auto& line : detail::wrap(value, columns)) {
                Cells padded = spaces(columns - detail::width_of(line));
                padded.insert(padded.end(), line.begin(), line.end());
                emit_line(padded, s);
            }
        }
    }

    void rule(const block::Rule& r) {
        const char ch = r.ch >= 0x21 && r.ch < 0x7F ? r.ch : '-';
        Cell c;
        c.cp = static_cast<char32_t>(ch);
        c.gb_len = 1;
        c.gb[0] = static_cast<std::uint8_t>(ch);
        emit_line(Cells(static_cast<std::size_t>(p_.columns()), c), TextStyle{});
    }

    void feed(const block::Feed& f) {
        const int n = std::clamp(f.lines, 0, 255);
        if (n > 0) put(cmd::feed(n));
    }

    void spacing(const block::LineSpacing& l) {
        const int dots = std::clamp(l.dots, 0, 255);
        if (dots == spacing_) return;
        put(cmd::line_spacing(dots));
        spacing_ = dots;
    }

    void qr(const block::Qr& q) {
        const int modules = q.data.size() <= kMaxQrData ? detail::qr_modules(q.data, q.options.level) : 0;
        if (modules == 0) {
            emit_plain(kQrUnavailable, q.options.align);
            return;
        }
        int module = std::clamp(q.options.module_size, 1, 16);
        while (module > 1 && modules * module > p_.dots()) --module;
        if (!p_.native_qr) {
            const Bitmap img = detail::render_qr(q.data, q.options.level, module, q.options.align, p_.dots());
            if (img.empty()) {
                emit_plain(kQrUnavailable, q.options.align);
                return;
            }
            raster(img);
            return;
        }
        chinese(false);  // a QR code sent in Chinese mode prints empty on many printers
        set_align(q.options.align);
        const auto fn = [this](std::initializer_list<std::uint8_t> params) {
            const auto len = params.size();
            put({cmd::GS, '(', 'k', static_cast<std::uint8_t>(len & 0xFF), static_cast<std::uint8_t>(len >> 8)});
            put(params);
        };
        fn({0x31, 0x41, 0x32, 0x00});                                                // model 2
        fn({0x31, 0x43, static_cast<std::uint8_t>(module)});                          // module size
        fn({0x31, 0x45, static_cast<std::uint8_t>(0x30 + static_cast<int>(q.options.level))});  // error level
        const std::size_t len = q.data.size() + 3;
        put({cmd::GS, '(', 'k', static_cast<std::uint8_t>(len & 0xFF), static_cast<std::uint8_t>(len >> 8), 0x31, 0x50,
             0x30});
        out_.insert(out_.end(), q.data.begin(), q.data.end());
        fn({0x31, 0x51, 0x30});  // print
        out_.push_back(cmd::LF);
    }

    void image(const block::Image& im) {
        if (im.bitmap.empty()) return;
        const int dots = p_.dots();
        const int w = std::min(im.bitmap.width, dots);
        const int x0 = im.align == Align::Centre ? (dots - w) / 2 : im.align == Align::Right ? dots - w : 0;
        Bitmap full = Bitmap::blank(dots, im.bitmap.height);
        for (int y = 0; y < im.bitmap.height; ++y)
            for (int x = 0; x < w; ++x)
                if (im.bitmap.get(x, y)) full.set(x0 + x, y);
        raster(full);
    }

    void cut(const block::Cut& c) {
        chinese(false);
        const int n = std::clamp(p_.cut_feed_lines, 0, 255);
        if (n > 0) put(cmd::feed(n));  // feed past the cutter, or the last lines are cut off
        put(cmd::cut(c.kind));
    }

private:
    void put(std::initializer_list<std::uint8_t> bytes) { out_.insert(out_.end(), bytes.begin(), bytes.end()); }
    void put(const std::vector<std::uint8_t>& bytes) { out_.insert(out_.end(), bytes.begin(), bytes.end()); }

    void chinese(bool on) {
        if (on == chinese_) return;
        put(on ? cmd::chinese_on() : cmd::chinese_off());
        chinese_ = on;
    }
    void set_align(Align a) {
        if (a != align_) put(cmd::align(a));
        align_ = a;
    }
    void set_style(const TextStyle& s) {
        set_align(s.align);
        if (s.bold != bold_) put(cmd::bold(s.bold));
        bold_ = s.bold;
        if (s.width != width_ || s.height != height_) put(cmd::size(s.width, s.height));
        width_ = s.width;
        height_ = s.height;
    }

    void emit_plain(std::string_view ascii, Align align) {
        TextStyle s;
        s.align = align;
        emit_line(detail::make_cells(std::u32string(ascii.begin(), ascii.end()), p_.font), s);
    }

    void emit_line(Cells line, const TextStyle& s) {
        if (!covered(line)) {
            auto font = detail::FallbackFont::get(o_.fallback_font, o_.fallback_face);
            if (font) {
                const int natural = 24 * s.height + 6;  // the printer's 30-dot default line at size 1
                const int height = spacing_ >= 24 * s.height ? spacing_ : natural;
                raster(detail::render_line(font.get(), line, s, p_.dots(), height));
                return;
            }
            for (auto& c : line)  // no font to draw with: '?' keeps the columns
                if (c.gb_len == 0) {
                    c.gb_len = 1;
                    c.gb[0] = '?';
                }
        }
        set_style(s);
        bool wide = false;
        for (const auto& c : line) wide = wide || c.gb_len > 1;
        if (wide) chinese(true);
        for (const auto& c : line) out_.insert(out_.end(), c.gb, c.gb + c.gb_len);
        out_.push_back(cmd::LF);
    }

    void raster(const Bitmap& img) {
        chinese(false);
        const int band = std::clamp(p_.raster_band_rows, 1, 255);
        const auto stride = static_cast<std::size_t>(img.stride());
        for (int y0 = 0; y0 < img.height; y0 += band) {
            const int rows = std::min(band, img.height - y0);
            put({cmd::GS, 'v', '0', 0x00, static_cast<std::uint8_t>(stride & 0xFF), static_cast<std::uint8_t>(stride >> 8),
                 static_cast<std::uint8_t>(rows & 0xFF), static_cast<std::uint8_t>(rows >> 8)});
            const auto* begin = img.bits.data() + static_cast<std::size_t>(y0) * stride;
            out_.insert(out_.end(), begin, begin + static_cast<std::size_t>(rows) * stride);
        }
    }

    const PrinterProfile& p_;
    const EncodeOptions& o_;
    std::vector<std::uint8_t> out_;
    Align align_ = Align::Left;
    bool bold_ = false;
    int width_ = 1, height_ = 1;
    int spacing_ = 0;  // 0: the printer's default
    bool chinese_ = false;
};

}  // namespace

// [public] --------------------------------------------------------------------

std::vector<std::uint8_t> encode(const Receipt& receipt, const PrinterProfile& profile, const EncodeOptions& options) {
    Encoder e(profile, options);
    for (const auto& b : receipt.blocks()) {
        std::visit(
            [&](const auto& blk) {
                using T = std::decay_t<decltype(blk)>;
                if constexpr (std::is_same_v<T, block::Text>) e.text(blk);
                else if constexpr (std::is_same_v<T, block::Row>) e.row(blk);
                else if constexpr (std::is_same_v<T, block::Rule>) e.rule(blk);
                else if constexpr (std::is_same_v<T, block::Feed>) e.feed(blk);
                else if constexpr (std::is_same_v<T, block::Qr>) e.qr(blk);
                else if constexpr (std::is_same_v<T, block::Image>) e.image(blk);
                else if constexpr (std::is_same_v<T, block::LineSpacing>) e.spacing(blk);
                else if constexpr (std::is_same_v<T, block::Cut>) e.cut(blk);
            },
            b);
    }
    return e.finish();
}

Expected<void> check(const Receipt& receipt, const PrinterProfile& profile, const EncodeOptions& options) {
    bool needs_font = false;
    for (const auto& b : receipt.blocks()) {
        if (const auto* q = std::get_if<block::Qr>(&b)) {
            const int modules = q->data.size() <= kMaxQrData ? detail::qr_modules(q->data, q->options.level) : 0;
            if (modules == 0 || (modules + 8) > profile.dots())
                return DriverError{"escpos.qr_too_long", "a QR code's data (" + std::to_string(q->data.size()) +
                                                             " bytes) is empty or too long to print"};
        } else if (const auto* im = std::get_if<block::Image>(&b)) {
            if (im->bitmap.width > profile.dots())
                return DriverError{"escpos.image_too_wide", "an image is " + std::to_string(im->bitmap.width) +
                                                                 " dots wide; the paper takes " +
                                                                 std::to_string(profile.dots()) + " (it will be cropped)"};
        } else if (const auto* t = std::get_if<block::Text>(&b)) {
            needs_font = needs_font || !font_covers(t->utf8, profile);
        } else if (const auto* r = std::get_if<block::Row>(&b)) {
            needs_font = needs_font || !font_covers(r->label, profile) || !font_covers(r->value, profile);
        }
    }
    if (needs_font && !detail::FallbackFont::get(options.fallback_font, options.fallback_face))
        return DriverError{"escpos.font", "the fallback font " + options.fallback_font +
                                              " cannot be read, so characters the printer lacks will print as '?'"};
    return {};
}

int display_width(std::string_view utf8, const PrinterProfile& profile) {
    int widest = 0;
    for (const auto& p : detail::paragraphs(utf8))
        widest = std::max(widest, detail::width_of(detail::make_cells(p, profile.font)));
    return widest;
}

std::vector<std::string> wrap_text(std::string_view utf8, int columns, const PrinterProfile& profile) {
    std::vector<std::string> lines;
    for (const auto& p : detail::paragraphs(utf8))
        for (const auto& line : detail::wrap(detail::make_cells(p, profile.font), columns))
            lines.push_back(detail::to_utf8(line));
    return lines;
}

bool font_covers(std::string_view utf8, const PrinterProfile& profile) {
    for (const auto& p : detail::paragraphs(utf8))
        for (const char32_t cp : p)
            if (detail::make_cell(cp, profile.font).gb_len == 0) return false;
    return true;
}

}  // namespace drivers::escpos
