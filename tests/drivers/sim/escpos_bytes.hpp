#pragma once
// Hand-assembled ESC/POS for the preview tests, written from docs/hardware.md
// section 2 (not from the encoder: the tests cross-check it, not repeat it).
#include <iconv.h>

#include <cstdint>
#include <initializer_list>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace sim_test {

// UTF-8 to GB18030 with glibc iconv.
inline std::vector<std::uint8_t> gb18030(std::string_view utf8) {
    iconv_t cd = ::iconv_open("GB18030", "UTF-8");
    if (cd == reinterpret_cast<iconv_t>(-1)) throw std::runtime_error("iconv GB18030 unavailable");
    std::string in(utf8);
    std::vector<char> out(in.size() * 4 + 8);
    char* ip = in.data();
    std::size_t il = in.size();
    char* op = out.data();
    std::size_t ol = out.size();
    const std::size_t r = ::iconv(cd, &ip, &il, &op, &ol);
    ::iconv_close(cd);
    if (r == static_cast<std::size_t>(-1)) throw std::runtime_error("not convertible to GB18030");
    return {out.begin(), out.begin() + static_cast<std::ptrdiff_t>(out.size() - ol)};
}

class Job {
public:
    Job& raw(std::initializer_list<int> b) {
        for (int v : b) bytes.push_back(static_cast<std::uint8_t>(v));
        return *this;
    }
    Job& raw(const std::vector<std::uint8_t>& b) {
        bytes.insert(bytes.end(), b.begin(), b.end());
        return *this;
    }
    Job& init() { return raw({0x1B, 0x40}); }
    Job& align(int n) { return raw({0x1B, 0x61, n}); }
    Job& bold(bool on) { return raw({0x1B, 0x45, on ? 1 : 0}); }
    Job& underline(int n) { return raw({0x1B, 0x2D, n}); }
    Job& size(int w, int h) { return raw({0x1D, 0x21, ((w - 1) << 4) | (h - 1)}); }
    Job& spacing(int n) { return raw({0x1B, 0x33, n}); }
    Job& feed(int n) { return raw({0x1B, 0x64, n}); }
    Job& cut() { return raw({0x1D, 0x56, 0x00}); }
    Job& text(std::string_view ascii) {
        bytes.insert(bytes.end(), ascii.begin(), ascii.end());
        return *this;
    }
    Job& lf() { return raw({0x0A}); }
    Job& line(std::string_view ascii) { return text(ascii).lf(); }
    Job& chinese(std::string_view utf8) {  // FS & GB18030 FS .
        raw({0x1C, 0x26});
        raw(gb18030(utf8));
        return raw({0x1C, 0x2E});
    }
    // GS v 0 m xL xH yL yH + data (x bytes * y rows)
    Job& raster(int x_bytes, int y_dots, const std::vector<std::uint8_t>& data, int m = 0) {
        raw({0x1D, 0x76, 0x30, m, x_bytes & 0xFF, x_bytes >> 8, y_dots & 0xFF, y_dots >> 8});
        return raw(data);
    }
    // GS ( k: model 2, module size, error level, store, print
    Job& qr(std::string_view data, int module, int level = 0x31) {
        raw({0x1D, 0x28, 0x6B, 4, 0, 0x31, 0x41, 0x32, 0x00});
        raw({0x1D, 0x28, 0x6B, 3, 0, 0x31, 0x43, module});
        raw({0x1D, 0x28, 0x6B, 3, 0, 0x31, 0x45, level});
        const int n = static_cast<int>(data.size()) + 3;
        raw({0x1D, 0x28, 0x6B, n & 0xFF, n >> 8, 0x31, 0x50, 0x30});
        text(data);
        return raw({0x1D, 0x28, 0x6B, 3, 0, 0x31, 0x51, 0x30});
    }
    std::vector<std::uint8_t> bytes;
};

}  // namespace sim_test
