#include "kiosk/core/utc.hpp"

#include <cstdio>

#include "kiosk/core/civil_date.hpp"

namespace kiosk::core {

std::string format_utc(UtcTime t) {
    using namespace std::chrono;
    const auto day = floor<days>(t);
    const year_month_day ymd{day};
    const hh_mm_ss hms{t - day};
    char buf[40];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                  static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                  static_cast<int>(hms.seconds().count()), static_cast<int>(hms.subseconds().count()));
    return buf;
}

namespace {
bool two(std::string_view s, std::size_t at, int& out) {
    if (at + 2 > s.size()) return false;
    const char a = s[at], b = s[at + 1];
    if (a < '0' || a > '9' || b < '0' || b > '9') return false;
    out = (a - '0') * 10 + (b - '0');
    return true;
}
}  // namespace

std::optional<UtcTime> parse_iso8601(std::string_view s) {
    using namespace std::chrono;
    if (s.size() < 20 || s[10] != 'T' || s[13] != ':' || s[16] != ':') return std::nullopt;
    const auto date = CivilDate::parse(s.substr(0, 10));
    int hh = 0, mm = 0, ss = 0;
    if (!date || !two(s, 11, hh) || !two(s, 14, mm) || !two(s, 17, ss)) return std::nullopt;
    if (hh > 23 || mm > 59 || ss > 60) return std::nullopt;
    std::size_t i = 19;
    int millis = 0;
    if (i < s.size() && s[i] == '.') {
        ++i;
        int digits = 0;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
            if (digits < 3) millis = millis * 10 + (s[i] - '0');
            ++digits;
            ++i;
        }
        if (digits == 0) return std::nullopt;
        for (; digits < 3; ++digits) millis *= 10;
    }
    int offset_min = 0;
    if (i < s.size() && s[i] == 'Z') {
        ++i;
    } else if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
        const int sign = s[i] == '+' ? 1 : -1;
        int oh = 0, om = 0;
        if (!two(s, i + 1, oh) || i + 3 >= s.size() || s[i + 3] != ':' || !two(s, i + 4, om))
            return std::nullopt;
        if (oh > 14 || om > 59) return std::nullopt;
        offset_min = sign * (oh * 60 + om);
        i += 6;
    } else {
        return std::nullopt;
    }
    if (i != s.size()) return std::nullopt;
    const sys_days day{year{date->year} / month{static_cast<unsigned>(date->month)} /
                       std::chrono::day{static_cast<unsigned>(date->day)}};
    return UtcTime{day} + hours{hh} + minutes{mm} + seconds{ss} + milliseconds{millis} -
           minutes{offset_min};
}

}  // namespace kiosk::core
