#include "kiosk/app/canteen_config.hpp"

#include <doctest/doctest.h>

#include <string>
#include <string_view>
#include <vector>

using namespace kiosk;
using app::ConfigSource;
using core::Category;
using core::CivilDate;
using core::MealPeriod;

namespace {

ConfigSource file(const std::string& relative) {
    auto r = app::read_config_file(std::string(KIOSK_SOURCE_DIR) + "/" + relative);
    REQUIRE_MESSAGE(r.ok(), r.error().message);
    return *r;
}

// `text` with its first `from` replaced by `to`.
std::string with(std::string text, std::string_view from, std::string_view to) {
    const auto at = text.find(from);
    REQUIRE_MESSAGE(at != std::string::npos, from);
    return text.replace(at, from.size(), to);
}

bool has(const std::string& s, std::string_view part) { return s.find(part) != std::string::npos; }

template <typename T>
std::string message_of(const Result<T>& r) {
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "canteen.invalid");
    CHECK(r.error().message.find('\n') == std::string::npos);
    return r.error().message;
}

// Line numbers matter: the messages name them.
const std::string kPolicy = R"(version = "test-1"
effective_from = "2026-01-01"
combine = "add"
[[ages]]
min_age = 60
max_age = 69
amount_fen = 200
label = "60-69岁"
[[categories]]
any_of = ["低保"]
amount_fen = 300
label = "低保"
)";

const std::string kMenu = R"([[periods]]
period = "breakfast"
start = "06:30"
end = "09:00"
[[periods]]
period = "lunch"
start = "10:30"
end = "13:30"
[[items]]
period = "lunch"
id = "set-a"
name = "套餐A"
price_fen = 1500
[[items]]
period = "lunch"
id = "set-b"
name = "套餐B"
price_fen = 1200
weekdays = [1, 3, 5]
[[items]]
period = "breakfast"
id = "set-a"
name = "早餐A"
price_fen = 500
)";

core::SubsidyPolicy policy(const std::string& text) {
    auto r = app::load_subsidy_policy(ConfigSource{"p.toml", text});
    REQUIRE_MESSAGE(r.ok(), r.error().message);
    return *r;
}

std::string policy_mistake(const std::string& text) {
    return message_of(app::load_subsidy_policy(ConfigSource{"p.toml", text}));
}

app::MenuTemplate menu(const std::string& text) {
    auto r = app::load_menu(ConfigSource{"m.toml", text});
    REQUIRE_MESSAGE(r.ok(), r.error().message);
    return *r;
}

std::string menu_mistake(const std::string& text) { return message_of(app::load_menu(ConfigSource{"m.toml", text})); }

void check_same(const core::SubsidyPolicy& a, const core::SubsidyPolicy& b) {
    CHECK(a.version == b.version);
    CHECK(a.effective_from == b.effective_from);
    CHECK(a.combine == b.combine);
    CHECK(a.cap == b.cap);
    REQUIRE(a.ages.size() == b.ages.size());
    for (std::size_t i = 0; i < a.ages.size(); ++i) {
        CAPTURE(i);
        CHECK(a.ages[i].min_age == b.ages[i].min_age);
        CHECK(a.ages[i].max_age == b.ages[i].max_age);
        CHECK(a.ages[i].amount == b.ages[i].amount);
        CHECK(a.ages[i].label == b.ages[i].label);
    }
    REQUIRE(a.categories.size() == b.categories.size());
    for (std::size_t i = 0; i < a.categories.size(); ++i) {
        CAPTURE(i);
        CHECK(a.categories[i].any_of == b.categories[i].any_of);
        CHECK(a.categories[i].amount == b.categories[i].amount);
        CHECK(a.categories[i].label == b.categories[i].label);
    }
}

std::vector<std::string> ids(const core::Menu& m) {
    std::vector<std::string> out;
    for (const auto& item : m.items) out.push_back(item.id);
    return out;
}

}  // namespace

TEST_CASE("canteen config: the demo policy file is demo_subsidy_policy") {
    auto r = app::load_subsidy_policy(file("config/subsidy/demo.toml"));
    REQUIRE_MESSAGE(r.ok(), r.error().message);
    check_same(*r, core::demo_subsidy_policy());

    auto set = app::load_policies({file("config/subsidy/demo.toml")});
    REQUIRE_MESSAGE(set.ok(), set.error().message);
    REQUIRE(set->policies.size() == 1);
    CHECK(set->in_force(CivilDate{2026, 11, 25})->version == "demo-2026-01");
}

