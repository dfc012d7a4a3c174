#pragma once
// Notices (通知公告): policy, anti-fraud, activities, health.
#include <cstdint>
#include <string>
#include <string_view>

#include "kiosk/core/civil_date.hpp"

namespace kiosk::core {

enum class NoticeKind { Policy, AntiFraud, Activity, Health };

[[nodiscard]] std::string_view notice_kind_code(NoticeKind k);  // "policy", "anti_fraud", ...

struct Notice {
    std::int64_t id = 0;
    NoticeKind kind = NoticeKind::Policy;
    std::string title;
    std::string body;
    std::string issuer;
    CivilDate published;
};

}  // namespace kiosk::core
