#include "kiosk/core/subsidy.hpp"

#include <doctest/doctest.h>

#include <set>
#include <tuple>
#include <vector>

#include "kiosk/core/demo_roster.hpp"
#include "kiosk/core/meal.hpp"

using namespace kiosk::core;

namespace {

// The terminal's own record of subsidised meals: what SubsidyLedger is for.
class SetLedger final : public SubsidyLedger {
public:
    void record(RosterId resident, CivilDate day, MealPeriod period) { used_.insert({resident, day, period}); }
    [[nodiscard]] bool already_subsidised(RosterId resident, CivilDate day, MealPeriod period) const override {
        ++asked;
        return used_.count({resident, day, period}) > 0;
    }
    mutable int asked = 0;

private:
    std::set<std::tuple<RosterId, CivilDate, MealPeriod>> used_;
};

constexpr CivilDate kDay{2026, 11, 25};
constexpr Fen kSetA = 1500;  // 套餐A

PolicySet demo_set() { return PolicySet{{demo_subsidy_policy()}}; }

Resident resident(CivilDate birth, Categories categories = {}, RosterId id = 1) {
    Resident r;
    r.id = id;
    r.name = "测试";
    r.birth = birth;
    r.categories = categories;
    return r;
}

// Someone whose birthday is `day` and who turns `age` on it.
Resident turning(int age, CivilDate day = kDay, Categories categories = {}) {
    return resident(CivilDate{day.year - age, day.month, day.day}, categories);
}

SubsidyQuote lunch(const PolicySet& set, const Resident* r, Fen price = kSetA, CivilDate day = kDay) {
    const SetLedger none;
    return quote_subsidy(set, r, day, MealPeriod::Lunch, price, none);
}

Fen subsidy_for(const Resident& r, const PolicySet& set = demo_set()) { return lunch(set, &r).subsidy; }

}  // namespace

TEST_CASE("subsidy: the demo residents pay what issue 4 says for 套餐A") {
    const auto roster = demo_roster();
    const auto& zhang = roster[0].resident;  // 80 on the day, 独居 (no subsidy category)
    const auto& wang = roster[1].resident;   // 85, 低保
    const auto& li = roster[2].resident;     // 68
    const auto set = demo_set();

    const auto z = lunch(set, &zhang);
    CHECK(z.price == 1500);
    CHECK(z.subsidy == 500);
    CHECK(z.pay == 1000);
    CHECK(z.policy == "demo-2026-01");
    CHECK(z.bracket == "80岁以上");
    CHECK(z.categories.empty());
    CHECK(z.on_roster);
    CHECK_FALSE(z.already_subsidised);

    const auto w = lunch(set, &wang);
    CHECK(w.subsidy == 800);
    CHECK(w.pay == 700);
    CHECK(w.bracket == "80岁以上");
    CHECK(w.categories == std::vector{Category::SubsistenceAllowance});

    const auto l = lunch(set, &li);
    CHECK(l.subsidy == 200);
    CHECK(l.pay == 1300);
    CHECK(l.bracket == "60-69岁");
    CHECK(l.categories.empty());
}

TEST_CASE("subsidy: every bracket boundary, the birthday counting on the day") {
    struct Case {
        int age;
        Fen subsidy;
        const char* bracket;
    };
    for (const Case c :
         {Case{59, 0, ""}, Case{60, 200, "60-69岁"}, Case{69, 200, "60-69岁"}, Case{70, 300, "70-79岁"},
          Case{79, 300, "70-79岁"}, Case{80, 500, "80岁以上"}, Case{200, 500, "80岁以上"}, Case{201, 0, ""}}) {
        CAPTURE(c.age);
        const auto r = turning(c.age);
        const auto q = lunch(demo_set(), &r);
        CHECK(q.subsidy == c.subsidy);
        CHECK(q.bracket == c.bracket);
        CHECK(q.pay == kSetA - c.subsidy);
    }
    // The day before each birthday, still in the bracket below.
    const CivilDate eve{2026, 11, 24};
    const auto sixty = turning(60), seventy = turning(70), eighty = turning(80);
    CHECK(lunch(demo_set(), &sixty, kSetA, eve).subsidy == 0);
    CHECK(lunch(demo_set(), &seventy, kSetA, eve).subsidy == 200);
    CHECK(lunch(demo_set(), &eighty, kSetA, eve).subsidy == 300);
}

