// Transports. Index:
//   [helpers]  waits on an fd and a waker, error words
//   [tcp]      raw TCP 9100: non-blocking connect with a timeout, polite close
//   [usb]      /dev/usb/lp*: write; read back only when bidirectional
//   [serial]   drivers::io::SerialPort
//   [file]     append to a file
//   [config]   make_transport()
//   [status]   query_status()
#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>

#include "drivers/io/serial_port.hpp"
#include "drivers/printer/escpos_transport.hpp"

namespace drivers::escpos {

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// [helpers] -----------------------------------------------------------------

DriverError interrupted() { return {"printer.interrupted", "stopped while talking to the printer"}; }

int ms_left(Clock::time_point deadline) {
    const auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now()).count();
    return static_cast<int>(std::clamp<long long>(left, 0, 1'000'000));
}

bool waker_fired(const io::Waker* waker) {
    if (waker == nullptr) return false;
    pollfd p{waker->fd(), POLLIN, 0};
    return ::poll(&p, 1, 0) > 0 && (p.revents & POLLIN) != 0;
}

enum class Ready : std::uint8_t { Yes, Timeout, Woken, Failed };

// Waits for `events` on fd, or the waker, or the deadline.
Ready wait_fd(int fd, short events, Clock::time_point deadline, const io::Waker* waker, short* revents = nullptr) {
    for (;;) {
        pollfd fds[2] = {{fd, events, 0}, {waker != nullptr ? waker->fd() : -1, POLLIN, 0}};
        const int n = ::poll(fds, waker != nullptr ? 2 : 1, ms_left(deadline));
        if (n < 0) {
            if (errno == EINTR) continue;
            return Ready::Failed;
        }
        if (waker != nullptr && (fds[1].revents & POLLIN) != 0) return Ready::Woken;
        if (n == 0) return Ready::Timeout;
        if (revents != nullptr) *revents = fds[0].revents;
        return Ready::Yes;
    }
}

std::string sys(int e) { return std::strerror(e); }

// [tcp] -----------------------------------------------------------------------

class TcpTransport final : public Transport {
public:
    TcpTransport(std::string host, std::uint16_t port) : host_(std::move(host)), port_(port) {}
    ~TcpTransport() override { close(); }
    TcpTransport(const TcpTransport&) = delete;
    TcpTransport& operator=(const TcpTransport&) = delete;

    std::string name() const override {
        const bool v6 = host_.find(':') != std::string::npos;
        return "tcp " + (v6 ? "[" + host_ + "]" : host_) + ":" + std::to_string(port_);
    }
    Readback readback() const override { return Readback::Required; }
    bool is_open() const override { return fd_ >= 0; }

