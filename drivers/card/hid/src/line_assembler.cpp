#include "drivers/hid/line_assembler.hpp"

#include <linux/input.h>

#include <algorithm>
#include <array>

namespace drivers::hid {
namespace {

// US layout, main block, indexed by key code: unshifted and shifted.
struct KeyPair {
    char plain;
    char shifted;
};

constexpr std::array<KeyPair, 58> kMainBlock = [] {
    std::array<KeyPair, 58> t{};
    auto set = [&t](int code, char plain, char shifted) { t[static_cast<std::size_t>(code)] = {plain, shifted}; };
    set(KEY_1, '1', '!');
    set(KEY_2, '2', '@');
    set(KEY_3, '3', '#');
    set(KEY_4, '4', '$');
    set(KEY_5, '5', '%');
    set(KEY_6, '6', '^');
    set(KEY_7, '7', '&');
    set(KEY_8, '8', '*');
    set(KEY_9, '9', '(');
    set(KEY_0, '0', ')');
    set(KEY_MINUS, '-', '_');
    set(KEY_EQUAL, '=', '+');
    set(KEY_Q, 'q', 'Q');
    set(KEY_W, 'w', 'W');
    set(KEY_E, 'e', 'E');
    set(KEY_R, 'r', 'R');
    set(KEY_T, 't', 'T');
    set(KEY_Y, 'y', 'Y');
    set(KEY_U, 'u', 'U');
    set(KEY_I, 'i', 'I');
    set(KEY_O, 'o', 'O');
    set(KEY_P, 'p', 'P');
    set(KEY_LEFTBRACE, '[', '{');
    set(KEY_RIGHTBRACE, ']', '}');
    set(KEY_A, 'a', 'A');
    set(KEY_S, 's', 'S');
    set(KEY_D, 'd', 'D');
    set(KEY_F, 'f', 'F');
    set(KEY_G, 'g', 'G');
    set(KEY_H, 'h', 'H');
    set(KEY_J, 'j', 'J');
    set(KEY_K, 'k', 'K');
    set(KEY_L, 'l', 'L');
    set(KEY_SEMICOLON, ';', ':');
    set(KEY_APOSTROPHE, '\'', '"');
    set(KEY_GRAVE, '`', '~');
    set(KEY_BACKSLASH, '\\', '|');
    set(KEY_Z, 'z', 'Z');
    set(KEY_X, 'x', 'X');
    set(KEY_C, 'c', 'C');
    set(KEY_V, 'v', 'V');
    set(KEY_B, 'b', 'B');
    set(KEY_N, 'n', 'N');
    set(KEY_M, 'm', 'M');
    set(KEY_COMMA, ',', '<');
    set(KEY_DOT, '.', '>');
    set(KEY_SLASH, '/', '?');
    set(KEY_SPACE, ' ', ' ');
    return t;
}();

char keypad_char(std::uint16_t code) {
    switch (code) {
        case KEY_KP0:
            return '0';
        case KEY_KP1:
            return '1';
        case KEY_KP2:
            return '2';
        case KEY_KP3:
            return '3';
        case KEY_KP4:
            return '4';
        case KEY_KP5:
            return '5';
        case KEY_KP6:
            return '6';
        case KEY_KP7:
            return '7';
        case KEY_KP8:
            return '8';
        case KEY_KP9:
            return '9';
        case KEY_KPDOT:
            return '.';
        case KEY_KPASTERISK:
            return '*';
        case KEY_KPMINUS:
            return '-';
        case KEY_KPPLUS:
            return '+';
        case KEY_KPSLASH:
            return '/';
        default:
            return 0;
    }
}

bool ignored_modifier(std::uint16_t code) {
    switch (code) {
        case KEY_LEFTCTRL:
        case KEY_RIGHTCTRL:
        case KEY_LEFTALT:
        case KEY_RIGHTALT:
        case KEY_LEFTMETA:
        case KEY_RIGHTMETA:
        case KEY_CAPSLOCK:
        case KEY_NUMLOCK:
        case KEY_SCROLLLOCK:
            return true;
        default:
            return false;
    }
}

}  // namespace

LineAssembler::LineAssembler(std::size_t max_line) : max_line_(std::max<std::size_t>(1, max_line)) {}

char LineAssembler::key_char(std::uint16_t code, bool shift) {
    if (code < kMainBlock.size()) {
        const auto& k = kMainBlock[code];
        return shift ? k.shifted : k.plain;
    }
    return keypad_char(code);
}

std::optional<LineAssembler::KeyStroke> LineAssembler::key_for(char c) {
    if (c == 0) return std::nullopt;
    for (std::size_t code = 0; code < kMainBlock.size(); ++code) {
        if (kMainBlock[code].plain == c) return KeyStroke{static_cast<std::uint16_t>(code), false};
        if (kMainBlock[code].shifted == c) return KeyStroke{static_cast<std::uint16_t>(code), true};
    }
    return std::nullopt;
}

std::optional<AssembledLine> LineAssembler::feed(const input_event& ev) { return feed(ev.type, ev.code, ev.value); }

std::optional<AssembledLine> LineAssembler::feed(std::uint16_t type, std::uint16_t code, std::int32_t value) {
    if (type == EV_SYN) {
        if (code == SYN_DROPPED) {
            // Events were lost: whatever is being typed may miss characters,
            // and a shift release may be among the lost ones.
            line_.damaged = true;
            started_ = true;
            left_shift_ = right_shift_ = false;
        }
        return std::nullopt;
    }
    if (type != EV_KEY) return std::nullopt;

    if (code == KEY_LEFTSHIFT || code == KEY_RIGHTSHIFT) {
        if (value == 2) return std::nullopt;
        (code == KEY_LEFTSHIFT ? left_shift_ : right_shift_) = value != 0;
        return std::nullopt;
    }
    if (value != 1) return std::nullopt;  // release, auto-repeat, or nonsense

    if (code == KEY_ENTER || code == KEY_KPENTER) return finish(AssembledLine::End::Enter);
    if (ignored_modifier(code)) return std::nullopt;

    started_ = true;
    const char c = key_char(code, left_shift_ || right_shift_);
    if (c == 0) {
        ++line_.unmapped;
        return std::nullopt;
    }
    if (line_.text.size() >= max_line_) {
        line_.overflow = true;
        return std::nullopt;
    }
    if (line_.text.empty()) line_.text.reserve(std::min<std::size_t>(max_line_, 32));
    line_.text.push_back(c);
    return std::nullopt;
}

std::optional<AssembledLine> LineAssembler::flush() {
    if (!started_) return std::nullopt;
    return finish(AssembledLine::End::Timeout);
}

std::optional<AssembledLine> LineAssembler::finish(AssembledLine::End end) {
    if (!started_) return std::nullopt;
    AssembledLine out = std::move(line_);
    out.end = end;
    line_ = AssembledLine{};
    started_ = false;
    return out;
}

void LineAssembler::reset() {
    line_ = AssembledLine{};
    started_ = false;
    left_shift_ = right_shift_ = false;
}

}  // namespace drivers::hid
