#include "drivers/hid/hid_card_reader.hpp"

#include <fcntl.h>
#include <linux/input.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>

namespace drivers::hid {
namespace {

using Clock = std::chrono::steady_clock;

std::string system_reason(int err) { return std::strerror(err); }

bool device_gone(int err) { return err == ENODEV || err == ENOENT || err == ENXIO || err == EIO || err == ENOTDIR; }

constexpr Clock::time_point kNever = Clock::time_point::max();

// The poll timeout (ms, rounded up) until `deadline`; -1 for kNever.
int poll_timeout(Clock::time_point deadline) {
    if (deadline == kNever) return -1;
    const auto left = deadline - Clock::now();
    if (left <= Clock::duration::zero()) return 0;
    const auto ms = std::chrono::ceil<std::chrono::milliseconds>(left).count();
    return static_cast<int>(std::min<long long>(ms, 60'000));
}

}  // namespace

HidCardReader::HidCardReader(HidReaderConfig config)
    : config_(std::move(config)), health_("hid " + config_.path), assembler_(config_.max_line) {
    health_.set(DeviceState::Absent, "not started");
}

HidCardReader::~HidCardReader() { stop(); }

void HidCardReader::start(CardSink sink) {
    if (thread_.joinable()) return;
    sink_ = std::move(sink);
    stopping_ = false;
    waker_.clear();
    thread_ = std::thread([this] { run(); });
}

void HidCardReader::stop() {
    if (!thread_.joinable()) return;
    stopping_ = true;
    waker_.wake();
    thread_.join();
    waker_.clear();
    health_.set(DeviceState::Absent, "stopped");
}

bool HidCardReader::sleep_unless_stopped(std::chrono::milliseconds d) {
    pollfd p{waker_.fd(), POLLIN, 0};
    const auto until = Clock::now() + d;
    while (!stopping_) {
        const int r = ::poll(&p, 1, poll_timeout(until));
        if (r > 0) waker_.clear();
        if (Clock::now() >= until) break;
    }
    return !stopping_;
}

void HidCardReader::run() {
    while (!stopping_) {
        if (open_device() == Opened::Ok) {
            read_device();
            close_device();
        }
        // A pause before every new attempt, also after a device went away:
        // a path that opens but reads nothing (a mistaken /dev/null) must not
        // spin the CPU.
        if (!sleep_unless_stopped(config_.reopen_interval)) break;
    }
    close_device();
}

HidCardReader::Opened HidCardReader::open_device() {
    const int fd = ::open(config_.path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        const int err = errno;
        if (device_gone(err)) {
            health_.set(DeviceState::Absent, was_open_ ? "the reader was unplugged; waiting for it to come back"
                                                       : "waiting for the reader to be plugged in");
        } else if (err == EACCES || err == EPERM) {
            health_.set(DeviceState::Fault,
                        "no permission to open the reader; check the udev rule that gives the kiosk user access");
        } else {
            health_.set(DeviceState::Fault, "cannot open the reader: " + system_reason(err));
        }
        return Opened::Retry;
    }

    if (::ioctl(fd, EVIOCGRAB, 1) == 0) {
        health_.set(DeviceState::Ready, "ready");
    } else {
        const int err = errno;
        if (err == ENOTTY || err == EINVAL) {
            // Not an evdev device (a pipe, a tty): reading still works, and a
            // device that is not a keyboard cannot type into the UI either.
            health_.set(DeviceState::Degraded, "reading, but keystrokes cannot be grabbed: not an input event device");
        } else if (err == EBUSY) {
            ::close(fd);
            health_.set(DeviceState::Fault,
                        "another program has grabbed the reader, so no card can be read; close it or check "
                        "that only one kiosk is running");
            return Opened::Retry;
        } else if (device_gone(err)) {
            ::close(fd);
            health_.set(DeviceState::Absent, "the reader was unplugged; waiting for it to come back");
            return Opened::Retry;
        } else {
            ::close(fd);
            health_.set(DeviceState::Fault, "cannot grab the reader's keystrokes: " + system_reason(err));
            return Opened::Retry;
        }
    }
    fd_ = fd;
    was_open_ = true;
    assembler_.reset();
    return Opened::Ok;
}

void HidCardReader::close_device() {
    if (fd_ < 0) return;
    ::close(fd_);  // also ends the grab
    fd_ = -1;
    if (assembler_.pending()) health_.error("a card number being typed when the reader went away was dropped");
    assembler_.reset();
}

void HidCardReader::read_device() {
    // Whole input_event records; a partial one (never from evdev, possible
    // from a pipe) waits for its remaining bytes.
    std::array<unsigned char, sizeof(input_event) * 64> buf{};
    std::size_t have = 0;
    Clock::time_point deadline = kNever;  // when the pending line times out

    std::array<pollfd, 2> fds{pollfd{fd_, POLLIN, 0}, pollfd{waker_.fd(), POLLIN, 0}};
    while (!stopping_) {
        const int r = ::poll(fds.data(), fds.size(), poll_timeout(deadline));
        if (r < 0 && errno != EINTR) {
            health_.set(DeviceState::Fault, "waiting for the reader failed: " + system_reason(errno));
            return;
        }
        if (r > 0 && (fds[1].revents & POLLIN) != 0) {
            waker_.clear();
            if (stopping_) return;
        }
        if (r > 0 && (fds[0].revents & POLLNVAL) != 0) return;
        if (r > 0 && (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) != 0) {
            const ssize_t n = ::read(fd_, buf.data() + have, buf.size() - have);
            if (n == 0) {
                health_.set(DeviceState::Absent, "the reader was unplugged; waiting for it to come back");
                return;  // end of file: the writer side is gone
            }
            if (n < 0) {
                const int err = errno;
                if (err != EAGAIN && err != EINTR) {
                    health_.set(DeviceState::Absent, device_gone(err)
                                                         ? "the reader was unplugged; waiting for it to come back"
                                                         : "the reader stopped answering: " + system_reason(err));
                    return;
                }
            } else {
                have += static_cast<std::size_t>(n);
                const std::size_t whole = have / sizeof(input_event);
                bool keys = false;
                for (std::size_t i = 0; i < whole; ++i) {
                    input_event ev{};
                    std::memcpy(&ev, buf.data() + i * sizeof ev, sizeof ev);
                    keys = keys || ev.type == EV_KEY;
                    if (auto line = assembler_.feed(ev)) handle(*line);
                    if (stopping_) return;
                }
                const std::size_t used = whole * sizeof(input_event);
                std::memmove(buf.data(), buf.data() + used, have - used);
                have -= used;
                if (!assembler_.pending())
                    deadline = kNever;
                else if (keys || deadline == kNever)
                    deadline = Clock::now() + config_.line_timeout;
            }
        }
        if (deadline != kNever && Clock::now() >= deadline) {
            deadline = kNever;
            if (auto line = assembler_.flush()) handle(*line);
        }
    }
}

void HidCardReader::handle(const AssembledLine& line) {
    std::string problem;
    if (line.overflow)
        problem = "the reader sent a line longer than " + std::to_string(config_.max_line) + " characters";
    else if (line.damaged)
        problem = "keystrokes from the reader were lost";
    else if (line.unmapped > 0)
        problem = "the reader sent keys that are not part of a card number";

    if (line.end == AssembledLine::End::Enter) {
        if (!problem.empty()) return deliver_error(problem + "; please tap the card again");
        auto number = normalise_card_number(line.text, config_.format);
        if (!number) return deliver_error(number.error().message + "; please tap the card again");
        return deliver_card(std::move(*number));
    }

    // No Enter: the reader lost its terminator, or this is half a line.
    const std::string timeout = std::to_string(config_.line_timeout.count()) + " ms";
    if (!config_.deliver_unterminated) {
        health_.error("a line without Enter was dropped after " + timeout + " (deliver_unterminated is off)");
        return;
    }
    if (!problem.empty()) {
        health_.error("a line without Enter was dropped after " + timeout + ": " + problem);
        return;
    }
    auto number = normalise_card_number(line.text, config_.format);
    if (!number) {
        health_.error("a line without Enter was dropped after " + timeout + ": " + number.error().message);
        return;
    }
    health_.error("the reader sent a line without Enter; it was read after " + timeout +
                  " (check the reader's terminator setting)");
    deliver_card(std::move(*number));
}

void HidCardReader::deliver_card(std::string number) {
    health_.event();
    CardEvent e;
    e.kind = CardEvent::Kind::Card;
    e.reader = name();
    e.card = std::move(number);
    e.at = Clock::now();
    if (sink_) sink_(std::move(e));
}

void HidCardReader::deliver_error(std::string reason) {
    health_.error(reason);
    CardEvent e;
    e.kind = CardEvent::Kind::Error;
    e.reader = name();
    e.error = std::move(reason);
    e.at = Clock::now();
    if (sink_) sink_(std::move(e));
}

}  // namespace drivers::hid
