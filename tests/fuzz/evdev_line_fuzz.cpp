// Fuzzes the evdev line assembler and, with every line it completes, the card
// number normalisation in every format.
//
// Input: byte 0 picks the mode and the line limit.
//   bit 7 clear: compact records of 4 bytes [op, a, b, c]:
//     op % 8 = 0, 1, 2  EV_KEY code a | (b << 8 & 0x300), value 0 / 1 / 2
//              3        EV_KEY code a, value (int8_t)c (nonsense values)
//              4        EV_SYN code a % 4 (3 = SYN_DROPPED)
//              5        flush() (the reader's line timeout)
//              6        reset() (the device went away)
//              7        type a, code b, value c (anything else)
//   bit 7 set: the rest is raw struct input_event records, as read(2) gives
//     them from the device.
//   max_line = 1 + (byte 0 & 0x7F) * 4.
// Invariants (abort on breach): lines hold at most max_line printable ASCII
// characters; normalised numbers have the canonical shape and normalise to
// themselves again.
#include <linux/input.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>

#include "drivers/card/card_number.hpp"
#include "drivers/hid/line_assembler.hpp"

namespace {

void check(bool ok) {
    if (!ok) std::abort();
}

bool is_decimal10(const std::string& s) {
    if (s.size() != 10) return false;
    for (const char c : s)
        if (c < '0' || c > '9') return false;
    return true;
}

bool is_upper_hex(const std::string& s) {
    if (s.size() != 14 && s.size() != 20) return false;
    for (const char c : s)
        if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'F'))) return false;
    return true;
}

void check_line(const drivers::hid::AssembledLine& line, std::size_t max_line) {
    check(line.text.size() <= max_line);
    for (const char c : line.text) check(c >= 0x20 && c < 0x7F);
    using drivers::CardFormat;
    for (const auto f :
         {CardFormat::Dec10, CardFormat::Dec10Reversed, CardFormat::Hex, CardFormat::HexReversed, CardFormat::Raw}) {
        auto n = drivers::normalise_card_number(line.text, f);
        if (!n) {
            check(!n.error().message.empty());
            continue;
        }
        const std::string& s = *n;
        if (f == CardFormat::Raw) {
            check(!s.empty() && s.size() <= line.text.size());
            continue;
        }
        check(is_decimal10(s) || is_upper_hex(s));
        // Canonical numbers are fixed points: dec10 for 10 digits, hex for longer.
        auto again = drivers::normalise_card_number(s, is_decimal10(s) ? CardFormat::Dec10 : CardFormat::Hex);
        check(again.ok() && *again == s);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::size_t max_line = 1 + static_cast<std::size_t>(data[0] & 0x7F) * 4;
    drivers::hid::LineAssembler a(max_line);
    auto take = [&](std::optional<drivers::hid::AssembledLine> line) {
        if (line) check_line(*line, max_line);
    };

    if ((data[0] & 0x80) != 0) {
        for (std::size_t off = 1; off + sizeof(input_event) <= size; off += sizeof(input_event)) {
            input_event ev{};
            std::memcpy(&ev, data + off, sizeof ev);
            take(a.feed(ev));
        }
        take(a.flush());
        check(!a.pending());
        return 0;
    }

    for (std::size_t off = 1; off + 4 <= size; off += 4) {
        const std::uint8_t op = data[off] % 8, x = data[off + 1], y = data[off + 2], z = data[off + 3];
        switch (op) {
            case 0:
            case 1:
            case 2:
                take(a.feed(EV_KEY, static_cast<std::uint16_t>(x | ((y << 8) & 0x300)), op));
                break;
            case 3:
                take(a.feed(EV_KEY, x, static_cast<std::int8_t>(z)));
                break;
            case 4:
                take(a.feed(EV_SYN, x % 4, 0));
                break;
            case 5:
                take(a.flush());
                check(!a.pending());
                break;
            case 6:
                a.reset();
                check(!a.pending());
                break;
            default:
                take(a.feed(x, y, static_cast<std::int8_t>(z)));
                break;
        }
    }
    take(a.flush());
    return 0;
}
