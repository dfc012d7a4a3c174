#pragma once
// Printer status: the replies to real-time status requests (DLE EOT n) and
// automatic status packets (GS a), parsed without trusting the bytes.
//
// Every function here is pure and total (fuzzed: tests/fuzz/printer_status):
// any byte sequence is accepted or rejected, never misread as something else.
//
// The reply to DLE EOT n is one byte whose fixed bits are bit 1 and bit 4 set,
// bit 0 and bit 7 clear ((b & 0x93) == 0x12). A byte that does not match is
// not a status reply (a stray byte, XON/XOFF, the tail of something else) and
// is rejected. Meaning of the other bits (ESC/POS):
//   n = 1 printer:       bit 3 offline, bit 5 waiting for online recovery,
//                        bit 6 paper being fed by the feed button
//   n = 2 offline cause: bit 2 cover open, bit 3 paper fed by the button,
//                        bit 5 printing stopped at paper end, bit 6 error
//   n = 3 error cause:   bit 2 recoverable (mechanical) error, bit 3 autocutter
//                        error, bit 5 unrecoverable error, bit 6 automatically
//                        recoverable error (head too hot …)
//   n = 4 paper sensor:  bits 2–3 paper near end, bits 5–6 paper end (either
//                        bit of a pair counts: printers set one or both)
// Automatic status (GS a) packets are 4 bytes: the first with
// (b & 0x93) == 0x10, the others with (b & 0x90) == 0x00; Epson's layout:
//   byte 1: bit 3 offline, bit 5 cover open, bit 6 paper fed by the button
//   byte 2: bit 2 mechanical error, bit 3 autocutter error, bit 5
//           unrecoverable error, bit 6 automatically recoverable error
//   byte 3: bits 0–1 paper near end, bits 2–3 paper end
// Because a DLE EOT reply has bit 1 set and every packet byte has it clear or
// bit 4 clear, the two never mix up in one stream (StatusStream).
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "drivers/common/expected.hpp"

namespace drivers::escpos {

enum class StatusQuery : std::uint8_t { Printer = 1, OfflineCause = 2, ErrorCause = 3, PaperSensor = 4 };

// The request bytes: 10 04 n.
[[nodiscard]] std::array<std::uint8_t, 3> status_request(StatusQuery n);

struct PrinterStatus {
    // What the worker acts on.
    bool offline = false;
    bool cover_open = false;
    bool paper_out = false;
    bool paper_near_end = false;
    bool error = false;  // any error (the flags below say which, when asked)
    // Detail.
    bool waiting_online_recovery = false;
    bool feed_button = false;
    bool mechanical_error = false;
    bool autocutter_error = false;
    bool unrecoverable_error = false;
    bool auto_recoverable_error = false;

    // Nothing stops printing (paper near end does not).
    [[nodiscard]] bool can_print() const { return !offline && !cover_open && !paper_out && !error; }
    bool operator==(const PrinterStatus&) const = default;
};

// True when `byte` can be a DLE EOT reply (fixed bits right).
[[nodiscard]] bool is_status_reply(std::uint8_t byte);

// Folds the reply to DLE EOT n into `into` (the other fields are left alone,
// so the replies to n = 1…4 add up). Error "printer.bad_status" (nothing
// changed) when the fixed bits are wrong or n is not 1–4.
[[nodiscard]] Expected<void> apply_status_reply(StatusQuery n, std::uint8_t byte, PrinterStatus& into);

// A 4-byte automatic status packet, or nothing when the bytes are not one.
[[nodiscard]] std::optional<PrinterStatus> parse_auto_status(std::span<const std::uint8_t> packet);

// Splits what a printer sends back into status replies and automatic status
// packets, dropping everything else. Feed it bytes in order, as they come.
class StatusStream {
public:
    struct Item {
        enum class Kind : std::uint8_t { Reply, AutoStatus } kind;
        std::uint8_t reply = 0;  // Reply: the byte (is_status_reply)
        PrinterStatus status;    // AutoStatus: the packet, parsed
    };
    // Items completed by `bytes`, in order; bytes that are neither are dropped
    // (counted in dropped()). A packet cut short by a byte that cannot
    // continue it is dropped and that byte is looked at afresh.
    std::vector<Item> feed(std::span<const std::uint8_t> bytes);
    [[nodiscard]] std::size_t dropped() const { return dropped_; }
    void reset() { held_ = 0; }

private:
    std::array<std::uint8_t, 4> packet_{};
    std::size_t held_ = 0;
    std::size_t dropped_ = 0;
};

// The problems in a status, most serious first, each with a stable code and
// plain English words (the kiosk shows its own translation by code):
//   printer.cover_open, printer.paper_out, printer.error, printer.offline,
//   printer.paper_near_end (a warning: printing goes on).
// Empty when all is well.
[[nodiscard]] std::vector<DriverError> status_problems(const PrinterStatus& status);
// "ready", or the problems' words joined by "; ".
[[nodiscard]] std::string describe(const PrinterStatus& status);

}  // namespace drivers::escpos
