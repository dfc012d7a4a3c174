#pragma once
// A serial port (termios), raw 8N1, for ID card readers and receipt printers.
//
// Contract:
//   open(): blocks only in open(2) (O_NONBLOCK, so a missing carrier never
//     hangs it). Errors: "serial.open" (missing, busy, no permission: the
//     message names the path and says which), "serial.config" (not a tty, or
//     the speed is refused).
//   read(): waits up to `timeout` for at least one byte, then returns what is
//     there (up to `max`). 0 bytes: the timeout passed, or `waker` fired.
//     Error "serial.gone" when the device hung up or was unplugged (POLLHUP,
//     EIO, ENXIO, ENODEV): close it and open again later.
//   write_all(): writes everything or fails with "serial.write" / "serial.gone"
//     ("serial.timeout" when the device stops accepting bytes for `timeout`).
// One thread uses a port at a time; the port is not shared.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "drivers/common/expected.hpp"
#include "drivers/io/waker.hpp"

namespace drivers::io {

class SerialPort {
public:
    SerialPort() = default;
    ~SerialPort();
    SerialPort(SerialPort&& o) noexcept;
    SerialPort& operator=(SerialPort&& o) noexcept;
    SerialPort(const SerialPort&) = delete;
    SerialPort& operator=(const SerialPort&) = delete;

    // `baud`: 9600, 19200, 38400, 57600, 115200 or 230400.
    static Expected<SerialPort> open(const std::string& path, int baud);

    [[nodiscard]] bool is_open() const { return fd_ >= 0; }
    [[nodiscard]] int fd() const { return fd_; }
    [[nodiscard]] const std::string& path() const { return path_; }
    void close();

    Expected<std::size_t> read(std::span<std::uint8_t> into, std::chrono::milliseconds timeout,
                               const Waker* waker = nullptr);
    Expected<void> write_all(std::span<const std::uint8_t> bytes, std::chrono::milliseconds timeout);
    // Drops whatever the device sent that was not read yet (resynchronisation).
    void discard_input();

private:
    int fd_ = -1;
    std::string path_;
};

}  // namespace drivers::io
