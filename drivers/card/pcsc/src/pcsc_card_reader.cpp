// The PC/SC reader thread (see the header for the contract).
//
//   [run]     establish a context, watch, release, pause, again
//   [watch]   list readers, wait in SCardGetStatusChange, spot placements
//   [read]    connect, GET DATA, disconnect, one event
//   [stop]    SCardCancel until the thread notices
#include "drivers/pcsc/pcsc_card_reader.hpp"

#include <poll.h>
#include <winscard.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "drivers/io/waker.hpp"

namespace drivers::pcsc {
namespace {

using Clock = std::chrono::steady_clock;

constexpr const char* kPnpReader = "\\\\?PnP?\\Notification";
// SCardGetStatusChange returns at least this often even when nothing
// happens; stop() does not depend on it (SCardCancel), it only bounds how
// long a lost cancel could delay the thread.
constexpr DWORD kWaitMs = 2000;

std::string detail(LONG rv) { return pcsc_stringify_error(rv); }

// Plain words for what went wrong while reading a placed card.
std::string card_failure(LONG rv) {
    if (rv == SCARD_W_REMOVED_CARD || rv == SCARD_E_NO_SMARTCARD)
        return "the card was taken away before it could be read; please hold it on the reader";
    if (rv == SCARD_W_UNRESPONSIVE_CARD || rv == SCARD_W_UNPOWERED_CARD || rv == SCARD_E_PROTO_MISMATCH ||
        rv == SCARD_W_UNSUPPORTED_CARD)
        return "the card did not answer; please hold it flat on the reader";
    if (rv == SCARD_E_SHARING_VIOLATION) return "another program is using the card reader";
    if (rv == SCARD_W_RESET_CARD) return "the card was reset while it was read; please tap it again";
    return "the card reader failed to read the card (" + detail(rv) + ")";
}

bool name_matches(const std::string& wanted, const std::string& name) {
    return wanted.empty() || name == wanted || name.rfind(wanted, 0) == 0;
}

}  // namespace

struct PcscCardReader::Impl {
    explicit Impl(PcscReaderConfig c)
        : config(std::move(c)), health("pcsc " + (config.reader.empty() ? std::string("all readers") : config.reader)) {
        health.set(DeviceState::Absent, "not started");
    }

    struct Slot {
        std::string name;
        DWORD state = SCARD_STATE_UNAWARE;  // what we last saw; dwCurrentState of the next wait
        bool served = false;                // this placement was read already
        DWORD counter = 0;                  // pcsc-lite's insert/remove counter (high word of the state)
    };

    void run();
    void watch(SCARDCONTEXT ctx);
    bool list_readers(SCARDCONTEXT ctx, std::vector<Slot>& slots);
    void read_card(SCARDCONTEXT ctx, const std::string& reader);
    bool pause();
    void publish(SCARDCONTEXT ctx, bool valid);
    void deliver(CardEvent e);

    const PcscReaderConfig config;
    HealthCell health;
    CardSink sink;
    io::Waker waker;
    std::atomic<bool> stopping{false};
    std::thread thread;

