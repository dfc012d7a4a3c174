// The serial port against a real pseudo-terminal.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <pty.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "drivers/io/serial_port.hpp"

using namespace std::chrono_literals;
using drivers::io::SerialPort;
using drivers::io::Waker;

namespace {
struct Pty {
    int master = -1, slave = -1;
    std::string name;
    Pty() {
        char buf[128];
        REQUIRE(openpty(&master, &slave, buf, nullptr, nullptr) == 0);
        name = buf;
    }
    ~Pty() {
        if (master >= 0) close(master);
        if (slave >= 0) close(slave);
    }
};
}  // namespace

TEST_CASE("serial: bytes both ways at 115200 8N1") {
    Pty pty;
    auto port = SerialPort::open(pty.name, 115200);
    REQUIRE_MESSAGE(port.ok(), (port.ok() ? "" : port.error().message));
    const std::uint8_t hello[] = {0xAA, 0xAA, 0xAA, 0x96, 0x69};
    REQUIRE(port->write_all(hello, 1s).ok());
    std::uint8_t got[8] = {};
    REQUIRE(read(pty.master, got, sizeof got) == 5);
    CHECK(got[3] == 0x96);
    REQUIRE(write(pty.master, "\x01\x02", 2) == 2);
    std::uint8_t in[8] = {};
    auto n = port->read(in, 1s);
    REQUIRE(n.ok());
    CHECK(*n == 2);
    CHECK(in[1] == 0x02);
}

TEST_CASE("serial: a read times out with nothing, and a waker cuts it short") {
    Pty pty;
    auto port = SerialPort::open(pty.name, 115200);
    REQUIRE(port.ok());
    std::uint8_t in[8];
    const auto t0 = std::chrono::steady_clock::now();
    auto n = port->read(in, 100ms);
    REQUIRE(n.ok());
    CHECK(*n == 0);
    CHECK(std::chrono::steady_clock::now() - t0 >= 90ms);

    Waker waker;
    std::thread t([&] {
        std::this_thread::sleep_for(50ms);
        waker.wake();
    });
    const auto t1 = std::chrono::steady_clock::now();
    n = port->read(in, 10s, &waker);
    t.join();
    REQUIRE(n.ok());
    CHECK(*n == 0);
    CHECK(std::chrono::steady_clock::now() - t1 < 5s);
}

TEST_CASE("serial: the other end hanging up reads as gone") {
    Pty pty;
    auto port = SerialPort::open(pty.name, 115200);
    REQUIRE(port.ok());
    close(pty.slave);
    pty.slave = -1;
    close(pty.master);  // the reader is unplugged
    pty.master = -1;
    std::uint8_t in[8];
    auto n = port->read(in, 1s);
    REQUIRE_FALSE(n.ok());
    CHECK(n.error().code == "serial.gone");
}

TEST_CASE("serial: open errors say what is wrong") {
    auto missing = SerialPort::open("/dev/serial/by-id/no-such-reader", 115200);
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.error().code == "serial.open");
    CHECK(missing.error().message.find("not there") != std::string::npos);

    auto not_tty = SerialPort::open("/dev/null", 115200);
    REQUIRE_FALSE(not_tty.ok());
    CHECK(not_tty.error().code == "serial.config");

    Pty pty;
    auto bad_speed = SerialPort::open(pty.name, 12345);
    REQUIRE_FALSE(bad_speed.ok());
    CHECK(bad_speed.error().code == "serial.config");
}
