#pragma once
// How bytes reach a receipt printer, behind one interface:
//   usb     /dev/usb/lp* (usblp)              status: when the printer is bidirectional
//   tcp     raw TCP, port 9100 by default     status: on the same socket
//   serial  termios 8N1 (drivers::io)         status: yes
//   file    appends to a file (tests, demo)   status: none, always "ready"
//
// Contract, for every transport:
//   * One thread uses a transport at a time (the printer's worker thread).
//   * tcp open() resolves a host name first (getaddrinfo): that part blocks
//     and ignores the waker; a numeric address returns at once.
//   * open(), write(), read() block at most their timeout, and return early
//     with "printer.interrupted" when `waker` fires (stop()). close() does not
//     block longer than about 300 ms (a TCP socket is shut down politely so
//     the printer sees the end of the job, then closed).
//   * A TCP socket lives from open() to close() or the destructor: the worker
//     opens one per job or status check and always closes it. (A socket left
//     open locks many printers for ~30 s.)
//   * Errors (code: plain words naming the address or path, never job data):
//       printer.unreachable      no route, host down, connect timed out
//       printer.refused          connection refused (switched off, busy)
//       printer.unplugged        the device file is not there or went away
//       printer.permission       no permission on the device file (group lp / dialout)
//       printer.connection_lost  reset, closed by the printer, broken pipe
//       printer.timeout          the printer stopped taking data for `timeout`
//       printer.status_unavailable  this connection cannot read back (usblp EINVAL)
//       printer.interrupted      `waker` fired
//       printer.io               anything else (the system's words)
//       printer.config           make_transport(): kind, path or address is wrong
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "drivers/common/expected.hpp"
#include "drivers/io/waker.hpp"
#include "drivers/printer/escpos_status.hpp"

namespace drivers::escpos {

// What a transport can tell about the printer.
enum class Readback : std::uint8_t {
    None,        // file: nothing comes back; the job is sent and assumed printed
    BestEffort,  // usb: try; EINVAL or silence means "status unavailable", send and hope
    Required,    // tcp, serial: the printer must answer; silence means "no answer", the job waits
};

class Transport {
public:
    virtual ~Transport() = default;
    // What and where, for health and staff ("tcp 192.168.1.50:9100"). No job data.
    [[nodiscard]] virtual std::string name() const = 0;
    [[nodiscard]] virtual Readback readback() const = 0;
    [[nodiscard]] virtual bool is_open() const = 0;
    virtual Expected<void> open(std::chrono::milliseconds timeout, const io::Waker* waker) = 0;
    // Everything or an error (then the printer may have received part of it).
    virtual Expected<void> write(std::span<const std::uint8_t> bytes, std::chrono::milliseconds timeout,
                                 const io::Waker* waker) = 0;
    // Waits up to `timeout` for at least one byte; 0 bytes: the timeout passed.
    virtual Expected<std::size_t> read(std::span<std::uint8_t> into, std::chrono::milliseconds timeout,
                                       const io::Waker* waker) = 0;
    virtual void close() = 0;
};

// `[devices.printer]` as the kiosk's config has it.
struct TransportConfig {
    std::string kind{};     // "usb" | "tcp" | "serial" | "file"
    std::string path{};     // usb, serial, file
    std::string address{};  // tcp: "host", "host:port", "[v6]:port"; port 9100 when omitted
    int baud = 19200;     // serial: 9600, 19200, 38400, 57600, 115200
};

// A closed transport; "printer.config" when the config is incomplete or wrong
// (no I/O is done: a missing device is found by open()).
[[nodiscard]] Expected<std::unique_ptr<Transport>> make_transport(const TransportConfig& config);

[[nodiscard]] std::unique_ptr<Transport> tcp_transport(std::string host, std::uint16_t port = 9100);
[[nodiscard]] std::unique_ptr<Transport> usb_transport(std::string path);
[[nodiscard]] std::unique_ptr<Transport> serial_transport(std::string path, int baud);
[[nodiscard]] std::unique_ptr<Transport> file_transport(std::string path);

// Asks an open transport for the printer's status: DLE EOT 1 and 4, then 2
// when offline and 3 when the cause is an error. Before each request whatever
// the printer sent earlier is read and dropped, and only a byte with the right
// fixed bits counts as the reply (automatic status packets are skipped), so a
// late or stray byte is not taken for the answer to the wrong request.
// Blocks up to `timeout` per request. Errors: "printer.no_answer" (no valid
// reply in time: the caller should close the connection so a late reply
// cannot be misread), "printer.status_unavailable" (usblp without a
// bidirectional interface), and the transport's own errors.
[[nodiscard]] Expected<PrinterStatus> query_status(Transport& transport, std::chrono::milliseconds timeout,
                                                   const io::Waker* waker = nullptr);

}  // namespace drivers::escpos
