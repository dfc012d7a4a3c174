#include "raster.hpp"

#include <fcntl.h>
#include <qrencode.h>
#include <stb/stb_truetype.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <mutex>
#include <tuple>
#include <vector>

namespace drivers::escpos::detail {

namespace {

class MappedFont final : public FallbackFont {
public:
    MappedFont(const unsigned char* data, std::size_t size, const stbtt_fontinfo& info)
        : data_(data), size_(size), info_(info) {}
    ~MappedFont() override { munmap(const_cast<unsigned char*>(data_), size_); }  // NOLINT: munmap's signature
    MappedFont(const MappedFont&) = delete;
    MappedFont& operator=(const MappedFont&) = delete;

    void draw(Bitmap& into, char32_t cp, int x, int top, int cell_w, int em_w, int em_h, bool bold) const override {
        const Glyph& g = glyph(cp, em_w, em_h);
        if (g.missing) {  // an empty box, so staff see a character is missing
            const int x0 = x + cell_w / 8, x1 = x + cell_w - 1 - cell_w / 8;
            const int y0 = top + em_h / 8, y1 = top + em_h - 1 - em_h / 8;
            for (int px = x0; px <= x1; ++px) {
                into.set(px, y0);
                into.set(px, y1);
            }
            for (int py = y0; py <= y1; ++py) {
                into.set(x0, py);
                into.set(x1, py);
            }
            return;
        }
        const int origin_x = x + (cell_w - g.advance) / 2;
        const int baseline = top + static_cast<int>(std::lround(0.88 * em_h));
        const int thicken = bold ? std::max(1, em_w / 24) : 0;
        for (int gy = 0; gy < g.h; ++gy) {
            for (int gx = 0; gx < g.w; ++gx) {
                if (g.pixels[static_cast<std::size_t>(gy * g.w + gx)] < kThreshold) continue;
                for (int t = 0; t <= thicken; ++t) into.set(origin_x + g.xoff + gx + t, baseline + g.yoff + gy);
            }
        }
    }

private:
    static constexpr unsigned char kThreshold = 110;  // a little below half: thin strokes stay whole at 24 dots
    struct Glyph {
        int w = 0, h = 0, xoff = 0, yoff = 0, advance = 0;
        bool missing = false;
        std::vector<unsigned char> pixels;
    };

    const Glyph& glyph(char32_t cp, int em_w, int em_h) const {
        const auto key = std::make_tuple(cp, em_w, em_h);
        std::lock_guard lock(mu_);
        if (auto it = cache_.find(key); it != cache_.end()) return it->second;
        if (cache_.size() > 4096) cache_.clear();  // bounded; glyphs are cheap to make again
        Glyph g;
        const int index = stbtt_FindGlyphIndex(&info_, static_cast<int>(cp));
        if (index == 0) {
            g.missing = true;
        } else {
            const float sx = stbtt_ScaleForMappingEmToPixels(&info_, static_cast<float>(em_w));
            const float sy = stbtt_ScaleForMappingEmToPixels(&info_, static_cast<float>(em_h));
            int adv = 0, lsb = 0;
            stbtt_GetGlyphHMetrics(&info_, index, &adv, &lsb);
            g.advance = static_cast<int>(std::lround(static_cast<float>(adv) * sx));
            unsigned char* bmp = stbtt_GetGlyphBitmap(&info_, sx, sy, index, &g.w, &g.h, &g.xoff, &g.yoff);
            if (bmp != nullptr) {
                g.pixels.assign(bmp, bmp + static_cast<std::ptrdiff_t>(g.w) * g.h);
                stbtt_FreeBitmap(bmp, nullptr);
            } else {
                g.w = g.h = 0;
            }
        }
        return cache_.emplace(key, std::move(g)).first->second;
    }

    const unsigned char* data_;
    std::size_t size_;
    stbtt_fontinfo info_;
    mutable std::mutex mu_;
    mutable std::map<std::tuple<char32_t, int, int>, Glyph> cache_;
};

std::shared_ptr<const FallbackFont> load(const std::string& path, int face) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return nullptr;
    struct stat st {};
    if (fstat(fd, &st) != 0 || st.st_size <= 0) {
        ::close(fd);
        return nullptr;
    }
    const auto size = static_cast<std::size_t>(st.st_size);
    void* map = mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
    ::close(fd);
    if (map == MAP_FAILED) return nullptr;
    const auto* data = static_cast<const unsigned char*>(map);
    const int faces = stbtt_GetNumberOfFonts(data);
    const int offset = face >= 0 && face < std::max(faces, 1) ? stbtt_GetFontOffsetForIndex(data, face) : -1;
    stbtt_fontinfo info{};
    if (offset < 0 || stbtt_InitFont(&info, data, offset) == 0) {
        munmap(map, size);
        return nullptr;
    }
    return std::make_shared<MappedFont>(data, size, info);
}

}  // namespace

