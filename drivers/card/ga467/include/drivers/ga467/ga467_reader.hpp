#pragma once
// The GA 467 resident ID card reader on a serial port
// (`[devices.id_reader] driver = "ga467"`, `path`, `baud`).
//
// What it does, on its own thread:
//   open `path` (a /dev/serial/by-id/... symlink is resolved again on every
//   open, so a reader that comes back as another ttyUSBn is found) -> SAM
//   status -> every poll_interval: find card -> select -> read text + photo ->
//   decode -> one CardEvent. The photo bytes are never copied out of the
//   frame parser, never decoded, and wiped with the frame.
//
// Contract:
//   Ga467Reader(): never blocks, opens nothing.
//   start(sink): returns at once; the reader's thread opens the port and
//     delivers events to `sink` on that thread. Calling start() while running
//     does nothing; start() after stop() starts again.
//   stop(): wakes the thread (a Waker, so it does not wait out a timeout) and
//     joins it; returns within a few milliseconds (unless the sink itself is
//     blocking); no sink call happens after it returns. Idempotent; the destructor calls it.
//   health(), stats(), name(): any thread, never block for long.
//
// Events (CardEvent::reader = name(), i.e. "ga467:<path>"):
//   Kind::IdCard  one per placement: the card must leave the field (find card
//     answers "no card") before the next one. A card left lying on the reader
//     gives one event however long it stays. id.id_number_check tells a bad
//     GB 11643 check digit (the text is still delivered, so the kiosk can say
//     "this card's number is not valid" rather than "try again").
//   Kind::Error   a placement that could not be read, with a plain reason and
//     no personal data; at most one per placement:
//       - the read failed and then the card was gone (or went quiet, as a
//         card does once the reader has read it): "the card was moved during
//         reading; place it again", or, when the reply was damaged on the
//         line, "the card could not be read (the reader's reply was damaged);
//         lift it and place it again";
//       - the read failed read_attempts times while the card stayed: the last
//         failure's reason, e.g. "reading the card failed; place it again",
//         "the reader's security module could not authenticate the card
//         (damaged or not genuine)", "the reader did not answer in time",
//         "SAM module failed its self-test" (every SW3 code has its reason:
//         status_info() in protocol.hpp);
//       - the read succeeded but the text cannot be used: at once (reading
//         again gives the same bytes): "this kind of card is not supported by
//         the terminal", "the card's text could not be read (no ID number);
//         place it again", "the reader's reply to a card read does not have
//         the expected layout".
//     Choice: a resident standing at the kiosk with a card on the reader gets
//     an answer (an Error event) rather than silence; a retry that succeeds is
//     not shown at all (only counted in stats and health.last_error). Faults
//     seen while no card is known to be present (SAM self-test, the reader
//     not answering, unplugged) go to health only.
//
// Health (device = "ga467 <path>", plus " -> <tty>" when path is a symlink):
//   Absent   "reader not connected: <path>" (missing, unplugged; retried every
//            reopen_interval), "cannot open <path>: ..." (permission, busy),
//            "reader stopped" (after stop())
//   Ready    "ready"
//   Fault    "SAM module failed its self-test", "SAM module is not authorised",
//            "the reader refused the operation (not authorised)",
//            "the reader reported an unknown error",
//            "the reader does not answer (check the cable and the speed, <baud>)",
//            "the reader rejects our commands (damaged line?)",
//            "<path> is not a serial port", "cannot set <path> to <baud> 8N1"
//   last_error: the plain reason of the last failure (never names or numbers).
#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

#include "drivers/card/card_event.hpp"
#include "drivers/common/expected.hpp"
#include "drivers/common/health.hpp"
#include "drivers/ga467/card_text.hpp"
#include "drivers/ga467/protocol.hpp"
#include "drivers/io/serial_port.hpp"
#include "drivers/io/waker.hpp"

