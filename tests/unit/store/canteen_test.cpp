#include "kiosk/store/canteen.hpp"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <random>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "canteen_fixture.hpp"
#include "kiosk/core/demo_roster.hpp"
#include "kiosk/store/facts.hpp"
#include "temp_dir.hpp"

using namespace kiosk;
using namespace kiosk::test::canteen;
using core::Category;
using core::MealPeriod;
using core::PaymentMethod;
using kiosk::test::open_db;
using kiosk::test::RawDb;
using kiosk::test::TempDir;

namespace {

const std::regex kUuidV4{"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"};

std::vector<store::OutboxRow> outbox(store::Database& db) {
    store::FactStore facts(db, kTerminal);
    std::vector<store::OutboxRow> rows;
    auto r = facts.for_each_fact([&](const store::OutboxRow& row) { rows.push_back(row); });
    REQUIRE_MESSAGE(r.ok(), r.error().message);
    return rows;
}

nlohmann::json fact_json(store::Database& db, const std::string& fact_id) {
    for (const auto& row : outbox(db))
        if (row.fact_id == fact_id) return nlohmann::json::parse(row.json);
    FAIL("no outbox row for " << fact_id);
    return {};
}

std::set<std::string> keys(const nlohmann::json& j) {
    std::set<std::string> out;
    for (const auto& [k, v] : j.items()) out.insert(k);
    return out;
}

core::Fen balance(store::CanteenStore& s, core::RosterId r) {
    auto b = s.balance(r);
    REQUIRE_MESSAGE(b.ok(), b.error().message);
    return *b;
}

std::map<std::string, int> sold(store::CanteenStore& s, core::CivilDate day, MealPeriod p) {
    auto r = s.sold(day, p);
    REQUIRE_MESSAGE(r.ok(), r.error().message);
    return *r;
}

void top_up(store::CanteenStore& s, core::RosterId r, core::Fen amount) {
    auto t = s.top_up(r, amount, kNoon);
    REQUIRE_MESSAGE(t.ok(), t.error().code << ": " << t.error().message);
}

// Every row a recorded order touches, as one comparable snapshot.
std::string footprint(const std::filesystem::path& file) {
    RawDb raw(file);
    std::string out;
    for (const char* sql :
         {"SELECT COUNT(*) FROM meal_orders", "SELECT COUNT(*) FROM outbox", "SELECT value FROM sequence",
          "SELECT COALESCE(SUM(last_pickup), 0) FROM canteen_days", "SELECT COALESCE(SUM(sold), 0) FROM menu_items",
          "SELECT COALESCE(SUM(fen), 0) FROM balances", "SELECT COUNT(*) FROM balance_ledger",
          "SELECT COALESCE(SUM(orders), 0) FROM canteen_days", "SELECT COALESCE(SUM(price_fen), 0) FROM canteen_days",
          "SELECT COALESCE(SUM(count), 0) || '/' || COALESCE(SUM(fen), 0) FROM canteen_day_breakdown"})
        out += raw.text(sql) + ";";
    return out;
}

}  // namespace

TEST_CASE("canteen: migration 3 adds the canteen tables, and a version-2 database is upgraded with its data") {
    TempDir tmp;
    const auto file = tmp / "kiosk.db";
    {
        auto db = open_db(file, {.migrate_to = 2});
        REQUIRE(db->schema_version() == 2);
        import_roster(*db);
        store::FactStore facts(*db, kTerminal);
        REQUIRE(
            facts.record_check_in({1, masked_id_of(1), core::CheckInMethod::Card, core::CheckInPurpose::Meal}, kNoon)
                .ok());
        // The canteen store on an old schema answers with errors, not crashes.
        store::CanteenStore canteen(*db, kTerminal);
        auto m = canteen.ensure_menu(lunch_menu());
        CHECK_FALSE(m.ok());
    }
    auto db = open_db(file);
    CHECK(db->schema_version() == 3);
    CHECK(store::Database::latest_schema_version() == 3);
    RawDb raw(file);
    for (const char* table : {"menus", "menu_items", "meal_orders", "meal_refunds", "balances", "balance_ledger",
                              "meal_reservations", "canteen_days", "canteen_day_breakdown"}) {
        CAPTURE(table);
        CHECK(raw.integer(std::string("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '") + table +
                          "'") == 1);
    }
    CHECK(raw.integer("SELECT COUNT(*) FROM residents") == static_cast<std::int64_t>(kRosterSize));
    CHECK(raw.integer("SELECT COUNT(*) FROM check_ins") == 1);

    // Orders after the upgrade continue the terminal's sequence.
    store::CanteenStore canteen(*db, kTerminal);
    ensure_menus(canteen);
    CHECK(record(canteen, OrderSpec{}).fact.seq == 2);
}

TEST_CASE("canteen: the already-subsidised question uses its index") {
    Fixture f;
    RawDb raw(f.file);
    std::string plan;
    sqlite3_stmt* st = nullptr;
    REQUIRE(sqlite3_prepare_v2(raw.handle(),
                               "EXPLAIN QUERY PLAN SELECT 1 FROM meal_orders WHERE resident = 1 AND day = '2026-11-25' "
                               "AND period = 'lunch' AND subsidy_fen > 0 AND refunded = 0 LIMIT 1",
                               -1, &st, nullptr) == SQLITE_OK);
    while (sqlite3_step(st) == SQLITE_ROW) plan += reinterpret_cast<const char*>(sqlite3_column_text(st, 3));
    sqlite3_finalize(st);
    CHECK(plan.find("meal_orders_subsidy_slot") != std::string::npos);
}

TEST_CASE("canteen: a menu is stored once, and staff changes that day are kept") {
    Fixture f;
    auto& s = *f.store;
    auto stored = s.menu(kDay, MealPeriod::Lunch);
    REQUIRE(stored.ok());
    REQUIRE(stored->has_value());
    const auto& m = **stored;
    REQUIRE(m.items.size() == 3);
    CHECK(m.items[0].id == "set-a");
    CHECK(m.items[0].name == "套餐A");
    CHECK(m.items[0].dishes == "红烧肉、炒青菜、米饭");
    CHECK(m.items[0].price == 1500);
    CHECK(m.items[0].photo == "set-a.jpg");
    CHECK(m.items[1].id == "set-b");
    CHECK(m.items[1].daily_limit == 3);
    CHECK(m.items[2].id == "soup");

    REQUIRE(s.set_limit(kDay, MealPeriod::Lunch, "set-a", 40).ok());
    REQUIRE(s.set_price(kDay, MealPeriod::Lunch, "soup", 250).ok());
    // The config's menu comes again (a restart): the staff's figures stay.
    auto again = s.ensure_menu(lunch_menu());
    REQUIRE(again.ok());
    CHECK(again->items[0].daily_limit == 40);
    CHECK(again->items[2].price == 250);
    CHECK(again->items.size() == 3);

    CHECK(s.set_limit(kDay, MealPeriod::Lunch, "nope", 1).error().code == "canteen.no_item");
    CHECK(s.set_price(kDay, MealPeriod::Dinner, "set-a", 1).error().code == "canteen.no_item");
    CHECK(s.set_limit(kDay, MealPeriod::Lunch, "set-a", -1).error().code == "canteen.bad_amount");
    CHECK(s.set_price(kDay, MealPeriod::Lunch, "set-a", -5).error().code == "canteen.bad_amount");

    auto none = s.menu(kNextDay, MealPeriod::Lunch);
    REQUIRE(none.ok());
    CHECK_FALSE(none->has_value());
    auto bad = lunch_menu(kNextDay);
    bad.items.push_back(bad.items[0]);
    CHECK(s.ensure_menu(bad).error().code == "canteen.bad_menu");
    CHECK_FALSE(s.menu(kNextDay, MealPeriod::Lunch)->has_value());

    const auto sold_now = sold(s, kDay, MealPeriod::Lunch);
    CHECK(sold_now == std::map<std::string, int>{{"set-a", 0}, {"set-b", 0}, {"soup", 0}});
}

