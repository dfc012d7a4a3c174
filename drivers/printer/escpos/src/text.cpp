#include "text.hpp"

#include <iconv.h>

#include <algorithm>
#include <cerrno>

namespace drivers::escpos::detail {

namespace {

// One converter pair per thread: iconv_t is not safe to share, and opening
// one costs far more than a conversion.
class Converters {
public:
    Converters()
        : to_gb_(iconv_open("GB18030", "UTF-32LE")), from_gb_(iconv_open("UTF-8", "GB18030")) {}
    ~Converters() {
        if (to_gb_ != bad()) iconv_close(to_gb_);
        if (from_gb_ != bad()) iconv_close(from_gb_);
    }
    Converters(const Converters&) = delete;
    Converters& operator=(const Converters&) = delete;

    int encode(char32_t cp, std::uint8_t out[4]) {
        if (to_gb_ == bad()) return 0;
        char in[4] = {static_cast<char>(cp & 0xFF), static_cast<char>((cp >> 8) & 0xFF),
                      static_cast<char>((cp >> 16) & 0xFF), static_cast<char>((cp >> 24) & 0xFF)};
        char buf[8];
        char* ip = in;
        char* op = buf;
        std::size_t il = sizeof in, ol = sizeof buf;
        iconv(to_gb_, nullptr, nullptr, nullptr, nullptr);
        if (iconv(to_gb_, &ip, &il, &op, &ol) == static_cast<std::size_t>(-1)) return 0;
        const auto n = static_cast<int>(sizeof buf - ol);
        if (n != 1 && n != 2 && n != 4) return 0;
        std::copy(buf, buf + n, out);
        return n;
    }
    bool decode(const std::uint8_t* seq, int len, std::string& out) {
        if (from_gb_ == bad() || len <= 0 || len > 4) return false;
        char in[4];
        std::copy(seq, seq + len, in);
        char buf[16];
        char* ip = in;
        char* op = buf;
        std::size_t il = static_cast<std::size_t>(len), ol = sizeof buf;
        iconv(from_gb_, nullptr, nullptr, nullptr, nullptr);
        if (iconv(from_gb_, &ip, &il, &op, &ol) == static_cast<std::size_t>(-1) || il != 0) return false;
        out.append(buf, sizeof buf - ol);
        return true;
    }

private:
    static iconv_t bad() { return reinterpret_cast<iconv_t>(-1); }  // NOLINT: iconv's own sentinel
    iconv_t to_gb_;
    iconv_t from_gb_;
};

Converters& converters() {
    thread_local Converters c;
    return c;
}

// GBK/GB18030 additions inside the GB2312 rows (A1–A9, B0–F7 × A1–FE): codes
// a GB2312 font has no glyph for. Per lead byte, ranges of trail bytes.
struct TrailRange {
    std::uint8_t lead, lo, hi;
};
constexpr TrailRange kNotGb2312[] = {
    {0xA2, 0xA1, 0xB0}, {0xA2, 0xE3, 0xE4}, {0xA2, 0xEF, 0xF0}, {0xA2, 0xFD, 0xFE}, {0xA4, 0xF4, 0xFE},
    {0xA5, 0xF7, 0xFE}, {0xA6, 0xB9, 0xC0}, {0xA6, 0xD9, 0xFE}, {0xA7, 0xC2, 0xD0}, {0xA7, 0xF2, 0xFE},
    {0xA8, 0xBB, 0xC4}, {0xA8, 0xEA, 0xFE}, {0xA9, 0xA1, 0xA3}, {0xA9, 0xF0, 0xFE}, {0xD7, 0xFA, 0xFE},
};

bool in_gb2312(const std::uint8_t* gb) {
    const std::uint8_t lead = gb[0], trail = gb[1];
    if (trail < 0xA1 || trail > 0xFE) return false;
    if (!((lead >= 0xA1 && lead <= 0xA9) || (lead >= 0xB0 && lead <= 0xF7))) return false;
    for (const auto& r : kNotGb2312)
        if (r.lead == lead && trail >= r.lo && trail <= r.hi) return false;
    return true;
}

// Decodes one UTF-8 sequence at s[i]; advances i. Invalid: '?'.
char32_t next_cp(std::string_view s, std::size_t& i) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    if (b0 < 0x80) {
        ++i;
        return b0;
    }
    int len = 0;
    char32_t cp = 0;
    if ((b0 & 0xE0) == 0xC0) {
        len = 2;
        cp = b0 & 0x1Fu;
    } else if ((b0 & 0xF0) == 0xE0) {
        len = 3;
        cp = b0 & 0x0Fu;
    } else if ((b0 & 0xF8) == 0xF0) {
        len = 4;
        cp = b0 & 0x07u;
    } else {
        ++i;
        return U'?';
    }
    if (i + static_cast<std::size_t>(len) > s.size()) {
        ++i;
        return U'?';
    }
    for (int k = 1; k < len; ++k) {
        const auto b = static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]);
        if ((b & 0xC0) != 0x80) {
            ++i;
            return U'?';
        }
        cp = (cp << 6) | (b & 0x3Fu);
    }
    const char32_t min = len == 2 ? 0x80 : len == 3 ? 0x800 : 0x10000;
    i += static_cast<std::size_t>(len);
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return U'?';
    return cp;
}

