#pragma once
// Words for configuration messages, shared by kiosk.toml and the canteen's
// menu and policy files: the nearest known key, lists, and values quoted as
// the file would write them.
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include <toml++/toml.h>

namespace kiosk::app::words {

[[nodiscard]] std::size_t edit_distance(std::string_view a, std::string_view b);

// Further than this, a suggestion is more likely to mislead than to help.
inline constexpr std::size_t kSuggestDistance = 2;

// The candidate nearest by `distance(candidate)`, if near enough.
template <typename Distance>
std::optional<std::string_view> nearest(std::span<const std::string_view> candidates, Distance distance) {
    std::optional<std::string_view> best;
    std::size_t best_distance = kSuggestDistance + 1;
    for (std::string_view c : candidates) {
        const std::size_t d = distance(c);
        if (d < best_distance && d < c.size()) {
            best = c;
            best_distance = d;
        }
    }
    return best;
}

// "'a', 'b', 'c'" with open = close = "'".
[[nodiscard]] std::string join(std::span<const std::string_view> items, std::string_view open, std::string_view close);
// Escaped so the message stays on one line, and cut short so a long value
// does not swamp it.
[[nodiscard]] std::string quoted(std::string_view s);
// The shortest text that reads back as `v`.
[[nodiscard]] std::string shortest(double v);
// As TOML would write it, so 60.0 is not mistaken for the whole number 60.
[[nodiscard]] std::string float_text(double v);
// A value as the file has it ("15", "\"午餐\"", "a list").
[[nodiscard]] std::string describe(const toml::node& n);

}  // namespace kiosk::app::words