TEST_CASE("canteen config: the demo menu") {
    auto r = app::load_menu(file("config/menu/demo.toml"));
    REQUIRE_MESSAGE(r.ok(), r.error().message);
    const auto& m = *r;
    REQUIRE(m.periods.size() == 3);
    CHECK(m.periods[0].period == MealPeriod::Breakfast);
    CHECK(m.periods[0].start_minute == 6 * 60 + 30);
    CHECK(m.periods[0].end_minute == 9 * 60);
    CHECK(m.periods[1].period == MealPeriod::Lunch);
    CHECK(m.periods[1].start_minute == 630);
    CHECK(m.periods[1].end_minute == 810);
    CHECK(m.periods[2].period == MealPeriod::Dinner);
    CHECK(m.periods[2].start_minute == 16 * 60 + 30);
    CHECK(m.periods[2].end_minute == 18 * 60 + 30);

    const auto lunch = m.for_day(CivilDate{2026, 11, 25}, MealPeriod::Lunch);
    CHECK(lunch.day == CivilDate{2026, 11, 25});
    CHECK(lunch.period == MealPeriod::Lunch);
    REQUIRE(ids(lunch) == std::vector<std::string>{"set-a", "set-b", "veg"});
    CHECK(lunch.items[0].name == "套餐A");
    CHECK(lunch.items[0].dishes == "红烧肉、炒青菜、米饭、紫菜汤");
    CHECK(lunch.items[0].price == 1500);
    CHECK(lunch.items[0].daily_limit == 80);
    CHECK(lunch.items[0].photo.empty());
    CHECK(lunch.items[1].name == "套餐B");
    CHECK(lunch.items[1].dishes == "西红柿炒蛋、土豆丝、米饭、紫菜汤");
    CHECK(lunch.items[1].price == 1200);
    CHECK(lunch.items[1].daily_limit == 80);
    CHECK(lunch.items[2].name == "素菜套餐");
    CHECK(lunch.items[2].dishes == "麻婆豆腐、清炒时蔬、米饭、紫菜汤");
    CHECK(lunch.items[2].price == 1000);
    CHECK(lunch.items[2].daily_limit == 40);

    CHECK(m.for_day(CivilDate{2026, 11, 25}, MealPeriod::Breakfast).items.size() == 2);
    CHECK(m.for_day(CivilDate{2026, 11, 25}, MealPeriod::Dinner).items.size() == 2);
    // Saturday: no dumplings.
    CHECK(ids(m.for_day(CivilDate{2026, 11, 28}, MealPeriod::Dinner)) == std::vector<std::string>{"noodles"});
}

TEST_CASE("canteen config: menu for_day keeps file order and respects weekdays") {
    const auto m = menu(kMenu);
    CHECK(ids(m.for_day(CivilDate{2026, 11, 25}, MealPeriod::Lunch)) ==
          std::vector<std::string>{"set-a", "set-b"});  // Wednesday
    CHECK(ids(m.for_day(CivilDate{2026, 11, 24}, MealPeriod::Lunch)) == std::vector<std::string>{"set-a"});  // Tuesday
    CHECK(ids(m.for_day(CivilDate{2026, 11, 29}, MealPeriod::Lunch)) == std::vector<std::string>{"set-a"});  // Sunday
    CHECK(ids(m.for_day(CivilDate{2026, 11, 30}, MealPeriod::Lunch)) ==
          std::vector<std::string>{"set-a", "set-b"});  // Monday
    // The same id in another period is another item.
    const auto breakfast = m.for_day(CivilDate{2026, 11, 25}, MealPeriod::Breakfast);
    REQUIRE(breakfast.items.size() == 1);
    CHECK(breakfast.items[0].name == "早餐A");
    CHECK(m.for_day(CivilDate{2026, 11, 25}, MealPeriod::Dinner).items.empty());
    // Left out: defaults.
    CHECK(m.items[0].weekdays == app::kEveryDay);
    CHECK(m.items[0].item.daily_limit == 0);
    CHECK(m.items[0].item.dishes.empty());
    CHECK(m.items[0].item.photo.empty());
}