TEST_CASE("canteen: an order is recorded with a fact id, the next seq and the day's next pickup number") {
    Fixture f;
    auto& s = *f.store;
    const auto a = record(s,
                          OrderSpec{.resident = 1,
                                    .lines = {{"set-a", 1}, {"soup", 2}},
                                    .subsidy = 500,
                                    .bracket = "80岁以上",
                                    .categories = {Category::LivingAlone}},
                          kNoon);
    const auto b =
        record(s, OrderSpec{.lines = {{"set-b", 1}}, .method = PaymentMethod::Qr}, kNoon + std::chrono::minutes{1});
    CHECK(std::regex_match(a.fact.id, kUuidV4));
    CHECK(std::regex_match(b.fact.id, kUuidV4));
    CHECK(a.fact.id != b.fact.id);
    CHECK(a.fact.seq == 1);
    CHECK(b.fact.seq == 2);
    CHECK(a.fact.at == kNoon);
    CHECK(a.pickup_no == "0001");
    CHECK(b.pickup_no == "0002");
    CHECK(a.order.price == 2100);
    CHECK(a.order.pay == 1600);
    CHECK_FALSE(a.refunded);
    CHECK(a.ticket_job == 0);

    auto back = s.order(a.fact.id);
    REQUIRE(back.ok());
    REQUIRE(back->has_value());
    const auto& o = **back;
    CHECK(o.fact.id == a.fact.id);
    CHECK(o.fact.seq == 1);
    CHECK(o.fact.at == kNoon);
    CHECK(o.pickup_no == "0001");
    CHECK(o.order.resident == std::optional<core::RosterId>{1});
    CHECK(o.order.masked_id == masked_id_of(1));
    CHECK(o.order.day == kDay);
    CHECK(o.order.period == MealPeriod::Lunch);
    REQUIRE(o.order.items.size() == 2);
    CHECK(o.order.items[0].item_id == "set-a");
    CHECK(o.order.items[0].name == "套餐A");
    CHECK(o.order.items[0].quantity == 1);
    CHECK(o.order.items[0].price == 1500);
    CHECK(o.order.items[1].item_id == "soup");
    CHECK(o.order.items[1].quantity == 2);
    CHECK(o.order.price == 2100);
    CHECK(o.order.subsidy == 500);
    CHECK(o.order.pay == 1600);
    CHECK(o.order.method == PaymentMethod::Cash);
    CHECK(o.order.policy == "demo-2026-01");
    CHECK(o.order.bracket == "80岁以上");
    CHECK(o.order.categories == std::vector<Category>{Category::LivingAlone});
    CHECK_FALSE(o.refunded);

    auto missing = s.order("00000000-0000-4000-8000-000000000000");
    REQUIRE(missing.ok());
    CHECK_FALSE(missing->has_value());

    auto day = s.orders(kDay);
    REQUIRE(day.ok());
    REQUIRE(day->size() == 2);
    CHECK((*day)[0].fact.id == b.fact.id);  // newest first
    CHECK((*day)[1].fact.id == a.fact.id);
    CHECK((*day)[0].order.method == PaymentMethod::Qr);
    CHECK_FALSE((*day)[0].order.resident.has_value());
    CHECK(s.orders(kNextDay)->empty());

    CHECK(sold(s, kDay, MealPeriod::Lunch) == std::map<std::string, int>{{"set-a", 1}, {"set-b", 1}, {"soup", 2}});
}

TEST_CASE("canteen: the meal_order fact has exactly the county's fields") {
    Fixture f;
    const auto at = utc(2026, 11, 25, 3, 31, 5, 42);
    const auto a = record(*f.store,
                          OrderSpec{.resident = 2,
                                    .lines = {{"set-a", 1}, {"soup", 1}},
                                    .subsidy = 800,
                                    .method = PaymentMethod::Cash,
                                    .bracket = "80岁以上",
                                    .categories = {Category::SubsistenceAllowance, Category::SubsistenceAllowance},
                                    .staff_assisted = true,
                                    .delivery = true},
                          at);
    const auto rows = outbox(*f.db);
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].type == "meal_order");
    CHECK(rows[0].seq == a.fact.seq);
    CHECK(rows[0].json.find('\n') == std::string::npos);
    const auto j = nlohmann::json::parse(rows[0].json);
    CHECK(keys(j) == std::set<std::string>{"type",     "id",        "at",         "terminal",       "seq",
                                           "resident", "masked_id", "items",      "price_fen",      "subsidy_fen",
                                           "pay_fen",  "method",    "policy",     "period",         "pickup_no",
                                           "day",      "bracket",   "categories", "staff_assisted", "delivery"});
    CHECK(j.at("type") == "meal_order");
    CHECK(j.at("id") == a.fact.id);
    CHECK(j.at("at") == "2026-11-25T03:31:05.042Z");
    CHECK(j.at("terminal") == kTerminal);
    CHECK(j.at("seq") == 1);
    CHECK(j.at("resident").is_number_integer());
    CHECK(j.at("resident") == 2);
    CHECK(j.at("masked_id") == "130***********0017");
    REQUIRE(j.at("items").is_array());
    REQUIRE(j.at("items").size() == 2);
    CHECK(keys(j.at("items")[0]) == std::set<std::string>{"name", "qty", "price_fen"});
    CHECK(j.at("items")[0].at("name") == "套餐A");
    CHECK(j.at("items")[0].at("qty") == 1);
    CHECK(j.at("items")[0].at("price_fen") == 1500);
    CHECK(j.at("items")[1].at("name") == "例汤");
    CHECK(j.at("items")[1].at("price_fen") == 300);
    CHECK(j.at("price_fen") == 1800);
    CHECK(j.at("subsidy_fen") == 800);
    CHECK(j.at("pay_fen") == 1000);
    CHECK(j.at("method") == "cash");
    CHECK(j.at("policy") == "demo-2026-01");
    CHECK(j.at("period") == "lunch");
    CHECK(j.at("pickup_no") == "0001");
    CHECK(j.at("day") == "2026-11-25");
    CHECK(j.at("bracket") == "80岁以上");
    CHECK(j.at("categories") == nlohmann::json::array({"dibao"}));  // each once
    CHECK(j.at("staff_assisted") == true);
    CHECK(j.at("delivery") == true);

    SUBCASE("someone not on the roster: resident null, no masked id") {
        const auto b = record(*f.store, OrderSpec{.lines = {{"set-b", 1}}, .method = PaymentMethod::Qr});
        const auto k = fact_json(*f.db, b.fact.id);
        CHECK(k.at("resident").is_null());
        CHECK(k.at("masked_id") == "");
        CHECK(k.at("subsidy_fen") == 0);
        CHECK(k.at("method") == "qr");
        CHECK(k.at("pickup_no") == "0002");
        CHECK(k.at("categories") == nlohmann::json::array());
    }
    SUBCASE("the refund fact reverses the same amounts") {
        auto r = f.store->refund(a.fact.id, "送错了", at + std::chrono::minutes{3});
        REQUIRE(r.ok());
        CHECK(std::regex_match(r->id, kUuidV4));
        CHECK(r->seq == 2);
        const auto k = fact_json(*f.db, r->id);
        CHECK(keys(k) == std::set<std::string>{"type", "id", "at", "terminal", "seq", "order", "resident", "reason",
                                               "price_fen", "subsidy_fen", "pay_fen", "method", "period", "day"});
        CHECK(k.at("type") == "meal_refund");
        CHECK(k.at("id") == r->id);
        CHECK(k.at("at") == "2026-11-25T03:34:05.042Z");
        CHECK(k.at("terminal") == kTerminal);
        CHECK(k.at("seq") == 2);
        CHECK(k.at("order") == a.fact.id);
        CHECK(k.at("resident") == 2);
        CHECK(k.at("reason") == "送错了");
        CHECK(k.at("price_fen") == 1800);
        CHECK(k.at("subsidy_fen") == 800);
        CHECK(k.at("pay_fen") == 1000);
        CHECK(k.at("method") == "cash");
        CHECK(k.at("period") == "lunch");
        CHECK(k.at("day") == "2026-11-25");
    }
}