    Expected<void> open(milliseconds timeout, const io::Waker* waker) override {
        close();
        const auto deadline = Clock::now() + timeout;
        const std::string where = name().substr(4);
        addrinfo hints{};
        hints.ai_family = AF_UNSPEC;
        hints.ai_socktype = SOCK_STREAM;
        hints.ai_flags = AI_NUMERICSERV;
        addrinfo* res = nullptr;
        const std::string port = std::to_string(port_);
        // Name look-up blocks (a numeric address returns at once); configure
        // printers by address.
        const int gai = getaddrinfo(host_.c_str(), port.c_str(), &hints, &res);
        if (gai != 0)
            return DriverError{"printer.unreachable", "cannot find the printer " + where + ": " + gai_strerror(gai)};
        DriverError last{"printer.unreachable", "cannot connect to the printer at " + where};
        for (addrinfo* a = res; a != nullptr; a = a->ai_next) {
            const int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
            if (fd < 0) {
                last = {"printer.io", "cannot make a socket: " + sys(errno)};
                continue;
            }
            int rc = ::connect(fd, a->ai_addr, a->ai_addrlen);
            int err = rc == 0 ? 0 : errno;
            if (rc != 0 && err == EINPROGRESS) {
                const Ready r = wait_fd(fd, POLLOUT, deadline, waker);
                if (r == Ready::Woken) {
                    ::close(fd);
                    freeaddrinfo(res);
                    return interrupted();
                }
                if (r == Ready::Failed) {
                    err = errno;
                } else if (r == Ready::Timeout) {
                    err = ETIMEDOUT;
                } else {
                    socklen_t len = sizeof err;
                    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0) err = errno;
                }
            }
            if (err == 0) {
                const int one = 1;  // status requests are 3 bytes: do not let Nagle hold them
                setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                fd_ = fd;
                freeaddrinfo(res);
                return {};
            }
            ::close(fd);
            if (err == ECONNREFUSED)
                last = {"printer.refused", "the printer at " + where +
                                               " refused the connection (switched off, starting up, or busy with another computer)"};
            else if (err == ETIMEDOUT)
                last = {"printer.unreachable", "the printer at " + where + " did not answer within " +
                                                   std::to_string(timeout.count()) + " ms (switched off? cable?)"};
            else
                last = {"printer.unreachable", "cannot reach the printer at " + where + ": " + sys(err)};
        }
        freeaddrinfo(res);
        return last;
    }

    Expected<void> write(std::span<const std::uint8_t> bytes, milliseconds timeout, const io::Waker* waker) override {
        if (fd_ < 0) return DriverError{"printer.connection_lost", "not connected to " + name().substr(4)};
        const auto deadline = Clock::now() + timeout;
        std::size_t done = 0;
        while (done < bytes.size()) {
            const ssize_t w = ::send(fd_, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
            if (w > 0) {
                done += static_cast<std::size_t>(w);
                continue;
            }
            if (w < 0 && errno == EINTR) continue;
            if (w < 0 && errno != EAGAIN && errno != EWOULDBLOCK) return lost(errno);
            const Ready r = wait_fd(fd_, POLLOUT, deadline, waker);
            if (r == Ready::Woken) return interrupted();
            if (r == Ready::Failed) return lost(errno);
            if (r == Ready::Timeout)
                return DriverError{"printer.timeout", "the printer at " + name().substr(4) + " stopped taking data"};
        }
        return {};
    }

    Expected<std::size_t> read(std::span<std::uint8_t> into, milliseconds timeout, const io::Waker* waker) override {
        if (fd_ < 0) return DriverError{"printer.connection_lost", "not connected to " + name().substr(4)};
        const auto deadline = Clock::now() + timeout;
        for (;;) {
            const ssize_t r = ::recv(fd_, into.data(), into.size(), 0);
            if (r > 0) return static_cast<std::size_t>(r);
            if (r == 0)
                return DriverError{"printer.connection_lost", "the printer at " + name().substr(4) + " closed the connection"};
            if (errno == EINTR) continue;
            if (errno != EAGAIN && errno != EWOULDBLOCK) return lost(errno);
            const Ready w = wait_fd(fd_, POLLIN, deadline, waker);
            if (w == Ready::Woken) return interrupted();
            if (w == Ready::Failed) return lost(errno);
            if (w == Ready::Timeout) return std::size_t{0};
        }
    }

    // Politely: shut down our side so the printer sees the end of the job,
    // read what it still sends (unread data would turn close() into a reset,
    // which can throw away the job's tail), wait briefly for its close.
    void close() override {
        if (fd_ < 0) return;
        ::shutdown(fd_, SHUT_WR);
        const auto deadline = Clock::now() + milliseconds(300);
        std::uint8_t sink[256];
        for (int k = 0; k < 64; ++k) {
            pollfd p{fd_, POLLIN, 0};
            if (::poll(&p, 1, ms_left(deadline)) <= 0) break;
            const ssize_t r = ::recv(fd_, sink, sizeof sink, 0);
            if (r <= 0 && !(r < 0 && errno == EINTR)) break;
        }
        ::close(fd_);
        fd_ = -1;
    }

private:
    DriverError lost(int e) const {
        if (e == ECONNRESET || e == EPIPE || e == ENOTCONN || e == ECONNABORTED)
            return {"printer.connection_lost", "the connection to the printer at " + name().substr(4) + " was lost (" + sys(e) + ")"};
        return {"printer.io", "talking to the printer at " + name().substr(4) + " failed: " + sys(e)};
    }

    std::string host_;
    std::uint16_t port_;
    int fd_ = -1;
};

// [usb] -----------------------------------------------------------------------

DriverError open_error(const std::string& path, int e) {
    if (e == ENOENT || e == ENODEV || e == ENXIO)
        return {"printer.unplugged", "the printer " + path + " is not there (unplugged or switched off?)"};
    if (e == EACCES || e == EPERM)
        return {"printer.permission", "no permission to use " + path + " (is the kiosk user in the lp group?)"};
    if (e == EBUSY) return {"printer.io", path + " is in use by another program"};
    return {"printer.io", "cannot open " + path + ": " + sys(e)};
}

