#pragma once
// Keyboard-wedge card readers and QR scanners (driver = "hid"), read through
// evdev (hardware.md section 3).
//
// The reader opens `path` (a /dev/input/by-id/...-event-kbd or by-path link,
// re-resolved at every open, so a re-plugged reader or a re-pointed link is
// found without a restart), takes it with EVIOCGRAB so its keystrokes never
// reach the UI, and assembles lines with LineAssembler. Each line is
// normalised in the configured CardFormat and delivered as one CardEvent.
//
// Lines that end with Enter:
//   - a valid number     -> CardEvent{Card, card = the canonical number}
//   - anything else      -> CardEvent{Error, error = a plain reason} and the
//                           reason in health().last_error. The resident did
//                           tap; the screen can ask them to tap again.
// Lines without Enter (no key for `line_timeout`, 300 ms by default):
//   - delivered as a Card when `deliver_unterminated` is on (the default), the
//     line is clean (nothing lost, nothing unmapped, not over-long) and it
//     parses in the configured format: a resident tapping a card must not be
//     ignored because the reader lost its terminator. The strict formats
//     (exactly 10 digits, or 8/14/20 hex digits) make sure half a number is
//     refused rather than taken for another card.
//   - otherwise dropped, with a note in health().last_error and no event (it
//     may be noise, and there is no way to tell the resident what happened).
//   In "raw" format every clean non-empty line parses, so a QR payload whose
//   Enter was lost is still delivered; turn `deliver_unterminated` off for
//   scanners whose payloads must be known complete.
// A line being typed when the device goes away is dropped (noted in health).
//
// Health (device "hid <path>"):
//   Absent    "waiting for the reader to be plugged in" (path missing, ENODEV),
//             "the reader was unplugged; waiting for it to come back"
//   Ready     "ready"
//   Degraded  "reading, but keystrokes cannot be grabbed: not an input event
//             device" (EVIOCGRAB refused with ENOTTY/EINVAL: a pipe or a tty;
//             reading still works, but on a real keyboard the keystrokes would
//             also reach the screen)
//   Fault     "no permission to open the reader; ..." (EACCES/EPERM),
//             "another program has grabbed the reader; ..." (EBUSY),
//             other open/grab failures with the system's reason.
//   Every state but Ready/Degraded retries the open every `reopen_interval`.
// Card numbers never appear in health or in error messages.
//
// Threading: start() spawns the reader thread and returns at once; the sink
// is called on that thread. stop() wakes the thread through a Waker (it never
// waits for a read or a timeout to expire), joins it, closes the device (which
// ends the grab) and returns; no sink call happens after it. stop() is
// idempotent; start() after stop() starts again; start() while running does
// nothing. health() and name() may be called from any thread at any time.
#include <atomic>
#include <chrono>
#include <cstddef>
#include <string>
#include <thread>

#include "drivers/card/card_event.hpp"
#include "drivers/card/card_number.hpp"
#include "drivers/common/health.hpp"
#include "drivers/hid/line_assembler.hpp"
#include "drivers/io/waker.hpp"

namespace drivers::hid {

struct HidReaderConfig {
    std::string path;                                 // the event device or a link to it
    CardFormat format = CardFormat::Dec10;            // how the reader prints numbers
    std::chrono::milliseconds line_timeout{300};      // a line without Enter ends after this much silence
    std::chrono::milliseconds reopen_interval{1000};  // how often a missing device is looked for
    std::size_t max_line = LineAssembler::kDefaultMaxLine;
    bool deliver_unterminated = true;  // see "Lines without Enter" above
};

class HidCardReader final : public CardReader {
public:
    explicit HidCardReader(HidReaderConfig config);
    ~HidCardReader() override;  // stop()
    HidCardReader(const HidCardReader&) = delete;
    HidCardReader& operator=(const HidCardReader&) = delete;

    void start(CardSink sink) override;
    void stop() override;
    [[nodiscard]] std::string name() const override { return "hid:" + config_.path; }
    [[nodiscard]] DeviceHealth health() const { return health_.get(); }

private:
    enum class Opened { Ok, Retry };
    void run();
    Opened open_device();
    void read_device();
    void close_device();
    void handle(const AssembledLine& line);
    void deliver_card(std::string number);
    void deliver_error(std::string reason);
    bool sleep_unless_stopped(std::chrono::milliseconds d);

    const HidReaderConfig config_;
    HealthCell health_;
    CardSink sink_;
    io::Waker waker_;
    std::atomic<bool> stopping_{false};
    std::thread thread_;
    int fd_ = -1;            // reader thread only
    bool was_open_ = false;  // reader thread only: tells "unplugged" from "never seen"
    LineAssembler assembler_;
};

}  // namespace drivers::hid