TEST_CASE("canteen config: times and weekdays") {
    CHECK(app::minutes_from_hhmm("10:30") == 630);
    CHECK(app::minutes_from_hhmm("6:30") == 390);
    CHECK(app::minutes_from_hhmm("00:00") == 0);
    CHECK(app::minutes_from_hhmm("23:59") == 1439);
    CHECK(app::minutes_from_hhmm("24:00") == 1440);
    for (const char* bad :
         {"", "1030", "10:3", "10:300", "24:01", "25:00", "10:60", "-1:00", "10 :30", "a:bc", ":30", "123:00"}) {
        CAPTURE(bad);
        CHECK_FALSE(app::minutes_from_hhmm(bad).has_value());
    }
    CHECK(app::hhmm(390) == "06:30");
    CHECK(app::hhmm(1440) == "24:00");
    for (int m = 0; m <= 1440; ++m) CHECK(app::minutes_from_hhmm(app::hhmm(m)) == m);

    CHECK(app::iso_weekday(CivilDate{2026, 11, 30}) == 1);
    CHECK(app::iso_weekday(CivilDate{2026, 11, 25}) == 3);
    CHECK(app::iso_weekday(CivilDate{2026, 11, 29}) == 7);
    CHECK(app::iso_weekday(CivilDate{2024, 2, 29}) == 4);
}

TEST_CASE("canteen config: policy keys that may be left out, and other spellings") {
    const auto p = policy(kPolicy);
    CHECK(p.cap == 0);
    CHECK(p.combine == core::Combine::Add);
    CHECK(policy(with(kPolicy, R"(combine = "add")", R"(combine = "highest")")).combine == core::Combine::Highest);
    CHECK(policy(with(kPolicy, R"("2026-01-01")", "2026-07-01")).effective_from ==
          CivilDate{2026, 7, 1});  // a TOML date
    CHECK(policy(with(kPolicy, "combine", "cap_fen = 800\ncombine")).cap == 800);
    // Only categories, or nothing at all (subsidies suspended), is a policy too.
    const auto none = policy("version = \"off\"\neffective_from = \"2027-01-01\"\ncombine = \"add\"\n");
    CHECK(none.ages.empty());
    CHECK(none.categories.empty());
    const auto both = policy(with(kPolicy, R"(["低保"])", R"(["特困", "低保"])"));
    CHECK(both.categories[0].any_of == std::vector{Category::ExtremePoverty, Category::SubsistenceAllowance});
}

TEST_CASE("canteen config: money must be whole fen") {
    CHECK(policy_mistake(with(kPolicy, "amount_fen = 200", "amount_fen = 2.5")) ==
          "p.toml:7: amount_fen in [[ages]] entry 1 must be a whole number of fen (分), not 2.5; write fen, e.g. "
          "amount_fen = 250");
    CHECK(policy_mistake(with(kPolicy, "amount_fen = 300", "amount_fen = 3.0")) ==
          "p.toml:11: amount_fen in [[categories]] entry 1 must be a whole number of fen (分), not 3.0; write fen, "
          "e.g. amount_fen = 300");
    CHECK(policy_mistake(with(kPolicy, "amount_fen = 200", "amount_fen = -200")) ==
          "p.toml:7: amount_fen in [[ages]] entry 1 must be a whole number of fen (分) between 0 and 1000000, not "
          "-200");
    CHECK(policy_mistake(with(kPolicy, "amount_fen = 200", R"(amount_fen = "200")")) ==
          "p.toml:7: amount_fen in [[ages]] entry 1 must be a whole number of fen (分) between 0 and 1000000, not "
          "\"200\"");
    CHECK(policy_mistake(with(kPolicy, "combine", "cap_fen = 6.5\ncombine")) ==
          "p.toml:3: cap_fen must be a whole number of fen (分), not 6.5; write fen, e.g. cap_fen = 650");
    // No suggestion when the yuan reading makes no sense either.
    CHECK(policy_mistake(with(kPolicy, "amount_fen = 200", "amount_fen = -2.5")) ==
          "p.toml:7: amount_fen in [[ages]] entry 1 must be a whole number of fen (分), not -2.5");
    CHECK(policy_mistake(with(kPolicy, "amount_fen = 200", "amount_fen = nan")) ==
          "p.toml:7: amount_fen in [[ages]] entry 1 must be a whole number of fen (分), not nan");
}

