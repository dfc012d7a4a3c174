#pragma once
// Points in time as recorded: UTC to the millisecond. Local time is a matter
// for the display; records never hold it.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace kiosk::core {

using UtcTime = std::chrono::sys_time<std::chrono::milliseconds>;
// The terminal's monotonic clock (never jumps; used for timeouts).
using MonoTime = std::chrono::steady_clock::time_point;

// "2026-11-25T03:30:00.000Z"
[[nodiscard]] std::string format_utc(UtcTime t);

// ISO 8601 with a zone: "2026-11-25T11:30:00+08:00", "2026-11-25T03:30:00Z",
// optional fraction ".123". nullopt when malformed or without a zone.
[[nodiscard]] std::optional<UtcTime> parse_iso8601(std::string_view text);

}  // namespace kiosk::core