bool is_closing(char32_t c) {
    switch (c) {
        case U'，': case U'。': case U'、': case U'；': case U'：': case U'？': case U'！': case U'）':
        case U'》': case U'」': case U'』': case U'】': case U'〕': case U'〉': case U'〗': case U'］':
        case U'｝': case U'”': case U'’': case U'…': case U'·': case U'・': case U'％': case U'～':
        case U'．': case U'—': case U',': case U'.': case U';': case U':': case U'!': case U'?':
        case U')': case U']': case U'}': case U'%':
            return true;
        default: return false;
    }
}

bool is_opening(char32_t c) {
    switch (c) {
        case U'（': case U'《': case U'「': case U'『': case U'【': case U'〔': case U'〈': case U'〖':
        case U'［': case U'｛': case U'“': case U'‘': case U'(': case U'[': case U'{':
            return true;
        default: return false;
    }
}

struct Unit {
    std::size_t begin, end;  // cells [begin, end)
    int width;
    bool space;
    bool word;  // a run of narrow non-space characters (a Latin word, a number)
};

std::vector<Unit> units_of(const Cells& cells) {
    std::vector<Unit> units;
    std::size_t i = 0;
    while (i < cells.size()) {
        if (cells[i].cp == U' ') {
            units.push_back({i, i + 1, 1, true, false});
            ++i;
        } else if (cells[i].width == 1) {
            std::size_t j = i;
            int w = 0;
            while (j < cells.size() && cells[j].width == 1 && cells[j].cp != U' ') w += cells[j++].width;
            units.push_back({i, j, w, false, true});
            i = j;
        } else {
            units.push_back({i, i + 1, cells[i].width, false, false});
            ++i;
        }
    }
    return units;
}

}  // namespace

std::vector<std::u32string> paragraphs(std::string_view utf8) {
    std::vector<std::u32string> out(1);
    std::size_t i = 0;
    while (i < utf8.size()) {
        const char32_t cp = next_cp(utf8, i);
        if (cp == U'\n') {
            out.emplace_back();
        } else if (cp == U'\t') {
            out.back().push_back(U' ');
        } else if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0) || cp == 0xFEFF || cp == 0x200B) {
            continue;  // CR and other controls; BOM; zero-width space
        } else {
            out.back().push_back(cp);
        }
    }
    return out;
}

int gb18030_encode(char32_t cp, std::uint8_t out[4]) {
    if (cp < 0x80) {
        out[0] = static_cast<std::uint8_t>(cp);
        return 1;
    }
    return converters().encode(cp, out);
}

bool gb18030_decode(const std::uint8_t* seq, int len, std::string& out_utf8) {
    return converters().decode(seq, len, out_utf8);
}

bool font_has(FontCoverage font, char32_t cp, const std::uint8_t* gb, int gb_len) {
    if (gb_len == 1) return cp >= 0x20 && cp < 0x7F;
    if (gb_len == 2) {
        if (gb[0] >= 0xAA && gb[0] <= 0xAF && gb[1] >= 0xA1) return false;  // user-defined area
        if (gb[0] >= 0xF8 && gb[1] >= 0xA1) return false;                   // user-defined area
        if (gb[0] == 0xA1 && gb[1] >= 0x40 && gb[1] <= 0xA0) return false;  // user-defined area
        return font != FontCoverage::Gb2312 || in_gb2312(gb);
    }
    if (gb_len == 4) {
        if (cp >= 0xE000 && cp <= 0xF8FF) return false;  // private use: no font has it
        if (font == FontCoverage::Gb18030All) return true;
        if (font == FontCoverage::Gbk || font == FontCoverage::Gb2312) return false;
        return font == FontCoverage::Gb18030 && cp >= 0x3400 && cp <= 0x4DBF;
    }
    return false;
}