    std::mutex mu;  // guards ctx/ctx_valid/done against stop()
    std::condition_variable cv;
    SCARDCONTEXT ctx_shared = 0;
    bool ctx_valid = false;
    bool done = false;
};

bool pcsc_support_built() { return true; }

PcscCardReader::PcscCardReader(PcscReaderConfig config) : impl_(std::make_unique<Impl>(std::move(config))) {}

PcscCardReader::~PcscCardReader() { stop(); }

std::string PcscCardReader::name() const {
    return impl_->config.reader.empty() ? std::string("pcsc") : "pcsc:" + impl_->config.reader;
}

DeviceHealth PcscCardReader::health() const { return impl_->health.get(); }

void PcscCardReader::start(CardSink sink) {
    auto& m = *impl_;
    if (m.thread.joinable()) return;
    m.sink = std::move(sink);
    m.stopping = false;
    {
        std::lock_guard lock(m.mu);
        m.done = false;
    }
    m.waker.clear();
    m.thread = std::thread([&m] {
        m.run();
        std::lock_guard lock(m.mu);
        m.done = true;
        m.cv.notify_all();
    });
}

// [stop] A cancel only reaches a thread already inside SCardGetStatusChange;
// one sent while it reads a card or lists readers is lost. So cancel again
// every 20 ms until the thread is out.
void PcscCardReader::stop() {
    auto& m = *impl_;
    if (!m.thread.joinable()) return;
    m.stopping = true;
    m.waker.wake();
    {
        std::unique_lock lock(m.mu);
        while (!m.done) {
            if (m.ctx_valid) (void)SCardCancel(m.ctx_shared);
            m.cv.wait_for(lock, std::chrono::milliseconds(20));
        }
    }
    m.thread.join();
    m.waker.clear();
    m.health.set(DeviceState::Absent, "stopped");
}

void PcscCardReader::Impl::publish(SCARDCONTEXT ctx, bool valid) {
    std::lock_guard lock(mu);
    ctx_shared = ctx;
    ctx_valid = valid;
}

bool PcscCardReader::Impl::pause() {
    pollfd p{waker.fd(), POLLIN, 0};
    const auto until = Clock::now() + config.retry_interval;
    while (!stopping) {
        const auto left = std::chrono::ceil<std::chrono::milliseconds>(until - Clock::now()).count();
        if (left <= 0) break;
        if (::poll(&p, 1, static_cast<int>(std::min<long long>(left, 60'000))) > 0) waker.clear();
    }
    return !stopping;
}

// [run]
void PcscCardReader::Impl::run() {
    while (!stopping) {
        SCARDCONTEXT ctx = 0;
        const LONG rv = SCardEstablishContext(SCARD_SCOPE_SYSTEM, nullptr, nullptr, &ctx);
        if (rv != SCARD_S_SUCCESS) {
            health.set(DeviceState::Absent, rv == SCARD_E_NO_SERVICE
                                                ? "the PC/SC service (pcscd) is not running; retrying"
                                                : "cannot reach the PC/SC service: " + detail(rv) + "; retrying");
        } else {
            publish(ctx, true);
            watch(ctx);
            publish(ctx, false);
            (void)SCardReleaseContext(ctx);
        }
        if (!pause()) break;
    }
}

// Lists the readers to watch into `slots`, keeping what is known about the
// ones that stay. False when the service is gone.
bool PcscCardReader::Impl::list_readers(SCARDCONTEXT ctx, std::vector<Slot>& slots) {
    std::vector<char> names;
    LONG rv = SCARD_S_SUCCESS;
    for (int attempt = 0; attempt < 3; ++attempt) {  // the list may grow between the two calls
        DWORD len = 0;
        rv = SCardListReaders(ctx, nullptr, nullptr, &len);
        if (rv != SCARD_S_SUCCESS) break;
        names.assign(len + 1, '\0');
        rv = SCardListReaders(ctx, nullptr, names.data(), &len);
        if (rv != SCARD_E_INSUFFICIENT_BUFFER) break;
    }
    std::vector<std::string> found;
    if (rv == SCARD_S_SUCCESS) {
        for (const char* p = names.data(); *p != '\0'; p += std::char_traits<char>::length(p) + 1)
            if (name_matches(config.reader, p)) found.emplace_back(p);
    } else if (rv != SCARD_E_NO_READERS_AVAILABLE) {
        health.set(DeviceState::Absent, "lost the PC/SC service (pcscd): " + detail(rv) + "; retrying");
        return false;
    }

    std::vector<Slot> next;
    for (const auto& n : found) {
        const auto old = std::find_if(slots.begin(), slots.end(), [&](const Slot& s) { return s.name == n; });
        next.push_back(old != slots.end() ? *old : Slot{n});
    }
    slots = std::move(next);

    if (slots.empty())
        health.set(DeviceState::Absent, config.reader.empty()
                                            ? "no card reader is connected"
                                            : "the card reader \"" + config.reader + "\" is not connected");
    else
        health.set(DeviceState::Ready,
                   slots.size() == 1 ? std::string("ready") : "ready: " + std::to_string(slots.size()) + " readers");
    return true;
}

// [watch]
void PcscCardReader::Impl::watch(SCARDCONTEXT ctx) {
    std::vector<Slot> slots;
    DWORD pnp_state = SCARD_STATE_UNAWARE;
    bool relist = true;
    std::vector<SCARD_READERSTATE> states;

    while (!stopping) {
        if (relist) {
            if (!list_readers(ctx, slots)) return;
            relist = false;
        }
        states.assign(slots.size() + 1, SCARD_READERSTATE{});
        for (std::size_t i = 0; i < slots.size(); ++i) {
            states[i].szReader = slots[i].name.c_str();
            states[i].dwCurrentState = slots[i].state;
        }
        states.back().szReader = kPnpReader;
        states.back().dwCurrentState = pnp_state;

        const LONG rv = SCardGetStatusChange(ctx, kWaitMs, states.data(), static_cast<DWORD>(states.size()));
        if (stopping) return;
        if (rv == SCARD_E_TIMEOUT || rv == SCARD_E_CANCELLED) continue;
        if (rv == SCARD_E_UNKNOWN_READER || rv == SCARD_E_READER_UNAVAILABLE) {
            relist = true;  // a reader left between listing and waiting
            continue;
        }
        if (rv != SCARD_S_SUCCESS) {
            health.set(DeviceState::Absent, "lost the PC/SC service (pcscd): " + detail(rv) + "; retrying");
            return;
        }

        const DWORD pnp = states.back().dwEventState;
        if ((pnp & SCARD_STATE_CHANGED) != 0) relist = true;
        pnp_state = pnp & ~static_cast<DWORD>(SCARD_STATE_CHANGED);

        for (std::size_t i = 0; i < slots.size(); ++i) {
            auto& slot = slots[i];
            const DWORD ev = states[i].dwEventState;
            if ((ev & SCARD_STATE_CHANGED) == 0) continue;
            slot.state = ev & ~static_cast<DWORD>(SCARD_STATE_CHANGED);
            if ((ev & (SCARD_STATE_UNKNOWN | SCARD_STATE_UNAVAILABLE | SCARD_STATE_IGNORE)) != 0) {
                relist = true;
                continue;
            }
            const DWORD counter = (ev >> 16) & 0xFFFF;
            const bool present = (ev & SCARD_STATE_PRESENT) != 0;
            if (!present) {
                slot.served = false;
            } else if (!slot.served || counter != slot.counter) {
                // A new placement: first sight, or pcscd counted a removal
                // and an insertion since we last looked.
                slot.served = true;
                if ((ev & SCARD_STATE_MUTE) != 0) {
                    CardEvent e;
                    e.kind = CardEvent::Kind::Error;
                    e.reader = "pcsc:" + slot.name;
                    e.error = "the card did not answer; please hold it flat on the reader";
                    health.error(e.error);
                    deliver(std::move(e));
                } else {
                    read_card(ctx, slot.name);
                }
                if (stopping) return;
            }
            slot.counter = counter;
        }
    }
}

// [read]
void PcscCardReader::Impl::read_card(SCARDCONTEXT ctx, const std::string& reader) {
    CardEvent e;
    e.reader = "pcsc:" + reader;
    auto fail = [&](std::string reason) {
        health.error(reason);
        e.kind = CardEvent::Kind::Error;
        e.error = std::move(reason);
        deliver(std::move(e));
    };

    SCARDHANDLE card = 0;
    DWORD protocol = 0;
    LONG rv =
        SCardConnect(ctx, reader.c_str(), SCARD_SHARE_SHARED, SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1, &card, &protocol);
    if (rv != SCARD_S_SUCCESS) return fail(card_failure(rv));

    const SCARD_IO_REQUEST* pci = protocol == SCARD_PROTOCOL_T0   ? SCARD_PCI_T0
                                  : protocol == SCARD_PROTOCOL_T1 ? SCARD_PCI_T1
                                                                  : SCARD_PCI_RAW;
    const std::array<BYTE, 5> get_uid{0xFF, 0xCA, 0x00, 0x00, 0x00};
    std::array<BYTE, 258> reply{};
    DWORD reply_len = reply.size();
    rv = SCardTransmit(card, pci, get_uid.data(), get_uid.size(), nullptr, reply.data(), &reply_len);
    (void)SCardDisconnect(card, SCARD_LEAVE_CARD);
    if (rv != SCARD_S_SUCCESS) return fail(card_failure(rv));

    auto number = card_number_from_get_data(std::span<const std::uint8_t>(reply.data(), reply_len));
    if (!number) return fail(number.error().message);
    health.event();
    e.kind = CardEvent::Kind::Card;
    e.card = std::move(*number);
    deliver(std::move(e));
}

void PcscCardReader::Impl::deliver(CardEvent e) {
    e.at = Clock::now();
    if (sink) sink(std::move(e));
}

}  // namespace drivers::pcsc
