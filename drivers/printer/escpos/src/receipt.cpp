#include "drivers/printer/receipt.hpp"

#include <algorithm>

namespace drivers::escpos {

Bitmap Bitmap::blank(int width, int height) {
    Bitmap b;
    b.width = std::max(width, 0);
    b.height = std::max(height, 0);
    b.bits.assign(static_cast<std::size_t>(b.stride()) * static_cast<std::size_t>(b.height), 0);
    return b;
}

Bitmap Bitmap::from_grey(int width, int height, std::span<const std::uint8_t> grey, std::uint8_t threshold,
                         bool dither) {
    Bitmap b = blank(width, height);
    if (b.empty()) return b;
    const auto w = static_cast<std::size_t>(b.width);
    // Error diffusion works on a row of the current and the next line.
    std::vector<int> cur(w + 2, 0), next(w + 2, 0);
    for (int y = 0; y < b.height; ++y) {
        std::fill(next.begin(), next.end(), 0);
        for (int x = 0; x < b.width; ++x) {
            const std::size_t i = static_cast<std::size_t>(y) * w + static_cast<std::size_t>(x);
            const int v = (i < grey.size() ? grey[i] : 255) + (dither ? cur[static_cast<std::size_t>(x) + 1] : 0);
            const bool black = v < threshold;
            if (black) b.set(x, y);
            if (dither) {
                const int err = v - (black ? 0 : 255);
                const auto k = static_cast<std::size_t>(x) + 1;
                cur[k + 1] += err * 7 / 16;
                next[k - 1] += err * 3 / 16;
                next[k] += err * 5 / 16;
                next[k + 1] += err / 16;
            }
        }
        std::swap(cur, next);
    }
    return b;
}

bool Bitmap::get(int x, int y) const {
    if (x < 0 || y < 0 || x >= width || y >= height) return false;
    const auto i = static_cast<std::size_t>(y) * static_cast<std::size_t>(stride()) + static_cast<std::size_t>(x / 8);
    return i < bits.size() && (bits[i] & (0x80u >> (x % 8))) != 0;
}

void Bitmap::set(int x, int y, bool black) {
    if (x < 0 || y < 0 || x >= width || y >= height) return;
    const auto i = static_cast<std::size_t>(y) * static_cast<std::size_t>(stride()) + static_cast<std::size_t>(x / 8);
    if (i >= bits.size()) return;
    const auto mask = static_cast<std::uint8_t>(0x80u >> (x % 8));
    if (black)
        bits[i] |= mask;
    else
        bits[i] &= static_cast<std::uint8_t>(~mask);
}

Receipt& Receipt::text(std::string utf8, TextStyle style) {
    blocks_.emplace_back(block::Text{std::move(utf8), style});
    return *this;
}
Receipt& Receipt::row(std::string label, std::string value, TextStyle style) {
    blocks_.emplace_back(block::Row{std::move(label), std::move(value), style});
    return *this;
}
Receipt& Receipt::rule(char ch) {
    blocks_.emplace_back(block::Rule{ch});
    return *this;
}
Receipt& Receipt::feed(int lines) {
    blocks_.emplace_back(block::Feed{lines});
    return *this;
}
Receipt& Receipt::qr(std::string data, QrOptions options) {
    blocks_.emplace_back(block::Qr{std::move(data), options});
    return *this;
}
Receipt& Receipt::image(Bitmap bitmap, Align align) {
    blocks_.emplace_back(block::Image{std::move(bitmap), align});
    return *this;
}
Receipt& Receipt::line_spacing(int dots) {
    blocks_.emplace_back(block::LineSpacing{dots});
    return *this;
}
Receipt& Receipt::cut(CutKind kind) {
    blocks_.emplace_back(block::Cut{kind});
    return *this;
}
Receipt& Receipt::append(const Receipt& other) {
    blocks_.insert(blocks_.end(), other.blocks_.begin(), other.blocks_.end());
    return *this;
}

}  // namespace drivers::escpos
