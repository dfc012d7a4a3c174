// ESC/POS bytes back to lines and markers. A small interpreter: it keeps the
// printer state that matters for reading a receipt (alignment, bold, size,
// Chinese mode) and a line buffer that LF and feeds print.
#include <algorithm>
#include <cstdio>
#include <string>

#include "drivers/printer/escpos_decode.hpp"
#include "text.hpp"

namespace drivers::escpos {

std::string Decoded::text() const {
    std::string out;
    for (std::size_t i = 0; i < lines.size(); ++i) {
        if (i > 0) out += '\n';
        out += lines[i].text;
    }
    return out;
}

int Decoded::find_command(std::string_view name, int from) const {
    for (std::size_t i = static_cast<std::size_t>(std::max(from, 0)); i < commands.size(); ++i)
        if (commands[i] == name) return static_cast<int>(i);
    return -1;
}

namespace {

const char* align_name(Align a) { return a == Align::Centre ? "centre" : a == Align::Right ? "right" : "left"; }

std::string hex(std::uint8_t b) {
    char buf[4];
    std::snprintf(buf, sizeof buf, "%02X", b);
    return buf;
}

class Decoder {
public:
    explicit Decoder(std::span<const std::uint8_t> b) : b_(b) {}

    Decoded run() {
        while (i_ < b_.size()) step();
        if (!line_.empty()) print_line();
        d_.chinese_mode_at_end = chinese_;
        return std::move(d_);
    }

private:
    bool need(std::size_t n, const char* what) {
        if (i_ + n <= b_.size()) return true;
        d_.problems.push_back(std::string(what) + " truncated");
        i_ = b_.size();
        return false;
    }
    std::uint8_t at(std::size_t k) const { return b_[i_ + k]; }
    void cmd(std::string s) {
        d_.commands.push_back(std::move(s));
        last_raster_ = false;
    }

    void start_text() {
        if (line_.empty() && !line_started_) {
            style_ = {align_, bold_, width_, height_};
            line_started_ = true;
        }
    }
    void print_line() {
        DecodedLine l;
        if (line_started_) {
            l.align = style_.align;
            l.bold = style_.bold;
            l.width = style_.width;
            l.height = style_.height;
        } else {
            l.align = align_;
            l.bold = bold_;
            l.width = width_;
            l.height = height_;
        }
        l.text = std::move(line_);
        d_.lines.push_back(std::move(l));
        line_.clear();
        line_started_ = false;
    }
    void feed_lines(int n) {
        int left = n;
        if (!line_.empty()) {
            print_line();
            --left;
        }
        for (int k = 0; k < left; ++k) print_line();
    }

    void step() {
        const std::uint8_t c = b_[i_];
        if (c == 0x1B) return esc();
        if (c == 0x1D) return gs();
        if (c == 0x1C) return fs();
        if (c == 0x10) return dle();
        if (c == 0x0A) {
            ++i_;
            print_line();
            last_raster_ = false;
            return;
        }
        if (c == 0x0D) {
            ++i_;
            return;
        }
        if (c == 0x09) {
            ++i_;
            start_text();
            line_ += ' ';
            return;
        }
        if (c < 0x20 || c == 0x7F) {
            d_.problems.push_back("control byte " + hex(c));
            ++i_;
            return;
        }
        text_byte();
    }

    void text_byte() {
        last_raster_ = false;
        const std::uint8_t c = b_[i_];
        if (d_.commands.empty() || d_.commands.back() != "text") d_.commands.push_back("text");
        start_text();
        if (c < 0x80) {
            line_ += static_cast<char>(c);
            ++i_;
            return;
        }
        if (!chinese_ || c == 0x80 || c == 0xFF) {
            d_.problems.push_back("byte " + hex(c) + (chinese_ ? " is not GB18030" : " outside Chinese mode"));
            line_ += '?';
            ++i_;
            return;
        }
        int len = 2;
        if (i_ + 1 < b_.size() && at(1) >= 0x30 && at(1) <= 0x39) len = 4;
        if (i_ + static_cast<std::size_t>(len) > b_.size() ||
            !detail::gb18030_decode(b_.data() + i_, len, line_)) {
            d_.problems.push_back("bad GB18030 sequence at " + std::to_string(i_));
            line_ += '?';
            ++i_;
            return;
        }
        i_ += static_cast<std::size_t>(len);
    }

