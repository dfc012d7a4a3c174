// The PC/SC reader against a real pcscd with the vpcd driver and a virtual
// card playing the contactless card's side (pcsc_fixture.hpp).
#include "drivers/pcsc/pcsc_card_reader.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <string>
#include <thread>

#include "../hid/card_sink.hpp"
#include "pcsc_fixture.hpp"

using namespace std::chrono_literals;
using drivers::CardEvent;
using drivers::DeviceState;
using drivers::pcsc::PcscCardReader;
using drivers::pcsc::PcscReaderConfig;
using pcsc_test::PcscDaemon;
using pcsc_test::VirtualCard;
using test_support::CardSinkProbe;
using test_support::eventually;

namespace {

const std::vector<std::uint8_t> kUid4{0x04, 0xA1, 0xB2, 0xC3};  // canonical "0077705923"
const std::vector<std::uint8_t> kUid7{0x04, 0x11, 0x22, 0x33, 0x44, 0x55, 0x6A};

// Points this process's PC/SC client at the private daemon's socket (before
// any SCard call), or reports why the daemon tests cannot run here.
#define SKIP_UNLESS_DAEMON_POSSIBLE()                                 \
    do {                                                              \
        if (const auto why = pcsc_test::cannot_run(); !why.empty()) { \
            MESSAGE("skipped: " << why);                              \
            return;                                                   \
        }                                                             \
        (void)pcsc_test::run_dir();                                   \
    } while (0)

PcscReaderConfig fast(std::string reader = "") {
    PcscReaderConfig c;
    c.reader = std::move(reader);
    c.retry_interval = 100ms;
    return c;
}

bool ready(const PcscCardReader& r) { return r.health().state == DeviceState::Ready; }

}  // namespace

TEST_CASE("pcsc: one placement is one event with the canonical number") {
    SKIP_UNLESS_DAEMON_POSSIBLE();
    PcscDaemon daemon;
    REQUIRE_MESSAGE(daemon.start(), daemon.log_tail());
    PcscCardReader reader(fast());
    CardSinkProbe probe;
    reader.start(probe.sink());
    REQUIRE_MESSAGE(eventually([&] { return ready(reader); }), reader.health().status);
    CHECK(reader.health().status.find("2 readers") != std::string::npos);  // vpcd's two slots

    VirtualCard card(daemon.port(), {kUid4});
    REQUIRE_MESSAGE(probe.wait_for(1, 10s), daemon.log_tail());
    const auto e = probe.events().at(0);
    CHECK(e.kind == CardEvent::Kind::Card);
    CHECK(e.card == "0077705923");
    CHECK(e.reader == "pcsc:Virtual PCD 00 00");
    // A card resting on the reader is not read again.
    std::this_thread::sleep_for(1500ms);
    CHECK(probe.count() == 1);
    CHECK(card.get_data_count() == 1);
    CHECK(reader.health().last_event.time_since_epoch().count() != 0);
    reader.stop();
}

TEST_CASE("pcsc: taking the card away and placing another gives a second event") {
    SKIP_UNLESS_DAEMON_POSSIBLE();
    PcscDaemon daemon;
    REQUIRE_MESSAGE(daemon.start(), daemon.log_tail());
    PcscCardReader reader(fast());
    CardSinkProbe probe;
    reader.start(probe.sink());
    REQUIRE(eventually([&] { return ready(reader); }));
    {
        VirtualCard first(daemon.port(), {kUid4});
        REQUIRE_MESSAGE(probe.wait_for(1, 10s), daemon.log_tail());
    }                                 // taken away
    std::this_thread::sleep_for(1s);  // pcscd sees it gone at its next presence poll
    CHECK(probe.count() == 1);
    VirtualCard second(daemon.port(), {kUid7});
    REQUIRE_MESSAGE(probe.wait_for(2, 10s), daemon.log_tail());
    const auto events = probe.events();
    CHECK(events.at(0).card == "0077705923");
    CHECK(events.at(1).kind == CardEvent::Kind::Card);
    CHECK(events.at(1).card == "0411223344556A");
    // The same card again, on the other slot: a new placement, a new event.
    VirtualCard again(daemon.port() + 1, {kUid4});
    REQUIRE_MESSAGE(probe.wait_for(3, 10s), daemon.log_tail());
    CHECK(probe.events().at(2).card == "0077705923");
    CHECK(probe.events().at(2).reader == "pcsc:Virtual PCD 00 01");
}

TEST_CASE("pcsc: a reader that cannot read the card gives a plain reason, not a number") {
    SKIP_UNLESS_DAEMON_POSSIBLE();
    PcscDaemon daemon;
    REQUIRE_MESSAGE(daemon.start(), daemon.log_tail());
    PcscCardReader reader(fast());
    CardSinkProbe probe;
    reader.start(probe.sink());
    REQUIRE(eventually([&] { return ready(reader); }));

    VirtualCard failed(daemon.port(), {kUid4, 0x63, 0x00});
    REQUIRE_MESSAGE(probe.wait_for(1, 10s), daemon.log_tail());
    VirtualCard unsupported(daemon.port() + 1, {kUid4, 0x6A, 0x81});
    REQUIRE_MESSAGE(probe.wait_for(2, 10s), daemon.log_tail());
    auto events = probe.events();
    // The two slots may be served in either order.
    if (events[0].error.find("6A 81") != std::string::npos) std::swap(events[0], events[1]);
    CHECK(events[0].kind == CardEvent::Kind::Error);
    CHECK(events[0].error.find("could not read") != std::string::npos);
    CHECK(events[1].kind == CardEvent::Kind::Error);
    CHECK(events[1].error.find("cannot report card numbers") != std::string::npos);
    for (const auto& e : events) {
        CHECK(e.card.empty());
        CHECK(e.error.find("0077705923") == std::string::npos);
    }
    CHECK_FALSE(reader.health().last_error.empty());
    CHECK(reader.health().state == DeviceState::Ready);
}

