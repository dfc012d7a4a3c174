#include "kiosk/core/civil_date.hpp"

#include <chrono>
#include <cstdio>

namespace kiosk::core {

bool CivilDate::valid() const {
    if (year < 1 || year > 9999) return false;
    const std::chrono::year_month_day ymd{std::chrono::year{year},
                                          std::chrono::month{static_cast<unsigned>(month)},
                                          std::chrono::day{static_cast<unsigned>(day)}};
    return month >= 1 && month <= 12 && day >= 1 && ymd.ok();
}

std::string CivilDate::iso() const {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", year, month, day);
    return buf;
}

namespace {
std::optional<int> digits(std::string_view s) {
    if (s.empty()) return std::nullopt;
    int v = 0;
    for (char c : s) {
        if (c < '0' || c > '9') return std::nullopt;
        v = v * 10 + (c - '0');
    }
    return v;
}
}  // namespace

std::optional<CivilDate> CivilDate::parse(std::string_view t) {
    std::optional<int> y, m, d;
    if (t.size() == 8) {
        y = digits(t.substr(0, 4));
        m = digits(t.substr(4, 2));
        d = digits(t.substr(6, 2));
    } else if (t.size() == 10 && t[4] == '-' && t[7] == '-') {
        y = digits(t.substr(0, 4));
        m = digits(t.substr(5, 2));
        d = digits(t.substr(8, 2));
    }
    if (!y || !m || !d) return std::nullopt;
    CivilDate date{*y, *m, *d};
    if (!date.valid()) return std::nullopt;
    return date;
}

int age_on(CivilDate birth, CivilDate on) {
    int age = on.year - birth.year;
    if (on.month < birth.month || (on.month == birth.month && on.day < birth.day)) --age;
    return age;
}

CivilDate add_days(CivilDate d, int days) {
    using namespace std::chrono;
    const sys_days day = year{d.year} / month{static_cast<unsigned>(d.month)} / std::chrono::day{static_cast<unsigned>(d.day)};
    const year_month_day n{day + std::chrono::days{days}};
    return {static_cast<int>(n.year()), static_cast<int>(static_cast<unsigned>(n.month())),
            static_cast<int>(static_cast<unsigned>(n.day()))};
}

}  // namespace kiosk::core
