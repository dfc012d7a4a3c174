#include "kiosk/core/money.hpp"

#include <cstdio>

namespace kiosk::core {

std::string format_yuan(Fen fen) {
    const bool negative = fen < 0;
    // Through unsigned so that the most negative value has a magnitude too.
    const auto magnitude = negative ? 0 - static_cast<std::uint64_t>(fen) : static_cast<std::uint64_t>(fen);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%s%llu.%02llu", negative ? "-" : "",
                  static_cast<unsigned long long>(magnitude / 100), static_cast<unsigned long long>(magnitude % 100));
    return buf;
}

}  // namespace kiosk::core
