// The evdev reader end to end: a FIFO plays /dev/input/eventN behind a by-id
// link, and the test writes raw struct input_event records into it. Where
// /dev/uinput exists, a real input device is created too.
#include "drivers/hid/hid_card_reader.hpp"

#include <doctest/doctest.h>
#include <fcntl.h>
#include <linux/input.h>
#include <linux/uinput.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>

#include "card_sink.hpp"
#include "fake_evdev.hpp"

using namespace std::chrono_literals;
using drivers::CardEvent;
using drivers::CardFormat;
using drivers::DeviceState;
using drivers::hid::HidCardReader;
using drivers::hid::HidReaderConfig;
using test_support::CardSinkProbe;
using test_support::eventually;

namespace {
HidReaderConfig config_for(const fake_evdev::Device& dev, CardFormat format = CardFormat::Dec10) {
    HidReaderConfig c;
    c.path = dev.link();
    c.format = format;
    c.reopen_interval = 50ms;
    c.line_timeout = 150ms;
    return c;
}

bool reading(const HidCardReader& r) {
    const auto s = r.health().state;
    return s == DeviceState::Ready || s == DeviceState::Degraded;
}
}  // namespace

TEST_CASE("hid reader: a tap becomes one card event with the canonical number") {
    fake_evdev::Device dev("tap");
    dev.plug();
    HidCardReader reader(config_for(dev, CardFormat::Dec10Reversed));
    CardSinkProbe probe;
    reader.start(probe.sink());
    REQUIRE(dev.connect());
    REQUIRE(eventually([&] { return reading(reader); }));
    // A FIFO is not an evdev device: the grab fails, which is reported and
    // not fatal.
    CHECK(reader.health().state == DeviceState::Degraded);
    CHECK(reader.health().status.find("cannot be grabbed") != std::string::npos);

    REQUIRE(dev.write(fake_evdev::type_line("3283263748")));
    REQUIRE(probe.wait_for(1));
    const auto e = probe.events().at(0);
    CHECK(e.kind == CardEvent::Kind::Card);
    CHECK(e.card == "0077705923");  // UID 04 A1 B2 C3, as PC/SC would name it
    CHECK(e.reader == "hid:" + dev.link());
    CHECK(reader.health().last_event.time_since_epoch().count() != 0);
    std::this_thread::sleep_for(200ms);
    CHECK(probe.count() == 1);
    reader.stop();
}

TEST_CASE("hid reader: keypad digits, shifted letters and records split across writes") {
    fake_evdev::Device dev("keypad");
    dev.plug();
    HidCardReader reader(config_for(dev, CardFormat::Hex));
    CardSinkProbe probe;
    reader.start(probe.sink());
    REQUIRE(dev.connect());
    REQUIRE(eventually([&] { return reading(reader); }));

    // Keypad digits from an EM4100 reader configured as hex would not parse;
    // here a hex reader types "04A1B2C3" with shift for the capitals.
    auto events = fake_evdev::type_line("04A1B2C3");
    // Split one record across two writes, as a pipe may deliver it.
    const auto* bytes = reinterpret_cast<const unsigned char*>(events.data());
    const std::size_t total = events.size() * sizeof(input_event);
    const std::size_t cut = 5 * sizeof(input_event) + 7;
    REQUIRE(dev.write_bytes(bytes, cut));
    std::this_thread::sleep_for(20ms);
    REQUIRE(dev.write_bytes(bytes + cut, total - cut));
    REQUIRE(probe.wait_for(1));
    CHECK(probe.events().at(0).card == "0077705923");
    reader.stop();

    fake_evdev::Device pad("keypad2");
    pad.plug();
    HidCardReader em(config_for(pad, CardFormat::Dec10));
    CardSinkProbe probe2;
    em.start(probe2.sink());
    REQUIRE(pad.connect());
    REQUIRE(pad.write(fake_evdev::type_keypad("0077705923")));
    REQUIRE(probe2.wait_for(1));
    CHECK(probe2.events().at(0).card == "0077705923");
}

TEST_CASE("hid reader: a missing Enter is read after the timeout when the number is whole") {
    fake_evdev::Device dev("noenter");
    dev.plug();
    HidCardReader reader(config_for(dev));
    CardSinkProbe probe;
    reader.start(probe.sink());
    REQUIRE(dev.connect());
    REQUIRE(eventually([&] { return reading(reader); }));

    const auto t0 = std::chrono::steady_clock::now();
    REQUIRE(dev.write(fake_evdev::type_line("0077705923", false)));
    REQUIRE(probe.wait_for(1, 2s));
    const auto waited = std::chrono::steady_clock::now() - t0;
    CHECK(waited >= 140ms);  // not before the line timeout
    CHECK(waited < 1500ms);
    CHECK(probe.events().at(0).kind == CardEvent::Kind::Card);
    CHECK(probe.events().at(0).card == "0077705923");
    CHECK(reader.health().last_error.find("without Enter") != std::string::npos);
    CHECK(reader.health().last_error.find("0077705923") == std::string::npos);

    // Half a number without Enter is dropped: no event, a note in health.
    REQUIRE(dev.write(fake_evdev::type_line("00777", false)));
    CHECK(eventually([&] { return reader.health().last_error.find("dropped") != std::string::npos; }, 2s));
    std::this_thread::sleep_for(300ms);
    CHECK(probe.count() == 1);
    CHECK(reader.health().last_error.find("00777") == std::string::npos);

    // And the next whole line is read normally.
    REQUIRE(dev.write(fake_evdev::type_line("4294967295")));
    REQUIRE(probe.wait_for(2));
    CHECK(probe.events().at(1).card == "4294967295");
}