namespace drivers::ga467 {

struct Options {
    std::string path;  // "/dev/ttyUSB0" or "/dev/serial/by-id/usb-...-if00-port0"
    int baud = 115200;
    std::chrono::milliseconds poll_interval{250};     // between find-card requests
    std::chrono::milliseconds command_timeout{300};   // SAM status, find, select (hardware.md: ~300 ms)
    std::chrono::milliseconds read_timeout{1100};     // read text + photo (hardware.md: ~1.1 s)
    std::chrono::milliseconds reopen_interval{1000};  // retrying a missing or silent reader
    int read_attempts = 3;  // tries per placement before an Error event (card still on the field)
    ReadKind read = ReadKind::TextPhoto;  // 30 01; TextPhotoFingerprint sends 30 10
};

// Checks the options the kiosk passes: "ga467.config" with a plain sentence
// (empty path, unsupported speed, a zero interval or timeout, attempts < 1).
[[nodiscard]] Expected<void> validate(const Options& options);

// Counters since construction, for tests, benchmarks and `kiosk doctor`.
struct Stats {
    std::uint64_t opens = 0;            // successful opens of the port
    std::uint64_t unplugs = 0;          // "serial.gone" seen
    std::uint64_t frames = 0;           // well-formed replies
    std::uint64_t checksum_errors = 0;  // replies with a bad CHK
    std::uint64_t length_errors = 0;    // frames with an impossible LEN
    std::uint64_t timeouts = 0;         // a reply did not arrive (or not completely) in time
    std::uint64_t garbage_bytes = 0;    // bytes skipped outside frames
    std::uint64_t cards = 0;            // IdCard events delivered
    std::uint64_t errors = 0;           // Error events delivered
    std::uint64_t max_buffered = 0;     // most bytes the parser ever held (<= FrameParser::kCapacity)
};

class Ga467Reader final : public CardReader {
public:
    explicit Ga467Reader(Options options);
    ~Ga467Reader() override;
    Ga467Reader(const Ga467Reader&) = delete;
    Ga467Reader& operator=(const Ga467Reader&) = delete;

    void start(CardSink sink) override;
    void stop() override;
    [[nodiscard]] std::string name() const override { return "ga467:" + options_.path; }

    [[nodiscard]] DeviceHealth health() const { return health_.get(); }
    [[nodiscard]] Stats stats() const;

private:
    void run();
    bool open_port();
    void close_port(bool unplugged);
    void check_reader();
    void poll_card();
    void read_card();
    void placement_failed(const DriverError& why);
    // Sends `cmd` and waits for one reply. The Response's data points into
    // parser_ and is valid until parser_ is used again.
    Expected<Response> transact(Command cmd, std::chrono::milliseconds timeout);
    void handle_failure(const DriverError& e);
    void reader_status(const StatusInfo& s);
    void emit_error(const std::string& reason);
    void wait(std::chrono::milliseconds d);
    void set_state(DeviceState state, const std::string& status);
    void count(std::uint64_t Stats::*counter, std::uint64_t n = 1);

    const Options options_;
    HealthCell health_;
    io::Waker waker_;
    std::thread thread_;
    std::atomic<bool> stopping_{false};
    CardSink sink_;

    // Reader thread only.
    io::SerialPort port_;
    FrameParser parser_;
    bool reader_ok_ = false;       // the SAM status check passed since the port was opened
    int silent_ = 0;               // replies missed in a row
    int rejected_ = 0;             // commands the reader rejected in a row (SW3 10/11/21)
    bool card_done_ = false;       // this placement has had its event
    int attempts_ = 0;             // failed reads in this placement
    std::string last_failure_;     // the code of the last failed read
    DeviceState shown_ = DeviceState::Absent;  // the state last written to health_
    std::array<std::uint8_t, 512> rx_{};     // one read's bytes; wiped after feeding the parser

    mutable std::mutex stats_mu_;
    Stats stats_;
};

}  // namespace drivers::ga467
