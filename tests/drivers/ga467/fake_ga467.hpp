#pragma once
// A fake GA 467 resident ID card reader playing the device's side on the
// master end of a pseudo-terminal, in its own thread. The driver opens tty()
// (the slave end) exactly as it would open /dev/ttyUSB0.
//
// It behaves like the reader in hardware.md §1: it checks each request's LEN
// and CHK (answering 10/11/21 as a reader would), answers SAM status, find,
// select and read from the card on the field, and, after a good read, the card
// goes quiet (find answers 80) until it leaves the field and comes back: one
// placement = one read. The test scripts everything else: error statuses,
// damaged or truncated replies, garbage, floods, the card pulled mid-read,
// unplugging and plugging back (a new pty).
//
// The frames and text areas here are built independently of the driver's
// protocol code, from the tables in hardware.md.
//
// All methods: any thread, never block for long (unplug()/replug() join and
// start the device thread).
#include <array>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "drivers/card/card_event.hpp"

namespace ga467_test {

using TextArea = std::array<std::uint8_t, 256>;

// Writes `utf8` as UCS-2LE (UTF-16LE) into `area` at `offset`, padded with
// spaces to `size` bytes (cut if longer).
void put_field(TextArea& area, std::size_t offset, std::size_t size, std::string_view utf8);

// A whole text area, laid out as hardware.md says for t.document, from the
// fields of t (blank fields stay spaces). The card-type flag goes to offset 248.
TextArea text_area(const drivers::IdCardText& t);

// The request codes, CMD << 8 | PARA.
enum class Cmd : std::uint16_t {
    SamStatus = 0x11FF,
    SamId = 0x12FF,
    Find = 0x2001,
    Select = 0x2002,
    Read = 0x3001,
    ReadFingerprint = 0x3010,
};

// A response frame: AA AA AA 96 69 | LEN | SW1 SW2 SW3 | data | XOR.
std::vector<std::uint8_t> response_frame(std::uint8_t sw3, const std::vector<std::uint8_t>& data = {});
// The reply to 30 01 for a text area: TEXT_LEN 256, PHOTO_LEN 1024, text, photo (made-up WLT bytes).
std::vector<std::uint8_t> read_reply(const TextArea& text);

// How to spoil the next reply to a command.
enum class Damage {
    Checksum,    // last byte wrong
    LengthLong,  // LEN claims 16 bytes more than follow
    LengthHuge,  // LEN = 0xFFFF, beyond anything the protocol has
    LengthShort, // LEN claims 16 bytes fewer (so the frame's checksum lands on a data byte)
    Truncate,    // only the first half of the frame is sent
    Silence,     // no reply at all
    PullCard,    // the card leaves the field mid-read: half the reply, then nothing, and the card is gone
};

class FakeGa467 {
public:
    struct Options {
        bool quiet_after_read = true;  // true: as hardware.md; false: a reader whose card keeps answering find
    };
    FakeGa467();
    explicit FakeGa467(Options options);
    ~FakeGa467();
    FakeGa467(const FakeGa467&) = delete;
    FakeGa467& operator=(const FakeGa467&) = delete;

    [[nodiscard]] std::string tty() const;

    // The card on the field.
    void place(const TextArea& text);
    void place(const drivers::IdCardText& t) { place(text_area(t)); }
    void remove();

    // The next `times` requests of `cmd` are answered with status `sw3` (no data).
    void answer(Cmd cmd, std::uint8_t sw3, int times = 1);
    // Every request is answered with `sw3` (a failed SAM module) until cleared with nullopt.
    void fail_all(std::optional<std::uint8_t> sw3);
    // The next reply to `cmd` is spoiled.
    void damage_next(Cmd cmd, Damage damage);
    // Bytes sent just before the next reply (noise on the line).
    void garbage_before_next_reply(std::vector<std::uint8_t> bytes);
    // Bytes sent now, unasked.
    void send_raw(std::vector<std::uint8_t> bytes);
    // `bytes` random bytes, sent as fast as the other side takes them, between replies.
    void flood(std::size_t bytes);

    // Unplug: the pty goes away (the driver sees a hang-up).
    void unplug();
    // Plug back in: a new pty; returns its tty (usually another /dev/pts/N).
    std::string replug();

    // What the device saw.
    [[nodiscard]] int requests(Cmd cmd) const;
    [[nodiscard]] int bad_requests() const;  // requests with a wrong LEN or CHK
    [[nodiscard]] std::size_t flood_left() const;
    // Waits until `requests(cmd) >= n`; false after `timeout`.
    bool wait_requests(Cmd cmd, int n, std::chrono::milliseconds timeout) const;
    // When the last byte of the last good read reply went into the pty.
    [[nodiscard]] std::chrono::steady_clock::time_point last_read_reply_at() const;
    [[nodiscard]] int read_replies() const;

private:
    void open_pty();
    void close_pty();
    void run();
    void handle_request(std::uint16_t cmd, bool frame_ok, bool len_ok);
    void enqueue(std::vector<std::uint8_t> bytes, bool read_reply = false);
    void pump_out();
    void wake();

    const Options options_;
    mutable std::mutex mu_;
    mutable std::condition_variable cv_;
    int master_ = -1;
    int slave_ = -1;
    int wake_fd_ = -1;
    std::string tty_;
    std::thread thread_;
    bool stopping_ = false;

    // Device state (under mu_).
    std::optional<TextArea> card_;
    bool quiet_ = false;     // the card was read; silent until it leaves
    bool selected_ = false;
    std::map<std::uint16_t, std::deque<std::uint8_t>> scripted_;
    std::map<std::uint16_t, Damage> damage_;
    std::optional<std::uint8_t> fail_all_;
    std::vector<std::uint8_t> garbage_;
    std::size_t flood_left_ = 0;
    std::mt19937 rng_{467};
    std::map<std::uint16_t, int> seen_;
    int bad_ = 0;

    // Output (device thread only, except enqueue under mu_).
    std::vector<std::uint8_t> out_;
    std::size_t out_at_ = 0;
    std::uint64_t written_ = 0, enqueued_ = 0;
    std::deque<std::uint64_t> read_reply_ends_;
    std::chrono::steady_clock::time_point last_read_reply_at_{};
    int read_replies_ = 0;
    std::vector<std::uint8_t> in_;  // request bytes not parsed yet
};

}  // namespace ga467_test