class UsbTransport final : public Transport {
public:
    explicit UsbTransport(std::string path) : path_(std::move(path)) {}
    ~UsbTransport() override { close(); }
    UsbTransport(const UsbTransport&) = delete;
    UsbTransport& operator=(const UsbTransport&) = delete;

    std::string name() const override { return "usb " + path_; }
    Readback readback() const override { return Readback::BestEffort; }
    bool is_open() const override { return fd_ >= 0; }

    Expected<void> open(milliseconds, const io::Waker*) override {
        close();
        fd_ = ::open(path_.c_str(), O_RDWR | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
        if (fd_ < 0) return open_error(path_, errno);
        return {};
    }

    Expected<void> write(std::span<const std::uint8_t> bytes, milliseconds timeout, const io::Waker* waker) override {
        if (fd_ < 0) return open_error(path_, ENODEV);
        const auto deadline = Clock::now() + timeout;
        std::size_t done = 0;
        while (done < bytes.size()) {
            const ssize_t w = ::write(fd_, bytes.data() + done, bytes.size() - done);
            if (w > 0) {
                done += static_cast<std::size_t>(w);
                continue;
            }
            if (w < 0 && errno == EINTR) continue;
            if (w < 0 && errno != EAGAIN) return failure(errno);
            const Ready r = wait_fd(fd_, POLLOUT, deadline, waker);
            if (r == Ready::Woken) return interrupted();
            if (r == Ready::Failed) return failure(errno);
            if (r == Ready::Timeout)
                return DriverError{"printer.timeout", "the printer " + path_ + " stopped taking data (paper out? cover open?)"};
        }
        return {};
    }

    Expected<std::size_t> read(std::span<std::uint8_t> into, milliseconds timeout, const io::Waker* waker) override {
        if (fd_ < 0) return open_error(path_, ENODEV);
        const auto deadline = Clock::now() + timeout;
        for (;;) {
            // Read first: usblp answers EINVAL at once when the printer's
            // interface is not bidirectional (and never reports POLLIN).
            const ssize_t r = ::read(fd_, into.data(), into.size());
            if (r > 0) return static_cast<std::size_t>(r);
            if (r == 0) return std::size_t{0};
            if (errno == EINTR) continue;
            if (errno == EINVAL || errno == EOPNOTSUPP)
                return DriverError{"printer.status_unavailable", "the printer " + path_ + " cannot report its status over USB"};
            if (errno != EAGAIN) return failure(errno);
            const Ready w = wait_fd(fd_, POLLIN, deadline, waker);
            if (w == Ready::Woken) return interrupted();
            if (w == Ready::Failed) return failure(errno);
            if (w == Ready::Timeout) return std::size_t{0};
        }
    }

    void close() override {
        if (fd_ >= 0) ::close(fd_);
        fd_ = -1;
    }

private:
    DriverError failure(int e) const {
        if (e == ENODEV || e == EIO || e == ENXIO || e == EPIPE)
            return {"printer.unplugged", "the printer " + path_ + " went away (unplugged or switched off)"};
        return {"printer.io", "talking to the printer " + path_ + " failed: " + sys(e)};
    }

    std::string path_;
    int fd_ = -1;
};

// [serial] ----------------------------------------------------------------------

class SerialTransport final : public Transport {
public:
    SerialTransport(std::string path, int baud) : path_(std::move(path)), baud_(baud) {}
    std::string name() const override { return "serial " + path_; }
    Readback readback() const override { return Readback::Required; }
    bool is_open() const override { return port_.is_open(); }

    Expected<void> open(milliseconds, const io::Waker*) override {
        close();
        // SerialPort names the problem in words; look first to keep the codes apart.
        if (::access(path_.c_str(), F_OK) != 0) return open_error(path_, errno);
        if (::access(path_.c_str(), R_OK | W_OK) != 0) return open_error(path_, errno);
        auto p = io::SerialPort::open(path_, baud_);
        if (!p) return DriverError{p.error().code == "serial.config" ? "printer.config" : "printer.io", p.error().message};
        port_ = std::move(*p);
        return {};
    }

