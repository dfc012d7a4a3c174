#include <doctest/doctest.h>

#include "kiosk/core/session.hpp"

using namespace kiosk::core;
using namespace std::chrono_literals;
using Phase = SessionTimer::Phase;

namespace {
const MonoTime t0{std::chrono::seconds{1000}};
}

TEST_CASE("session: inactive until started, and after stop") {
    SessionTimer s;
    CHECK(s.phase(t0) == Phase::Inactive);
    s.touch(t0);  // a touch on the idle screen starts nothing
    CHECK(s.phase(t0 + 100s) == Phase::Inactive);
    s.start(t0);
    CHECK(s.phase(t0) == Phase::Active);
    s.stop();
    CHECK(s.phase(t0 + 1s) == Phase::Inactive);
    CHECK_FALSE(s.next_change(t0).has_value());
}

TEST_CASE("session: 60 s untouched, then a 10 s countdown, then expiry") {
    SessionTimer s({60s, 10s});
    s.start(t0);
    CHECK(s.phase(t0 + 59999ms) == Phase::Active);
    CHECK(s.phase(t0 + 60s) == Phase::Countdown);
    CHECK(s.countdown_left(t0 + 60s) == 10);
    CHECK(s.countdown_left(t0 + 60001ms) == 10);
    CHECK(s.countdown_left(t0 + 61s) == 9);
    CHECK(s.countdown_left(t0 + 69999ms) == 1);
    CHECK(s.phase(t0 + 70s) == Phase::Expired);
    CHECK(s.countdown_left(t0 + 70s) == 0);
}

TEST_CASE("session: no timeout while someone is acting") {
    SessionTimer s({60s, 10s});
    s.start(t0);
    for (int i = 1; i <= 10; ++i) s.touch(t0 + std::chrono::seconds{50 * i});
    CHECK(s.phase(t0 + 500s + 59s) == Phase::Active);
    // a touch during the countdown cancels it
    CHECK(s.phase(t0 + 500s + 65s) == Phase::Countdown);
    s.touch(t0 + 500s + 65s);
    CHECK(s.phase(t0 + 500s + 66s) == Phase::Active);
}

TEST_CASE("session: the next change is the timeout, then each second of the countdown") {
    SessionTimer s({60s, 10s});
    s.start(t0);
    CHECK(s.next_change(t0 + 5s) == t0 + 60s);
    CHECK(s.next_change(t0 + 60s) == t0 + 61s);
    CHECK(s.next_change(t0 + 60500ms) == t0 + 61s);
    CHECK(s.next_change(t0 + 69500ms) == t0 + 70s);
    CHECK_FALSE(s.next_change(t0 + 70s).has_value());
}

TEST_CASE("session: timeouts follow configuration") {
    SessionTimer s({30s, 5s});
    s.start(t0);
    CHECK(s.phase(t0 + 30s) == Phase::Countdown);
    CHECK(s.countdown_left(t0 + 30s) == 5);
    CHECK(s.phase(t0 + 35s) == Phase::Expired);
}