TEST_CASE("canteen: top-up and reservation facts, and no full ID number or name anywhere") {
    Fixture f;
    auto& s = *f.store;
    auto t = s.top_up(3, 10000, kNoon);
    REQUIRE(t.ok());
    auto j = fact_json(*f.db, t->id);
    CHECK(keys(j) == std::set<std::string>{"type", "id", "at", "terminal", "seq", "resident", "masked_id", "amount_fen",
                                           "balance_fen"});
    CHECK(j.at("type") == "balance_top_up");
    CHECK(j.at("resident") == 3);
    CHECK(j.at("masked_id") == masked_id_of(3));
    CHECK(j.at("amount_fen") == 10000);
    CHECK(j.at("balance_fen") == 10000);

    ensure_menus(s, kNextDay);
    auto res = s.reserve(1, kNextDay, MealPeriod::Lunch, "set-a", PaymentMethod::Balance, true, kNoon);
    REQUIRE(res.ok());
    j = fact_json(*f.db, res->fact_id);
    CHECK(keys(j) == std::set<std::string>{"type", "id", "at", "terminal", "seq", "resident", "masked_id", "day",
                                           "period", "item_id", "item_name", "method", "delivery"});
    CHECK(j.at("type") == "meal_reservation");
    CHECK(j.at("seq") == 2);
    CHECK(j.at("resident") == 1);
    CHECK(j.at("masked_id") == masked_id_of(1));
    CHECK(j.at("day") == "2026-11-26");
    CHECK(j.at("period") == "lunch");
    CHECK(j.at("item_id") == "set-a");
    CHECK(j.at("item_name") == "套餐A");
    CHECK(j.at("method") == "balance");
    CHECK(j.at("delivery") == true);

    auto c = s.cancel_reservation(res->fact_id, kNoon + std::chrono::minutes{5});
    REQUIRE(c.ok());
    j = fact_json(*f.db, c->id);
    CHECK(keys(j) ==
          std::set<std::string>{"type", "id", "at", "terminal", "seq", "reservation", "resident", "day", "period"});
    CHECK(j.at("type") == "meal_reservation_cancel");
    CHECK(j.at("reservation") == res->fact_id);
    CHECK(j.at("resident") == 1);
    CHECK(j.at("day") == "2026-11-26");
    CHECK(j.at("period") == "lunch");

    const auto o = record(s, OrderSpec{.resident = 1, .subsidy = 500, .method = PaymentMethod::Cash});
    REQUIRE(s.refund(o.fact.id, "", kNoon).ok());

    for (const auto& row : outbox(*f.db)) {
        for (const auto& e : core::demo_roster(kRosterSize)) {
            CAPTURE(row.json);
            CHECK(row.json.find(e.id_number) == std::string::npos);
            CHECK(row.json.find(e.resident.name) == std::string::npos);
        }
    }
}

TEST_CASE("canteen: an order that does not add up, or carries a full ID number, is refused") {
    Fixture f;
    auto& s = *f.store;
    const auto before = footprint(f.file);
    const auto refused = [&](core::MealOrder o, const char* why) {
        CAPTURE(why);
        auto r = s.record_order(o, kNoon);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().code == "canteen.bad_order");
        CHECK_FALSE(r.error().message.empty());
    };
    auto o = make_order({.resident = 1, .subsidy = 500});
    o.price += 1;
    refused(o, "price not the sum of the lines");
    o = make_order({.resident = 1, .subsidy = 500});
    o.pay -= 1;
    refused(o, "pay not price - subsidy");
    refused(make_order({.resident = 1, .subsidy = 1600}), "subsidy above price");
    refused(make_order({.resident = 1, .subsidy = -1}), "negative subsidy");
    refused(make_order({.subsidy = 100}), "a subsidy for someone not on the roster");
    refused(make_order({.method = PaymentMethod::Balance}), "a balance payment without a resident");
    refused(make_order({.lines = {{"set-a", 0}}}), "zero portions");
    refused(make_order({.lines = {}}), "no lines");
    o = make_order({.resident = 2});
    o.masked_id = "130730194111020017";
    refused(o, "an unmasked ID number");
    o = make_order({.resident = 2});
    o.day = {2026, 2, 30};
    refused(o, "no such day");
    CHECK(footprint(f.file) == before);
}