TEST_CASE("canteen config: age brackets must not overlap and must run upwards") {
    const std::string second = "[[ages]]\nmin_age = 69\nmax_age = 79\namount_fen = 300\nlabel = \"70-79岁\"\n";
    CHECK(policy_mistake(kPolicy + second) ==
          "p.toml:13: [[ages]] entries 1 and 2 overlap: age 69 is in both (60-69 and 69-79); each age may be in one "
          "bracket only");
    // Adjacent is fine.
    CHECK(policy(kPolicy + with(second, "min_age = 69", "min_age = 70")).ages.size() == 2);
    // Inside another one.
    CHECK(has(policy_mistake(kPolicy + with(second, "min_age = 69\nmax_age = 79", "min_age = 0\nmax_age = 200")),
              "overlap: age 60 is in both (60-69 and 0-200)"));
    CHECK(policy_mistake(with(kPolicy, "max_age = 69", "max_age = 59")) ==
          "p.toml:6: [[ages]] entry 1 has min_age 60 above max_age 59; min_age must not be more than max_age");
    CHECK(policy_mistake(with(kPolicy, "max_age = 69", "max_age = 201")) ==
          "p.toml:6: max_age in [[ages]] entry 1 must be a whole number of years between 0 and 200, not 201");
    CHECK(policy_mistake(with(kPolicy, "min_age = 60", "min_age = 60.5")) ==
          "p.toml:5: min_age in [[ages]] entry 1 must be a whole number of years between 0 and 200, not 60.5");
    CHECK(policy_mistake(with(kPolicy, "label = \"60-69岁\"\n", "")) ==
          R"(p.toml:4: [[ages]] entry 1 has no label; add the words receipts show, such as label = "60-69岁")");
    CHECK(policy_mistake(with(kPolicy, "max_age = 69\n", "")) ==
          "p.toml:4: [[ages]] entry 1 has no max_age; every entry needs min_age, max_age, amount_fen and label");
}

TEST_CASE("canteen config: categories are the Chinese names") {
    CHECK(policy_mistake(with(kPolicy, R"(["低保"])", R"(["低保", "低宝"])")) ==
          R"(p.toml:10: unknown category "低宝" in any_of in [[categories]] entry 1; the categories are "低保", )"
          R"("特困", "失能", "独居", "高龄", "优抚")");
    CHECK(policy_mistake(with(kPolicy, R"(["低保"])", R"(["dibao"])")) ==
          R"(p.toml:10: "dibao" in any_of in [[categories]] entry 1 must be written in Chinese: "低保")");
    CHECK(policy_mistake(with(kPolicy, R"(["低保"])", R"(["低保", "低保"])")) ==
          R"(p.toml:10: "低保" is listed twice in any_of in [[categories]] entry 1)");
    CHECK(policy_mistake(with(kPolicy, R"(["低保"])", "[]")) ==
          R"(p.toml:10: any_of in [[categories]] entry 1 is empty; list at least one category, such as ["低保"])");
    CHECK(policy_mistake(with(kPolicy, R"(["低保"])", R"("低保")")) ==
          R"(p.toml:10: any_of in [[categories]] entry 1 must be a list of category names such as ["低保", )"
          R"("特困"], not "低保")");
    CHECK(policy_mistake(with(kPolicy, R"(["低保"])", "[1]")) ==
          R"(p.toml:10: unknown category 1 in any_of in [[categories]] entry 1; the categories are "低保", "特困", )"
          R"("失能", "独居", "高龄", "优抚")");
}

TEST_CASE("canteen config: unknown keys are refused with a suggestion") {
    CHECK(policy_mistake(with(kPolicy, "amount_fen = 200", "amount = 200")) ==
          "p.toml:7: unknown key 'amount' in [[ages]] entry 1; did you mean 'amount_fen'?");
    CHECK(policy_mistake(with(kPolicy, "combine", "cap = 0\ncombine")) ==
          "p.toml:3: unknown key 'cap' in the policy file; did you mean 'cap_fen'?");
    CHECK(policy_mistake(with(kPolicy, "[[ages]]", "[[age]]")) ==
          "p.toml:4: unknown section [[age]] in the policy file; did you mean [[ages]]?");
    CHECK(policy_mistake(with(kPolicy, "combine", "colour = \"red\"\ncombine")) ==
          "p.toml:3: unknown key 'colour' in the policy file; the keys there are 'version', 'effective_from', "
          "'combine', 'cap_fen', 'ages', 'categories'");
    CHECK(policy_mistake(with(kPolicy, "[[ages]]", "[ages]")) ==
          "p.toml:4: ages must be written as [[ages]] sections, not one [ages] section");
}

