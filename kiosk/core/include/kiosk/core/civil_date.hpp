#pragma once
// Calendar dates without time zones: birth dates, service days.
#include <compare>
#include <optional>
#include <string>
#include <string_view>

namespace kiosk::core {

struct CivilDate {
    int year = 0;
    int month = 0;  // 1..12
    int day = 0;    // 1..31

    auto operator<=>(const CivilDate&) const = default;

    [[nodiscard]] bool valid() const;
    // "YYYY-MM-DD"
    [[nodiscard]] std::string iso() const;

    // Accepts "YYYYMMDD" or "YYYY-MM-DD"; nullopt when malformed or not a real date.
    static std::optional<CivilDate> parse(std::string_view text);
};

// Completed years between `birth` and `on` (the birthday itself counts; a
// 29 February birthday is reached on 1 March in common years). Negative
// when `on` precedes `birth`.
[[nodiscard]] int age_on(CivilDate birth, CivilDate on);

// The day `days` after (or before, when negative) a valid `d`.
[[nodiscard]] CivilDate add_days(CivilDate d, int days);

}  // namespace kiosk::core