TEST_CASE("hid reader: unterminated lines are dropped when deliver_unterminated is off") {
    fake_evdev::Device dev("strict");
    dev.plug();
    auto cfg = config_for(dev);
    cfg.deliver_unterminated = false;
    HidCardReader reader(cfg);
    CardSinkProbe probe;
    reader.start(probe.sink());
    REQUIRE(dev.connect());
    REQUIRE(eventually([&] { return reading(reader); }));
    REQUIRE(dev.write(fake_evdev::type_line("0077705923", false)));
    CHECK(eventually([&] { return reader.health().last_error.find("dropped") != std::string::npos; }, 2s));
    CHECK(probe.count() == 0);
}

TEST_CASE("hid reader: a line that is not a number in the format is an error event with a plain reason") {
    fake_evdev::Device dev("bad");
    dev.plug();
    HidCardReader reader(config_for(dev));
    CardSinkProbe probe;
    reader.start(probe.sink());
    REQUIRE(dev.connect());
    REQUIRE(eventually([&] { return reading(reader); }));

    REQUIRE(dev.write(fake_evdev::type_line("123456789")));  // 9 digits
    fake_evdev::Events garbage;
    fake_evdev::tap(garbage, KEY_1);
    fake_evdev::tap(garbage, KEY_F7);
    fake_evdev::tap(garbage, KEY_ENTER);
    REQUIRE(dev.write(garbage));
    REQUIRE(dev.write(fake_evdev::type_line(std::string(300, '1'))));  // longer than max_line
    REQUIRE(probe.wait_for(3));
    const auto events = probe.events();
    for (const auto& e : events) {
        CHECK(e.kind == CardEvent::Kind::Error);
        CHECK_FALSE(e.error.empty());
        CHECK(e.error.find("123456789") == std::string::npos);
        CHECK(e.card.empty());
    }
    CHECK(events[0].error.find("9 digits") != std::string::npos);
    CHECK(events[1].error.find("keys") != std::string::npos);
    CHECK(events[2].error.find("longer than") != std::string::npos);
    CHECK_FALSE(reader.health().last_error.empty());
}

TEST_CASE("hid reader: unplugged reads as absent, and a re-pointed link is picked up without restart") {
    fake_evdev::Device dev("hotplug");
    HidCardReader reader(config_for(dev));
    CardSinkProbe probe;
    reader.start(probe.sink());
    // Nothing plugged in yet.
    REQUIRE(eventually([&] { return reader.health().state == DeviceState::Absent; }));
    CHECK(eventually([&] { return reader.health().status.find("plugged in") != std::string::npos; }));

    dev.plug();
    REQUIRE(dev.connect());
    REQUIRE(eventually([&] { return reading(reader); }));
    REQUIRE(dev.write(fake_evdev::type_line("0000000001")));
    REQUIRE(probe.wait_for(1));

    // Half a line, then the reader is pulled out.
    REQUIRE(dev.write(fake_evdev::type_line("00000", false)));
    std::this_thread::sleep_for(20ms);
    dev.unplug();
    REQUIRE(eventually([&] { return reader.health().state == DeviceState::Absent; }));
    CHECK(reader.health().status.find("unplugged") != std::string::npos);
    std::this_thread::sleep_for(300ms);  // longer than line_timeout: the half line must not surface
    CHECK(probe.count() == 1);

    // Plugged back in as a different node; the link now points there.
    dev.plug();
    REQUIRE(dev.connect());
    REQUIRE(eventually([&] { return reading(reader); }));
    REQUIRE(dev.write(fake_evdev::type_line("0000000002")));
    REQUIRE(probe.wait_for(2));
    CHECK(probe.events().at(1).card == "0000000002");
    reader.stop();
    CHECK(probe.count() == 2);
}

