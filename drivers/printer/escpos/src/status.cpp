#include <string>

#include "drivers/printer/escpos_status.hpp"

namespace drivers::escpos {

namespace {
constexpr std::uint8_t kReplyMask = 0x93, kReplyFixed = 0x12;    // bits 0, 1, 4, 7: 0 1 1 0
constexpr std::uint8_t kPacketMask = 0x93, kPacketFirst = 0x10;  // first packet byte: 0 0 1 0
constexpr std::uint8_t kPacketRestMask = 0x90;                   // other packet bytes: bits 4, 7 clear
bool bit(std::uint8_t b, int n) { return ((b >> n) & 1) != 0; }
}  // namespace

std::array<std::uint8_t, 3> status_request(StatusQuery n) { return {0x10, 0x04, static_cast<std::uint8_t>(n)}; }

bool is_status_reply(std::uint8_t byte) { return (byte & kReplyMask) == kReplyFixed; }

Expected<void> apply_status_reply(StatusQuery n, std::uint8_t b, PrinterStatus& s) {
    if (!is_status_reply(b))
        return DriverError{"printer.bad_status", "the printer sent a byte that is not a status reply"};
    switch (n) {
        case StatusQuery::Printer:
            s.offline = bit(b, 3);
            s.waiting_online_recovery = bit(b, 5);
            s.feed_button = bit(b, 6);
            return {};
        case StatusQuery::OfflineCause:
            s.cover_open = bit(b, 2);
            s.feed_button = s.feed_button || bit(b, 3);
            if (bit(b, 5)) s.paper_out = true;  // stopped at paper end
            if (bit(b, 6)) s.error = true;
            return {};
        case StatusQuery::ErrorCause:
            s.mechanical_error = bit(b, 2);
            s.autocutter_error = bit(b, 3);
            s.unrecoverable_error = bit(b, 5);
            s.auto_recoverable_error = bit(b, 6);
            if (s.mechanical_error || s.autocutter_error || s.unrecoverable_error || s.auto_recoverable_error)
                s.error = true;
            return {};
        case StatusQuery::PaperSensor:
            s.paper_near_end = bit(b, 2) || bit(b, 3);
            s.paper_out = bit(b, 5) || bit(b, 6);
            return {};
    }
    return DriverError{"printer.bad_status", "unknown status request"};
}

std::optional<PrinterStatus> parse_auto_status(std::span<const std::uint8_t> p) {
    if (p.size() != 4 || (p[0] & kPacketMask) != kPacketFirst) return std::nullopt;
    for (std::size_t i = 1; i < 4; ++i)
        if ((p[i] & kPacketRestMask) != 0) return std::nullopt;
    PrinterStatus s;
    s.offline = bit(p[0], 3);
    s.cover_open = bit(p[0], 5);
    s.feed_button = bit(p[0], 6);
    s.mechanical_error = bit(p[1], 2);
    s.autocutter_error = bit(p[1], 3);
    s.unrecoverable_error = bit(p[1], 5);
    s.auto_recoverable_error = bit(p[1], 6);
    s.error = s.mechanical_error || s.autocutter_error || s.unrecoverable_error || s.auto_recoverable_error;
    s.paper_near_end = bit(p[2], 0) || bit(p[2], 1);
    s.paper_out = bit(p[2], 2) || bit(p[2], 3);
    return s;
}

std::vector<StatusStream::Item> StatusStream::feed(std::span<const std::uint8_t> bytes) {
    std::vector<Item> items;
    for (const std::uint8_t b : bytes) {
        if (held_ > 0) {
            if ((b & kPacketRestMask) == 0) {
                packet_[held_++] = b;
                if (held_ == 4) {
                    held_ = 0;
                    if (auto s = parse_auto_status(packet_)) items.push_back({Item::Kind::AutoStatus, 0, *s});
                }
                continue;
            }
            dropped_ += held_;  // a packet cut short; look at this byte afresh
            held_ = 0;
        }
        if (is_status_reply(b)) {
            items.push_back({Item::Kind::Reply, b, {}});
        } else if ((b & kPacketMask) == kPacketFirst) {
            packet_[0] = b;
            held_ = 1;
        } else {
            ++dropped_;
        }
    }
    return items;
}

std::vector<DriverError> status_problems(const PrinterStatus& s) {
    std::vector<DriverError> out;
    if (s.cover_open) out.push_back({"printer.cover_open", "the printer's cover is open: close it"});
    if (s.paper_out) out.push_back({"printer.paper_out", "the printer is out of paper: load a new roll"});
    if (s.error) {
        std::string why = s.autocutter_error        ? "the paper cutter is stuck"
                          : s.auto_recoverable_error ? "the print head is too hot; it recovers by itself"
                          : s.unrecoverable_error    ? "an error that needs the printer switched off and on"
                          : s.mechanical_error       ? "a mechanical error (paper jam?)"
                                                     : "an error";
        out.push_back({"printer.error", "the printer reports " + why});
    }
    if (s.offline && !s.cover_open && !s.paper_out && !s.error)
        out.push_back({"printer.offline", "the printer is offline (paper being fed, or waiting to recover)"});
    if (s.paper_near_end && !s.paper_out)
        out.push_back({"printer.paper_near_end", "the paper roll is nearly used up: have a new one ready"});
    return out;
}

std::string describe(const PrinterStatus& s) {
    const auto problems = status_problems(s);
    if (problems.empty()) return "ready";
    std::string out;
    for (const auto& p : problems) {
        if (!out.empty()) out += "; ";
        out += p.message;
    }
    return out;
}

}  // namespace drivers::escpos