TEST_CASE("canteen config: the policy's own keys") {
    CHECK(policy_mistake(with(kPolicy, "version = \"test-1\"\n", "")) ==
          R"(p.toml:1: the policy file has no version; add one such as version = "county-2026-07", which )"
          R"(every order it prices records)");
    CHECK(policy_mistake(with(kPolicy, R"(version = "test-1")", R"(version = "")")) ==
          R"(p.toml:1: version must be non-empty text in quotes, not "")");
    CHECK(policy_mistake(with(kPolicy, "effective_from = \"2026-01-01\"\n", "")) ==
          R"(p.toml:1: the policy file has no effective_from; add the first day it applies, such as )"
          R"(effective_from = "2026-07-01")");
    CHECK(policy_mistake(with(kPolicy, "2026-01-01", "2026-02-30")) ==
          R"(p.toml:2: effective_from must be a date such as "2026-01-01", not "2026-02-30")");
    CHECK(policy_mistake(with(kPolicy, R"("add")", R"("sum")")) ==
          R"(p.toml:3: combine must be one of "add", "highest", not "sum")");
    CHECK(has(policy_mistake(with(kPolicy, "combine = \"add\"\n", "")), "p.toml:1: the policy file has no combine;"));
    CHECK(policy_mistake(with(kPolicy, "label = \"低保\"", "label = \"低保"))
              .rfind("p.toml:12: this is not valid TOML: ", 0) == 0);
}

TEST_CASE("canteen config: two policies may share neither a version nor a start") {
    const std::string later = with(with(kPolicy, "test-1", "test-2"), "2026-01-01", "2026-12-01");
    auto ok = app::load_policies({ConfigSource{"a.toml", kPolicy}, ConfigSource{"b.toml", later}});
    REQUIRE_MESSAGE(ok.ok(), ok.error().message);
    CHECK(ok->in_force(CivilDate{2026, 11, 30})->version == "test-1");
    CHECK(ok->in_force(CivilDate{2026, 12, 1})->version == "test-2");

    CHECK(message_of(app::load_policies(
              {ConfigSource{"a.toml", kPolicy}, ConfigSource{"b.toml", with(kPolicy, "2026-01-01", "2026-12-01")}})) ==
          R"(b.toml:1: version "test-1" is already used by a.toml:1; each policy needs its own version)");
    CHECK(message_of(app::load_policies(
              {ConfigSource{"a.toml", kPolicy}, ConfigSource{"b.toml", with(kPolicy, "test-1", "test-2")}})) ==
          R"(b.toml:2: effective_from 2026-01-01 is also when "test-1" starts (a.toml:2); two policies )"
          R"(cannot start on the same day)");
    // A mistake in any file stops the lot, naming that file.
    CHECK(has(message_of(app::load_policies({ConfigSource{"a.toml", kPolicy}, ConfigSource{"b.toml", "version = 1"}})),
              "b.toml:1: version must be non-empty text in quotes, not 1"));
    auto none = app::load_policies({});
    REQUIRE(none.ok());
    CHECK(none->policies.empty());
}

TEST_CASE("canteen config: meal periods must be valid times that do not overlap") {
    CHECK(menu_mistake(with(kMenu, R"("09:00")", R"("11:00")")) ==
          "m.toml:5: [[periods]] entries 1 and 2 overlap: breakfast 06:30-11:00 and lunch 10:30-13:30; a period must "
          "end before, or when, the next one starts");
    CHECK(menu(with(kMenu, R"("09:00")", R"("10:30")")).periods[0].end_minute == 630);  // back to back
    CHECK(menu_mistake(with(kMenu, R"("13:30")", R"("10:30")")) ==
          "m.toml:8: [[periods]] entry 2 (lunch) must end after it starts, not start at 10:30 and end at 10:30; a "
          "period cannot run past midnight");
    CHECK(menu_mistake(with(kMenu, R"("06:30")", R"("25:00")")) ==
          R"(m.toml:3: start in [[periods]] entry 1 must be a time of day such as "10:30" (hours 0 to )"
          R"(23, then minutes), not "25:00")");
    CHECK(has(menu_mistake(with(kMenu, R"("06:30")", R"("6.30")")),
              "m.toml:3: start in [[periods]] entry 1 must be a time"));
    CHECK(menu_mistake(with(kMenu, R"(period = "lunch")", R"(period = "breakfast")")) ==
          "m.toml:5: [[periods]] entries 1 and 2 are both breakfast; each period has one window");
    CHECK(menu_mistake(with(kMenu, R"(period = "lunch")", R"(period = "supper")")) ==
          R"(m.toml:6: period in [[periods]] entry 2 must be one of "breakfast", "lunch", "dinner", not "supper")");
    CHECK(menu(with(kMenu, R"(start = "06:30")", "start = 06:30:00")).periods[0].start_minute == 390);  // a TOML time
    CHECK(has(menu_mistake("[[items]]\nperiod = \"lunch\"\n"), "m.toml:1: the menu file has no [[periods]];"));
}

