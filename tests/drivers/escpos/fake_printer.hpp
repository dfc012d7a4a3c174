#pragma once
// A fake ESC/POS network printer on 127.0.0.1, for driver and kiosk tests.
//
//   FakeNetworkPrinter printer;                      // listening on an ephemeral port
//   auto t = drivers::escpos::tcp_transport("127.0.0.1", printer.port());
//   printer.set_paper_out(true);                     // answers DLE EOT accordingly
//   ...
//   CHECK(printer.count("取餐号") == 1);             // GB18030 text is matched as GB18030
//
// It plays the printer's side over a real socket: accepts any number of
// connections (each recorded separately), answers DLE EOT n (anywhere in the
// stream, like a real printer) from its scripted state, and can misbehave on
// request: never answer status, reset a connection after some bytes, refuse
// connections (switched off), or send noise before its replies.
// Every member may be called from any thread; a background thread serves the
// sockets and stops in the destructor. Nothing blocks longer than the
// timeout given to wait_until().
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace escpos_test {

class FakeNetworkPrinter {
public:
    struct Connection {
        std::vector<std::uint8_t> bytes;  // everything received, status requests included
        std::size_t status_requests = 0;  // DLE EOT n seen
        bool eof = false;                 // the client shut down or closed its side (FIN)
        bool reset = false;               // we reset it (reset_after)
        bool open = true;                 // still connected
    };

    FakeNetworkPrinter();  // aborts the test (REQUIRE) if it cannot listen
    ~FakeNetworkPrinter();
    FakeNetworkPrinter(const FakeNetworkPrinter&) = delete;
    FakeNetworkPrinter& operator=(const FakeNetworkPrinter&) = delete;

    [[nodiscard]] std::uint16_t port() const;
    [[nodiscard]] std::string address() const;  // "127.0.0.1:<port>"

    // Scripted state, reflected in the next status replies.
    void set_paper_out(bool on);
    void set_paper_near_end(bool on);
    void set_cover_open(bool on);
    void set_offline(bool on);
    void set_error(bool on);  // an autocutter error
    void set_answers_status(bool on);  // false: DLE EOT requests are read and ignored
    void set_noise(bool on);           // an automatic status packet and stray bytes before each reply
    // The next connection is reset (RST) once it has received `bytes` bytes
    // that are not status requests; one connection only.
    void reset_next_after(std::size_t bytes);
    // Switched off: the port refuses connections (open ones are closed); on
    // again listens on the same port.
    void set_refusing(bool on);

    // What was received.
    [[nodiscard]] std::vector<Connection> connections() const;
    [[nodiscard]] std::size_t connection_count() const;
    [[nodiscard]] std::size_t status_requests() const;
    // Occurrences of `needle` in each connection's bytes, summed. A string
    // is looked for as GB18030 (the way the printer receives Chinese).
    [[nodiscard]] std::size_t count(std::span<const std::uint8_t> needle) const;
    [[nodiscard]] std::size_t count(std::string_view utf8) const;
    // Each connection's bytes with the status requests taken out.
    [[nodiscard]] std::vector<std::vector<std::uint8_t>> jobs() const;
    // Polls `pred` every few ms until it holds or `timeout` passes.
    bool wait_until(const std::function<bool()>& pred, std::chrono::milliseconds timeout) const;
    void clear();  // forgets the recordings

    struct Impl;

private:
    std::unique_ptr<Impl> impl_;
};

// UTF-8 → GB18030 bytes (glibc iconv), for matching printed text.
std::vector<std::uint8_t> gb18030(std::string_view utf8);

}  // namespace escpos_test
