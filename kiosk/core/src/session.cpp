#include "kiosk/core/session.hpp"

namespace kiosk::core {

using std::chrono::duration_cast;
using std::chrono::milliseconds;
using std::chrono::seconds;

SessionTimer::Phase SessionTimer::phase(MonoTime now) const {
    if (!last_touch_) return Phase::Inactive;
    const auto quiet = now - *last_touch_;
    if (quiet < t_.idle) return Phase::Active;
    if (quiet < t_.idle + t_.countdown) return Phase::Countdown;
    return Phase::Expired;
}

int SessionTimer::countdown_left(MonoTime now) const {
    if (phase(now) != Phase::Countdown) return 0;
    const auto left = duration_cast<milliseconds>(*last_touch_ + t_.idle + t_.countdown - now);
    return static_cast<int>((left.count() + 999) / 1000);
}

std::optional<MonoTime> SessionTimer::next_change(MonoTime now) const {
    switch (phase(now)) {
        case Phase::Inactive:
        case Phase::Expired: return std::nullopt;
        case Phase::Active: return *last_touch_ + t_.idle;
        case Phase::Countdown: {
            const auto end = *last_touch_ + t_.idle + t_.countdown;
            const auto left = duration_cast<milliseconds>(end - now);
            // the next whole-second boundary of the countdown
            const auto step = milliseconds{(left.count() - 1) % 1000 + 1};
            return now + step;
        }
    }
    return std::nullopt;
}

}  // namespace kiosk::core