std::shared_ptr<const FallbackFont> FallbackFont::get(const std::string& path, int face) {
    static std::mutex mu;
    static std::map<std::pair<std::string, int>, std::shared_ptr<const FallbackFont>> fonts;
    std::lock_guard lock(mu);
    const auto key = std::make_pair(path, face);
    if (auto it = fonts.find(key); it != fonts.end()) return it->second;
    auto font = load(path, face);
    if (font) fonts.emplace(key, font);  // a missing font is looked for again next time
    return font;
}

Bitmap render_line(const FallbackFont* font, const Cells& cells, const TextStyle& style, int dots, int height) {
    Bitmap img = Bitmap::blank(dots, height);
    const int col = 12 * style.width;
    const int line_w = width_of(cells) * col;
    int x = style.align == Align::Centre ? (dots - line_w) / 2 : style.align == Align::Right ? dots - line_w : 0;
    x = std::max(x, 0);
    const int em_h = 24 * style.height;
    const int em_w = 24 * style.width;
    for (const auto& c : cells) {
        const int cell_w = c.width * col;
        if (c.cp != U' ' && font != nullptr) font->draw(img, c.cp, x, 0, cell_w, em_w, em_h, style.bold);
        x += cell_w;
    }
    return img;
}

int qr_modules(const std::string& data, QrLevel level) {
    static const QRecLevel levels[] = {QR_ECLEVEL_L, QR_ECLEVEL_M, QR_ECLEVEL_Q, QR_ECLEVEL_H};
    if (data.empty()) return 0;
    QRcode* qr = QRcode_encodeData(static_cast<int>(data.size()), reinterpret_cast<const unsigned char*>(data.data()),
                                   0, levels[static_cast<int>(level) & 3]);
    if (qr == nullptr) return 0;
    const int w = qr->width;
    QRcode_free(qr);
    return w;
}

Bitmap render_qr(const std::string& data, QrLevel level, int module, Align align, int dots) {
    static const QRecLevel levels[] = {QR_ECLEVEL_L, QR_ECLEVEL_M, QR_ECLEVEL_Q, QR_ECLEVEL_H};
    if (data.empty()) return {};
    QRcode* qr = QRcode_encodeData(static_cast<int>(data.size()), reinterpret_cast<const unsigned char*>(data.data()),
                                   0, levels[static_cast<int>(level) & 3]);
    if (qr == nullptr) return {};
    const int n = qr->width;
    // Four modules of quiet zone left and right, two above and below (the
    // paper around a receipt's QR code is blank anyway).
    int scale = std::clamp(module, 1, 16);
    while (scale > 1 && (n + 8) * scale > dots) --scale;
    if ((n + 8) * scale > dots) {
        QRcode_free(qr);
        return {};
    }
    const int side = n * scale;
    const int quiet = 4 * scale;
    int x0 = align == Align::Left ? quiet : align == Align::Right ? dots - quiet - side : (dots - side) / 2;
    const int y0 = 2 * scale;
    Bitmap img = Bitmap::blank(dots, side + 4 * scale);
    const auto stride = static_cast<std::size_t>(img.stride());
    for (int my = 0; my < n; ++my) {
        // Draw one row of dots for this module row, then copy it `scale` times.
        std::uint8_t* first = img.bits.data() + static_cast<std::size_t>(y0 + my * scale) * stride;
        for (int mx = 0; mx < n; ++mx) {
            if ((qr->data[my * n + mx] & 1) == 0) continue;
            for (int x = x0 + mx * scale, end = x + scale; x < end; ++x)
                first[x / 8] = static_cast<std::uint8_t>(first[x / 8] | (0x80u >> (x % 8)));
        }
        for (int dy = 1; dy < scale; ++dy) std::copy(first, first + stride, first + static_cast<std::size_t>(dy) * stride);
    }
    QRcode_free(qr);
    return img;
}

}  // namespace drivers::escpos::detail