TEST_CASE("canteen: an item not on the stored menu is refused and nothing is recorded") {
    Fixture f;
    auto& s = *f.store;
    record(s, OrderSpec{});
    const auto before = footprint(f.file);
    auto r = s.record_order(make_order({.lines = {{"set-a", 1}, {"caviar", 1}}}), kNoon);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "canteen.no_item");
    CHECK(r.error().message.find("caviar") != std::string::npos);
    // An item of another period, and a day without a stored menu.
    CHECK(s.record_order(make_order({.period = MealPeriod::Dinner, .lines = {{"set-a", 1}}}), kNoon).error().code ==
          "canteen.no_item");
    CHECK(s.record_order(make_order({.day = kNextDay}), kNoon).error().code == "canteen.no_item");
    CHECK(footprint(f.file) == before);
    CHECK(sold(s, kDay, MealPeriod::Lunch).at("set-a") == 1);
    CHECK(record(s, OrderSpec{}).pickup_no == "0002");
}

TEST_CASE("canteen: the last portions: sold out is told before paying, and nothing is recorded") {
    Fixture f;
    auto& s = *f.store;
    record(s, OrderSpec{.lines = {{"set-b", 2}}});
    const auto before = footprint(f.file);
    auto r = s.record_order(make_order({.lines = {{"set-b", 2}}}), kNoon);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "canteen.sold_out");
    CHECK(r.error().message.find("套餐B") != std::string::npos);
    CHECK(r.error().message.find("已售完") != std::string::npos);
    // Two lines of one item count together.
    CHECK(s.record_order(make_order({.lines = {{"set-b", 1}, {"set-b", 1}}}), kNoon).error().code ==
          "canteen.sold_out");
    // A sold-out line undoes the portions the earlier lines took.
    CHECK(s.record_order(make_order({.lines = {{"set-a", 1}, {"set-b", 2}}}), kNoon).error().code ==
          "canteen.sold_out");
    CHECK(footprint(f.file) == before);
    CHECK(sold(s, kDay, MealPeriod::Lunch).at("set-a") == 0);

    const auto last = record(s, OrderSpec{.lines = {{"set-b", 1}}});
    CHECK(sold(s, kDay, MealPeriod::Lunch).at("set-b") == 3);
    CHECK(s.record_order(make_order({.lines = {{"set-b", 1}}}), kNoon).error().code == "canteen.sold_out");

    // A refund frees the portion; a higher limit frees more; 0 means none.
    REQUIRE(s.refund(last.fact.id, "", kNoon).ok());
    CHECK(sold(s, kDay, MealPeriod::Lunch).at("set-b") == 2);
    record(s, OrderSpec{.lines = {{"set-b", 1}}});
    REQUIRE(s.set_limit(kDay, MealPeriod::Lunch, "set-b", 4).ok());
    record(s, OrderSpec{.lines = {{"set-b", 1}}});
    CHECK(s.record_order(make_order({.lines = {{"set-b", 1}}}), kNoon).error().code == "canteen.sold_out");
    REQUIRE(s.set_limit(kDay, MealPeriod::Lunch, "set-b", 0).ok());
    record(s, OrderSpec{.lines = {{"set-b", 5}}});
    CHECK(sold(s, kDay, MealPeriod::Lunch).at("set-b") == 9);
    // A limit below what is sold already just means sold out.
    REQUIRE(s.set_limit(kDay, MealPeriod::Lunch, "set-b", 1).ok());
    CHECK(s.record_order(make_order({.lines = {{"set-b", 1}}}), kNoon).error().code == "canteen.sold_out");
}

TEST_CASE("canteen: the last portion taken from two connections: one succeeds, the other is told sold out") {
    TempDir tmp;
    const auto file = tmp / "kiosk.db";
    auto db1 = open_db(file);
    import_roster(*db1);
    auto db2 = open_db(file);
    store::CanteenStore a(*db1, kTerminal);
    store::CanteenStore b(*db2, kTerminal);
    ensure_menus(a);
    ensure_menus(b);  // already stored: b sees a's menu
    REQUIRE(a.set_limit(kDay, MealPeriod::Lunch, "set-b", 1).ok());
    // Both screens showed one portion left.
    CHECK(a.sold(kDay, MealPeriod::Lunch)->at("set-b") == 0);
    CHECK(b.sold(kDay, MealPeriod::Lunch)->at("set-b") == 0);

    auto first = a.record_order(make_order({.lines = {{"set-b", 1}}}), kNoon);
    auto second = b.record_order(make_order({.lines = {{"set-b", 1}}}), kNoon);
    REQUIRE(first.ok());
    REQUIRE_FALSE(second.ok());
    CHECK(second.error().code == "canteen.sold_out");
    CHECK(b.sold(kDay, MealPeriod::Lunch)->at("set-b") == 1);
    CHECK(a.orders(kDay)->size() == 1);
    // Pickup numbers and seq are shared by the connections of one terminal.
    CHECK(b.record_order(make_order({}), kNoon)->pickup_no == "0002");
}

TEST_CASE("canteen: prepaid balances: top-up, debit, never below zero, refund credits back") {
    Fixture f;
    auto& s = *f.store;
    CHECK(balance(s, 1) == 0);
    CHECK(s.top_up(1, 0, kNoon).error().code == "canteen.bad_amount");
    CHECK(s.top_up(1, -100, kNoon).error().code == "canteen.bad_amount");
    CHECK(s.top_up(999, 100, kNoon).error().code == "canteen.no_resident");

    // Fully subsidised: nothing to pay, so no balance is needed.
    const auto free_meal =
        record(s, OrderSpec{.resident = 1, .lines = {{"soup", 1}}, .subsidy = 300, .method = PaymentMethod::Balance});
    CHECK(free_meal.order.pay == 0);
    CHECK(balance(s, 1) == 0);

    const auto before = footprint(f.file);
    auto low = s.record_order(make_order({.resident = 1, .method = PaymentMethod::Balance}), kNoon);
    REQUIRE_FALSE(low.ok());
    CHECK(low.error().code == "canteen.balance_low");
    CHECK(footprint(f.file) == before);

    top_up(s, 1, 2000);
    top_up(s, 1, 1000);
    CHECK(balance(s, 1) == 3000);
    const auto a = record(s, OrderSpec{.resident = 1,
                                       .period = MealPeriod::Dinner,
                                       .lines = {{"noodles", 1}},
                                       .subsidy = 500,
                                       .method = PaymentMethod::Balance});
    CHECK(balance(s, 1) == 2700);
    const auto b = record(s, OrderSpec{.resident = 1, .lines = {{"set-a", 1}}, .method = PaymentMethod::Balance});
    CHECK(balance(s, 1) == 1200);
    // Exactly the balance is fine; one fen more is not.
    record(s, OrderSpec{.resident = 1, .lines = {{"set-b", 1}}, .method = PaymentMethod::Balance});
    CHECK(balance(s, 1) == 0);
    CHECK(s.record_order(make_order({.resident = 1, .lines = {{"soup", 1}}, .method = PaymentMethod::Balance}), kNoon)
              .error()
              .code == "canteen.balance_low");
    CHECK(balance(s, 2) == 0);

    REQUIRE(s.refund(b.fact.id, "退餐", kNoon).ok());
    CHECK(balance(s, 1) == 1500);
    // A cash refund does not touch the balance.
    const auto cash = record(s, OrderSpec{.resident = 1, .period = MealPeriod::Breakfast, .lines = {{"porridge", 1}}});
    REQUIRE(s.refund(cash.fact.id, "", kNoon).ok());
    CHECK(balance(s, 1) == 1500);

    RawDb raw(f.file);
    // The ledger explains the balance fen by fen.
    CHECK(raw.integer("SELECT SUM(delta_fen) FROM balance_ledger WHERE resident = 1") == 1500);
    CHECK(raw.integer("SELECT COUNT(*) FROM balance_ledger WHERE resident = 1") == 6);
    CHECK(raw.text("SELECT group_concat(kind || ':' || delta_fen || '=' || balance_fen, ' ') FROM "
                   "(SELECT * FROM balance_ledger WHERE resident = 1 ORDER BY seq)") ==
          "top_up:2000=2000 top_up:1000=3000 order:-300=2700 order:-1500=1200 order:-1200=0 refund:1500=1500");
    CHECK(raw.integer("SELECT COUNT(*) FROM balance_ledger WHERE fact_id = '" + a.fact.id + "'") == 1);
    // The schema itself refuses a negative balance.
    CHECK(raw.exec("UPDATE balances SET fen = -1 WHERE resident = 1") != "");
}