TEST_CASE("pcsc: pcscd stopped reads as absent, and its restart is picked up") {
    SKIP_UNLESS_DAEMON_POSSIBLE();
    PcscDaemon daemon;
    REQUIRE_MESSAGE(daemon.start(), daemon.log_tail());
    PcscCardReader reader(fast());
    CardSinkProbe probe;
    reader.start(probe.sink());
    REQUIRE(eventually([&] { return ready(reader); }));

    daemon.stop();
    REQUIRE_MESSAGE(eventually([&] { return reader.health().state == DeviceState::Absent; }), reader.health().status);
    CHECK(eventually([&] { return reader.health().status.find("not running") != std::string::npos; }));

    REQUIRE_MESSAGE(daemon.start(), daemon.log_tail());
    REQUIRE_MESSAGE(eventually([&] { return ready(reader); }, 10s), reader.health().status);
    VirtualCard card(daemon.port(), {kUid4});
    REQUIRE_MESSAGE(probe.wait_for(1, 10s), daemon.log_tail());
    CHECK(probe.events().at(0).card == "0077705923");
}

// Reader hotplug proper (a reader appearing in a running pcscd, announced
// through "\\?PnP?\Notification") needs a USB reader and udev: Debian's
// pcscd is built with libudev, and its SIGUSR1 "reload serial configuration"
// does nothing there, so a vpcd reader cannot be added to a running daemon.
// What can be tested with the real daemon: no reader at all reads as absent
// (the thread then waits on the PnP pseudo-reader alone), and a reader that
// turns up is picked up without restarting the kiosk's reader.
TEST_CASE("pcsc: no reader reads as absent, and a reader that turns up is picked up") {
    SKIP_UNLESS_DAEMON_POSSIBLE();
    PcscCardReader reader(fast());
    CardSinkProbe probe;
    {
        PcscDaemon empty(/*with_reader=*/false);
        REQUIRE_MESSAGE(empty.start(), empty.log_tail());
        reader.start(probe.sink());
        REQUIRE(eventually([&] { return reader.health().status.find("no card reader") != std::string::npos; }));
        CHECK(reader.health().state == DeviceState::Absent);
        std::this_thread::sleep_for(300ms);
        CHECK(reader.health().status.find("no card reader") != std::string::npos);  // still waiting, no error
    }
    PcscDaemon daemon;
    REQUIRE_MESSAGE(daemon.start(), daemon.log_tail());
    REQUIRE_MESSAGE(eventually([&] { return ready(reader); }, 10s), reader.health().status);
    VirtualCard card(daemon.port(), {kUid7});
    REQUIRE_MESSAGE(probe.wait_for(1, 10s), daemon.log_tail());
    CHECK(probe.events().at(0).card == "0411223344556A");
}

TEST_CASE("pcsc: a configured reader name watches only that reader") {
    SKIP_UNLESS_DAEMON_POSSIBLE();
    PcscDaemon daemon;
    REQUIRE_MESSAGE(daemon.start(), daemon.log_tail());
    PcscCardReader reader(fast("Virtual PCD 00 01"));
    CHECK(reader.name() == "pcsc:Virtual PCD 00 01");
    CardSinkProbe probe;
    reader.start(probe.sink());
    REQUIRE(eventually([&] { return ready(reader); }));
    CHECK(reader.health().status == "ready");

    VirtualCard elsewhere(daemon.port(), {kUid7});  // slot 00 00: not ours
    std::this_thread::sleep_for(1500ms);
    CHECK(probe.count() == 0);
    VirtualCard ours(daemon.port() + 1, {kUid4});
    REQUIRE_MESSAGE(probe.wait_for(1, 10s), daemon.log_tail());
    CHECK(probe.events().at(0).card == "0077705923");
    CHECK(probe.count() == 1);

    PcscCardReader missing(fast("ACS ACR122U"));
    missing.start([](CardEvent) {});
    REQUIRE(eventually([&] { return missing.health().status.find("is not connected") != std::string::npos; }));
    CHECK(missing.health().state == DeviceState::Absent);
}

TEST_CASE("pcsc: stop() returns promptly, waiting for a card or for pcscd") {
    SKIP_UNLESS_DAEMON_POSSIBLE();
    PcscReaderConfig slow = fast();
    slow.retry_interval = 10s;  // stop must not wait for the retry pause either
    {
        PcscCardReader reader(slow);  // no daemon yet: absent, pausing
        reader.start([](CardEvent) {});
        REQUIRE(eventually([&] { return reader.health().status.find("not running") != std::string::npos; }));
        CHECK(reader.health().state == DeviceState::Absent);
        const auto t0 = std::chrono::steady_clock::now();
        reader.stop();
        CHECK(std::chrono::steady_clock::now() - t0 < 500ms);
    }
    PcscDaemon daemon;
    REQUIRE_MESSAGE(daemon.start(), daemon.log_tail());
    PcscCardReader reader(slow);
    CardSinkProbe probe;
    for (int round = 0; round < 3; ++round) {  // stop in SCardGetStatusChange, then start again
        reader.start(probe.sink());
        REQUIRE(eventually([&] { return ready(reader); }));
        std::this_thread::sleep_for(50ms);
        const auto t0 = std::chrono::steady_clock::now();
        reader.stop();
        CHECK(std::chrono::steady_clock::now() - t0 < 500ms);
        CHECK(reader.health().state == DeviceState::Absent);
    }
    reader.stop();  // idempotent
    CHECK(probe.count() == 0);
}
