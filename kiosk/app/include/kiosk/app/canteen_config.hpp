#pragma once
// Canteen configuration (TOML): the meal subsidy policies (config/subsidy/,
// one policy per file) and the menu (config/menu/).
//
// Both are public-money facts a county official may read and a canteen
// manager edits by hand, so they are checked strictly: an unknown key, a
// wrong type, a price written in yuan instead of fen, overlapping age
// brackets or meal periods stop loading with the file, the line and a plain
// sentence, e.g.
//   config/subsidy/2026.toml:9: amount_fen in [[ages]] entry 1 must be a whole number of fen (分), not 2.5; write fen, e.g. amount_fen = 250
// Every error has the code "canteen.invalid".
//
// A subsidy policy file:
//   version = "demo-2026-01"        # recorded with every order it prices
//   effective_from = "2026-01-01"   # or a TOML date: 2026-01-01
//   combine = "add"                 # "add" | "highest"
//   cap_fen = 0                     # optional; 0: no cap but the meal's price
//   [[ages]]                        # any number; brackets must not overlap
//   min_age = 60                    # inclusive, 0..200
//   max_age = 69                    # inclusive, 0..200
//   amount_fen = 200
//   label = "60-69岁"
//   [[categories]]                  # any number
//   any_of = ["低保", "特困"]        # the Chinese names (core::category_from_zh)
//   amount_fen = 300
//   label = "低保/特困"
//
// A menu file:
//   [[periods]]                     # at least one; each period once; no overlaps
//   period = "lunch"                # "breakfast" | "lunch" | "dinner"
//   start = "10:30"                 # [start, end) in local time, within one day
//   end = "13:30"
//   [[items]]                       # at least one; shown in file order
//   period = "lunch"                # one of the [[periods]]
//   id = "set-a"                    # lower-case letters, digits and '-'; unique within its period
//   name = "套餐A"
//   dishes = "红烧肉、炒青菜、米饭、紫菜汤"   # optional
//   price_fen = 1500                # more than 0
//   daily_limit = 80                # optional; 0: no limit
//   photo = ""                      # optional; a file relative to the menu's folder, or ""
//   weekdays = [1,2,3,4,5,6,7]      # optional, 1 = Monday; every day when left out
//
// Amounts and prices are at most kMaxFen: anything larger is a typo, and the
// bound keeps every sum far from overflowing.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kiosk/app/config.hpp"
#include "kiosk/core/civil_date.hpp"
#include "kiosk/core/meal.hpp"
#include "kiosk/core/money.hpp"
#include "kiosk/core/result.hpp"
#include "kiosk/core/subsidy.hpp"

namespace kiosk::app {

inline constexpr core::Fen kMaxFen = 1'000'000;  // 10000.00 yuan

// "10:30" -> 630. One or two hour digits (0-23), two minute digits; "24:00"
// -> 1440, which only makes sense as the end of a period. nullopt otherwise.
[[nodiscard]] std::optional<int> minutes_from_hhmm(std::string_view text);
// 630 -> "10:30"; 1440 -> "24:00". `minute_of_day` in 0..1440.
[[nodiscard]] std::string hhmm(int minute_of_day);
// 1 = Monday ... 7 = Sunday. `day` must be valid.
[[nodiscard]] int iso_weekday(core::CivilDate day);

// One policy file. `source.name` names it in messages.
[[nodiscard]] Result<core::SubsidyPolicy> load_subsidy_policy(const ConfigSource& source);

// Every policy file, in any order. Two policies with the same version or the
// same effective_from are refused (which one is in force would be unclear).
// No sources: an empty set, under which everyone pays full price.
[[nodiscard]] Result<core::PolicySet> load_policies(const std::vector<ConfigSource>& sources);

inline constexpr std::uint8_t kEveryDay = 0x7F;

// A dish as the menu file offers it, on some weekdays.
struct TemplateItem {
    core::MealPeriod period = core::MealPeriod::Lunch;
    core::MenuItem item;
    std::uint8_t weekdays = kEveryDay;  // bit (d - 1) set: served on ISO weekday d (1 = Monday)

    [[nodiscard]] bool served_on(core::CivilDate day) const;
};

struct MenuTemplate {
    std::vector<core::PeriodWindow> periods;  // in file order; they do not overlap
    std::vector<TemplateItem> items;          // in file order

    // The items of `period` served on `day`'s weekday, in file order.
    [[nodiscard]] core::Menu for_day(core::CivilDate day, core::MealPeriod period) const;
};

// One menu file. `source.name` names it in messages.
[[nodiscard]] Result<MenuTemplate> load_menu(const ConfigSource& source);

}  // namespace kiosk::app
