#include <doctest/doctest.h>

#include "kiosk/core/utc.hpp"

using namespace kiosk::core;
using namespace std::chrono;

TEST_CASE("utc: formats with milliseconds and Z") {
    const UtcTime t = UtcTime{sys_days{year{2026} / 11 / 25}} + hours{3} + minutes{30} + milliseconds{7};
    CHECK(format_utc(t) == "2026-11-25T03:30:00.007Z");
}

TEST_CASE("utc: parses zones, fractions, and refuses times without a zone") {
    const auto local = parse_iso8601("2026-11-25T11:30:00+08:00");
    REQUIRE(local.has_value());
    CHECK(format_utc(*local) == "2026-11-25T03:30:00.000Z");
    CHECK(parse_iso8601("2026-11-25T03:30:00Z") == local);
    CHECK(format_utc(*parse_iso8601("2026-11-25T03:30:00.5Z")) == "2026-11-25T03:30:00.500Z");
    CHECK(format_utc(*parse_iso8601("2026-01-01T01:00:00+08:00")) == "2025-12-31T17:00:00.000Z");
    CHECK(format_utc(*parse_iso8601("2026-01-01T01:00:00-05:30")) == "2026-01-01T06:30:00.000Z");
    CHECK_FALSE(parse_iso8601("2026-11-25T11:30:00").has_value());
    CHECK_FALSE(parse_iso8601("2026-11-25 11:30:00Z").has_value());
    CHECK_FALSE(parse_iso8601("2026-13-25T11:30:00Z").has_value());
    CHECK_FALSE(parse_iso8601("2026-11-25T24:30:00Z").has_value());
    CHECK_FALSE(parse_iso8601("2026-11-25T11:30:00+0800").has_value());
    CHECK_FALSE(parse_iso8601("2026-11-25T11:30:00Zjunk").has_value());
    CHECK_FALSE(parse_iso8601("").has_value());
}

TEST_CASE("utc: format and parse round-trip") {
    for (long long ms : {0LL, 1'764'041'400'123LL, 4'102'444'799'999LL}) {
        const UtcTime t{milliseconds{ms}};
        CHECK(parse_iso8601(format_utc(t)) == t);
    }
}