TEST_CASE("canteen: a refund reverses everything exactly, and twice is refused") {
    Fixture f;
    auto& s = *f.store;
    top_up(s, 4, 5000);
    const auto keep =
        record(s, OrderSpec{.resident = 3, .lines = {{"set-a", 1}}, .subsidy = 200, .bracket = "60-69岁"});
    const auto before_close = close_of(s, kDay);
    const auto before_balance = balance(s, 4);
    const auto before_sold = sold(s, kDay, MealPeriod::Lunch);

    const auto o = record(s, OrderSpec{.resident = 4,
                                       .lines = {{"set-b", 2}, {"soup", 1}},
                                       .subsidy = 800,
                                       .method = PaymentMethod::Balance,
                                       .bracket = "80岁以上",
                                       .categories = {Category::SubsistenceAllowance, Category::Disabled}});
    CHECK(s.already_subsidised(4, kDay, MealPeriod::Lunch));
    CHECK(balance(s, 4) == before_balance - 1900);

    auto r = s.refund(o.fact.id, "吃不下", kNoon + std::chrono::minutes{2});
    REQUIRE(r.ok());
    CHECK(balance(s, 4) == before_balance);
    CHECK(sold(s, kDay, MealPeriod::Lunch) == before_sold);
    CHECK_FALSE(s.already_subsidised(4, kDay, MealPeriod::Lunch));
    auto after = close_of(s, kDay);
    CHECK(after.refunds == before_close.refunds + 1);
    after.refunds = before_close.refunds;
    CHECK(describe(after) == describe(before_close));
    CHECK(describe(close_of(s, kDay)) == describe(recompute_of(s, kDay)));
    auto back = s.order(o.fact.id);
    REQUIRE(back->has_value());
    CHECK((*back)->refunded);
    CHECK((*back)->pickup_no == "0002");  // the number is not given out again
    CHECK(record(s, OrderSpec{}).pickup_no == "0003");

    const auto again_before = footprint(f.file);
    auto twice = s.refund(o.fact.id, "again", kNoon);
    REQUIRE_FALSE(twice.ok());
    CHECK(twice.error().code == "canteen.already_refunded");
    CHECK(footprint(f.file) == again_before);
    CHECK(balance(s, 4) == before_balance);
    CHECK(s.refund("no-such-order", "", kNoon).error().code == "canteen.no_order");
    CHECK_FALSE(s.order(keep.fact.id)->value().refunded);
    CHECK(f.count("SELECT COUNT(*) FROM meal_refunds") == 1);
}

TEST_CASE("canteen: the subsidy ledger: one subsidised meal per resident, day and period") {
    Fixture f;
    auto& s = *f.store;
    CHECK_FALSE(s.already_subsidised(1, kDay, MealPeriod::Lunch));

    // A full-price order does not use the slot.
    record(s, OrderSpec{.resident = 1, .lines = {{"soup", 1}}});
    CHECK_FALSE(s.already_subsidised(1, kDay, MealPeriod::Lunch));

    const auto o = record(s, OrderSpec{.resident = 1, .subsidy = 500});
    CHECK(s.already_subsidised(1, kDay, MealPeriod::Lunch));
    CHECK_FALSE(s.already_subsidised(1, kDay, MealPeriod::Dinner));
    CHECK_FALSE(s.already_subsidised(1, kNextDay, MealPeriod::Lunch));
    CHECK_FALSE(s.already_subsidised(2, kDay, MealPeriod::Lunch));

    // A second subsidy in the slot is refused even if a quote missed it.
    const auto before = footprint(f.file);
    auto second = s.record_order(make_order({.resident = 1, .subsidy = 500}), kNoon);
    REQUIRE_FALSE(second.ok());
    CHECK(second.error().code == "canteen.already_subsidised");
    CHECK(footprint(f.file) == before);
    // Full price in the same period is fine.
    record(s, OrderSpec{.resident = 1, .lines = {{"set-b", 1}}});
    record(s, OrderSpec{.resident = 1, .period = MealPeriod::Dinner, .lines = {{"noodles", 1}}, .subsidy = 300});
    CHECK(s.already_subsidised(1, kDay, MealPeriod::Dinner));

    // A refund frees the slot.
    REQUIRE(s.refund(o.fact.id, "", kNoon).ok());
    CHECK_FALSE(s.already_subsidised(1, kDay, MealPeriod::Lunch));
    record(s, OrderSpec{.resident = 1, .subsidy = 500});
    CHECK(s.already_subsidised(1, kDay, MealPeriod::Lunch));
}