    void esc() {
        if (!need(2, "ESC command")) return;
        const std::uint8_t c = at(1);
        auto one = [&](const char* what) -> int {
            if (!need(3, what)) return -1;
            const int v = at(2);
            i_ += 3;
            return v;
        };
        switch (c) {
            case '@':
                i_ += 2;
                align_ = Align::Left;
                bold_ = false;
                width_ = height_ = 1;
                ++d_.inits;
                cmd("init");
                return;
            case 'a': {
                const int v = one("ESC a");
                if (v < 0) return;
                const int a = v >= '0' ? v - '0' : v;
                align_ = a == 1 ? Align::Centre : a == 2 ? Align::Right : Align::Left;
                cmd(std::string("align ") + align_name(align_));
                return;
            }
            case 'E': {
                const int v = one("ESC E");
                if (v < 0) return;
                bold_ = (v & 1) != 0;
                cmd(bold_ ? "bold on" : "bold off");
                return;
            }
            case '!': {
                const int v = one("ESC !");
                if (v < 0) return;
                bold_ = (v & 0x08) != 0;
                width_ = (v & 0x20) != 0 ? 2 : 1;
                height_ = (v & 0x10) != 0 ? 2 : 1;
                cmd("print mode " + hex(static_cast<std::uint8_t>(v)));
                return;
            }
            case '-': if (one("ESC -") >= 0) cmd("underline"); return;
            case '3': {
                const int v = one("ESC 3");
                if (v >= 0) cmd("line spacing " + std::to_string(v));
                return;
            }
            case '2': i_ += 2; cmd("line spacing default"); return;
            case 'd': {
                const int v = one("ESC d");
                if (v < 0) return;
                feed_lines(v);
                cmd("feed " + std::to_string(v));
                return;
            }
            case 'J': {
                const int v = one("ESC J");
                if (v < 0) return;
                if (!line_.empty()) print_line();
                cmd("feed dots " + std::to_string(v));
                return;
            }
            case 't': case 'R': case 'M': case 'G': case '{': case 'V': case 'c':
                if (one("ESC parameter command") >= 0) cmd(std::string("ESC ") + static_cast<char>(c));
                return;
            case 'p':
                if (need(5, "ESC p")) {
                    i_ += 5;
                    cmd("drawer");
                }
                return;
            default:
                d_.problems.push_back("unknown command ESC " + hex(c));
                i_ += 2;
                return;
        }
    }

    void gs() {
        if (!need(2, "GS command")) return;
        const std::uint8_t c = at(1);
        switch (c) {
            case '!': {
                if (!need(3, "GS !")) return;
                const int v = at(2);
                i_ += 3;
                width_ = ((v >> 4) & 0x07) + 1;
                height_ = (v & 0x07) + 1;
                cmd("size " + std::to_string(width_) + "x" + std::to_string(height_));
                return;
            }
            case 'V': {
                if (!need(3, "GS V")) return;
                const int m = at(2);
                const bool with_feed = m == 65 || m == 66;
                if (with_feed && !need(4, "GS V")) return;
                i_ += with_feed ? 4 : 3;
                if (!line_.empty()) print_line();
                ++d_.cuts;
                cmd((m == 0 || m == 48 || m == 65) ? "cut full" : "cut partial");
                return;
            }
            case 'v': return raster();
            case '(': return two_d();
            case 'L':
                if (need(4, "GS L")) {
                    i_ += 4;
                    cmd("left margin");
                }
                return;
            case 'a': case 'B': case 'h': case 'w': case 'H': case 'f':
                if (need(3, "GS parameter command")) {
                    i_ += 3;
                    cmd(c == 'a' ? "auto status" : std::string("GS ") + static_cast<char>(c));
                }
                return;
            default:
                d_.problems.push_back("unknown command GS " + hex(c));
                i_ += 2;
                return;
        }
    }

    void raster() {
        if (!need(8, "GS v 0 header")) return;
        if (at(2) != '0' && at(2) != 0) {
            d_.problems.push_back("unknown command GS v " + hex(at(2)));
            i_ += 3;
            return;
        }
        const int x = at(4) | (at(5) << 8);
        const int y = at(6) | (at(7) << 8);
        const std::size_t n = static_cast<std::size_t>(x) * static_cast<std::size_t>(y);
        i_ += 8;
        if (i_ + n > b_.size()) {
            d_.problems.push_back("raster data truncated: " + std::to_string(x) + "x" + std::to_string(y) + " needs " +
                                  std::to_string(n) + " bytes, " + std::to_string(b_.size() - i_) + " left");
            i_ = b_.size();
            return;
        }
        if (!line_.empty()) print_line();
        const bool join = last_raster_ && !d_.images.empty() && d_.images.back().bitmap.stride() == x;
        const std::string name = "raster " + std::to_string(x) + "x" + std::to_string(y);
        cmd(name);
        if (join) {
            auto& img = d_.images.back();
            img.bitmap.bits.insert(img.bitmap.bits.end(), b_.begin() + static_cast<std::ptrdiff_t>(i_),
                                   b_.begin() + static_cast<std::ptrdiff_t>(i_ + n));
            img.bitmap.height += y;
            ++img.bands;
            d_.lines.back().text = "[image " + std::to_string(img.bitmap.width) + "x" + std::to_string(img.bitmap.height) + "]";
        } else {
            DecodedImage img;
            img.bitmap.width = x * 8;
            img.bitmap.height = y;
            img.bitmap.bits.assign(b_.begin() + static_cast<std::ptrdiff_t>(i_), b_.begin() + static_cast<std::ptrdiff_t>(i_ + n));
            img.bands = 1;
            img.align = align_;
            DecodedLine l;
            l.kind = DecodedLine::Kind::Image;
            l.text = "[image " + std::to_string(x * 8) + "x" + std::to_string(y) + "]";
            l.align = align_;
            d_.lines.push_back(std::move(l));
            d_.images.push_back(std::move(img));
        }
        i_ += n;
        last_raster_ = true;
    }

