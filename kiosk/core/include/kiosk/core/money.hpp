#pragma once
// Money is integer fen (分), never floating point.
#include <cstdint>
#include <string>

namespace kiosk::core {

using Fen = std::int64_t;

// 1500 -> "15.00", -300 -> "-3.00", 5 -> "0.05".
[[nodiscard]] std::string format_yuan(Fen fen);

}  // namespace kiosk::core