TEST_CASE("canteen config: menu items") {
    CHECK(menu_mistake(with(kMenu, R"(id = "set-b")", R"(id = "set-a")")) ==
          R"(m.toml:16: [[items]] entries 1 and 2 both have id "set-a" for lunch; ids must differ within a period)");
    CHECK(menu_mistake(with(kMenu, "price_fen = 1500", "price_fen = 15.5")) ==
          "m.toml:13: price_fen in [[items]] entry 1 must be a whole number of fen (分), not 15.5; write fen, e.g. "
          "price_fen = 1550");
    CHECK(menu_mistake(with(kMenu, "price_fen = 1500", "price_fen = 0")) ==
          "m.toml:13: price_fen in [[items]] entry 1 must be a whole number of fen (分) between 1 and 1000000, not 0");
    CHECK(
        menu_mistake(with(kMenu, "price_fen = 1500", "price_fen = 1500\ndaily_limit = -1")) ==
        "m.toml:14: daily_limit in [[items]] entry 1 must be a whole number of portions between 0 and 100000, not -1");
    CHECK(menu_mistake(with(kMenu, "price_fen = 1500", "price = 1500")) ==
          "m.toml:13: unknown key 'price' in [[items]] entry 1; did you mean 'price_fen'?");
    CHECK(menu_mistake(with(kMenu, "price_fen = 1500\n", "")) ==
          "m.toml:9: [[items]] entry 1 has no price_fen; every item needs period, id, name and price_fen");
    CHECK(menu_mistake(with(kMenu, R"(period = "lunch"
id = "set-a")",
                            R"(period = "dinner"
id = "set-a")")) ==
          "m.toml:10: [[items]] entry 1 is for dinner, but [[periods]] has no dinner; add that period or change the "
          "item's");
    CHECK(menu_mistake(with(kMenu, R"(id = "set-a")", R"(id = "套餐A")")) ==
          R"(m.toml:11: id in [[items]] entry 1 must be made only of lower-case letters, digits and '-', )"
          R"(such as "set-a", not "套餐A")");
    CHECK(menu_mistake(with(kMenu, "[1, 3, 5]", "[1, 3, 8]")) ==
          "m.toml:19: weekdays in [[items]] entry 2 must list days from 1 (Monday) to 7 (Sunday), not 8");
    CHECK(menu_mistake(with(kMenu, "[1, 3, 5]", "[1, 3, 3]")) ==
          "m.toml:19: weekdays in [[items]] entry 2 lists 3 twice");
    CHECK(has(menu_mistake(with(kMenu, "[1, 3, 5]", "[]")),
              "m.toml:19: weekdays in [[items]] entry 2 is empty, so the item would never be served"));
    CHECK(has(menu_mistake(with(kMenu, "[1, 3, 5]", "5")),
              "m.toml:19: weekdays in [[items]] entry 2 must be a list of days"));
    CHECK(menu_mistake(with(kMenu, "price_fen = 1500", "price_fen = 1500\nphoto = \"../secret.png\"")) ==
          R"(m.toml:14: photo in [[items]] entry 1 must be a file in the menu's folder, such as )"
          R"("set-a.jpg", or "", not "../secret.png")");
    CHECK(has(menu_mistake(with(kMenu, "price_fen = 1500", "price_fen = 1500\nphoto = \"/etc/passwd\"")),
              "m.toml:14: photo"));
    CHECK(menu(with(kMenu, "price_fen = 1500", "price_fen = 1500\nphoto = \"photos/set-a.jpg\"")).items[0].item.photo ==
          "photos/set-a.jpg");
    CHECK(menu_mistake(with(kMenu, R"(name = "套餐A")", R"(name = "")")) ==
          R"(m.toml:12: name in [[items]] entry 1 must be non-empty text in quotes, not "")");
    CHECK(menu_mistake(with(kMenu, R"(name = "套餐A")", R"(name = "套餐\nA")")) ==
          R"(m.toml:12: name in [[items]] entry 1 must be one line of text, without line breaks or tabs, )"
          R"(not "套餐\u000AA")");
    CHECK(menu_mistake(with(kMenu, "[[items]]", "[[item]]")) ==
          "m.toml:9: unknown section [[item]] in the menu file; did you mean [[items]]?");
    CHECK(has(menu_mistake(kMenu.substr(0, kMenu.find("[[items]]"))), "m.toml:1: the menu file has no [[items]];"));
}