TEST_CASE("canteen: the day close from the totals equals the one from the orders") {
    Fixture f;
    auto& s = *f.store;
    ensure_menus(s, kNextDay);
    top_up(s, 5, 20000);
    std::vector<std::pair<core::MealOrder, bool>> model;
    std::vector<std::string> ids;
    const auto add = [&](const OrderSpec& spec) {
        const auto o = record(s, spec);
        model.emplace_back(o.order, false);
        ids.push_back(o.fact.id);
    };
    add({.resident = 1,
         .lines = {{"set-a", 1}},
         .subsidy = 500,
         .bracket = "80岁以上",
         .categories = {Category::LivingAlone}});
    add({.resident = 2,
         .lines = {{"set-a", 1}, {"soup", 1}},
         .subsidy = 800,
         .bracket = "80岁以上",
         .categories = {Category::SubsistenceAllowance}});
    add({.lines = {{"set-b", 1}}, .method = PaymentMethod::Qr});
    add({.resident = 5,
         .period = MealPeriod::Breakfast,
         .lines = {{"porridge", 1}, {"soup", 2}},
         .subsidy = 200,
         .method = PaymentMethod::Balance,
         .bracket = "60-69岁"});
    add({.resident = 5,
         .lines = {{"soup", 1}},
         .subsidy = 300,
         .method = PaymentMethod::Balance,
         .bracket = "60-69岁",
         .categories = {Category::Disabled, Category::SubsistenceAllowance}});
    add({.resident = 6, .period = MealPeriod::Dinner, .lines = {{"noodles", 2}}, .method = PaymentMethod::Qr});
    add({.resident = 7, .day = kNextDay, .lines = {{"set-a", 1}}, .subsidy = 300, .bracket = "70-79岁"});
    REQUIRE(s.refund(ids[1], "", kNoon).ok());
    model[1].second = true;
    REQUIRE(s.refund(ids[5], "", kNoon).ok());
    model[5].second = true;

    const auto close = close_of(s, kDay);
    CHECK(describe(close) == describe(recompute_of(s, kDay)));
    CHECK(describe(close) == describe(model_close(kDay, model)));
    CHECK(describe(close_of(s, kNextDay)) == describe(recompute_of(s, kNextDay)));
    CHECK(describe(close_of(s, kNextDay)) == describe(model_close(kNextDay, model)));

    // The figures themselves, checked by hand once.
    CHECK(close.orders == 4);
    CHECK(close.refunds == 2);
    CHECK(close.portions == 1 + 1 + 3 + 1);
    CHECK(close.price == 1500 + 1200 + 900 + 300);
    CHECK(close.subsidy == 500 + 200 + 300);
    CHECK(close.takings == close.price - close.subsidy);
    CHECK(close.by_item.at("lunch/例汤").count == 1);
    CHECK(close.by_item.at("breakfast/例汤").count == 2);
    CHECK(close.by_item.at("breakfast/例汤").fen == 400);
    CHECK(close.by_item.count("dinner/汤面") == 0);  // refunded: not part of the day
    CHECK(close.by_method.at("cash").count == 1);
    CHECK(close.by_method.at("cash").fen == 1000);
    CHECK(close.by_method.at("balance").count == 2);
    CHECK(close.by_method.at("balance").fen == 700 + 0);
    CHECK(close.by_method.at("qr").count == 1);
    CHECK(close.by_bracket.at("").count == 1);
    CHECK(close.by_bracket.at("60-69岁").fen == 500);
    CHECK(close.by_category.at("dibao").count == 1);
    CHECK(close.by_category.at("dibao").fen == 300);
    CHECK(close.by_category.at("dujv").fen == 500);
    CHECK(close.by_period.at("lunch").count == 3);
    CHECK(close.by_period.at("breakfast").fen == 900);
    CHECK(close.by_period.count("dinner") == 0);

    auto empty = close_of(s, {2026, 12, 1});
    CHECK(describe(empty) == describe(recompute_of(s, {2026, 12, 1})));
    CHECK(empty.orders == 0);
    CHECK(empty.by_item.empty());
}

TEST_CASE("canteen: after many random orders, refunds and top-ups the totals still equal the orders") {
    Fixture f;
    auto& s = *f.store;
    ensure_menus(s, kNextDay);
    REQUIRE(s.set_limit(kDay, MealPeriod::Lunch, "set-b", 25).ok());
    std::mt19937 rng(20261125);
    const auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
    std::vector<std::pair<core::MealOrder, bool>> model;
    std::vector<std::string> ids;
    std::map<core::RosterId, core::Fen> balances;
    int sold_out = 0, balance_low = 0, subsidised_twice = 0;
    const std::vector<std::string> brackets{"", "60-69岁", "70-79岁", "80岁以上"};

    for (int step = 0; step < 600; ++step) {
        const int op = pick(0, 9);
        if (op == 0) {
            const core::RosterId r = pick(1, 10);
            const core::Fen amount = pick(1, 50) * 100;
            top_up(s, r, amount);
            balances[r] += amount;
        } else if (op == 1 && !ids.empty()) {
            const auto i = static_cast<std::size_t>(pick(0, static_cast<int>(ids.size()) - 1));
            auto r = s.refund(ids[i], "", kNoon);
            if (model[i].second) {
                CHECK(r.error().code == "canteen.already_refunded");
            } else {
                REQUIRE(r.ok());
                model[i].second = true;
                const auto& o = model[i].first;
                if (o.method == PaymentMethod::Balance) balances[*o.resident] += o.pay;
            }
        } else {
            OrderSpec spec;
            spec.day = pick(0, 3) == 0 ? kNextDay : kDay;
            spec.period = static_cast<MealPeriod>(pick(0, 2));
            const std::vector<std::string> items =
                spec.period == MealPeriod::Lunch       ? std::vector<std::string>{"set-a", "set-b", "soup"}
                : spec.period == MealPeriod::Breakfast ? std::vector<std::string>{"porridge", "soup"}
                                                       : std::vector<std::string>{"noodles"};
            spec.lines.clear();
            for (int n = pick(1, 3); n > 0; --n)
                spec.lines.push_back(
                    {items[static_cast<std::size_t>(pick(0, static_cast<int>(items.size()) - 1))], pick(1, 2)});
            if (pick(0, 4) > 0) spec.resident = pick(1, 10);
            spec.method = static_cast<PaymentMethod>(pick(0, 2));
            if (!spec.resident && spec.method == PaymentMethod::Balance) spec.method = PaymentMethod::Cash;
            const core::Fen price = make_order(spec).price;
            if (spec.resident && pick(0, 2) > 0) {
                spec.subsidy = std::min<core::Fen>(price, pick(0, 8) * 100);
                spec.bracket = brackets[static_cast<std::size_t>(pick(0, 3))];
                if (pick(0, 1) == 1) spec.categories.push_back(static_cast<Category>(pick(0, 5)));
                if (pick(0, 3) == 1) spec.categories.push_back(static_cast<Category>(pick(0, 5)));
            }
            const auto order = make_order(spec);
            auto r = s.record_order(order, kNoon);
            if (r.ok()) {
                model.emplace_back(r->order, false);
                ids.push_back(r->fact.id);
                if (order.method == PaymentMethod::Balance) balances[*order.resident] -= order.pay;
            } else {
                const auto& code = r.error().code;
                CAPTURE(r.error().message);
                CHECK((code == "canteen.sold_out" || code == "canteen.balance_low" ||
                       code == "canteen.already_subsidised"));
                sold_out += code == "canteen.sold_out";
                balance_low += code == "canteen.balance_low";
                subsidised_twice += code == "canteen.already_subsidised";
            }
        }
    }
    // The run went through every kind of refusal too.
    CHECK(sold_out > 0);
    CHECK(balance_low > 0);
    CHECK(subsidised_twice > 0);
    CHECK(model.size() > 150);

    for (const auto day : {kDay, kNextDay}) {
        CAPTURE(day.iso());
        const auto close = close_of(s, day);
        CHECK(describe(close) == describe(recompute_of(s, day)));
        CHECK(describe(close) == describe(model_close(day, model)));
    }
    for (const auto& [r, fen] : balances) {
        CAPTURE(r);
        CHECK(fen >= 0);
        CHECK(balance(s, r) == fen);
    }
    // Portions sold per item match the orders not refunded.
    for (const auto day : {kDay, kNextDay}) {
        for (auto p : {MealPeriod::Breakfast, MealPeriod::Lunch, MealPeriod::Dinner}) {
            std::map<std::string, int> expected;
            for (const auto& item : (p == MealPeriod::Lunch       ? lunch_menu(day)
                                     : p == MealPeriod::Breakfast ? breakfast_menu(day)
                                                                  : dinner_menu(day))
                                        .items)
                expected[item.id] = 0;
            for (const auto& [o, refunded] : model)
                if (!refunded && o.day == day && o.period == p)
                    for (const auto& l : o.items) expected[l.item_id] += l.quantity;
            CHECK(sold(s, day, p) == expected);
        }
    }
    CHECK(sold(s, kDay, MealPeriod::Lunch).at("set-b") <= 25);
}

