#pragma once
// The device's side of a keyboard-wedge reader: the input_event records it
// produces, built the way the kernel reports a real reader (EV_MSC scan code,
// EV_KEY, EV_SYN report, per key press and release), and a FIFO standing in
// for /dev/input/eventN behind a by-id link.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <linux/input.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <filesystem>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "drivers/hid/line_assembler.hpp"

namespace fake_evdev {

using Events = std::vector<input_event>;

inline input_event ev(std::uint16_t type, std::uint16_t code, std::int32_t value) {
    input_event e{};
    e.type = type;
    e.code = code;
    e.value = value;
    return e;
}

// One key going down (1), repeating (2) or up (0), with the scan code and
// the report a real keyboard sends around it.
inline void key(Events& out, std::uint16_t code, std::int32_t value) {
    out.push_back(ev(EV_MSC, MSC_SCAN, 0x70000 + code));
    out.push_back(ev(EV_KEY, code, value));
    out.push_back(ev(EV_SYN, SYN_REPORT, 0));
}

inline void tap(Events& out, std::uint16_t code) {
    key(out, code, 1);
    key(out, code, 0);
}

// Types `text` on the main block, holding left shift where needed, then
// Enter unless `enter` is false.
inline Events type_line(std::string_view text, bool enter = true) {
    Events out;
    for (const char c : text) {
        const auto k = drivers::hid::LineAssembler::key_for(c);
        REQUIRE_MESSAGE(k.has_value(), "no key types this character");
        if (k->shift) key(out, KEY_LEFTSHIFT, 1);
        tap(out, k->code);
        if (k->shift) key(out, KEY_LEFTSHIFT, 0);
    }
    if (enter) tap(out, KEY_ENTER);
    return out;
}

// Digits on the keypad (71-82), then keypad Enter (96).
inline Events type_keypad(std::string_view digits, bool enter = true) {
    static constexpr std::uint16_t kPad[10] = {KEY_KP0, KEY_KP1, KEY_KP2, KEY_KP3, KEY_KP4,
                                               KEY_KP5, KEY_KP6, KEY_KP7, KEY_KP8, KEY_KP9};
    Events out;
    for (const char c : digits) tap(out, kPad[c - '0']);
    if (enter) tap(out, KEY_KPENTER);
    return out;
}

// A FIFO playing an event device behind a link the reader is configured
// with, as /dev/input/by-id/... points at /dev/input/eventN.
class Device {
public:
    explicit Device(const std::string& tag) {
        dir_ = std::filesystem::temp_directory_path() /
               ("kiosk-hid-" + tag + "-" + std::to_string(::getpid()) + "-" +
                std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()));
        std::filesystem::create_directories(dir_);
    }
    ~Device() {
        unplug();
        std::error_code ec;
        std::filesystem::remove_all(dir_, ec);
    }
    Device(const Device&) = delete;
    Device& operator=(const Device&) = delete;

    // The path the reader is configured with.
    [[nodiscard]] std::string link() const { return (dir_ / "by-id-reader").string(); }

    // Creates a new "eventN" node and points the link at it (atomically, as
    // udev does). Returns the node's path.
    std::string plug() {
        const auto node = dir_ / ("event" + std::to_string(next_++));
        REQUIRE(::mkfifo(node.c_str(), 0600) == 0);
        const auto tmp = dir_ / "link.tmp";
        std::filesystem::remove(tmp);
        std::filesystem::create_symlink(node, tmp);
        std::filesystem::rename(tmp, link());
        node_ = node.string();
        return node_;
    }

    // Opens the writing end once the reader has the node open (a FIFO opened
    // for writing without a reader fails with ENXIO). Bounded.
    bool connect(std::chrono::milliseconds within = std::chrono::seconds(5)) {
        const auto until = std::chrono::steady_clock::now() + within;
        while (std::chrono::steady_clock::now() < until) {
            writer_ = ::open(node_.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
            if (writer_ >= 0) return true;
            if (errno != ENXIO) return false;
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        return false;
    }

    // Writes raw records, as the kernel delivers them.
    bool write(const Events& events) {
        const auto* p = reinterpret_cast<const char*>(events.data());
        std::size_t left = events.size() * sizeof(input_event);
        while (left > 0) {
            const ssize_t n = ::write(writer_, p, left);
            if (n < 0) {
                if (errno == EAGAIN) {
                    std::this_thread::sleep_for(std::chrono::milliseconds(1));
                    continue;
                }
                return false;
            }
            p += n;
            left -= static_cast<std::size_t>(n);
        }
        return true;
    }
    bool write_bytes(const void* data, std::size_t size) {
        return ::write(writer_, data, size) == static_cast<ssize_t>(size);
    }

    // The reader goes away: the writer closes and the node disappears (udev
    // removes /dev/input/eventN), leaving the link dangling.
    void unplug() {
        if (writer_ >= 0) ::close(writer_);
        writer_ = -1;
        if (!node_.empty()) ::unlink(node_.c_str());
        node_.clear();
    }

private:
    std::filesystem::path dir_;
    std::string node_;
    int writer_ = -1;
    int next_ = 0;
};

}  // namespace fake_evdev
