#pragma once
// What a device is doing, for staff mode, the log and `kiosk doctor`.
//
// Every driver owns a HealthCell, updates it from its own thread, and hands
// out snapshots to any thread.
#include <chrono>
#include <mutex>
#include <string>

namespace drivers {

enum class DeviceState {
    Absent,    // not connected (unplugged, or never seen)
    Ready,     // connected and working
    Degraded,  // connected, working, but needs attention soon (paper near end)
    Fault,     // connected but not working (paper out, cover open, SAM failure)
};

[[nodiscard]] const char* device_state_code(DeviceState s);  // "absent", "ready", "degraded", "fault"

struct DeviceHealth {
    std::string device;      // what and where: "ga467 /dev/serial/by-id/usb-…"
    DeviceState state = DeviceState::Absent;
    std::string status;      // plain words: "ready", "paper out", "waiting for the reader"
    std::string code;        // stable, for translations and programs: "printer.paper_out"; may be empty
    std::string last_error;  // plain words; empty when none since start
    std::chrono::system_clock::time_point since{};       // when `state` last changed
    std::chrono::system_clock::time_point last_event{};  // last card read or job printed; epoch if none
};

class HealthCell {
public:
    explicit HealthCell(std::string device) { h_.device = std::move(device); }

    void set(DeviceState state, std::string status, std::string code = {}) {
        std::lock_guard lock(mu_);
        if (h_.state != state) h_.since = std::chrono::system_clock::now();
        h_.state = state;
        h_.status = std::move(status);
        h_.code = std::move(code);
    }
    void error(std::string message) {
        std::lock_guard lock(mu_);
        h_.last_error = std::move(message);
    }
    void event() {
        std::lock_guard lock(mu_);
        h_.last_event = std::chrono::system_clock::now();
    }
    void rename(std::string device) {
        std::lock_guard lock(mu_);
        h_.device = std::move(device);
    }
    [[nodiscard]] DeviceHealth get() const {
        std::lock_guard lock(mu_);
        return h_;
    }

private:
    mutable std::mutex mu_;
    DeviceHealth h_;
};

}  // namespace drivers
