#include "drivers/ga467/ga467_reader.hpp"

#include <poll.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <utility>

namespace drivers::ga467 {

namespace {

constexpr const char* kMoved = "the card was moved during reading; place it again";
constexpr const char* kDamaged = "the card could not be read (the reader's reply was damaged); lift it and place it again";
constexpr int kSilentBeforeReopen = 3;  // missed replies in a row before the port is reopened
constexpr int kRejectedBeforeFault = 3;

bool supported_baud(int baud) {
    for (const int b : {9600, 19200, 38400, 57600, 115200, 230400})
        if (b == baud) return true;
    return false;
}

}  // namespace

Expected<void> validate(const Options& o) {
    auto bad = [](std::string why) { return Expected<void>(DriverError{"ga467.config", std::move(why)}); };
    if (o.path.empty()) return bad("the ID card reader needs a path (e.g. /dev/serial/by-id/usb-...)");
    if (!supported_baud(o.baud))
        return bad("the ID card reader's baud " + std::to_string(o.baud) +
                   " is not supported (9600, 19200, 38400, 57600, 115200 or 230400)");
    if (o.poll_interval.count() <= 0 || o.command_timeout.count() <= 0 || o.read_timeout.count() <= 0 ||
        o.reopen_interval.count() <= 0)
        return bad("the ID card reader's intervals and timeouts must be above zero");
    if (o.read_attempts < 1) return bad("the ID card reader needs at least one read attempt");
    return {};
}

Ga467Reader::Ga467Reader(Options options) : options_(std::move(options)), health_("ga467 " + options_.path) {
    health_.set(DeviceState::Absent, "reader not connected: " + options_.path);
}

Ga467Reader::~Ga467Reader() { stop(); }

void Ga467Reader::start(CardSink sink) {
    if (thread_.joinable()) return;
    stopping_ = false;
    waker_.clear();
    sink_ = std::move(sink);
    thread_ = std::thread([this] { run(); });
}

void Ga467Reader::stop() {
    if (!thread_.joinable()) return;
    stopping_ = true;
    waker_.wake();
    thread_.join();
}

Stats Ga467Reader::stats() const {
    std::lock_guard lock(stats_mu_);
    Stats s = stats_;
    return s;
}

void Ga467Reader::count(std::uint64_t Stats::*counter, std::uint64_t n) {
    std::lock_guard lock(stats_mu_);
    stats_.*counter += n;
}

void Ga467Reader::set_state(DeviceState state, const std::string& status) {
    shown_ = state;
    health_.set(state, status);
}

void Ga467Reader::wait(std::chrono::milliseconds d) {
    if (stopping_) return;
    pollfd p{waker_.fd(), POLLIN, 0};
    ::poll(&p, 1, static_cast<int>(d.count()));
}

// ---------------------------------------------------------------------------
// The reader's thread

void Ga467Reader::run() {
    while (!stopping_) {
        if (!port_.is_open() && !open_port()) {
            wait(options_.reopen_interval);
            continue;
        }
        if (!reader_ok_) {
            check_reader();
            if (!reader_ok_) {
                wait(options_.reopen_interval);
                continue;
            }
        }
        poll_card();
        if (port_.is_open()) wait(options_.poll_interval);
    }
    port_.close();
    parser_.reset();
    reader_ok_ = false;
    card_done_ = false;
    attempts_ = 0;
    set_state(DeviceState::Absent, "reader stopped");
}

bool Ga467Reader::open_port() {
    std::error_code ec;
    if (!std::filesystem::exists(options_.path, ec)) {  // follows a by-id symlink to its current tty
        if (shown_ != DeviceState::Absent) set_state(DeviceState::Absent, "reader not connected: " + options_.path);
        return false;
    }
    auto p = io::SerialPort::open(options_.path, options_.baud);
    if (!p) {
        health_.error(p.error().message);
        // serial.config: there, but not a serial port or the speed is refused.
        // serial.open: permission denied, busy, ... (the message names the path).
        set_state(p.error().code == "serial.config" ? DeviceState::Fault : DeviceState::Absent, p.error().message);
        return false;
    }
    port_ = std::move(*p);
    // Name the tty behind a by-id symlink: it may differ from the last open.
    const auto real = std::filesystem::canonical(options_.path, ec);
    health_.rename("ga467 " + options_.path +
                   (!ec && real.string() != options_.path ? " -> " + real.string() : std::string{}));
    parser_.reset();
    reader_ok_ = false;
    silent_ = 0;
    rejected_ = 0;
    card_done_ = false;
    attempts_ = 0;
    count(&Stats::opens);
    return true;
}

void Ga467Reader::close_port(bool unplugged) {
    port_.close();
    parser_.reset();
    reader_ok_ = false;
    silent_ = 0;
    card_done_ = false;
    attempts_ = 0;
    if (unplugged) {
        count(&Stats::unplugs);
        health_.error("the reader was unplugged or switched off");
        set_state(DeviceState::Absent, "reader not connected: " + options_.path);
    }
}

Expected<Response> Ga467Reader::transact(Command cmd, std::chrono::milliseconds timeout) {
    if (!port_.is_open()) return DriverError{"serial.gone", "the reader is not open"};
    // Resynchronise: whatever came before this request (late replies, noise)
    // is not its answer.
    parser_.reset();
    port_.discard_input();
    const auto request = build_request(cmd);
    if (auto w = port_.write_all(request, timeout); !w) return w.error();

    const auto deadline = std::chrono::steady_clock::now() + timeout;
    std::span<const std::uint8_t> pending;
    for (;;) {
        if (!pending.empty()) {
            pending = pending.subspan(parser_.feed(pending));
            if (pending.empty()) std::memset(rx_.data(), 0, rx_.size());
            std::lock_guard lock(stats_mu_);
            stats_.max_buffered = std::max<std::uint64_t>(stats_.max_buffered, parser_.buffered());
        }
        const std::uint64_t garbage_before = parser_.garbage_bytes();
        auto result = parser_.next();
        if (const auto skipped = parser_.garbage_bytes() - garbage_before; skipped > 0)
            count(&Stats::garbage_bytes, skipped);
        if (result) {
            if (result->ok()) {
                count(&Stats::frames);
                std::memset(rx_.data(), 0, rx_.size());
                return std::move(*result);
            }
            count(result->error().code == "ga467.checksum" ? &Stats::checksum_errors : &Stats::length_errors);
            health_.error(result->error().message);
            std::memset(rx_.data(), 0, rx_.size());
            return result->error();
        }
        if (!pending.empty()) continue;  // the parser made room: feed the rest

        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            count(&Stats::timeouts);
            parser_.reset();
            health_.error("the reader did not answer in time");
            return DriverError{"ga467.timeout", "the reader did not answer in time"};
        }
        auto n = port_.read(rx_, left, &waker_);
        if (stopping_) return DriverError{"ga467.stopped", "the reader is stopping"};
        if (!n) return n.error();
        pending = std::span<const std::uint8_t>(rx_.data(), *n);
    }
}

