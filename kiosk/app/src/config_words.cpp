#include "config_words.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <vector>

namespace kiosk::app::words {

std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t above = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0U : 1U)});
            diagonal = above;
        }
    }
    return row[b.size()];
}

std::string join(std::span<const std::string_view> items, std::string_view open, std::string_view close) {
    std::string out;
    for (std::string_view item : items) {
        if (!out.empty()) out += ", ";
        out.append(open).append(item).append(close);
    }
    return out;
}

std::string quoted(std::string_view s) {
    constexpr std::size_t kMaxShown = 40;
    constexpr std::string_view kHex = "0123456789ABCDEF";
    std::string out = "\"";
    std::size_t shown = 0;
    for (const char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        const bool starts_character = (c & 0xC0U) != 0x80U;  // not a UTF-8 continuation byte
        if (starts_character && shown++ == kMaxShown) {
            out += "...";
            break;
        }
        if (c == '"' || c == '\\') {
            out.append(1, '\\').append(1, ch);
        } else if (c < 0x20U || c == 0x7FU) {
            out.append("\\u00").append(1, kHex[c >> 4U]).append(1, kHex[c & 0xFU]);
        } else {
            out += ch;
        }
    }
    return out + "\"";
}

std::string shortest(double v) {
    std::array<char, 32> buf{};
    const auto r = std::to_chars(buf.data(), buf.data() + buf.size(), v);
    return {buf.data(), r.ptr};
}

std::string float_text(double v) {
    std::string s = shortest(v);
    if (s.find_first_not_of("-0123456789") == std::string::npos) s += ".0";
    return s;
}

std::string describe(const toml::node& n) {
    switch (n.type()) {
        case toml::node_type::string: return quoted(n.as_string()->get());
        case toml::node_type::integer: return std::to_string(n.as_integer()->get());
        case toml::node_type::floating_point: return float_text(n.as_floating_point()->get());
        case toml::node_type::boolean: return n.as_boolean()->get() ? "true" : "false";
        case toml::node_type::date: return "a date";
        case toml::node_type::time: return "a time";
        case toml::node_type::date_time: return "a date and time";
        case toml::node_type::array: return "a list";
        case toml::node_type::table: return "a table";
        case toml::node_type::none: break;
    }
    return "nothing";
}

}  // namespace kiosk::app::words
