#include "drivers/io/serial_port.hpp"

#include <fcntl.h>
#include <poll.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace drivers::io {

namespace {

bool gone(int err) { return err == EIO || err == ENXIO || err == ENODEV || err == EBADF; }

DriverError gone_error(const std::string& path) {
    return {"serial.gone", "the device on " + path + " stopped answering (unplugged or switched off)"};
}

speed_t speed_for(int baud) {
    switch (baud) {
        case 9600: return B9600;
        case 19200: return B19200;
        case 38400: return B38400;
        case 57600: return B57600;
        case 115200: return B115200;
        case 230400: return B230400;
        default: return B0;
    }
}

}  // namespace

SerialPort::~SerialPort() { close(); }

SerialPort::SerialPort(SerialPort&& o) noexcept : fd_(std::exchange(o.fd_, -1)), path_(std::move(o.path_)) {}

SerialPort& SerialPort::operator=(SerialPort&& o) noexcept {
    if (this != &o) {
        close();
        fd_ = std::exchange(o.fd_, -1);
        path_ = std::move(o.path_);
    }
    return *this;
}

void SerialPort::close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
}

Expected<SerialPort> SerialPort::open(const std::string& path, int baud) {
    const speed_t speed = speed_for(baud);
    if (speed == B0) return DriverError{"serial.config", "the serial speed " + std::to_string(baud) + " is not supported"};
    const int fd = ::open(path.c_str(), O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        const int e = errno;
        std::string why = e == ENOENT ? "it is not there (unplugged?)"
                          : e == EACCES ? "permission denied (is the kiosk user in the dialout group?)"
                          : e == EBUSY  ? "another program is using it"
                                        : std::strerror(e);
        return DriverError{"serial.open", "cannot open " + path + ": " + why};
    }
    termios t{};
    if (tcgetattr(fd, &t) != 0) {
        ::close(fd);
        return DriverError{"serial.config", path + " is not a serial port"};
    }
    cfmakeraw(&t);
    t.c_cflag |= CLOCAL | CREAD;
    t.c_cflag &= ~static_cast<tcflag_t>(CSTOPB | CRTSCTS | PARENB);
    t.c_cc[VMIN] = 0;
    t.c_cc[VTIME] = 0;
    if (cfsetispeed(&t, speed) != 0 || cfsetospeed(&t, speed) != 0 || tcsetattr(fd, TCSANOW, &t) != 0) {
        ::close(fd);
        return DriverError{"serial.config", "cannot set " + path + " to " + std::to_string(baud) + " 8N1"};
    }
    tcflush(fd, TCIOFLUSH);
    SerialPort port;
    port.fd_ = fd;
    port.path_ = path;
    return port;
}

Expected<std::size_t> SerialPort::read(std::span<std::uint8_t> into, std::chrono::milliseconds timeout,
                                       const Waker* waker) {
    if (fd_ < 0) return gone_error(path_);
    pollfd fds[2] = {{fd_, POLLIN, 0}, {waker != nullptr ? waker->fd() : -1, POLLIN, 0}};
    const int n = ::poll(fds, waker != nullptr ? 2 : 1, static_cast<int>(timeout.count()));
    if (n < 0) return errno == EINTR ? Expected<std::size_t>(std::size_t{0}) : Expected<std::size_t>(gone_error(path_));
    if (n == 0) return std::size_t{0};
    if (waker != nullptr && (fds[1].revents & POLLIN) != 0) return std::size_t{0};
    if ((fds[0].revents & POLLIN) != 0) {
        const ssize_t r = ::read(fd_, into.data(), into.size());
        if (r > 0) return static_cast<std::size_t>(r);
        if (r < 0 && (errno == EAGAIN || errno == EINTR)) return std::size_t{0};
        return gone_error(path_);  // 0 bytes after POLLIN, or EIO: the other end is gone
    }
    if ((fds[0].revents & (POLLHUP | POLLERR | POLLNVAL)) != 0) return gone_error(path_);
    return std::size_t{0};
}

Expected<void> SerialPort::write_all(std::span<const std::uint8_t> bytes, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    std::size_t done = 0;
    while (done < bytes.size()) {
        if (fd_ < 0) return gone_error(path_);
        const ssize_t w = ::write(fd_, bytes.data() + done, bytes.size() - done);
        if (w > 0) {
            done += static_cast<std::size_t>(w);
            continue;
        }
        if (w < 0 && gone(errno)) return gone_error(path_);
        if (w < 0 && errno != EAGAIN && errno != EINTR)
            return DriverError{"serial.write", "writing to " + path_ + " failed: " + std::strerror(errno)};
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0)
            return DriverError{"serial.timeout", "the device on " + path_ + " stopped accepting data"};
        pollfd p{fd_, POLLOUT, 0};
        if (::poll(&p, 1, static_cast<int>(left.count())) > 0 && (p.revents & (POLLHUP | POLLERR)) != 0)
            return gone_error(path_);
    }
    return {};
}

void SerialPort::discard_input() {
    if (fd_ >= 0) tcflush(fd_, TCIFLUSH);
}

}  // namespace drivers::io
