#pragma once
// Meals at an elder canteen (老年餐厅 / 助餐): periods, menus, orders.
// Money is integer fen throughout.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kiosk/core/civil_date.hpp"
#include "kiosk/core/money.hpp"
#include "kiosk/core/resident.hpp"

namespace kiosk::core {

enum class MealPeriod : std::uint8_t { Breakfast, Lunch, Dinner };
inline constexpr int kMealPeriodCount = 3;
[[nodiscard]] std::string_view meal_period_code(MealPeriod p);  // "breakfast", "lunch", "dinner"
[[nodiscard]] std::string_view meal_period_zh(MealPeriod p);    // 早餐 午餐 晚餐: for paper
[[nodiscard]] std::optional<MealPeriod> meal_period_from_code(std::string_view code);

// When a period is served, in local minutes since midnight: [start, end).
struct PeriodWindow {
    MealPeriod period = MealPeriod::Lunch;
    int start_minute = 0;  // 10:30 -> 630
    int end_minute = 0;    // 13:30 -> 810
};

// The period being served at `minute_of_day`, if any.
[[nodiscard]] std::optional<MealPeriod> period_at(const std::vector<PeriodWindow>& windows, int minute_of_day);

struct MenuItem {
    std::string id;          // stable within a menu: "set-a"
    std::string name;        // 套餐A
    std::string dishes;      // 红烧肉、炒青菜、米饭 (shown under the name)
    Fen price = 0;
    int daily_limit = 0;     // portions for the day; 0: no limit
    std::string photo;       // an image file (relative to the menu's folder), or ""
};

struct Menu {
    CivilDate day;
    MealPeriod period = MealPeriod::Lunch;
    std::vector<MenuItem> items;
    [[nodiscard]] const MenuItem* find(std::string_view id) const;
};

enum class PaymentMethod : std::uint8_t { Cash, Balance, Qr };
[[nodiscard]] std::string_view payment_method_code(PaymentMethod m);  // "cash", "balance", "qr"
[[nodiscard]] std::string_view payment_method_zh(PaymentMethod m);    // 现金 预存余额 扫码: for paper
[[nodiscard]] std::optional<PaymentMethod> payment_method_from_code(std::string_view code);

struct OrderLine {
    std::string item_id;
    std::string name;
    int quantity = 1;
    Fen price = 0;  // per portion
};

// An order as priced, before it is recorded.
struct MealOrder {
    std::optional<RosterId> resident;  // nullopt: someone not on the roster (full price)
    std::string masked_id;             // "" when not on the roster
    CivilDate day;                     // the local service day
    MealPeriod period = MealPeriod::Lunch;
    std::vector<OrderLine> items;
    Fen price = 0;    // 原价, all lines
    Fen subsidy = 0;  // 补贴
    Fen pay = 0;      // 应付 = price - subsidy
    PaymentMethod method = PaymentMethod::Cash;
    std::string policy;        // the subsidy policy version that priced it
    std::string bracket;       // the age bracket's label ("80岁以上"), "" when none
    std::vector<Category> categories;  // categories that added to the subsidy
    bool staff_assisted = false;       // ordered by staff for a diner without a card
    bool delivery = false;             // 送餐上门
};

}  // namespace kiosk::core