TEST_CASE("canteen: pickup numbers restart each service day and continue after reopening") {
    TempDir tmp;
    const auto file = tmp / "kiosk.db";
    std::string first_id;
    {
        auto db = open_db(file);
        import_roster(*db);
        store::CanteenStore s(*db, kTerminal);
        ensure_menus(s);
        ensure_menus(s, kNextDay);
        first_id = record(s, OrderSpec{}).fact.id;
        CHECK(record(s, OrderSpec{}).pickup_no == "0002");
        CHECK(record(s, OrderSpec{.day = kNextDay}).pickup_no == "0001");
        CHECK(record(s, OrderSpec{.period = MealPeriod::Dinner, .lines = {{"noodles", 1}}}).pickup_no == "0003");
        // A check-in takes the next seq too: one sequence for every fact.
        store::FactStore facts(*db, kTerminal);
        REQUIRE(
            facts.record_check_in({1, masked_id_of(1), core::CheckInMethod::Card, core::CheckInPurpose::Meal}, kNoon)
                .ok());
    }
    {
        auto db = open_db(file);
        store::CanteenStore s(*db, kTerminal);
        const auto o = record(s, OrderSpec{});
        CHECK(o.pickup_no == "0004");
        CHECK(o.fact.seq == 6);
        CHECK(record(s, OrderSpec{.day = kNextDay}).pickup_no == "0002");
        CHECK(s.order(first_id)->value().pickup_no == "0001");
    }
    {
        // Past 9999 the numbers keep counting rather than repeat.
        RawDb raw(file);
        REQUIRE(raw.exec("UPDATE canteen_days SET last_pickup = 9998 WHERE day = '2026-11-25'") == "");
    }
    auto db = open_db(file);
    store::CanteenStore s(*db, kTerminal);
    CHECK(record(s, OrderSpec{}).pickup_no == "9999");
    CHECK(record(s, OrderSpec{}).pickup_no == "10000");
}

TEST_CASE("canteen: orders whose ticket never reached the printer") {
    TempDir tmp;
    const auto file = tmp / "kiosk.db";
    std::vector<std::string> ids;
    {
        auto db = open_db(file);
        import_roster(*db);
        store::CanteenStore s(*db, kTerminal);
        ensure_menus(s);
        ensure_menus(s, kNextDay);
        for (int i = 0; i < 4; ++i) ids.push_back(record(s, OrderSpec{}).fact.id);
        record(s, OrderSpec{.day = kNextDay});
        REQUIRE(s.set_ticket_job(ids[0], 17).ok());
        REQUIRE(s.set_ticket_job(ids[2], 19).ok());
        REQUIRE(s.refund(ids[3], "", kNoon).ok());  // refunded: no ticket to print
        CHECK(s.set_ticket_job("no-such-order", 1).error().code == "canteen.no_order");
    }
    auto db = open_db(file);
    store::CanteenStore s(*db, kTerminal);
    auto pending = s.orders_without_ticket(kDay);
    REQUIRE(pending.ok());
    REQUIRE(pending->size() == 1);
    CHECK((*pending)[0].fact.id == ids[1]);
    CHECK((*pending)[0].pickup_no == "0002");
    CHECK((*pending)[0].ticket_job == 0);
    REQUIRE((*pending)[0].order.items.size() == 1);
    CHECK(s.order(ids[0])->value().ticket_job == 17);
    REQUIRE(s.set_ticket_job(ids[1], 21).ok());
    CHECK(s.orders_without_ticket(kDay)->empty());
    CHECK(s.orders_without_ticket(kNextDay)->size() == 1);
}