TEST_CASE("subsidy: a 29 February birthday moves the bracket on 1 March in a common year") {
    const auto r = resident(CivilDate{1956, 2, 29});
    CHECK(lunch(demo_set(), &r, kSetA, CivilDate{2026, 2, 28}).subsidy == 200);
    CHECK(lunch(demo_set(), &r, kSetA, CivilDate{2026, 3, 1}).subsidy == 300);
}

TEST_CASE("subsidy: 低保 and 特困 together count once") {
    const auto both = turning(65, kDay, {Category::SubsistenceAllowance, Category::ExtremePoverty});
    const auto q = lunch(demo_set(), &both);
    CHECK(q.subsidy == 200 + 300);
    CHECK(q.categories == std::vector{Category::SubsistenceAllowance, Category::ExtremePoverty});

    const auto tekun = turning(65, kDay, {Category::ExtremePoverty});
    CHECK(subsidy_for(tekun) == 500);
    // A category no rule names adds nothing and is not named.
    const auto alone = turning(65, kDay, {Category::LivingAlone});
    CHECK(subsidy_for(alone) == 200);
    CHECK(lunch(demo_set(), &alone).categories.empty());
    // A category alone is enough, without an age bracket.
    const auto young = turning(55, kDay, {Category::SubsistenceAllowance});
    const auto y = lunch(demo_set(), &young);
    CHECK(y.subsidy == 300);
    CHECK(y.bracket.empty());
    CHECK(y.categories == std::vector{Category::SubsistenceAllowance});
}

TEST_CASE("subsidy: highest takes the largest single amount, add takes them all") {
    auto highest = demo_subsidy_policy();
    highest.combine = Combine::Highest;
    const PolicySet h{{highest}};

    const auto old_dibao = turning(85, kDay, {Category::SubsistenceAllowance});
    const auto a = lunch(h, &old_dibao);
    CHECK(a.subsidy == 500);
    CHECK(a.bracket == "80岁以上");
    CHECK(a.categories.empty());  // only what won is named
    CHECK(subsidy_for(old_dibao) == 800);

    const auto young_dibao = turning(65, kDay, {Category::SubsistenceAllowance});
    const auto b = lunch(h, &young_dibao);
    CHECK(b.subsidy == 300);
    CHECK(b.bracket.empty());
    CHECK(b.categories == std::vector{Category::SubsistenceAllowance});
    CHECK(subsidy_for(young_dibao) == 500);

    // A tie names the age bracket, whatever the order of the rules.
    const auto tie = turning(75, kDay, {Category::ExtremePoverty});
    const auto c = lunch(h, &tie);
    CHECK(c.subsidy == 300);
    CHECK(c.bracket == "70-79岁");
    CHECK(c.categories.empty());

    // With two category rules, the larger one wins.
    highest.categories.push_back(CategoryRule{{Category::Disabled}, 600, "失能"});
    const auto disabled = turning(85, kDay, {Category::SubsistenceAllowance, Category::Disabled});
    const auto d = lunch(PolicySet{{highest}}, &disabled);
    CHECK(d.subsidy == 600);
    CHECK(d.bracket.empty());
    CHECK(d.categories == std::vector{Category::Disabled});

    // Nothing applies: nothing is paid.
    const auto nobody = turning(40);
    CHECK(lunch(PolicySet{{highest}}, &nobody).subsidy == 0);
}

TEST_CASE("subsidy: the cap limits the sum but the explanation stays whole") {
    auto capped = demo_subsidy_policy();
    capped.cap = 600;
    const PolicySet set{{capped}};
    const auto wang = turning(85, kDay, {Category::SubsistenceAllowance});
    const auto q = lunch(set, &wang);
    CHECK(q.subsidy == 600);
    CHECK(q.pay == 900);
    CHECK(q.bracket == "80岁以上");
    CHECK(q.categories == std::vector{Category::SubsistenceAllowance});
    const auto zhang = turning(80);
    CHECK(subsidy_for(zhang, set) == 500);  // under the cap
}