void Ga467Reader::handle_failure(const DriverError& e) {
    if (e.code == "ga467.stopped") return;
    if (e.code == "serial.gone") {
        close_port(true);
        return;
    }
    if (e.code == "ga467.timeout" || e.code == "serial.timeout" || e.code == "serial.write") {
        ++silent_;
        if (!reader_ok_ || silent_ >= kSilentBeforeReopen)
            set_state(DeviceState::Fault, "the reader does not answer (check the cable and the speed, " +
                                              std::to_string(options_.baud) + ")");
        // Reopen: a by-id path may now lead to another tty.
        if (silent_ >= kSilentBeforeReopen) close_port(false);
        return;
    }
    health_.error(e.message);  // a damaged reply: the next poll asks again
}

void Ga467Reader::reader_status(const StatusInfo& s) {
    health_.error(s.reason);
    if (s.scope == StatusScope::Protocol) {
        if (++rejected_ >= kRejectedBeforeFault)
            set_state(DeviceState::Fault, "the reader rejects our commands (damaged line?)");
        return;
    }
    // SAM and reader faults: ask for the SAM status until it passes.
    reader_ok_ = false;
    set_state(DeviceState::Fault, s.reason);
}

void Ga467Reader::check_reader() {
    auto r = transact(Command::SamStatus, options_.command_timeout);
    if (!r) {
        handle_failure(r.error());
        return;
    }
    silent_ = 0;
    const StatusInfo s = status_info(r->sw3);
    if (s.scope == StatusScope::Ok || s.scope == StatusScope::NoCard) {
        reader_ok_ = true;
        rejected_ = 0;
        set_state(DeviceState::Ready, "ready");
        return;
    }
    if (s.scope != StatusScope::Protocol) {
        reader_ok_ = false;
        health_.error(s.reason);
        set_state(DeviceState::Fault, s.reason);
        return;
    }
    reader_status(s);
}

