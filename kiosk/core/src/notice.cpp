#include "kiosk/core/notice.hpp"

namespace kiosk::core {

std::string_view notice_kind_code(NoticeKind k) {
    switch (k) {
        case NoticeKind::Policy: return "policy";
        case NoticeKind::AntiFraud: return "anti_fraud";
        case NoticeKind::Activity: return "activity";
        case NoticeKind::Health: return "health";
    }
    return "policy";
}

}  // namespace kiosk::core