TEST_CASE("subsidy: never more than the price, never negative") {
    const auto r = turning(85, kDay, {Category::SubsistenceAllowance});
    const auto q = lunch(demo_set(), &r, 300);  // a 3.00 meal; 8.00 due
    CHECK(q.subsidy == 300);
    CHECK(q.pay == 0);

    const auto free_meal = lunch(demo_set(), &r, 0);
    CHECK(free_meal.subsidy == 0);
    CHECK(free_meal.pay == 0);
    CHECK(free_meal.bracket.empty());  // nothing was paid, so nothing to explain

    // A policy built in code with a negative amount still pays nothing below zero.
    auto odd = demo_subsidy_policy();
    odd.ages = {AgeBracket{0, 200, -500, "负数"}};
    odd.categories.clear();
    const auto n = lunch(PolicySet{{odd}}, &r);
    CHECK(n.subsidy == 0);
    CHECK(n.pay == kSetA);
}

TEST_CASE("subsidy: a 100-year-old in three categories") {
    const auto r =
        turning(100, kDay, {Category::SubsistenceAllowance, Category::ExtremePoverty, Category::LivingAlone});
    const auto q = lunch(demo_set(), &r);
    CHECK(q.subsidy == 500 + 300);
    CHECK(q.pay == 700);
    CHECK(q.categories == std::vector{Category::SubsistenceAllowance, Category::ExtremePoverty});

    // With a rule for 独居 too, every rule that applies adds once.
    auto more = demo_subsidy_policy();
    more.categories.push_back(CategoryRule{{Category::LivingAlone}, 100, "独居"});
    const auto m = lunch(PolicySet{{more}}, &r);
    CHECK(m.subsidy == 900);
    CHECK(m.categories == std::vector{Category::SubsistenceAllowance, Category::ExtremePoverty, Category::LivingAlone});
}

TEST_CASE("subsidy: someone not on the roster pays full price") {
    SetLedger ledger;
    const auto q = quote_subsidy(demo_set(), nullptr, kDay, MealPeriod::Lunch, kSetA, ledger);
    CHECK(q.subsidy == 0);
    CHECK(q.pay == kSetA);
    CHECK_FALSE(q.on_roster);
    CHECK_FALSE(q.already_subsidised);
    CHECK(q.policy == "demo-2026-01");  // the policy in force priced it, at full price
    CHECK(q.bracket.empty());
    CHECK(ledger.asked == 0);
}

TEST_CASE("subsidy: one subsidised meal per resident per period per day") {
    const auto zhang = turning(80);
    SetLedger ledger;
    const auto first = quote_subsidy(demo_set(), &zhang, kDay, MealPeriod::Lunch, kSetA, ledger);
    CHECK(first.subsidy == 500);
    ledger.record(zhang.id, kDay, MealPeriod::Lunch);

    const auto second = quote_subsidy(demo_set(), &zhang, kDay, MealPeriod::Lunch, kSetA, ledger);
    CHECK(second.subsidy == 0);
    CHECK(second.pay == kSetA);
    CHECK(second.already_subsidised);
    CHECK(second.on_roster);
    CHECK(second.policy == "demo-2026-01");
    CHECK(second.bracket.empty());
    CHECK(second.categories.empty());

    // Dinner the same day, lunch the next day, and someone else are not affected.
    CHECK(quote_subsidy(demo_set(), &zhang, kDay, MealPeriod::Dinner, kSetA, ledger).subsidy == 500);
    CHECK(quote_subsidy(demo_set(), &zhang, CivilDate{2026, 11, 26}, MealPeriod::Lunch, kSetA, ledger).subsidy == 500);
    auto other = zhang;
    other.id = 2;
    CHECK(quote_subsidy(demo_set(), &other, kDay, MealPeriod::Lunch, kSetA, ledger).subsidy == 500);
}

