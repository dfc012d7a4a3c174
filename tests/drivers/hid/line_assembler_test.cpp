// The line assembler against recorded input_event streams.
#include "drivers/hid/line_assembler.hpp"

#include <doctest/doctest.h>
#include <linux/input.h>

#include <optional>
#include <string>
#include <vector>

#include "fake_evdev.hpp"

using drivers::hid::AssembledLine;
using drivers::hid::LineAssembler;
using fake_evdev::ev;
using fake_evdev::Events;

namespace {
std::vector<AssembledLine> feed_all(LineAssembler& a, const Events& events) {
    std::vector<AssembledLine> out;
    for (const auto& e : events)
        if (auto line = a.feed(e)) out.push_back(std::move(*line));
    return out;
}
}  // namespace

TEST_CASE("line assembler: a recorded EM4100 read, ten digits and Enter") {
    // As evtest shows a typical 125 kHz wedge reader: MSC_SCAN, key, SYN for
    // every press and release.
    // clang-format off
    const Events recorded{
        ev(EV_MSC, MSC_SCAN, 0x70027), ev(EV_KEY, KEY_0, 1), ev(EV_SYN, SYN_REPORT, 0),
        ev(EV_MSC, MSC_SCAN, 0x70027), ev(EV_KEY, KEY_0, 0), ev(EV_SYN, SYN_REPORT, 0),
        ev(EV_KEY, KEY_0, 1), ev(EV_KEY, KEY_0, 0), ev(EV_KEY, KEY_7, 1), ev(EV_KEY, KEY_7, 0),
        ev(EV_KEY, KEY_7, 1), ev(EV_KEY, KEY_7, 0), ev(EV_KEY, KEY_7, 1), ev(EV_KEY, KEY_7, 0),
        ev(EV_KEY, KEY_0, 1), ev(EV_KEY, KEY_0, 0), ev(EV_KEY, KEY_6, 1), ev(EV_KEY, KEY_6, 0),
        ev(EV_KEY, KEY_9, 1), ev(EV_KEY, KEY_9, 0), ev(EV_KEY, KEY_4, 1), ev(EV_KEY, KEY_4, 0),
        ev(EV_KEY, KEY_7, 1), ev(EV_KEY, KEY_7, 0), ev(EV_SYN, SYN_REPORT, 0),
        ev(EV_MSC, MSC_SCAN, 0x70028), ev(EV_KEY, KEY_ENTER, 1), ev(EV_SYN, SYN_REPORT, 0),
        ev(EV_KEY, KEY_ENTER, 0), ev(EV_SYN, SYN_REPORT, 0),
    };
    // clang-format on
    LineAssembler a;
    const auto lines = feed_all(a, recorded);
    REQUIRE(lines.size() == 1);
    CHECK(lines[0].text == "0077706947");
    CHECK(lines[0].end == AssembledLine::End::Enter);
    CHECK(lines[0].clean());
    CHECK_FALSE(a.pending());
}

TEST_CASE("line assembler: shift makes capitals and symbols, either shift, until released") {
    Events e;
    fake_evdev::key(e, KEY_RIGHTSHIFT, 1);
    fake_evdev::tap(e, KEY_A);
    fake_evdev::key(e, KEY_RIGHTSHIFT, 2);  // a held shift repeats: still held
    fake_evdev::tap(e, KEY_1);
    fake_evdev::key(e, KEY_LEFTSHIFT, 1);
    fake_evdev::key(e, KEY_RIGHTSHIFT, 0);  // left still down
    fake_evdev::tap(e, KEY_SLASH);
    fake_evdev::key(e, KEY_LEFTSHIFT, 0);
    fake_evdev::tap(e, KEY_A);
    fake_evdev::tap(e, KEY_SLASH);
    fake_evdev::tap(e, KEY_ENTER);
    LineAssembler a;
    const auto lines = feed_all(a, e);
    REQUIRE(lines.size() == 1);
    CHECK(lines[0].text == "A!?a/");
    CHECK(lines[0].clean());
}

TEST_CASE("line assembler: a QR payload with every printable character round-trips") {
    std::string all;
    for (char c = 0x20; c < 0x7F; ++c) all.push_back(c);
    LineAssembler a(512);
    const auto lines = feed_all(a, fake_evdev::type_line(all));
    REQUIRE(lines.size() == 1);
    CHECK(lines[0].text == all);
    CHECK(lines[0].clean());
}

TEST_CASE("line assembler: keypad digits and keypad Enter") {
    LineAssembler a;
    auto e = fake_evdev::type_keypad("3283263748");
    fake_evdev::tap(e, KEY_KPDOT);
    fake_evdev::tap(e, KEY_KPENTER);  // a second line: just "."
    const auto lines = feed_all(a, e);
    REQUIRE(lines.size() == 2);
    CHECK(lines[0].text == "3283263748");
    CHECK(lines[0].clean());
    CHECK(lines[1].text == ".");
    // NumLock and CapsLock from a reader are neither characters nor garbage.
    Events locks;
    fake_evdev::tap(locks, KEY_NUMLOCK);
    fake_evdev::tap(locks, KEY_KP1);
    fake_evdev::tap(locks, KEY_CAPSLOCK);
    fake_evdev::tap(locks, KEY_KPENTER);
    const auto l2 = feed_all(a, locks);
    REQUIRE(l2.size() == 1);
    CHECK(l2[0].text == "1");
    CHECK(l2[0].clean());
}

