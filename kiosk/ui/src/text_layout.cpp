#include "kiosk/ui/text_layout.hpp"

#include <string>

#include "kiosk/ui/utf8.hpp"

namespace kiosk::ui {

namespace {

bool in(std::u32string_view set, char32_t c) { return set.find(c) != std::u32string_view::npos; }

bool no_line_start(char32_t c) {
    return in(U"，。、；：？！）》」』】〕〉…—·％,.;:!?)]}%”’", c);
}
bool no_line_end(char32_t c) { return in(U"（《「『【〔〈“‘([{", c); }

struct Unit {
    std::size_t begin, end;
    bool space;
    bool newline;
};

}  // namespace

bool is_wide(char32_t c) {
    return (c >= 0x2E80 && c <= 0x9FFF) || (c >= 0xAC00 && c <= 0xD7AF) || (c >= 0xE000 && c <= 0xFAFF) ||
           (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFFEF) || c >= 0x20000;
}

std::vector<std::string_view> break_lines(std::string_view text, float width, const MeasureFn& measure) {
    // 1. Cut the text into unbreakable units.
    std::vector<Unit> units;
    auto peek = [&](std::size_t at) {
        std::size_t j = at;
        return j < text.size() ? next_codepoint(text, j) : U'\0';
    };
    auto glue_closers = [&](std::size_t& i) {
        while (i < text.size() && no_line_start(peek(i))) next_codepoint(text, i);
    };
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t start = i;
        const char32_t c = next_codepoint(text, i);
        if (c == U'\n') {
            units.push_back({start, i, false, true});
            continue;
        }
        if (c == U' ' || c == U'\t' || c == U'\u3000') {
            units.push_back({start, i, true, false});
            continue;
        }
        // Opening marks travel with what follows them, however many there are.
        char32_t body = c;
        while (no_line_end(body) && i < text.size()) {
            const char32_t n = peek(i);
            if (n == U'\n' || n == U' ' || n == U'\t' || n == U'\u3000') break;
            body = next_codepoint(text, i);
        }
        if (!is_wide(body) && !no_line_start(body) && !no_line_end(body)) {
            // a Latin word (digits included): up to a space or a wide character
            while (i < text.size()) {
                const char32_t n = peek(i);
                if (n == U' ' || n == U'\n' || is_wide(n) || no_line_end(n)) break;
                next_codepoint(text, i);
            }
        }
        glue_closers(i);
        units.push_back({start, i, false, false});
    }

    // 2. Fill lines greedily.
    std::vector<std::string_view> lines;
    std::size_t line_begin = std::string_view::npos, line_end = 0;
    float line_w = 0;
    auto flush = [&] {
        if (line_begin != std::string_view::npos) lines.push_back(text.substr(line_begin, line_end - line_begin));
        else lines.emplace_back();
        line_begin = std::string_view::npos;
        line_w = 0;
    };
    for (std::size_t u = 0; u < units.size(); ++u) {
        const Unit& unit = units[u];
        if (unit.newline) {
            flush();
            continue;
        }
        if (unit.space && line_begin == std::string_view::npos) continue;  // no leading spaces
        const auto piece = text.substr(unit.begin, unit.end - unit.begin);
        // measure from the line start so kerning and spacing add up as drawn
        const float w = line_begin == std::string_view::npos
                            ? measure(piece)
                            : measure(text.substr(line_begin, unit.end - line_begin)) - line_w;
        if (line_begin != std::string_view::npos && line_w + w > width && !unit.space) {
            flush();
            --u;  // place this unit on the new line
            continue;
        }
        if (line_begin == std::string_view::npos && measure(piece) > width) {
            // a unit wider than a line: break it between characters, never
            // leaving a closing mark at the start of a line
            std::vector<std::size_t> at;
            for (std::size_t j = unit.begin; j < unit.end;) {
                at.push_back(j);
                next_codepoint(text, j);
            }
            at.push_back(unit.end);
            std::size_t first = 0;
            for (std::size_t k = 1; k < at.size(); ++k) {
                if (k - 1 <= first || measure(text.substr(at[first], at[k] - at[first])) <= width) continue;
                std::size_t cut = k - 1;
                while (cut > first + 1) {
                    std::size_t j = at[cut];
                    if (!no_line_start(next_codepoint(text, j))) break;
                    --cut;
                }
                lines.push_back(text.substr(at[first], at[cut] - at[first]));
                first = cut;
            }
            const std::size_t chunk = at[first];
            line_begin = chunk;
            line_end = unit.end;
            line_w = measure(text.substr(chunk, unit.end - chunk));
            continue;
        }
        if (unit.space) {
            line_w += w;  // kept only if more follows on this line
            continue;
        }
        if (line_begin == std::string_view::npos) line_begin = unit.begin;
        line_end = unit.end;
        line_w = measure(text.substr(line_begin, line_end - line_begin));
    }
    if (line_begin != std::string_view::npos) flush();
    return lines;
}

}  // namespace kiosk::ui