TEST_CASE("subsidy: no already-subsidised flag when no subsidy was due anyway") {
    const auto young = turning(50);
    SetLedger ledger;
    ledger.record(young.id, kDay, MealPeriod::Lunch);
    const auto q = quote_subsidy(demo_set(), &young, kDay, MealPeriod::Lunch, kSetA, ledger);
    CHECK(q.subsidy == 0);
    CHECK(q.pay == kSetA);
    CHECK_FALSE(q.already_subsidised);
    CHECK(ledger.asked == 0);
}

TEST_CASE("subsidy: a new policy takes over at midnight") {
    SubsidyPolicy december = demo_subsidy_policy();
    december.version = "county-2026-12";
    december.effective_from = CivilDate{2026, 12, 1};
    december.ages.back().amount = 600;
    const auto zhang = turning(80);

    // Listed either way round: the date decides, not the order.
    for (const PolicySet& set :
         {PolicySet{{demo_subsidy_policy(), december}}, PolicySet{{december, demo_subsidy_policy()}}}) {
        const auto before = lunch(set, &zhang, kSetA, CivilDate{2026, 11, 30});  // an order at 23:59
        CHECK(before.policy == "demo-2026-01");
        CHECK(before.subsidy == 500);
        const auto after = lunch(set, &zhang, kSetA, CivilDate{2026, 12, 1});  // an order at 00:00
        CHECK(after.policy == "county-2026-12");
        CHECK(after.subsidy == 600);
    }
}

TEST_CASE("subsidy: in_force picks the latest start not after the day, ties to the last listed") {
    SubsidyPolicy a = demo_subsidy_policy(), b = a, c = a;
    a.version = "a";
    b.version = "b";
    b.effective_from = CivilDate{2026, 6, 1};
    c.version = "c";
    c.effective_from = CivilDate{2026, 6, 1};
    const PolicySet set{{a, b, c}};
    CHECK(set.in_force(CivilDate{2025, 12, 31}) == nullptr);
    CHECK(set.in_force(CivilDate{2026, 1, 1})->version == "a");
    CHECK(set.in_force(CivilDate{2026, 5, 31})->version == "a");
    CHECK(set.in_force(CivilDate{2026, 6, 1})->version == "c");
    CHECK(set.in_force(CivilDate{2030, 1, 1})->version == "c");
    CHECK(PolicySet{}.in_force(kDay) == nullptr);
}

TEST_CASE("subsidy: no policy in force means full price and no version") {
    const auto zhang = turning(80, CivilDate{2025, 12, 31});
    SetLedger ledger;
    const auto q = quote_subsidy(demo_set(), &zhang, CivilDate{2025, 12, 31}, MealPeriod::Lunch, kSetA, ledger);
    CHECK(q.subsidy == 0);
    CHECK(q.pay == kSetA);
    CHECK(q.policy.empty());
    CHECK(q.on_roster);
    CHECK_FALSE(q.already_subsidised);
    CHECK(ledger.asked == 0);
    CHECK(lunch(PolicySet{}, &zhang).policy.empty());
}

TEST_CASE("subsidy: brackets match first to last") {
    auto p = demo_subsidy_policy();
    p.ages.insert(p.ages.begin(), AgeBracket{85, 200, 800, "85岁以上"});
    const auto r = turning(90);
    const auto q = lunch(PolicySet{{p}}, &r);
    CHECK(q.subsidy == 800);
    CHECK(q.bracket == "85岁以上");
}

TEST_CASE("subsidy: the demo policy, exactly") {
    const auto p = demo_subsidy_policy();
    CHECK(p.version == "demo-2026-01");
    CHECK(p.effective_from == CivilDate{2026, 1, 1});
    CHECK(p.combine == Combine::Add);
    CHECK(p.cap == 0);
    REQUIRE(p.ages.size() == 3);
    CHECK(p.ages[0].label == "60-69岁");
    CHECK(p.ages[2].max_age == 200);
    REQUIRE(p.categories.size() == 1);
    CHECK(p.categories[0].any_of == std::vector{Category::SubsistenceAllowance, Category::ExtremePoverty});
    CHECK(p.categories[0].amount == 300);
    CHECK(p.categories[0].label == "低保/特困");
}

