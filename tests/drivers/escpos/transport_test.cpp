// Transports against real sockets, files and pseudo-terminals.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <thread>

#include "drivers/printer/escpos_transport.hpp"
#include "fake_printer.hpp"

using namespace drivers::escpos;
using namespace std::chrono_literals;
using escpos_test::FakeNetworkPrinter;

namespace {

struct TempDir {
    std::filesystem::path path;
    TempDir() {
        char tmpl[] = "/tmp/escpos-test-XXXXXX";
        REQUIRE(mkdtemp(tmpl) != nullptr);
        path = tmpl;
    }
    ~TempDir() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
};

const std::vector<std::uint8_t> kJob = {0x1B, 0x40, 'h', 'e', 'l', 'l', 'o', 0x0A, 0x1D, 0x56, 0x01};

}  // namespace

TEST_CASE("transport: tcp delivers the bytes and closes the socket") {
    FakeNetworkPrinter printer;
    auto t = tcp_transport("127.0.0.1", printer.port());
    CHECK(t->name() == "tcp 127.0.0.1:" + std::to_string(printer.port()));
    CHECK(t->readback() == Readback::Required);
    REQUIRE(t->open(1s, nullptr).ok());
    CHECK(t->is_open());
    REQUIRE(t->write(kJob, 1s, nullptr).ok());
    t->close();
    CHECK_FALSE(t->is_open());
    REQUIRE(printer.wait_until([&] { auto c = printer.connections(); return c.size() == 1 && !c[0].open; }, 3s));
    const auto c = printer.connections();
    CHECK(c[0].bytes == kJob);
    CHECK(c[0].eof);  // a polite close: the printer saw the end of the job
    CHECK_FALSE(c[0].reset);

    // The destructor closes too.
    {
        auto t2 = tcp_transport("127.0.0.1", printer.port());
        REQUIRE(t2->open(1s, nullptr).ok());
    }
    REQUIRE(printer.wait_until([&] { auto cs = printer.connections(); return cs.size() == 2 && cs[1].eof; }, 3s));
}

TEST_CASE("transport: tcp status through the fake printer, with noise on the line") {
    FakeNetworkPrinter printer;
    auto t = tcp_transport("127.0.0.1", printer.port());
    REQUIRE(t->open(1s, nullptr).ok());
    auto s = query_status(*t, 500ms);
    REQUIRE(s.ok());
    CHECK(s->can_print());
    printer.set_paper_out(true);
    printer.set_noise(true);
    s = query_status(*t, 500ms);
    REQUIRE(s.ok());
    CHECK(s->paper_out);
    CHECK(s->offline);
    printer.set_paper_out(false);
    printer.set_cover_open(true);
    s = query_status(*t, 500ms);
    REQUIRE(s.ok());
    CHECK(s->cover_open);
    CHECK_FALSE(s->paper_out);
    t->close();
}

TEST_CASE("transport: tcp errors say refused, and a waker cuts a wait short") {
    FakeNetworkPrinter printer;
    const auto port = printer.port();
    printer.set_refusing(true);
    auto t = tcp_transport("127.0.0.1", port);
    auto o = t->open(1s, nullptr);
    REQUIRE_FALSE(o.ok());
    CHECK(o.error().code == "printer.refused");
    CHECK(o.error().message.find("127.0.0.1:" + std::to_string(port)) != std::string::npos);
    printer.set_refusing(false);

    printer.set_answers_status(false);
    REQUIRE(t->open(1s, nullptr).ok());
    drivers::io::Waker waker;
    std::thread poke([&] {
        std::this_thread::sleep_for(50ms);
        waker.wake();
    });
    const auto t0 = std::chrono::steady_clock::now();
    auto s = query_status(*t, 10s, &waker);
    poke.join();
    REQUIRE_FALSE(s.ok());
    CHECK(s.error().code == "printer.interrupted");
    CHECK(std::chrono::steady_clock::now() - t0 < 5s);
}

TEST_CASE("transport: a connection reset by the printer reads as connection lost") {
    FakeNetworkPrinter printer;
    printer.reset_next_after(4);
    auto t = tcp_transport("127.0.0.1", printer.port());
    REQUIRE(t->open(1s, nullptr).ok());
    std::vector<std::uint8_t> big(256 * 1024, 'x');
    auto w = t->write(big, 2s, nullptr);
    if (w.ok()) {  // the kernel took it all before the reset came back: the next read sees it
        auto s = query_status(*t, 500ms);
        REQUIRE_FALSE(s.ok());
        CHECK(s.error().code == "printer.connection_lost");
    } else {
        CHECK(w.error().code == "printer.connection_lost");
    }
    t->close();
}