    // Written here rather than with SerialPort::write_all so that stop() (the
    // waker) cuts short a printer that stopped taking data (flow control).
    Expected<void> write(std::span<const std::uint8_t> bytes, milliseconds timeout, const io::Waker* waker) override {
        if (!port_.is_open()) return gone();
        const auto deadline = Clock::now() + timeout;
        std::size_t done = 0;
        while (done < bytes.size()) {
            const ssize_t w = ::write(port_.fd(), bytes.data() + done, bytes.size() - done);
            if (w > 0) {
                done += static_cast<std::size_t>(w);
                continue;
            }
            if (w < 0 && errno == EINTR) continue;
            if (w < 0 && errno != EAGAIN) {
                if (errno == EIO || errno == ENXIO || errno == ENODEV) return gone();
                return DriverError{"printer.io", "writing to the printer on " + path_ + " failed: " + sys(errno)};
            }
            short revents = 0;
            const Ready r = wait_fd(port_.fd(), POLLOUT, deadline, waker, &revents);
            if (r == Ready::Woken) return interrupted();
            if (r == Ready::Failed || (revents & (POLLHUP | POLLERR)) != 0) return gone();
            if (r == Ready::Timeout)
                return DriverError{"printer.timeout", "the printer on " + path_ + " stopped taking data"};
        }
        return {};
    }

    Expected<std::size_t> read(std::span<std::uint8_t> into, milliseconds timeout, const io::Waker* waker) override {
        auto r = port_.read(into, timeout, waker);
        if (!r) return map(r.error());
        if (*r == 0 && waker_fired(waker)) return interrupted();
        return *r;
    }

    void close() override { port_.close(); }

private:
    DriverError gone() const {
        return {"printer.unplugged", "the printer on " + path_ + " stopped answering (unplugged or switched off)"};
    }
    DriverError map(const DriverError& e) const {
        if (e.code == "serial.gone") return {"printer.unplugged", e.message};
        if (e.code == "serial.timeout") return {"printer.timeout", e.message};
        return {"printer.io", e.message};
    }

    std::string path_;
    int baud_;
    io::SerialPort port_;
};

// [file] ------------------------------------------------------------------------

class FileTransport final : public Transport {
public:
    explicit FileTransport(std::string path) : path_(std::move(path)) {}
    ~FileTransport() override { close(); }
    FileTransport(const FileTransport&) = delete;
    FileTransport& operator=(const FileTransport&) = delete;

    std::string name() const override { return "file " + path_; }
    Readback readback() const override { return Readback::None; }
    bool is_open() const override { return fd_ >= 0; }

