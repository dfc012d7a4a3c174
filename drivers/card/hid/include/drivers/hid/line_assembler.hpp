#pragma once
// Keystrokes in, lines out: the pure half of the keyboard-wedge reader.
//
// A keyboard-wedge card reader or QR scanner "types" what it read, followed
// by Enter. This class turns the evdev events it produces into text lines
// with a US keyboard layout. No I/O, no clocks, no allocation beyond the
// line being built (bounded by `max_line`): the reader thread feeds it, the
// tests feed it recorded events, the fuzzer feeds it anything.
//
// What it understands (hardware.md section 3):
//   - EV_KEY with value 1 (press). Releases (0) matter only for the shifts;
//     auto-repeat (2) is ignored, so a held key yields one character.
//   - Both shifts (42, 54), tracked separately.
//   - KEY_1..KEY_0 (2..11), KEY_A..KEY_Z, the US symbol keys (- = [ ] ; ' `
//     \ , . / and space) with their shifted forms.
//   - Keypad digits 71-82, keypad . * - + /, always as digits and symbols
//     (readers assume NumLock on; we do not track it).
//   - Enter (28) and keypad Enter (96) end a line.
//   - Modifiers and locks (Ctrl, Alt, Meta, CapsLock, NumLock, ScrollLock)
//     are ignored. Every other key press is "unmapped": it produces nothing
//     and marks the line, because a character we could not read may be
//     missing from it.
//   - EV_SYN/SYN_DROPPED: the kernel lost events, so the line being built is
//     marked `damaged` and the shifts are released.
//   - Every other event type (EV_MSC scan codes, EV_SYN reports, EV_LED, ...)
//     is ignored.
//
// Not thread-safe: one owner feeds it (the reader thread, or a test).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

struct input_event;

namespace drivers::hid {

struct AssembledLine {
    enum class End {
        Enter,    // the reader sent Enter
        Timeout,  // flush(): no Enter came (the reader lost its terminator, or was cut off)
    };
    std::string text;  // at most max_line bytes, printable ASCII
    End end = End::Enter;
    bool overflow = false;     // more than max_line characters were typed; the rest was dropped
    bool damaged = false;      // events were lost (SYN_DROPPED) while this line was typed
    std::size_t unmapped = 0;  // key presses that produced no character

    // True when nothing is known to be missing from `text`.
    [[nodiscard]] bool clean() const { return !overflow && !damaged && unmapped == 0; }
};

class LineAssembler {
public:
    static constexpr std::size_t kDefaultMaxLine = 256;

    // `max_line`: the longest line kept, in characters (at least 1).
    explicit LineAssembler(std::size_t max_line = kDefaultMaxLine);

    // Feeds one event. Returns a line when this event was Enter and something
    // was typed since the last line (an Enter on its own returns nothing,
    // unless unmapped keys or a SYN_DROPPED came before it).
    std::optional<AssembledLine> feed(std::uint16_t type, std::uint16_t code, std::int32_t value);
    std::optional<AssembledLine> feed(const input_event& ev);

    // Ends the line being built without an Enter (the caller's timeout), with
    // End::Timeout. Nothing when no line is being built. Shift state is kept.
    std::optional<AssembledLine> flush();

    // True while a line is being built (something typed since the last line).
    [[nodiscard]] bool pending() const { return started_; }

    // Forgets the line being built and the shift state (the device went away).
    void reset();

    // The character a key press makes, or 0 when it makes none. Exposed for
    // tests and for the fake devices that must type a given text.
    [[nodiscard]] static char key_char(std::uint16_t code, bool shift);

    // The inverse, for fakes that type a text: the main-block key (not the
    // keypad) and whether shift is held. Nothing for characters no key makes.
    struct KeyStroke {
        std::uint16_t code = 0;
        bool shift = false;
    };
    [[nodiscard]] static std::optional<KeyStroke> key_for(char c);

private:
    std::optional<AssembledLine> finish(AssembledLine::End end);

    std::size_t max_line_;
    AssembledLine line_;
    bool started_ = false;
    bool left_shift_ = false;
    bool right_shift_ = false;
};

}  // namespace drivers::hid
