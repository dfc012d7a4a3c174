#include "kiosk/core/check_in.hpp"

namespace kiosk::core {

std::string_view method_code(CheckInMethod m) {
    switch (m) {
        case CheckInMethod::Card: return "card";
        case CheckInMethod::IdCard: return "id_card";
        case CheckInMethod::Staff: return "staff";
    }
    return "card";
}

std::string_view purpose_code(CheckInPurpose p) {
    switch (p) {
        case CheckInPurpose::Visit: return "visit";
        case CheckInPurpose::Meal: return "meal";
        case CheckInPurpose::DayCare: return "day_care";
    }
    return "visit";
}

CheckInDecision decide_check_in(const CheckInRules& rules, std::optional<UtcTime> last, UtcTime now) {
    // A clock set backwards (last in the future) must not silence check-ins forever.
    if (last && *last <= now && now - *last < rules.repeat_window) return CheckInDecision::AlreadyCheckedIn;
    return CheckInDecision::Record;
}

}  // namespace kiosk::core