    void two_d() {
        if (!need(5, "GS ( command")) return;
        if (at(2) != 'k') {
            // GS ( A, GS ( E …: pL pH then that many bytes.
            const std::size_t len = at(3) | (static_cast<std::size_t>(at(4)) << 8);
            if (!need(5 + len, "GS ( command")) return;
            cmd(std::string("GS ( ") + static_cast<char>(at(2)));
            i_ += 5 + len;
            return;
        }
        const std::size_t len = at(3) | (static_cast<std::size_t>(at(4)) << 8);
        if (len < 2 || !need(5 + len, "GS ( k")) {
            if (len < 2) {
                d_.problems.push_back("GS ( k with length " + std::to_string(len));
                i_ += 5;
            }
            return;
        }
        const std::uint8_t cn = at(5), fn = at(6);
        const std::size_t body = i_ + 7, body_len = len - 2;
        i_ += 5 + len;
        if (cn != 0x31) {
            cmd("2d symbol " + hex(cn));
            return;
        }
        switch (fn) {
            case 0x41: cmd("qr model"); return;
            case 0x43:
                if (body_len >= 1) qr_.module_size = b_[body];
                cmd("qr size " + std::to_string(qr_.module_size));
                return;
            case 0x45: {
                static const char levels[] = {'L', 'M', 'Q', 'H'};
                if (body_len >= 1 && b_[body] >= 0x30 && b_[body] <= 0x33) qr_.level = levels[b_[body] - 0x30];
                cmd(std::string("qr level ") + qr_.level);
                return;
            }
            case 0x50:
                if (body_len >= 1)
                    qr_.data.assign(b_.begin() + static_cast<std::ptrdiff_t>(body + 1),
                                    b_.begin() + static_cast<std::ptrdiff_t>(body + body_len));
                qr_stored_ = true;
                cmd("qr store");
                return;
            case 0x51: {
                cmd("qr print");
                if (!line_.empty()) print_line();
                DecodedQr q = qr_;
                q.printed = qr_stored_;
                q.in_chinese_mode = chinese_;
                if (!qr_stored_) d_.problems.push_back("qr print without data");
                if (chinese_) d_.problems.push_back("qr printed in Chinese mode (prints empty on many printers)");
                d_.qr_codes.push_back(std::move(q));
                DecodedLine l;
                l.kind = DecodedLine::Kind::Qr;
                l.text = "[qr]";
                l.align = align_;
                d_.lines.push_back(std::move(l));
                return;
            }
            default: cmd("qr function " + hex(fn)); return;
        }
    }

    void fs() {
        if (!need(2, "FS command")) return;
        const std::uint8_t c = at(1);
        switch (c) {
            case '&': i_ += 2; chinese_ = true; cmd("chinese on"); return;
            case '.': i_ += 2; chinese_ = false; cmd("chinese off"); return;
            case '!': case '-': case 'C': case 'W':
                if (need(3, "FS parameter command")) {
                    i_ += 3;
                    cmd(std::string("FS ") + static_cast<char>(c));
                }
                return;
            case 'S':
                if (need(4, "FS S")) {
                    i_ += 4;
                    cmd("FS S");
                }
                return;
            default:
                d_.problems.push_back("unknown command FS " + hex(c));
                i_ += 2;
                return;
        }
    }

    void dle() {
        if (!need(3, "DLE command")) return;
        if (at(1) == 0x04) {
            cmd("status " + std::to_string(at(2)));
            i_ += 3;
            return;
        }
        d_.problems.push_back("unknown command DLE " + hex(at(1)));
        i_ += 2;
    }

    std::span<const std::uint8_t> b_;
    std::size_t i_ = 0;
    Decoded d_;
    std::string line_;
    bool line_started_ = false;
    struct Style {
        Align align;
        bool bold;
        int width, height;
    } style_{Align::Left, false, 1, 1};
    Align align_ = Align::Left;
    bool bold_ = false;
    int width_ = 1, height_ = 1;
    bool chinese_ = false;
    bool last_raster_ = false;
    DecodedQr qr_;
    bool qr_stored_ = false;
};

}  // namespace

Decoded decode_text(std::span<const std::uint8_t> bytes) { return Decoder(bytes).run(); }

}  // namespace drivers::escpos