TEST_CASE("line assembler: auto-repeat and releases type nothing") {
    Events e;
    fake_evdev::key(e, KEY_5, 1);
    fake_evdev::key(e, KEY_5, 2);
    fake_evdev::key(e, KEY_5, 2);
    fake_evdev::key(e, KEY_5, 0);
    fake_evdev::key(e, KEY_6, 0);      // a release without a press
    fake_evdev::key(e, KEY_ENTER, 2);  // a repeating Enter does not end a line
    fake_evdev::key(e, KEY_7, 1);
    fake_evdev::key(e, KEY_ENTER, 1);
    LineAssembler a;
    const auto lines = feed_all(a, e);
    REQUIRE(lines.size() == 1);
    CHECK(lines[0].text == "57");
}

TEST_CASE("line assembler: a missing Enter leaves the line pending until flush") {
    LineAssembler a;
    CHECK_FALSE(a.flush().has_value());
    CHECK(feed_all(a, fake_evdev::type_line("0077706947", false)).empty());
    CHECK(a.pending());
    auto line = a.flush();
    REQUIRE(line.has_value());
    CHECK(line->text == "0077706947");
    CHECK(line->end == AssembledLine::End::Timeout);
    CHECK_FALSE(a.pending());
    CHECK_FALSE(a.flush().has_value());
    // The next line starts clean.
    const auto next = feed_all(a, fake_evdev::type_line("12"));
    REQUIRE(next.size() == 1);
    CHECK(next[0].text == "12");
}

TEST_CASE("line assembler: garbage keys mark the line, and an empty Enter is nothing") {
    LineAssembler a;
    Events e;
    fake_evdev::tap(e, KEY_ENTER);  // nothing typed: no line
    fake_evdev::tap(e, KEY_1);
    fake_evdev::tap(e, KEY_F5);
    fake_evdev::tap(e, KEY_LEFTCTRL);  // a modifier is not garbage
    fake_evdev::tap(e, KEY_BACKSPACE);
    fake_evdev::tap(e, 0x2ff);  // beyond any table
    fake_evdev::tap(e, KEY_2);
    fake_evdev::tap(e, KEY_ENTER);
    fake_evdev::tap(e, KEY_ESC);  // garbage alone still reports a line
    fake_evdev::tap(e, KEY_ENTER);
    e.push_back(ev(EV_LED, LED_NUML, 1));
    e.push_back(ev(EV_REL, REL_X, 5));
    e.push_back(ev(0xffff, 0xffff, -1));
    fake_evdev::tap(e, KEY_ENTER);
    const auto lines = feed_all(a, e);
    REQUIRE(lines.size() == 2);
    CHECK(lines[0].text == "12");
    CHECK(lines[0].unmapped == 3);
    CHECK_FALSE(lines[0].clean());
    CHECK(lines[1].text.empty());
    CHECK(lines[1].unmapped == 1);
}

TEST_CASE("line assembler: an over-long line is cut and marked, and the next one is whole") {
    LineAssembler a(16);
    const auto lines = feed_all(a, fake_evdev::type_line(std::string(40, '7')));
    REQUIRE(lines.size() == 1);
    CHECK(lines[0].text.size() == 16);
    CHECK(lines[0].overflow);
    CHECK_FALSE(lines[0].clean());
    const auto next = feed_all(a, fake_evdev::type_line("0077706947"));
    REQUIRE(next.size() == 1);
    CHECK(next[0].text == "0077706947");
    CHECK(next[0].clean());
}

TEST_CASE("line assembler: SYN_DROPPED marks the line damaged and releases shift") {
    LineAssembler a;
    Events e;
    fake_evdev::key(e, KEY_LEFTSHIFT, 1);
    fake_evdev::tap(e, KEY_A);
    e.push_back(ev(EV_SYN, SYN_DROPPED, 0));  // the shift release may be among the lost
    fake_evdev::tap(e, KEY_B);
    fake_evdev::tap(e, KEY_ENTER);
    const auto lines = feed_all(a, e);
    REQUIRE(lines.size() == 1);
    CHECK(lines[0].text == "Ab");
    CHECK(lines[0].damaged);
    CHECK_FALSE(lines[0].clean());
}

TEST_CASE("line assembler: reset forgets the line and the shifts") {
    LineAssembler a;
    Events e;
    fake_evdev::key(e, KEY_LEFTSHIFT, 1);
    fake_evdev::tap(e, KEY_A);
    feed_all(a, e);
    CHECK(a.pending());
    a.reset();
    CHECK_FALSE(a.pending());
    const auto lines = feed_all(a, fake_evdev::type_line("b"));
    REQUIRE(lines.size() == 1);
    CHECK(lines[0].text == "b");
}

TEST_CASE("line assembler: key_for and key_char agree for every printable character") {
    for (char c = 0x20; c < 0x7F; ++c) {
        const auto k = LineAssembler::key_for(c);
        REQUIRE(k.has_value());
        CHECK(LineAssembler::key_char(k->code, k->shift) == c);
    }
    CHECK_FALSE(LineAssembler::key_for('\n').has_value());
    CHECK_FALSE(LineAssembler::key_for('\0').has_value());
}
