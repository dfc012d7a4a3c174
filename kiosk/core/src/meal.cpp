#include "kiosk/core/meal.hpp"

#include <array>

namespace kiosk::core {

namespace {
// In enum order, so an index converts both ways.
constexpr std::array<std::string_view, kMealPeriodCount> kPeriodCodes{"breakfast", "lunch", "dinner"};
constexpr std::array<std::string_view, 3> kMethodCodes{"cash", "balance", "qr"};
// Paper is printed in Chinese whatever the screen's language.
constexpr std::array<std::string_view, kMealPeriodCount> kPeriodZh{"早餐", "午餐", "晚餐"};
constexpr std::array<std::string_view, 3> kMethodZh{"现金", "预存余额", "扫码"};

template <typename Enum, std::size_t N>
std::optional<Enum> from_code(const std::array<std::string_view, N>& codes, std::string_view code) {
    for (std::size_t i = 0; i < N; ++i)
        if (codes[i] == code) return static_cast<Enum>(i);
    return std::nullopt;
}

template <std::size_t N>
std::string_view code_of(const std::array<std::string_view, N>& codes, std::size_t i) {
    // An out-of-range value (a corrupted record) gets no code rather than undefined behaviour.
    return i < N ? codes[i] : std::string_view{};
}
}  // namespace

std::string_view meal_period_code(MealPeriod p) { return code_of(kPeriodCodes, static_cast<std::size_t>(p)); }

std::string_view meal_period_zh(MealPeriod p) { return code_of(kPeriodZh, static_cast<std::size_t>(p)); }
std::string_view payment_method_zh(PaymentMethod m) { return code_of(kMethodZh, static_cast<std::size_t>(m)); }

std::optional<MealPeriod> meal_period_from_code(std::string_view code) {
    return from_code<MealPeriod>(kPeriodCodes, code);
}

std::optional<MealPeriod> period_at(const std::vector<PeriodWindow>& windows, int minute_of_day) {
    for (const PeriodWindow& w : windows)
        if (minute_of_day >= w.start_minute && minute_of_day < w.end_minute) return w.period;
    return std::nullopt;
}

const MenuItem* Menu::find(std::string_view id) const {
    for (const MenuItem& item : items)
        if (item.id == id) return &item;
    return nullptr;
}

std::string_view payment_method_code(PaymentMethod m) { return code_of(kMethodCodes, static_cast<std::size_t>(m)); }

std::optional<PaymentMethod> payment_method_from_code(std::string_view code) {
    return from_code<PaymentMethod>(kMethodCodes, code);
}

}  // namespace kiosk::core
