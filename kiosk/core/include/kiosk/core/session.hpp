#pragma once
// The session timer: no timeout while anyone is acting; after `idle` seconds
// untouched a countdown of `countdown` seconds, then the session expires and
// the app returns to the idle screen with every personal detail cleared.
#include <chrono>
#include <optional>

#include "kiosk/core/utc.hpp"

namespace kiosk::core {

struct SessionTimeouts {
    std::chrono::seconds idle{60};
    std::chrono::seconds countdown{10};
};

class SessionTimer {
public:
    enum class Phase { Inactive, Active, Countdown, Expired };

    explicit SessionTimer(SessionTimeouts t = {}) : t_(t) {}

    void set_timeouts(SessionTimeouts t) { t_ = t; }
    // A session begins (a resident identified, or a service opened).
    void start(MonoTime now) { last_touch_ = now; }
    // Any touch, key or card: the person is still there.
    void touch(MonoTime now) {
        if (last_touch_) last_touch_ = now;
    }
    // Back on the idle screen.
    void stop() { last_touch_.reset(); }

    [[nodiscard]] bool active() const { return last_touch_.has_value(); }
    [[nodiscard]] Phase phase(MonoTime now) const;
    // Whole seconds left on the countdown, rounded up (10, 9, ... 1); 0 otherwise.
    [[nodiscard]] int countdown_left(MonoTime now) const;
    // The next moment the phase or the countdown's number changes.
    [[nodiscard]] std::optional<MonoTime> next_change(MonoTime now) const;

private:
    SessionTimeouts t_;
    std::optional<MonoTime> last_touch_;
};

}  // namespace kiosk::core