TEST_CASE("transport: file appends and has no status") {
    TempDir dir;
    const auto path = dir.path / "out.bin";
    auto t = file_transport(path.string());
    CHECK(t->readback() == Readback::None);
    for (int i = 0; i < 2; ++i) {
        REQUIRE(t->open(1s, nullptr).ok());
        REQUIRE(t->write(kJob, 1s, nullptr).ok());
        t->close();
    }
    std::ifstream in(path, std::ios::binary);
    const std::vector<std::uint8_t> got((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    CHECK(got.size() == kJob.size() * 2);
    REQUIRE(t->open(1s, nullptr).ok());
    std::uint8_t buf[4];
    auto r = t->read(buf, 10ms, nullptr);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "printer.status_unavailable");
    t->close();

    auto missing = file_transport((dir.path / "no" / "such" / "dir" / "f").string());
    auto o = missing->open(1s, nullptr);
    REQUIRE_FALSE(o.ok());
    CHECK(o.error().code == "printer.unplugged");
}

TEST_CASE("transport: serial on a pty, the printer answering status") {
    int master = -1, slave = -1;
    char name[128];
    REQUIRE(openpty(&master, &slave, name, nullptr, nullptr) == 0);
    auto t = serial_transport(name, 115200);
    REQUIRE(t->open(1s, nullptr).ok());
    std::atomic<bool> done{false};
    std::vector<std::uint8_t> received;
    std::thread printer([&] {  // the printer: record bytes, answer DLE EOT with "paper near end"
        std::uint8_t buf[256];
        int state = 0;
        while (!done) {
            pollfd p{master, POLLIN, 0};
            if (poll(&p, 1, 20) <= 0) continue;
            const ssize_t n = read(master, buf, sizeof buf);
            for (ssize_t i = 0; i < n; ++i) {
                received.push_back(buf[i]);
                if (state == 2) {
                    const std::uint8_t reply = buf[i] == 4 ? 0x1E : 0x12;
                    (void)!write(master, &reply, 1);
                    state = 0;
                } else {
                    state = buf[i] == 0x10 ? 1 : (state == 1 && buf[i] == 0x04) ? 2 : 0;
                }
            }
        }
    });
    auto s = query_status(*t, 1s);
    REQUIRE(t->write(kJob, 1s, nullptr).ok());
    std::this_thread::sleep_for(100ms);
    done = true;
    printer.join();
    REQUIRE(s.ok());
    CHECK(s->paper_near_end);
    CHECK(s->can_print());
    REQUIRE(received.size() == 6 + kJob.size());
    CHECK(std::equal(kJob.begin(), kJob.end(), received.begin() + 6));
    t->close();
    close(master);
    close(slave);

    auto gone = serial_transport("/dev/serial/by-id/no-such-printer", 9600);
    auto o = gone->open(1s, nullptr);
    REQUIRE_FALSE(o.ok());
    CHECK(o.error().code == "printer.unplugged");
}

TEST_CASE("transport: usb errors, and a device that never answers") {
    auto missing = usb_transport("/dev/usb/lp-not-there");
    auto o = missing->open(1s, nullptr);
    REQUIRE_FALSE(o.ok());
    CHECK(o.error().code == "printer.unplugged");
    CHECK(missing->readback() == Readback::BestEffort);

    // /dev/null takes the bytes and never says anything back.
    auto null = usb_transport("/dev/null");
    REQUIRE(null->open(1s, nullptr).ok());
    REQUIRE(null->write(kJob, 1s, nullptr).ok());
    auto s = query_status(*null, 50ms);
    REQUIRE_FALSE(s.ok());
    CHECK(s.error().code == "printer.no_answer");
    null->close();
}

TEST_CASE("transport: config picks the transport and names what is wrong") {
    auto tcp = make_transport({.kind = "tcp", .address = "192.0.2.10"});
    REQUIRE(tcp.ok());
    CHECK((*tcp)->name() == "tcp 192.0.2.10:9100");
    auto port = make_transport({.kind = "tcp", .address = "192.0.2.10:9101"});
    REQUIRE(port.ok());
    CHECK((*port)->name() == "tcp 192.0.2.10:9101");
    auto v6 = make_transport({.kind = "tcp", .address = "[::1]:9102"});
    REQUIRE(v6.ok());
    CHECK((*v6)->name() == "tcp [::1]:9102");
    auto usb = make_transport({.kind = "usb", .path = "/dev/usb/lp0"});
    REQUIRE(usb.ok());
    CHECK((*usb)->name() == "usb /dev/usb/lp0");
    CHECK(make_transport({.kind = "serial", .path = "/dev/ttyS0", .baud = 9600}).ok());
    CHECK(make_transport({.kind = "file", .path = "/tmp/x"}).ok());

    for (const TransportConfig& bad : {TransportConfig{.kind = "tcp"}, TransportConfig{.kind = "tcp", .address = "h:0"},
                                       TransportConfig{.kind = "tcp", .address = "h:99999"},
                                       TransportConfig{.kind = "tcp", .address = "h:port"},
                                       TransportConfig{.kind = "tcp", .address = "[::1"},
                                       TransportConfig{.kind = "usb"},
                                       TransportConfig{.kind = "serial", .path = "/dev/ttyS0", .baud = 1234},
                                       TransportConfig{.kind = "bluetooth", .path = "x"}}) {
        auto r = make_transport(bad);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().code == "printer.config");
    }
}

TEST_CASE("transport: a serial printer that stops taking data times out, or stops on the waker") {
    int master = -1, slave = -1;
    char name[128];
    REQUIRE(openpty(&master, &slave, name, nullptr, nullptr) == 0);
    auto t = serial_transport(name, 115200);
    REQUIRE(t->open(1s, nullptr).ok());
    const std::vector<std::uint8_t> big(1 << 20, 'x');  // nobody reads the other side: the pty fills up
    auto slow = t->write(big, 200ms, nullptr);
    REQUIRE_FALSE(slow.ok());
    CHECK(slow.error().code == "printer.timeout");

    drivers::io::Waker waker;
    std::thread poke([&] {
        std::this_thread::sleep_for(100ms);
        waker.wake();
    });
    const auto t0 = std::chrono::steady_clock::now();
    auto stopped = t->write(big, 10s, &waker);
    poke.join();
    REQUIRE_FALSE(stopped.ok());
    CHECK(stopped.error().code == "printer.interrupted");
    CHECK(std::chrono::steady_clock::now() - t0 < 5s);
    t->close();
    close(master);
    close(slave);
}
