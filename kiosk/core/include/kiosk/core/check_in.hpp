#pragma once
// Check-ins: a resident identified at a terminal, for a purpose.
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "kiosk/core/resident.hpp"
#include "kiosk/core/utc.hpp"

namespace kiosk::core {

enum class CheckInMethod { Card, IdCard, Staff };
enum class CheckInPurpose { Visit, Meal, DayCare };

[[nodiscard]] std::string_view method_code(CheckInMethod m);    // "card", "id_card", "staff"
[[nodiscard]] std::string_view purpose_code(CheckInPurpose p);  // "visit", "meal", "day_care"

struct CheckIn {
    RosterId resident = 0;
    std::string masked_id;
    CheckInMethod method = CheckInMethod::Card;
    CheckInPurpose purpose = CheckInPurpose::Visit;
};

// An anxious tap twice, or a reader that repeats itself, must not count one
// visit twice: a second check-in for the same purpose inside the window is
// acknowledged but not recorded.
struct CheckInRules {
    std::chrono::seconds repeat_window{600};
};

enum class CheckInDecision { Record, AlreadyCheckedIn };

[[nodiscard]] CheckInDecision decide_check_in(const CheckInRules& rules,
                                              std::optional<UtcTime> last_same_purpose,
                                              UtcTime now);

}  // namespace kiosk::core
