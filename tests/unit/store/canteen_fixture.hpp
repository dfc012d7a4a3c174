#pragma once
// Shared by the canteen store tests: a database with the demo roster and a
// day's menus, order builders, the day close in a comparable form, and an
// independent model of what the day close must say.
#include <doctest/doctest.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "kiosk/core/demo_roster.hpp"
#include "kiosk/core/meal.hpp"
#include "kiosk/core/utc.hpp"
#include "kiosk/store/canteen.hpp"
#include "kiosk/store/database.hpp"
#include "kiosk/store/roster.hpp"
#include "kiosk/store/secret.hpp"
#include "temp_dir.hpp"

namespace kiosk::test::canteen {

inline constexpr const char* kTerminal = "HL-JH-01";
inline constexpr std::size_t kRosterSize = 20;
inline const core::CivilDate kDay{2026, 11, 25};
inline const core::CivilDate kNextDay{2026, 11, 26};

inline core::UtcTime utc(int y, unsigned mo, unsigned d, int h, int mi, int s = 0, int ms = 0) {
    using namespace std::chrono;
    return sys_days{year{y} / month{mo} / day{d}} + hours{h} + minutes{mi} + seconds{s} + milliseconds{ms};
}
inline const core::UtcTime kNoon = utc(2026, 11, 25, 3, 30);

inline void import_roster(store::Database& db) {
    const store::IdHasher hasher(test_key());
    store::RosterRepository repo(db, hasher);
    REQUIRE(repo.replace_all(core::demo_roster(kRosterSize)).ok());
}

inline std::string masked_id_of(core::RosterId id) {
    return core::demo_roster(kRosterSize).at(static_cast<std::size_t>(id - 1)).resident.masked_id;
}

// The demo menus: lunch has a limited item (3 portions) and soup; breakfast
// and dinner have their own items, one named like a lunch item so the day
// close must keep periods apart.
inline core::Menu lunch_menu(core::CivilDate day = kDay) {
    return {day,
            core::MealPeriod::Lunch,
            {{"set-a", "套餐A", "红烧肉、炒青菜、米饭", 1500, 0, "set-a.jpg"},
             {"set-b", "套餐B", "清蒸鱼、番茄炒蛋、米饭", 1200, 3, ""},
             {"soup", "例汤", "紫菜蛋花汤", 300, 0, ""}}};
}
inline core::Menu breakfast_menu(core::CivilDate day = kDay) {
    return {day,
            core::MealPeriod::Breakfast,
            {{"porridge", "小米粥", "小米粥、鸡蛋、咸菜", 500, 0, ""}, {"soup", "例汤", "豆浆", 200, 0, ""}}};
}
inline core::Menu dinner_menu(core::CivilDate day = kDay) {
    return {day, core::MealPeriod::Dinner, {{"noodles", "汤面", "青菜鸡蛋面", 800, 50, ""}}};
}

inline void ensure_menus(store::CanteenStore& store, core::CivilDate day = kDay) {
    for (const auto& m : {lunch_menu(day), breakfast_menu(day), dinner_menu(day)}) {
        auto r = store.ensure_menu(m);
        REQUIRE_MESSAGE(r.ok(), r.error().code << ": " << r.error().message);
    }
}

struct Line {
    std::string id;
    int qty = 1;
};

// An order priced from the demo menu's prices: price the sum of the lines,
// pay = price - subsidy.
struct OrderSpec {
    std::optional<core::RosterId> resident{};
    core::CivilDate day = kDay;
    core::MealPeriod period = core::MealPeriod::Lunch;
    std::vector<Line> lines{{"set-a", 1}};
    core::Fen subsidy = 0;
    core::PaymentMethod method = core::PaymentMethod::Cash;
    std::string bracket{};
    std::vector<core::Category> categories{};
    bool staff_assisted = false;
    bool delivery = false;
};

inline core::MealOrder make_order(const OrderSpec& spec) {
    core::MealOrder o;
    o.resident = spec.resident;
    o.masked_id = spec.resident ? masked_id_of(*spec.resident) : "";
    o.day = spec.day;
    o.period = spec.period;
    const core::Menu menu = spec.period == core::MealPeriod::Lunch       ? lunch_menu(spec.day)
                            : spec.period == core::MealPeriod::Breakfast ? breakfast_menu(spec.day)
                                                                         : dinner_menu(spec.day);
    for (const auto& l : spec.lines) {
        const auto* item = menu.find(l.id);
        const std::string name = item != nullptr ? item->name : "不存在";
        const core::Fen price = item != nullptr ? item->price : 100;
        o.items.push_back({l.id, name, l.qty, price});
        o.price += price * l.qty;
    }
    o.subsidy = spec.subsidy;
    o.pay = o.price - o.subsidy;
    o.method = spec.method;
    o.policy = spec.subsidy > 0 || !spec.bracket.empty() ? "demo-2026-01" : "";
    o.bracket = spec.bracket;
    o.categories = spec.categories;
    o.staff_assisted = spec.staff_assisted;
    o.delivery = spec.delivery;
    return o;
}

inline store::StoredOrder record(store::CanteenStore& store, const core::MealOrder& o, core::UtcTime at = kNoon) {
    auto r = store.record_order(o, at);
    REQUIRE_MESSAGE(r.ok(), r.error().code << ": " << r.error().message);
    return *r;
}

inline store::StoredOrder record(store::CanteenStore& store, const OrderSpec& spec, core::UtcTime at = kNoon) {
    return record(store, make_order(spec), at);
}

inline store::DayClose close_of(store::CanteenStore& store, core::CivilDate day) {
    auto r = store.day_close(day);
    REQUIRE_MESSAGE(r.ok(), r.error().code << ": " << r.error().message);
    return *r;
}

inline store::DayClose recompute_of(store::CanteenStore& store, core::CivilDate day) {
    auto r = store.recompute_day_close(day);
    REQUIRE_MESSAGE(r.ok(), r.error().code << ": " << r.error().message);
    return *r;
}

// The whole day close as text, so a mismatch shows every figure.
inline std::string describe(const store::DayClose& d) {
    std::ostringstream out;
    out << d.day.iso() << " orders=" << d.orders << " refunds=" << d.refunds << " portions=" << d.portions
        << " price=" << d.price << " subsidy=" << d.subsidy << " takings=" << d.takings << "\n";
    const auto section = [&](const char* name, const std::map<std::string, store::CountAndFen>& m) {
        for (const auto& [k, v] : m) out << "  " << name << "[" << k << "] " << v.count << " " << v.fen << "\n";
    };
    section("item", d.by_item);
    section("method", d.by_method);
    section("bracket", d.by_bracket);
    section("category", d.by_category);
    section("period", d.by_period);
    return out.str();
}

// What the day close must say, computed here from the orders the test
// knows it recorded: a third implementation beside the store's two.
inline store::DayClose model_close(core::CivilDate day, const std::vector<std::pair<core::MealOrder, bool>>& orders) {
    store::DayClose d;
    d.day = day;
    for (const auto& [o, refunded] : orders) {
        if (o.day != day) continue;
        if (refunded) {
            ++d.refunds;
            continue;
        }
        ++d.orders;
        d.price += o.price;
        d.subsidy += o.subsidy;
        d.takings += o.pay;
        const std::string period(core::meal_period_code(o.period));
        for (const auto& l : o.items) {
            d.portions += l.quantity;
            auto& v = d.by_item[period + "/" + l.name];
            v.count += l.quantity;
            v.fen += l.quantity * l.price;
        }
        auto& m = d.by_method[std::string(core::payment_method_code(o.method))];
        ++m.count;
        m.fen += o.pay;
        auto& b = d.by_bracket[o.bracket];
        ++b.count;
        b.fen += o.subsidy;
        std::set<core::Category> seen(o.categories.begin(), o.categories.end());
        for (auto c : seen) {
            auto& v = d.by_category[std::string(core::category_code(c))];
            ++v.count;
            v.fen += o.subsidy;
        }
        auto& p = d.by_period[period];
        ++p.count;
        p.fen += o.price;
    }
    return d;
}

struct Fixture {
    TempDir tmp;
    std::filesystem::path file = tmp / "kiosk.db";
    std::unique_ptr<store::Database> db = open_db(file);
    std::unique_ptr<store::CanteenStore> store;
    Fixture() {
        import_roster(*db);
        store = std::make_unique<store::CanteenStore>(*db, kTerminal);
        ensure_menus(*store);
    }
    std::int64_t count(const std::string& sql) const {
        RawDb raw(file);
        return raw.integer(sql);
    }
};

}  // namespace kiosk::test::canteen
