#include "drivers/ga467/protocol.hpp"

#include <algorithm>
#include <cstring>
#include <utility>

namespace drivers::ga467 {

std::uint8_t checksum(std::span<const std::uint8_t> bytes) {
    std::uint8_t x = 0;
    for (const std::uint8_t b : bytes) x = static_cast<std::uint8_t>(x ^ b);
    return x;
}

namespace {

// preamble | LEN | head... | data... | CHK, with LEN = head + data + 1.
std::vector<std::uint8_t> frame(std::span<const std::uint8_t> head, std::span<const std::uint8_t> data) {
    const std::size_t room = kMaxLength - head.size() - 1;
    if (data.size() > room) data = data.first(room);
    const std::size_t len = head.size() + data.size() + 1;
    // Sized once and filled by index (g++ 12 warns falsely on insert() after reserve()).
    std::vector<std::uint8_t> out(kHeaderSize + len);
    std::size_t at = 0;
    for (const std::uint8_t b : kPreamble) out[at++] = b;
    out[at++] = static_cast<std::uint8_t>(len >> 8);
    out[at++] = static_cast<std::uint8_t>(len & 0xFF);
    for (const std::uint8_t b : head) out[at++] = b;
    for (const std::uint8_t b : data) out[at++] = b;
    out[at] = checksum(std::span(out).subspan(kPreamble.size(), at - kPreamble.size()));
    return out;
}

}  // namespace

std::vector<std::uint8_t> build_request(Command cmd, std::span<const std::uint8_t> data) {
    const auto c = static_cast<std::uint16_t>(cmd);
    const std::array<std::uint8_t, 2> head{static_cast<std::uint8_t>(c >> 8), static_cast<std::uint8_t>(c & 0xFF)};
    return frame(head, data);
}

std::vector<std::uint8_t> build_response(std::uint8_t sw1, std::uint8_t sw2, std::uint8_t sw3,
                                         std::span<const std::uint8_t> data) {
    const std::array<std::uint8_t, 3> head{sw1, sw2, sw3};
    return frame(head, data);
}

// ---------------------------------------------------------------------------
// FrameParser

FrameParser::FrameParser() : buf_(kCapacity, 0) {}

void FrameParser::drop(std::size_t n) {
    n = std::min(n, buffered());
    std::memset(buf_.data() + head_, 0, n);
    head_ += n;
    if (head_ == end_) head_ = end_ = 0;
}

void FrameParser::compact() {
    if (head_ == 0) return;
    const std::size_t n = buffered();
    std::memmove(buf_.data(), buf_.data() + head_, n);
    std::memset(buf_.data() + n, 0, end_ - n);  // the old copies of moved bytes
    head_ = 0;
    end_ = n;
}

std::size_t FrameParser::feed(std::span<const std::uint8_t> bytes) {
    drop(std::exchange(handed_out_, 0));
    const std::size_t take = std::min(bytes.size(), kCapacity - buffered());
    if (take == 0) return 0;
    if (kCapacity - end_ < take) compact();
    std::memcpy(buf_.data() + end_, bytes.data(), take);
    end_ += take;
    return take;
}

void FrameParser::reset() {
    handed_out_ = 0;
    std::memset(buf_.data(), 0, end_);
    head_ = end_ = 0;
}

std::optional<Expected<Response>> FrameParser::next() {
    drop(std::exchange(handed_out_, 0));
    const std::uint8_t* const b = buf_.data();

    // Find the preamble; everything before it is garbage.
    const auto first = b + head_;
    const auto last = b + end_;
    const auto at = std::search(first, last, kPreamble.begin(), kPreamble.end());
    if (at == last) {
        // Keep the longest tail that could still become a preamble.
        std::size_t keep = std::min<std::size_t>(kPreamble.size() - 1, buffered());
        while (keep > 0 && !std::equal(last - keep, last, kPreamble.begin())) --keep;
        const std::size_t skip = buffered() - keep;
        garbage_ += skip;
        drop(skip);
        return std::nullopt;
    }
    if (at != first) {
        const auto skip = static_cast<std::size_t>(at - first);
        garbage_ += skip;
        drop(skip);
    }

    if (buffered() < kHeaderSize) return std::nullopt;
    const std::size_t len = static_cast<std::size_t>(b[head_ + 5]) << 8 | b[head_ + 6];
    if (len < kMinResponseLength || len > kMaxLength) {
        drop(1);  // resynchronise on the next preamble
        return Expected<Response>(DriverError{
            "ga467.length", "the reader sent a frame with an impossible length (" + std::to_string(len) + ")"});
    }
    if (buffered() < kHeaderSize + len) return std::nullopt;

    const std::span<const std::uint8_t> body(b + head_ + 5, 2 + len - 1);  // LEN_H .. end of DATA
    if (checksum(body) != b[head_ + kHeaderSize + len - 1]) {
        drop(1);
        return Expected<Response>(DriverError{"ga467.checksum", "the reader's reply was damaged on the line (checksum)"});
    }

    Response r;
    r.sw1 = b[head_ + 7];
    r.sw2 = b[head_ + 8];
    r.sw3 = b[head_ + 9];
    r.data = std::span<const std::uint8_t>(b + head_ + 10, len - kMinResponseLength);
    handed_out_ = kHeaderSize + len;
    return Expected<Response>(r);
}

// ---------------------------------------------------------------------------
// Status codes (hardware.md §1, "SW3 status")

namespace {

constexpr std::array<StatusInfo, 18> kStatuses{{
    {0x90, "ga467.ok", "done", StatusScope::Ok},
    {0x9F, "ga467.card_found", "a card is on the reader", StatusScope::Ok},
    {0x80, "ga467.no_card", "no card on the reader", StatusScope::NoCard},
    {0x81, "ga467.select_failed", "the card could not be selected; place it again", StatusScope::Card},
    {0x91, "ga467.item_missing", "the card does not hold the requested information", StatusScope::Card},
    {0x10, "ga467.bad_checksum", "the reader received a damaged command (checksum)", StatusScope::Protocol},
    {0x11, "ga467.bad_length", "the reader received a command of the wrong length", StatusScope::Protocol},
    {0x21, "ga467.bad_command", "the reader does not know the command it was sent", StatusScope::Protocol},
    {0x23, "ga467.not_authorised", "the reader refused the operation (not authorised)", StatusScope::Reader},
    {0x24, "ga467.unknown_error", "the reader reported an unknown error", StatusScope::Reader},
    {0x31, "ga467.card_auth_sam", "the card could not authenticate the reader's security module; place it again",
     StatusScope::Card},
    {0x32, "ga467.sam_auth_card",
     "the reader's security module could not authenticate the card (damaged or not genuine)", StatusScope::Card},
    {0x33, "ga467.verify_failed", "the card's information failed verification", StatusScope::Card},
    {0x40, "ga467.unknown_card_type", "this kind of card is not recognised", StatusScope::Card},
    {0x41, "ga467.read_failed", "reading the card failed; place it again", StatusScope::Card},
    {0x47, "ga467.random_failed", "the card did not answer the security check; place it again", StatusScope::Card},
    {0x60, "ga467.sam_self_test", "SAM module failed its self-test", StatusScope::Reader},
    {0x66, "ga467.sam_not_authorised", "SAM module is not authorised", StatusScope::Reader},
}};

constexpr std::array<std::uint8_t, kStatuses.size()> kCodes = [] {
    std::array<std::uint8_t, kStatuses.size()> c{};
    for (std::size_t i = 0; i < kStatuses.size(); ++i) c[i] = kStatuses[i].sw3;
    return c;
}();

}  // namespace

StatusInfo status_info(std::uint8_t sw3) {
    for (const auto& s : kStatuses)
        if (s.sw3 == sw3) return s;
    return {sw3, "ga467.status", "the reader answered with an unknown status", StatusScope::Unknown};
}

std::span<const std::uint8_t> known_statuses() { return kCodes; }

}  // namespace drivers::ga467