TEST_CASE("meal: period_at includes the start and excludes the end") {
    const std::vector<PeriodWindow> windows{
        {MealPeriod::Breakfast, 390, 540}, {MealPeriod::Lunch, 630, 810}, {MealPeriod::Dinner, 990, 1110}};
    CHECK_FALSE(period_at(windows, 0).has_value());
    CHECK_FALSE(period_at(windows, 389).has_value());
    CHECK(period_at(windows, 390) == MealPeriod::Breakfast);
    CHECK(period_at(windows, 539) == MealPeriod::Breakfast);
    CHECK_FALSE(period_at(windows, 540).has_value());
    CHECK(period_at(windows, 630) == MealPeriod::Lunch);
    CHECK(period_at(windows, 809) == MealPeriod::Lunch);
    CHECK_FALSE(period_at(windows, 810).has_value());
    CHECK(period_at(windows, 990) == MealPeriod::Dinner);
    CHECK_FALSE(period_at(windows, 1110).has_value());
    CHECK_FALSE(period_at(windows, 1439).has_value());
    CHECK_FALSE(period_at({}, 700).has_value());
    // Back to back: the minute belongs to the period that starts.
    const std::vector<PeriodWindow> adjacent{{MealPeriod::Breakfast, 390, 630}, {MealPeriod::Lunch, 630, 810}};
    CHECK(period_at(adjacent, 629) == MealPeriod::Breakfast);
    CHECK(period_at(adjacent, 630) == MealPeriod::Lunch);
}

TEST_CASE("meal: codes round-trip") {
    for (auto p : {MealPeriod::Breakfast, MealPeriod::Lunch, MealPeriod::Dinner})
        CHECK(meal_period_from_code(meal_period_code(p)) == p);
    CHECK(meal_period_code(MealPeriod::Breakfast) == "breakfast");
    CHECK(meal_period_code(MealPeriod::Lunch) == "lunch");
    CHECK(meal_period_code(MealPeriod::Dinner) == "dinner");
    CHECK_FALSE(meal_period_from_code("Lunch").has_value());
    CHECK_FALSE(meal_period_from_code("").has_value());

    for (auto m : {PaymentMethod::Cash, PaymentMethod::Balance, PaymentMethod::Qr})
        CHECK(payment_method_from_code(payment_method_code(m)) == m);
    CHECK(payment_method_code(PaymentMethod::Cash) == "cash");
    CHECK(payment_method_code(PaymentMethod::Balance) == "balance");
    CHECK(payment_method_code(PaymentMethod::Qr) == "qr");
    CHECK_FALSE(payment_method_from_code("wechat").has_value());
}

TEST_CASE("meal: the words on paper") {
    CHECK(meal_period_zh(MealPeriod::Breakfast) == "早餐");
    CHECK(meal_period_zh(MealPeriod::Lunch) == "午餐");
    CHECK(meal_period_zh(MealPeriod::Dinner) == "晚餐");
    CHECK(payment_method_zh(PaymentMethod::Cash) == "现金");
    CHECK(payment_method_zh(PaymentMethod::Balance) == "预存余额");
    CHECK(payment_method_zh(PaymentMethod::Qr) == "扫码");
    CHECK(payment_method_zh(static_cast<PaymentMethod>(7)).empty());  // a corrupted record: no words, no UB
}

TEST_CASE("meal: a menu finds its items by id") {
    Menu menu;
    menu.items = {MenuItem{"set-a", "套餐A", "", 1500, 80, ""}, MenuItem{"veg", "素菜套餐", "", 1000, 40, ""}};
    REQUIRE(menu.find("veg") != nullptr);
    CHECK(menu.find("veg")->price == 1000);
    CHECK(menu.find("set-b") == nullptr);
}