TEST_CASE("canteen: reservations: one per resident, day and period, fulfilled or cancelled") {
    Fixture f;
    auto& s = *f.store;
    ensure_menus(s, kNextDay);
    const auto at = kNoon;
    auto r = s.reserve(1, kNextDay, MealPeriod::Lunch, "set-a", PaymentMethod::Cash, true, at);
    REQUIRE(r.ok());
    CHECK(std::regex_match(r->fact_id, kUuidV4));
    CHECK(r->state == store::Reservation::State::Open);

    const auto before = footprint(f.file);
    auto twice = s.reserve(1, kNextDay, MealPeriod::Lunch, "soup", PaymentMethod::Qr, false, at);
    REQUIRE_FALSE(twice.ok());
    CHECK(twice.error().code == "canteen.already_reserved");
    CHECK(footprint(f.file) == before);
    CHECK(s.reserve(1, kNextDay, MealPeriod::Lunch, "caviar", PaymentMethod::Cash, false, at).error().code ==
          "canteen.no_item");
    CHECK(s.reserve(1, {2026, 12, 9}, MealPeriod::Lunch, "set-a", PaymentMethod::Cash, false, at).error().code ==
          "canteen.no_item");
    CHECK(s.reserve(999, kNextDay, MealPeriod::Lunch, "set-a", PaymentMethod::Cash, false, at).error().code ==
          "canteen.no_resident");
    REQUIRE(s.reserve(1, kNextDay, MealPeriod::Dinner, "noodles", PaymentMethod::Balance, false, at).ok());
    const auto other = s.reserve(2, kNextDay, MealPeriod::Lunch, "set-b", PaymentMethod::Qr, false, at);
    REQUIRE(other.ok());

    auto open = s.open_reservation(1, kNextDay, MealPeriod::Lunch);
    REQUIRE(open.ok());
    REQUIRE(open->has_value());
    CHECK((*open)->fact_id == r->fact_id);
    CHECK((*open)->item_id == "set-a");
    CHECK((*open)->delivery);
    CHECK((*open)->day == kNextDay);
    CHECK((*open)->method == PaymentMethod::Cash);
    CHECK_FALSE(s.open_reservation(1, kDay, MealPeriod::Lunch)->has_value());

    auto list = s.reservations(kNextDay);
    REQUIRE(list.ok());
    REQUIRE(list->size() == 3);
    CHECK((*list)[0].period == MealPeriod::Lunch);
    CHECK((*list)[2].period == MealPeriod::Dinner);

    // Fulfilled by an order of that resident, day and period.
    const auto wrong = record(s, OrderSpec{.resident = 2, .day = kNextDay});
    CHECK(s.fulfil(r->fact_id, wrong.fact.id).error().code == "canteen.no_order");
    CHECK(s.fulfil(r->fact_id, "no-such-order").error().code == "canteen.no_order");
    const auto o = record(s, OrderSpec{.resident = 1, .day = kNextDay, .subsidy = 500, .delivery = true});
    REQUIRE(s.fulfil(r->fact_id, o.fact.id).ok());
    CHECK_FALSE(s.open_reservation(1, kNextDay, MealPeriod::Lunch)->has_value());
    CHECK(s.fulfil(r->fact_id, o.fact.id).error().code == "canteen.no_reservation");
    CHECK(s.cancel_reservation(r->fact_id, at).error().code == "canteen.no_reservation");
    // A fulfilled reservation still holds the slot.
    CHECK(s.reserve(1, kNextDay, MealPeriod::Lunch, "soup", PaymentMethod::Cash, false, at).error().code ==
          "canteen.already_reserved");
    list = s.reservations(kNextDay);
    REQUIRE(list->size() == 3);
    CHECK((*list)[0].state == store::Reservation::State::Fulfilled);
    CHECK((*list)[0].order_fact_id == o.fact.id);

    // A cancelled one frees it, and leaves the day's list.
    REQUIRE(s.cancel_reservation(other->fact_id, at).ok());
    CHECK(s.cancel_reservation(other->fact_id, at).error().code == "canteen.no_reservation");
    CHECK(s.reservations(kNextDay)->size() == 2);
    CHECK(s.reserve(2, kNextDay, MealPeriod::Lunch, "soup", PaymentMethod::Cash, false, at).ok());
    CHECK(s.cancel_reservation("no-such", at).error().code == "canteen.no_reservation");
    CHECK(f.count("SELECT COUNT(*) FROM outbox WHERE type = 'meal_reservation'") == 4);
    CHECK(f.count("SELECT COUNT(*) FROM outbox WHERE type = 'meal_reservation_cancel'") == 1);
}

TEST_CASE("canteen: a failure half-way through an order undoes all of it") {
    Fixture f;
    auto& s = *f.store;
    top_up(s, 1, 5000);
    record(s, OrderSpec{.resident = 1, .lines = {{"set-b", 1}}, .method = PaymentMethod::Balance});
    {
        RawDb raw(f.file);  // a row already holds the next sequence number: the last insert fails
        REQUIRE(raw.exec("INSERT INTO outbox (seq, fact_id, type, json) VALUES (3, 'blocker', 'test', '{}')") == "");
    }
    const auto before = footprint(f.file);
    const auto close_before = describe(close_of(s, kDay));
    auto r = s.record_order(make_order({.resident = 1,
                                        .lines = {{"set-b", 2}},
                                        .subsidy = 400,
                                        .method = PaymentMethod::Balance,
                                        .categories = {Category::Disabled}}),
                            kNoon);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "store.step");
    CHECK(footprint(f.file) == before);
    CHECK(describe(close_of(s, kDay)) == close_before);
    CHECK(balance(s, 1) == 3800);
    CHECK_FALSE(s.already_subsidised(1, kDay, MealPeriod::Lunch));
    {
        RawDb raw(f.file);
        REQUIRE(raw.exec("DELETE FROM outbox WHERE fact_id = 'blocker'") == "");
    }
    const auto ok =
        record(s, OrderSpec{.resident = 1, .lines = {{"set-b", 2}}, .subsidy = 400, .method = PaymentMethod::Balance});
    CHECK(ok.fact.seq == 3);
    CHECK(ok.pickup_no == "0002");
    CHECK(balance(s, 1) == 3800 - 2000);
}

TEST_CASE("canteen: the subsidy slot taken from two connections: one subsidised order, the other is told to price again") {
    Fixture f;
    auto db2 = open_db(f.file);
    store::CanteenStore& a = *f.store;
    store::CanteenStore b(*db2, kTerminal);
    // Both screens quoted 张桂兰 a subsidy (the same card at two terminals, or a double tap).
    CHECK_FALSE(a.already_subsidised(1, kDay, MealPeriod::Lunch));
    CHECK_FALSE(b.already_subsidised(1, kDay, MealPeriod::Lunch));
    const auto first = record(a, OrderSpec{.resident = 1, .subsidy = 500, .bracket = "80岁以上"});
    const auto before = footprint(f.file);
    auto second = b.record_order(make_order({.resident = 1, .lines = {{"set-b", 1}}, .subsidy = 500}), kNoon);
    REQUIRE_FALSE(second.ok());
    CHECK(second.error().code == "canteen.already_subsidised");
    CHECK(footprint(f.file) == before);
    // The other connection sees the slot used, and the full price goes through.
    CHECK(b.already_subsidised(1, kDay, MealPeriod::Lunch));
    const auto full = record(b, OrderSpec{.resident = 1, .lines = {{"set-b", 1}}});
    CHECK(full.order.subsidy == 0);
    CHECK(full.pickup_no == "0002");
    CHECK(first.pickup_no == "0001");
}

TEST_CASE("canteen: the last portion lost to another connection leaves a balance payer's balance untouched") {
    Fixture f;
    auto db2 = open_db(f.file);
    store::CanteenStore& a = *f.store;
    store::CanteenStore b(*db2, kTerminal);
    top_up(a, 2, 2000);
    record(a, OrderSpec{.lines = {{"set-b", 2}}});  // one of the three left
    const auto ledger = f.count("SELECT COUNT(*) FROM balance_ledger");
    record(a, OrderSpec{.resident = 3, .lines = {{"set-b", 1}}});
    const auto before = footprint(f.file);
    auto lost = b.record_order(
        make_order({.resident = 2, .lines = {{"set-b", 1}}, .subsidy = 800, .method = PaymentMethod::Balance}), kNoon);
    REQUIRE_FALSE(lost.ok());
    CHECK(lost.error().code == "canteen.sold_out");
    CHECK(footprint(f.file) == before);
    CHECK(balance(b, 2) == 2000);
    CHECK(f.count("SELECT COUNT(*) FROM balance_ledger") == ledger);
    CHECK_FALSE(b.already_subsidised(2, kDay, MealPeriod::Lunch));
    // Another meal is still theirs to have, subsidised, from the balance.
    const auto other =
        record(b, OrderSpec{.resident = 2, .lines = {{"set-a", 1}}, .subsidy = 800, .method = PaymentMethod::Balance});
    CHECK(other.order.pay == 700);
    CHECK(balance(a, 2) == 1300);
}