void Ga467Reader::poll_card() {
    auto r = transact(Command::FindCard, options_.command_timeout);
    if (!r) {
        handle_failure(r.error());
        return;
    }
    silent_ = 0;
    const StatusInfo s = status_info(r->sw3);
    switch (s.scope) {
        case StatusScope::NoCard:
            rejected_ = 0;
            if (shown_ != DeviceState::Ready) set_state(DeviceState::Ready, "ready");
            // The card left. If its read had failed and nothing was said yet,
            // say so now: the resident pulled it away too soon.
            // (A reply damaged on the line is not the resident's doing: say so.)
            if (attempts_ > 0 && !card_done_)
                emit_error(last_failure_ == "ga467.checksum" || last_failure_ == "ga467.length" ? kDamaged : kMoved);
            card_done_ = false;
            attempts_ = 0;
            return;
        case StatusScope::Ok:
            rejected_ = 0;
            if (shown_ != DeviceState::Ready) set_state(DeviceState::Ready, "ready");
            if (!card_done_) read_card();  // else: the same placement, already answered
            return;
        case StatusScope::Protocol:
        case StatusScope::Reader:
            reader_status(s);
            return;
        case StatusScope::Card:
        case StatusScope::Unknown:
            health_.error(s.reason);  // an odd answer to find card: ask again next poll
            return;
    }
}

void Ga467Reader::read_card() {
    auto sel = transact(Command::SelectCard, options_.command_timeout);
    if (!sel) {
        if (sel.error().code == "serial.gone" || sel.error().code == "ga467.stopped") return handle_failure(sel.error());
        return placement_failed(sel.error());
    }
    if (sel->sw3 != 0x90) {
        const StatusInfo s = status_info(sel->sw3);
        if (s.scope == StatusScope::Reader || s.scope == StatusScope::Protocol) reader_status(s);
        return placement_failed(DriverError{s.code, s.reason});
    }

    const ReadKind kind = options_.read;
    auto rd = transact(kind == ReadKind::TextPhoto ? Command::ReadText : Command::ReadTextFingerprint,
                       options_.read_timeout);
    if (!rd) {
        if (rd.error().code == "serial.gone" || rd.error().code == "ga467.stopped") return handle_failure(rd.error());
        return placement_failed(rd.error());
    }
    if (rd->sw3 != 0x90) {
        const StatusInfo s = status_info(rd->sw3);
        if (s.scope == StatusScope::Reader || s.scope == StatusScope::Protocol) reader_status(s);
        if (s.scope == StatusScope::NoCard) return placement_failed(DriverError{"ga467.moved", kMoved});
        return placement_failed(DriverError{s.code, s.reason});
    }
    auto text = decode_read_reply(*rd, kind);
    parser_.reset();  // wipes the reply, photo included, at once
    if (!text) {
        // The reader did its part (and the card now goes quiet): reading again
        // would give the same bytes, so say why at once.
        health_.error(text.error().message);
        emit_error(text.error().message);
        card_done_ = true;
        attempts_ = 0;
        return;
    }

    CardEvent e;
    e.kind = CardEvent::Kind::IdCard;
    e.reader = name();
    e.id = std::move(*text);
    card_done_ = true;
    attempts_ = 0;
    count(&Stats::cards);
    health_.event();
    e.at = std::chrono::steady_clock::now();
    sink_(std::move(e));
}

void Ga467Reader::placement_failed(const DriverError& why) {
    ++attempts_;
    last_failure_ = why.code;
    health_.error(why.message);
    if (attempts_ >= options_.read_attempts) {
        emit_error(why.message);
        card_done_ = true;  // answered; wait for the card to leave
    }
}

void Ga467Reader::emit_error(const std::string& reason) {
    CardEvent e;
    e.kind = CardEvent::Kind::Error;
    e.reader = name();
    e.error = reason;
    e.at = std::chrono::steady_clock::now();
    count(&Stats::errors);
    sink_(std::move(e));
}

}  // namespace drivers::ga467