TEST_CASE("hid reader: stop() is prompt while waiting, and nothing is delivered after it") {
    fake_evdev::Device dev("stop");
    dev.plug();
    auto cfg = config_for(dev);
    cfg.reopen_interval = 10s;  // stop must not wait for this
    cfg.line_timeout = 10s;     // nor for this
    HidCardReader reader(cfg);
    CardSinkProbe probe;
    reader.start(probe.sink());
    REQUIRE(dev.connect());
    REQUIRE(eventually([&] { return reading(reader); }));
    REQUIRE(dev.write(fake_evdev::type_line("00777", false)));  // a line pending its timeout
    std::this_thread::sleep_for(50ms);
    auto t0 = std::chrono::steady_clock::now();
    reader.stop();
    CHECK(std::chrono::steady_clock::now() - t0 < 500ms);
    CHECK(probe.count() == 0);
    reader.stop();  // idempotent

    // Waiting for a device that is not there.
    dev.unplug();
    HidCardReader absent(cfg);
    absent.start(probe.sink());
    REQUIRE(eventually([&] { return absent.health().state == DeviceState::Absent; }));
    t0 = std::chrono::steady_clock::now();
    absent.stop();
    CHECK(std::chrono::steady_clock::now() - t0 < 500ms);

    // And it starts again after a stop.
    dev.plug();
    cfg.reopen_interval = 50ms;
    HidCardReader again(cfg);
    again.start(probe.sink());
    again.stop();
    again.start(probe.sink());
    REQUIRE(dev.connect());
    REQUIRE(eventually([&] { return reading(again); }));
    REQUIRE(dev.write(fake_evdev::type_line("0000000003")));
    REQUIRE(probe.wait_for(1));
    CHECK(probe.events().at(0).card == "0000000003");
}

TEST_CASE("hid reader: a device without permission is a fault that says what to check") {
    fake_evdev::Device dev("perm");
    dev.plug();  // mode 0600, owned by whoever runs the test
    // Root opens anything: run as nobody for the duration (seteuid applies to
    // every thread of the process), as the kiosk user without its udev rule.
    struct AsNobody {
        bool active = false;
        AsNobody() {
            if (::geteuid() == 0) active = ::seteuid(65534) == 0;
        }
        ~AsNobody() {
            if (active) (void)::seteuid(0);
        }
    } nobody;
    if (::geteuid() == 0) {
        MESSAGE("skipped: could not drop root privileges to test permissions");
        return;
    }
    HidCardReader reader(config_for(dev));
    reader.start([](CardEvent) {});
    REQUIRE(eventually([&] { return reader.health().state == DeviceState::Fault; }));
    CHECK(reader.health().status.find("permission") != std::string::npos);
    CHECK(reader.health().status.find("udev") != std::string::npos);
    reader.stop();
}

TEST_CASE("hid reader: a real input device through uinput, grabbed") {
    if (::access("/dev/uinput", W_OK) != 0) {
        MESSAGE("skipped: /dev/uinput is not available on this machine (no uinput module or no access)");
        return;
    }
    const int ui = ::open("/dev/uinput", O_WRONLY | O_NONBLOCK | O_CLOEXEC);
    REQUIRE(ui >= 0);
    REQUIRE(::ioctl(ui, UI_SET_EVBIT, EV_KEY) == 0);
    REQUIRE(::ioctl(ui, UI_SET_EVBIT, EV_SYN) == 0);
    for (int k = KEY_ESC; k <= KEY_KPDOT; ++k) REQUIRE(::ioctl(ui, UI_SET_KEYBIT, k) == 0);
    REQUIRE(::ioctl(ui, UI_SET_KEYBIT, KEY_KPENTER) == 0);
    uinput_setup setup{};
    setup.id.bustype = BUS_USB;
    setup.id.vendor = 0x1234;
    setup.id.product = 0x5678;
    std::snprintf(setup.name, sizeof setup.name, "kiosk test wedge reader");
    REQUIRE(::ioctl(ui, UI_DEV_SETUP, &setup) == 0);
    REQUIRE(::ioctl(ui, UI_DEV_CREATE) == 0);
    struct Destroy {
        int fd;
        ~Destroy() {
            ::ioctl(fd, UI_DEV_DESTROY);
            ::close(fd);
        }
    } destroy{ui};

    char sys[64] = {};
    REQUIRE(::ioctl(ui, UI_GET_SYSNAME(sizeof sys), sys) >= 0);
    std::string node;
    REQUIRE(eventually([&] {
        std::error_code ec;
        for (const auto& entry :
             std::filesystem::directory_iterator(std::filesystem::path("/sys/devices/virtual/input") / sys, ec))
            if (entry.path().filename().string().rfind("event", 0) == 0) {
                node = "/dev/input/" + entry.path().filename().string();
                return std::filesystem::exists(node);
            }
        return false;
    }));

    HidReaderConfig cfg;
    cfg.path = node;
    cfg.format = CardFormat::Dec10;
    HidCardReader reader(cfg);
    CardSinkProbe probe;
    reader.start(probe.sink());
    REQUIRE(eventually([&] { return reader.health().state == DeviceState::Ready; }));
    CHECK(reader.health().status == "ready");  // grabbed
    // A second grab must now fail: the reader holds the device.
    const int other = ::open(node.c_str(), O_RDONLY | O_CLOEXEC);
    REQUIRE(other >= 0);
    CHECK(::ioctl(other, EVIOCGRAB, 1) != 0);
    ::close(other);

    for (const auto& e : fake_evdev::type_line("0077705923")) {
        if (e.type == EV_MSC) continue;
        REQUIRE(::write(ui, &e, sizeof e) == static_cast<ssize_t>(sizeof e));
    }
    REQUIRE(probe.wait_for(1));
    CHECK(probe.events().at(0).card == "0077705923");
    reader.stop();
}
