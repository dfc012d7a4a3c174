#pragma once
// Line breaking for mixed Chinese and Latin text.
//
// Dear ImGui wraps at spaces only; Chinese has none. Here a line may break
// between any two Chinese characters, never before closing punctuation
// (，。、）》 …) nor after opening punctuation (（《“ …), and Latin words stay
// whole unless a word alone is wider than the line.
#include <functional>
#include <string_view>
#include <vector>

namespace kiosk::ui {

// Width in pixels of a run of text (UTF-8), as the renderer will draw it.
using MeasureFn = std::function<float(std::string_view)>;

// Splits `text` into lines no wider than `width` (a single character wider
// than `width` gets a line of its own). '\n' forces a break. Leading and
// trailing spaces are dropped from wrapped lines. Views point into `text`.
[[nodiscard]] std::vector<std::string_view> break_lines(std::string_view text, float width, const MeasureFn& measure);

[[nodiscard]] bool is_wide(char32_t cp);  // Chinese, fullwidth and private-use stand-ins

}  // namespace kiosk::ui
