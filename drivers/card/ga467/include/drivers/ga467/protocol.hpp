#pragma once
// GA 467 resident ID card reader protocol: frames, the incremental frame
// parser and the status codes (docs: /work/shared/docs/hardware.md §1).
//
// Pure: no I/O, no threads, no clocks. Every function here may be called from
// any thread; a FrameParser is used by one thread at a time.
//
// Index
//   [frames]  request/response layout, build_request(), build_response()
//   [parser]  FrameParser: arbitrary byte chunks in, responses or errors out
//   [status]  SW3 codes -> stable code + plain reason + who must act
//
// [frames]
//   request : AA AA AA 96 69 | LEN_H LEN_L | CMD PARA | DATA... | CHK
//   response: AA AA AA 96 69 | LEN_H LEN_L | SW1 SW2 SW3 | DATA... | CHK
//   LEN (big-endian) counts every byte after itself, CHK included.
//   CHK = XOR of every byte from LEN_H to the end of DATA.
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "drivers/common/expected.hpp"

namespace drivers::ga467 {

inline constexpr std::array<std::uint8_t, 5> kPreamble{0xAA, 0xAA, 0xAA, 0x96, 0x69};
inline constexpr std::size_t kHeaderSize = 7;  // preamble + LEN

// The biggest reply the protocol has: read text + photo + fingerprint
// (SW 3, TEXT_LEN/PHOTO_LEN/FP_LEN 6, text 256, photo 1024, fingerprint 1024, CHK 1).
inline constexpr std::size_t kTextSize = 256;
inline constexpr std::size_t kPhotoSize = 1024;
inline constexpr std::size_t kFingerprintMax = 1024;
inline constexpr std::size_t kMaxLength = 3 + 6 + kTextSize + kPhotoSize + kFingerprintMax + 1;  // 2314
inline constexpr std::size_t kMinResponseLength = 4;  // SW1 SW2 SW3 CHK
inline constexpr std::size_t kMaxFrame = kHeaderSize + kMaxLength;

// The commands the driver sends: CMD << 8 | PARA.
enum class Command : std::uint16_t {
    SamStatus = 0x11FF,
    SamId = 0x12FF,
    FindCard = 0x2001,
    SelectCard = 0x2002,
    ReadText = 0x3001,             // text + photo
    ReadTextFingerprint = 0x3010,  // text + photo + fingerprint
};

// XOR of `bytes` (give it LEN_H .. end of DATA).
[[nodiscard]] std::uint8_t checksum(std::span<const std::uint8_t> bytes);

// A complete request frame, e.g. FindCard -> AA AA AA 96 69 00 03 20 01 22.
// `data` longer than kMaxLength - 3 is cut (no command of ours carries data).
[[nodiscard]] std::vector<std::uint8_t> build_request(Command cmd, std::span<const std::uint8_t> data = {});

// A complete response frame (for fakes, the simulator, fuzz seeds and
// benchmarks). `data` longer than the protocol allows is cut.
[[nodiscard]] std::vector<std::uint8_t> build_response(std::uint8_t sw1, std::uint8_t sw2, std::uint8_t sw3,
                                                       std::span<const std::uint8_t> data = {});

// One response, as parsed. `data` is a view into the parser's buffer: it stays
// valid until the next call to feed(), next() or reset() on that parser, after
// which the bytes are overwritten (a reply holds personal data and a photo; the
// parser wipes every frame it has handed out).
struct Response {
    std::uint8_t sw1 = 0;
    std::uint8_t sw2 = 0;
    std::uint8_t sw3 = 0;
    std::span<const std::uint8_t> data;  // between SW3 and CHK
};

// [parser]
// Takes bytes in arbitrary chunks (one at a time, or many frames at once),
// finds the preamble, checks LEN and CHK, and hands out one result at a time:
//   - a Response;
//   - an error: "ga467.length" (LEN below 4 or above kMaxLength: never
//     allocated, never waited for) or "ga467.checksum" (CHK does not match).
//     After an error the parser resynchronises: it drops the first preamble
//     byte and looks for the next preamble, so a truncated frame followed by a
//     good one still yields the good one.
// Bytes before a preamble are garbage: skipped silently and counted.
// Memory is bounded: the parser never holds more than kCapacity bytes.
class FrameParser {
public:
    static constexpr std::size_t kCapacity = 2 * kMaxFrame;

    FrameParser();

    // Takes as many bytes as fit (buffered() + taken <= kCapacity) and returns
    // how many it took. Call next() until it returns nothing, then feed the
    // rest: a full buffer always yields a result or drops garbage, so this loop
    // always makes progress.
    std::size_t feed(std::span<const std::uint8_t> bytes);

    // The next result, or nothing when more bytes are needed.
    std::optional<Expected<Response>> next();

    // Drops (and wipes) everything buffered; counters are kept.
    void reset();

    [[nodiscard]] std::size_t buffered() const { return end_ - head_; }
    [[nodiscard]] std::uint64_t garbage_bytes() const { return garbage_; }  // skipped outside frames

private:
    void drop(std::size_t n);  // consume n bytes from the front, wiping them
    void compact();

    std::vector<std::uint8_t> buf_;  // fixed size kCapacity, allocated once
    std::size_t head_ = 0;           // first unconsumed byte
    std::size_t end_ = 0;            // one past the last buffered byte
    std::size_t handed_out_ = 0;     // bytes of the last frame handed out, wiped on the next call
    std::uint64_t garbage_ = 0;
};

// [status]
// Who has to act on a status.
enum class StatusScope {
    Ok,        // 90 done, 9F card found
    NoCard,    // 80 nothing on the field
    Card,      // this card or this placement: the resident places it again (or it is not readable)
    Protocol,  // our command reached the reader damaged or was not understood: retry
    Reader,    // the reader or its SAM module is not working: staff
    Unknown,   // a code hardware.md does not list
};

struct StatusInfo {
    std::uint8_t sw3 = 0;
    const char* code = "";    // stable: "ga467.sam_self_test"
    const char* reason = "";  // plain English, no personal data: "SAM module failed its self-test"
    StatusScope scope = StatusScope::Unknown;
};

// Every SW3 code in hardware.md has its own entry; any other code gets
// code "ga467.status" and the reason "the reader answered with an unknown status".
[[nodiscard]] StatusInfo status_info(std::uint8_t sw3);

// The SW3 codes hardware.md lists, in its order (for tests and tools).
[[nodiscard]] std::span<const std::uint8_t> known_statuses();

}  // namespace drivers::ga467