    Expected<void> open(milliseconds, const io::Waker*) override {
        close();
        fd_ = ::open(path_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
        if (fd_ < 0) return open_error(path_, errno);
        return {};
    }

    Expected<void> write(std::span<const std::uint8_t> bytes, milliseconds, const io::Waker*) override {
        if (fd_ < 0) return open_error(path_, ENOENT);
        std::size_t done = 0;
        while (done < bytes.size()) {
            const ssize_t w = ::write(fd_, bytes.data() + done, bytes.size() - done);
            if (w > 0) {
                done += static_cast<std::size_t>(w);
                continue;
            }
            if (w < 0 && errno == EINTR) continue;
            return DriverError{"printer.io", "writing to " + path_ + " failed: " + sys(w < 0 ? errno : EIO)};
        }
        return {};
    }

    Expected<std::size_t> read(std::span<std::uint8_t>, milliseconds, const io::Waker*) override {
        return DriverError{"printer.status_unavailable", "a file has no printer status"};
    }

    void close() override {
        if (fd_ >= 0) ::close(fd_);
        fd_ = -1;
    }

private:
    std::string path_;
    int fd_ = -1;
};

}  // namespace

std::unique_ptr<Transport> tcp_transport(std::string host, std::uint16_t port) {
    return std::make_unique<TcpTransport>(std::move(host), port);
}
std::unique_ptr<Transport> usb_transport(std::string path) { return std::make_unique<UsbTransport>(std::move(path)); }
std::unique_ptr<Transport> serial_transport(std::string path, int baud) {
    return std::make_unique<SerialTransport>(std::move(path), baud);
}
std::unique_ptr<Transport> file_transport(std::string path) { return std::make_unique<FileTransport>(std::move(path)); }

// [config] ------------------------------------------------------------------------

Expected<std::unique_ptr<Transport>> make_transport(const TransportConfig& c) {
    auto need_path = [&]() -> Expected<void> {
        if (c.path.empty())
            return DriverError{"printer.config", "[devices.printer] transport = \"" + c.kind + "\" needs a path"};
        return {};
    };
    if (c.kind == "usb" || c.kind == "serial" || c.kind == "file") {
        if (auto ok = need_path(); !ok) return ok.error();
        if (c.kind == "usb") return usb_transport(c.path);
        if (c.kind == "file") return file_transport(c.path);
        static constexpr int kBauds[] = {9600, 19200, 38400, 57600, 115200};
        if (std::find(std::begin(kBauds), std::end(kBauds), c.baud) == std::end(kBauds))
            return DriverError{"printer.config", "the serial speed " + std::to_string(c.baud) +
                                                     " is not one of 9600, 19200, 38400, 57600, 115200"};
        return serial_transport(c.path, c.baud);
    }
    if (c.kind == "tcp") {
        std::string host = c.address;
        std::uint16_t port = 9100;
        std::string port_text;
        if (!host.empty() && host.front() == '[') {  // [v6]:port
            const auto close = host.find(']');
            if (close == std::string::npos)
                return DriverError{"printer.config", "the printer address \"" + c.address + "\" is missing a ']'"};
            if (close + 1 < host.size()) {
                if (host[close + 1] != ':')
                    return DriverError{"printer.config", "the printer address \"" + c.address + "\" is not [address]:port"};
                port_text = host.substr(close + 2);
            }
            host = host.substr(1, close - 1);
        } else if (std::count(host.begin(), host.end(), ':') == 1) {
            port_text = host.substr(host.find(':') + 1);
            host = host.substr(0, host.find(':'));
        }
        if (!port_text.empty()) {
            unsigned value = 0;
            const auto [p, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), value);
            if (ec != std::errc() || p != port_text.data() + port_text.size() || value == 0 || value > 65535)
                return DriverError{"printer.config", "the printer port \"" + port_text + "\" is not a number from 1 to 65535"};
            port = static_cast<std::uint16_t>(value);
        }
        if (host.empty()) return DriverError{"printer.config", "[devices.printer] transport = \"tcp\" needs an address"};
        return tcp_transport(host, port);
    }
    return DriverError{"printer.config", "[devices.printer] transport \"" + c.kind +
                                             "\" is not one of \"usb\", \"tcp\", \"serial\", \"file\""};
}

// [status] ----------------------------------------------------------------------

namespace {

// Drops what the printer sent before we asked (late replies, stray bytes).
Expected<void> drain(Transport& t, const io::Waker* waker) {
    std::uint8_t buf[64];
    for (int k = 0; k < 64; ++k) {
        auto r = t.read(buf, milliseconds(0), waker);
        if (!r) return r.error();
        if (*r == 0) return {};
    }
    return {};
}

Expected<std::uint8_t> ask(Transport& t, StatusQuery n, milliseconds timeout, const io::Waker* waker) {
    if (auto d = drain(t, waker); !d) return d.error();
    const auto req = status_request(n);
    if (auto w = t.write(req, timeout, waker); !w) return w.error();
    const auto deadline = Clock::now() + timeout;
    StatusStream stream;
    std::uint8_t buf[64];
    for (;;) {
        const int left = ms_left(deadline);
        auto r = t.read(buf, milliseconds(left), waker);
        if (!r) return r.error();
        for (const auto& item : stream.feed(std::span<const std::uint8_t>(buf, *r)))
            if (item.kind == StatusStream::Item::Kind::Reply) return item.reply;
        if (left <= 0 || Clock::now() >= deadline)
            return DriverError{"printer.no_answer", "the printer on " + t.name() + " does not answer status requests"};
    }
}

}  // namespace

Expected<PrinterStatus> query_status(Transport& t, milliseconds timeout, const io::Waker* waker) {
    PrinterStatus s;
    auto apply = [&](StatusQuery n) -> Expected<void> {
        auto b = ask(t, n, timeout, waker);
        if (!b) return b.error();
        return apply_status_reply(n, *b, s);
    };
    if (auto r = apply(StatusQuery::Printer); !r) return r.error();
    if (auto r = apply(StatusQuery::PaperSensor); !r) return r.error();
    if (s.offline)
        if (auto r = apply(StatusQuery::OfflineCause); !r) return r.error();
    if (s.error)
        if (auto r = apply(StatusQuery::ErrorCause); !r) return r.error();
    return s;
}

}  // namespace drivers::escpos
