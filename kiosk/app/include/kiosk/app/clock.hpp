#pragma once
// The kiosk's clock: wall time (UTC) for records, monotonic time for
// timeouts. Scripted runs may set the wall clock (demo and test builds only)
// and move both forward to exercise timeouts without waiting.
#include <chrono>

#include "kiosk/core/utc.hpp"

namespace kiosk::app {

class KioskClock {
public:
    [[nodiscard]] core::UtcTime now_utc() const {
        return std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now()) + wall_offset_;
    }
    [[nodiscard]] core::MonoTime now_mono() const {
        return (held_ ? held_at_ : std::chrono::steady_clock::now()) + mono_offset_;
    }

    // Whether this build lets scripts set the wall clock.
    [[nodiscard]] static constexpr bool settable() {
#ifdef KIOSK_TEST_CLOCK
        return true;
#else
        return false;
#endif
    }
    // Makes now_utc() read `t` from this moment on. No effect unless settable().
    void set_utc(core::UtcTime t) {
        if (settable())
            wall_offset_ = t - std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
    }
    // Moves both clocks forward (timeouts in scripted runs).
    void advance(std::chrono::milliseconds d) {
        wall_offset_ += d;
        mono_offset_ += d;
    }

    // Scripted runs: monotonic time stands still from hold() to release(), so
    // a loaded machine taking its time over a script's steps cannot run out a
    // timeout that the script means to move with advance(). Steps that wait
    // for real time (wait, await, a long press) release it.
    void hold() {
        if (held_) return;
        held_ = true;
        held_at_ = std::chrono::steady_clock::now();
    }
    void release() {
        if (!held_) return;
        held_ = false;
        mono_offset_ -= std::chrono::steady_clock::now() - held_at_;
    }

private:
    std::chrono::milliseconds wall_offset_{0};
    std::chrono::steady_clock::duration mono_offset_{0};
    bool held_ = false;
    std::chrono::steady_clock::time_point held_at_;
};

}  // namespace kiosk::app