bool is_wide(char32_t c) {
    return (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0x303E) || (c >= 0x3041 && c <= 0x33FF) ||
           (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xA000 && c <= 0xA4CF) ||
           (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFE30 && c <= 0xFE4F) ||
           (c >= 0xFF00 && c <= 0xFF60) || (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x1F300 && c <= 0x1F64F) ||
           (c >= 0x1F900 && c <= 0x1F9FF) || (c >= 0x20000 && c <= 0x3FFFD);
}

Cell make_cell(char32_t cp, FontCoverage font) {
    Cell c;
    c.cp = cp;
    std::uint8_t gb[4];
    const int n = gb18030_encode(cp, gb);
    if (n > 0 && font_has(font, cp, gb, n)) {
        c.gb_len = static_cast<std::uint8_t>(n);
        std::copy(gb, gb + n, c.gb);
        c.width = n == 1 ? 1 : 2;  // in Chinese mode every multi-byte character prints full width
    } else {
        c.width = is_wide(cp) ? 2 : 1;
    }
    return c;
}

Cells make_cells(std::u32string_view text, FontCoverage font) {
    Cells cells;
    cells.reserve(text.size());
    for (const char32_t cp : text) cells.push_back(make_cell(cp, font));
    return cells;
}

int width_of(const Cells& cells) {
    int w = 0;
    for (const auto& c : cells) w += c.width;
    return w;
}

std::vector<Cells> wrap(const Cells& cells, int columns) {
    columns = std::max(columns, 2);
    std::vector<Cells> lines;
    const auto units = units_of(cells);
    std::vector<Unit> cur;
    int cur_w = 0;
    bool first_line = true;

    auto trim = [&] {
        while (!cur.empty() && cur.back().space) {
            cur_w -= cur.back().width;
            cur.pop_back();
        }
    };
    auto flush = [&] {
        trim();
        Cells line;
        for (const auto& u : cur) line.insert(line.end(), cells.begin() + static_cast<std::ptrdiff_t>(u.begin),
                                              cells.begin() + static_cast<std::ptrdiff_t>(u.end));
        lines.push_back(std::move(line));
        cur.clear();
        cur_w = 0;
        first_line = false;
    };

    for (const auto& u : units) {
        if (u.space) {
            if (cur.empty() && !first_line) continue;  // no leading space on a wrapped line
            if (cur_w + 1 > columns) {
                flush();
                continue;
            }
            cur.push_back(u);
            cur_w += 1;
            continue;
        }
        if (cur_w + u.width <= columns) {
            cur.push_back(u);
            cur_w += u.width;
            continue;
        }
        if (u.word && u.width > columns) {
            // Longer than a line: break it by characters, starting on this
            // line when a fair part of it fits there.
            if (columns - cur_w < 4 && !cur.empty()) flush();
            for (std::size_t k = u.begin; k < u.end; ++k) {
                if (cur_w + cells[k].width > columns) flush();
                cur.push_back({k, k + 1, cells[k].width, false, true});
                cur_w += cells[k].width;
            }
            continue;
        }
        // Break before u; keep closing punctuation off the line start and
        // opening punctuation off the line end by carrying units down.
        trim();
        std::vector<Unit> carry;
        int carry_w = 0;
        auto can_carry = [&] { return cur.size() >= 2 && carry_w + cur.back().width + u.width <= columns; };
        if (is_closing(cells[u.begin].cp) && can_carry()) {
            carry.insert(carry.begin(), cur.back());
            carry_w += cur.back().width;
            cur_w -= cur.back().width;
            cur.pop_back();
            trim();
        }
        while (!cur.empty() && is_opening(cells[cur.back().end - 1].cp) && can_carry()) {
            carry.insert(carry.begin(), cur.back());
            carry_w += cur.back().width;
            cur_w -= cur.back().width;
            cur.pop_back();
            trim();
        }
        if (!cur.empty()) flush();
        cur = std::move(carry);
        cur_w = carry_w;
        cur.push_back(u);
        cur_w += u.width;
    }
    if (!cur.empty() || lines.empty()) flush();
    return lines;
}

void append_utf8(std::string& out, char32_t cp) {
    if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
}

std::string to_utf8(const Cells& cells) {
    std::string s;
    for (const auto& c : cells) append_utf8(s, c.cp);
    return s;
}

}  // namespace drivers::escpos::detail
