#include "kiosk/store/canteen.hpp"

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <set>
#include <string_view>
#include <utility>

#include "outbox.hpp"
#include "sqlite.hpp"

namespace kiosk::store {

namespace {

using core::Fen;
using Json = nlohmann::ordered_json;

// Far beyond any meal or top-up; keeps every sum of fen clear of overflow.
constexpr Fen kMaxFen = 100'000'000'000;  // 10亿元
constexpr int kMaxQuantity = 1000;
constexpr int kMaxLimit = 1'000'000'000;

// A statement left mid-result keeps its read snapshot open on the
// connection, and a later BEGIN IMMEDIATE on a stale snapshot fails once
// another connection has written. So every use resets on the way out,
// whichever return it takes. A statement that could not be prepared (a
// database not yet migrated) is left alone: resetting it would crash, and
// stepping it reports "store.prepare".
class Use {
public:
    explicit Use(Statement& s) : s_(s) { clear(); }
    ~Use() { clear(); }
    Use(const Use&) = delete;
    Use& operator=(const Use&) = delete;
    Statement* operator->() { return &s_; }
    Statement& operator*() { return s_; }

private:
    void clear() {
        if (s_.ok()) s_.reset();
    }
    Statement& s_;
};

// Several reads that must agree with each other (the totals and their
// breakdown, a menu and its items) see one snapshot; deferred, so readers
// never hold up an order.
class ReadTransaction {
public:
    explicit ReadTransaction(sqlite3* db) : db_(db), begun_(exec(db, "BEGIN", "store.begin")) {}
    ~ReadTransaction() {
        // Never leave the connection inside a transaction: the next order's
        // BEGIN IMMEDIATE would fail.
        if (begun_ && !exec(db_, "COMMIT", "store.commit")) static_cast<void>(exec(db_, "ROLLBACK", "store.rollback"));
    }
    ReadTransaction(const ReadTransaction&) = delete;
    ReadTransaction& operator=(const ReadTransaction&) = delete;
    [[nodiscard]] const Result<void>& begun() const { return begun_; }

private:
    sqlite3* db_;
    Result<void> begun_;
};

std::string period_code(core::MealPeriod p) { return std::string(core::meal_period_code(p)); }
std::string method_code(core::PaymentMethod m) { return std::string(core::payment_method_code(m)); }

core::MealPeriod period_from(const std::string& code) {
    return core::meal_period_from_code(code).value_or(core::MealPeriod::Lunch);
}
core::PaymentMethod method_from(const std::string& code) {
    return core::payment_method_from_code(code).value_or(core::PaymentMethod::Cash);
}
core::CivilDate day_from(const std::string& iso) { return core::CivilDate::parse(iso).value_or(core::CivilDate{}); }

// Each category once, in the quote's order: a category counts an order once
// in the day close however the quote listed it.
std::vector<core::Category> distinct(const std::vector<core::Category>& cs) {
    std::vector<core::Category> out;
    for (auto c : cs)
        if (std::find(out.begin(), out.end(), c) == out.end()) out.push_back(c);
    return out;
}

std::string join_categories(const std::vector<core::Category>& cs) {
    std::string out;
    for (auto c : cs) {
        if (!out.empty()) out += ',';
        out += core::category_code(c);
    }
    return out;
}

std::vector<std::string> split_codes(const std::string& text) {
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start < text.size()) {
        const auto comma = text.find(',', start);
        const auto end = comma == std::string::npos ? text.size() : comma;
        if (end > start) out.push_back(text.substr(start, end - start));
        start = end + 1;
    }
    return out;
}

std::vector<core::Category> categories_from(const std::string& text) {
    std::vector<core::Category> out;
    for (const auto& code : split_codes(text))
        if (auto c = core::category_from_code(code)) out.push_back(*c);
    return out;
}

std::string pickup_text(std::int64_t n) {
    char buf[24];
    std::snprintf(buf, sizeof buf, "%04lld", static_cast<long long>(n));
    return buf;
}

// Strings that reach the outbox come from staff and config; one invalid
// UTF-8 byte must not make nlohmann throw out of a money transaction.
std::string dump(const Json& j) { return j.dump(-1, ' ', false, Json::error_handler_t::replace); }

// Only the masked form of an ID number may be recorded: 15 or more digits in
// a row can only be a whole number that slipped through.
bool looks_like_id_number(std::string_view s) {
    int run = 0;
    for (char c : s) {
        const bool digit = (c >= '0' && c <= '9') || c == 'X' || c == 'x';
        run = digit ? run + 1 : 0;
        if (run >= 15) return true;
    }
    return false;
}

Error bad_order(const std::string& why) {
    return Error{"canteen.bad_order", "the order was not recorded: " + why + "."};
}

// The store refuses figures that do not add up rather than record them:
// every fen of a subsidy has to be explained by the lines it came from.
Result<void> check_order(const core::MealOrder& o) {
    if (!o.day.valid()) return bad_order("its service day is not a real date");
    if (o.items.empty()) return bad_order("it has no items");
    Fen sum = 0;
    for (const auto& l : o.items) {
        if (l.item_id.empty()) return bad_order("a line names no menu item");
        if (l.quantity < 1 || l.quantity > kMaxQuantity)
            return bad_order("a line asks for " + std::to_string(l.quantity) + " portions");
        if (l.price < 0 || l.price > kMaxFen) return bad_order("a line has an impossible price");
        sum += l.price * l.quantity;
        if (sum > kMaxFen) return bad_order("its price is impossibly large");
    }
    if (o.price != sum) return bad_order("its price is not the sum of its lines");
    if (o.subsidy < 0 || o.subsidy > o.price) return bad_order("its subsidy is negative or more than its price");
    if (o.pay != o.price - o.subsidy) return bad_order("the amount to pay is not the price less the subsidy");
    if (!o.resident && o.subsidy != 0) return bad_order("someone not on the roster cannot be subsidised");
    if (!o.resident && o.method == core::PaymentMethod::Balance)
        return bad_order("only a resident on the roster has a balance to pay from");
    if (looks_like_id_number(o.masked_id)) return bad_order("it carries an unmasked ID number");
    return {};
}

constexpr const char* kOrderColumns =
    "SELECT fact_id, seq, at_ms, day, period, resident, masked_id, price_fen, subsidy_fen, pay_fen, method, policy, "
    "bracket, categories, staff_assisted, delivery, pickup_no, refunded, ticket_job, items FROM meal_orders ";

// Every prepared statement of one store. Kept outside CanteenStore so the
// helpers below can take it without being members.
struct Sql {
    Outbox outbox;
    // menus
    Statement menu_exists, insert_menu, insert_menu_item, menu_items, set_limit, set_price, item;
    // orders
    Statement take_portions, give_back_portions, subsidised, insert_order, order_by_id, orders_of_day,
        orders_without_ticket, set_ticket, mark_refunded, insert_refund;
    // balances
    Statement balance, debit, credit, insert_ledger, masked_id;
    // reservations
    Statement reservation_by_id, open_reservation, reservations_of_day, insert_reservation, fulfil, cancel;
    // totals
    Statement add_to_day, add_breakdown, day_totals, breakdown;

    explicit Sql(sqlite3* db)
        : outbox(db),
          menu_exists(db, "SELECT 1 FROM menus WHERE day = ?1 AND period = ?2"),
          insert_menu(db, "INSERT INTO menus (day, period) VALUES (?1, ?2)"),
          insert_menu_item(db,
                           "INSERT INTO menu_items (day, period, id, position, name, dishes, price_fen, daily_limit, "
                           "photo) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"),
          menu_items(db,
                     "SELECT id, name, dishes, price_fen, daily_limit, photo, sold FROM menu_items "
                     "WHERE day = ?1 AND period = ?2 ORDER BY position"),
          set_limit(db,
                    "UPDATE menu_items SET daily_limit = ?4 WHERE day = ?1 AND period = ?2 AND id = ?3 RETURNING 1"),
          set_price(db, "UPDATE menu_items SET price_fen = ?4 WHERE day = ?1 AND period = ?2 AND id = ?3 RETURNING 1"),
          item(db, "SELECT name, daily_limit, sold FROM menu_items WHERE day = ?1 AND period = ?2 AND id = ?3"),
          // The limit is checked and the portions taken in one statement, inside
          // the order's write transaction: no other order can slip between.
          take_portions(db,
                        "UPDATE menu_items SET sold = sold + ?4 WHERE day = ?1 AND period = ?2 AND id = ?3 "
                        "AND (daily_limit = 0 OR sold + ?4 <= daily_limit) RETURNING sold"),
          give_back_portions(db,
                             "UPDATE menu_items SET sold = sold - ?4 WHERE day = ?1 AND period = ?2 AND id = ?3 "
                             "RETURNING sold"),
          subsidised(db,
                     "SELECT 1 FROM meal_orders WHERE resident = ?1 AND day = ?2 AND period = ?3 "
                     "AND subsidy_fen > 0 AND refunded = 0 LIMIT 1"),
          insert_order(db,
                       "INSERT INTO meal_orders (fact_id, seq, at_ms, day, period, resident, masked_id, price_fen, "
                       "subsidy_fen, pay_fen, method, policy, bracket, categories, staff_assisted, delivery, "
                       "pickup_no, items) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, "
                       "?16, ?17, ?18)"),
          order_by_id(db, std::string(kOrderColumns) + "WHERE fact_id = ?1"),
          orders_of_day(db, std::string(kOrderColumns) + "WHERE day = ?1 ORDER BY seq DESC"),
          // Through the day's index: a day has hundreds of orders, and this
          // runs once at start, so it needs no index of its own to keep up
          // with every order.
          orders_without_ticket(
              db, std::string(kOrderColumns) + "WHERE day = ?1 AND ticket_job = 0 AND refunded = 0 ORDER BY seq"),
          set_ticket(db, "UPDATE meal_orders SET ticket_job = ?2 WHERE fact_id = ?1 RETURNING 1"),
          mark_refunded(db, "UPDATE meal_orders SET refunded = 1 WHERE fact_id = ?1 AND refunded = 0 RETURNING 1"),
          insert_refund(db,
                        "INSERT INTO meal_refunds (fact_id, seq, at_ms, order_id, reason) VALUES (?1, ?2, ?3, ?4, ?5)"),
          balance(db, "SELECT fen FROM balances WHERE resident = ?1"),
          // Never below zero: the debit happens only when the balance covers it.
          debit(db, "UPDATE balances SET fen = fen - ?2 WHERE resident = ?1 AND fen >= ?2 RETURNING fen"),
          credit(db,
                 "INSERT INTO balances (resident, fen) VALUES (?1, ?2) "
                 "ON CONFLICT (resident) DO UPDATE SET fen = fen + excluded.fen RETURNING fen"),
          insert_ledger(db,
                        "INSERT INTO balance_ledger (seq, fact_id, kind, resident, at_ms, delta_fen, balance_fen) "
                        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"),
          masked_id(db, "SELECT masked_id FROM residents WHERE id = ?1"),
          reservation_by_id(db,
                            "SELECT fact_id, resident, day, period, item_id, method, delivery, state, order_id "
                            "FROM meal_reservations WHERE fact_id = ?1"),
          open_reservation(db,
                           "SELECT fact_id, resident, day, period, item_id, method, delivery, state, order_id "
                           "FROM meal_reservations WHERE resident = ?1 AND day = ?2 AND period = ?3 "
                           "AND state = 'open'"),
          reservations_of_day(db,
                              "SELECT fact_id, resident, day, period, item_id, method, delivery, state, order_id "
                              "FROM meal_reservations WHERE day = ?1 AND state <> 'cancelled' "
                              "ORDER BY CASE period WHEN 'breakfast' THEN 0 WHEN 'lunch' THEN 1 ELSE 2 END, seq"),
          insert_reservation(db,
                             "INSERT INTO meal_reservations (fact_id, seq, at_ms, resident, day, period, item_id, "
                             "method, delivery) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"),
          fulfil(db,
                 "UPDATE meal_reservations SET state = 'fulfilled', order_id = ?2 "
                 "WHERE fact_id = ?1 AND state = 'open' RETURNING 1"),
          cancel(db,
                 "UPDATE meal_reservations SET state = 'cancelled', cancel_fact_id = ?2 "
                 "WHERE fact_id = ?1 AND state = 'open' RETURNING 1"),
          // The day's next pickup number and its totals, one row, one statement.
          add_to_day(db,
                     "INSERT INTO canteen_days (day, last_pickup, orders, refunds, portions, price_fen, subsidy_fen, "
                     "takings_fen) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT (day) DO UPDATE SET "
                     "last_pickup = last_pickup + excluded.last_pickup, orders = orders + excluded.orders, "
                     "refunds = refunds + excluded.refunds, portions = portions + excluded.portions, "
                     "price_fen = price_fen + excluded.price_fen, subsidy_fen = subsidy_fen + excluded.subsidy_fen, "
                     "takings_fen = takings_fen + excluded.takings_fen RETURNING last_pickup"),
          add_breakdown(db,
                        "INSERT INTO canteen_day_breakdown (day, kind, key, count, fen) VALUES (?1, ?2, ?3, ?4, ?5) "
                        "ON CONFLICT (day, kind, key) DO UPDATE SET count = count + excluded.count, "
                        "fen = fen + excluded.fen"),
          day_totals(db,
                     "SELECT orders, refunds, portions, price_fen, subsidy_fen, takings_fen FROM canteen_days "
                     "WHERE day = ?1"),
          // Keys a refund brought back to nothing are not part of the day.
          breakdown(db,
                    "SELECT kind, key, count, fen FROM canteen_day_breakdown WHERE day = ?1 "
                    "AND (count <> 0 OR fen <> 0)") {}
};

// ---- reading rows -----------------------------------------------------------

// The lines as stored: [{"item_id", "name", "qty", "price_fen"}].
std::string lines_json(const std::vector<core::OrderLine>& lines) {
    Json a = Json::array();
    for (const auto& l : lines) {
        Json j;
        j["item_id"] = l.item_id;
        j["name"] = l.name;
        j["qty"] = l.quantity;
        j["price_fen"] = l.price;
        a.push_back(std::move(j));
    }
    return dump(a);
}

std::vector<core::OrderLine> lines_from(const std::string& text) {
    std::vector<core::OrderLine> out;
    const auto a = Json::parse(text, nullptr, false);
    if (!a.is_array()) return out;  // the schema's CHECK keeps this from happening
    const auto str = [](const Json& j, const char* k) {
        return j.contains(k) && j[k].is_string() ? j[k].get<std::string>() : std::string();
    };
    const auto num = [](const Json& j, const char* k) {
        return j.contains(k) && j[k].is_number_integer() ? j[k].get<std::int64_t>() : std::int64_t{0};
    };
    for (const auto& l : a) {
        if (!l.is_object()) continue;
        out.push_back({str(l, "item_id"), str(l, "name"), static_cast<int>(num(l, "qty")), num(l, "price_fen")});
    }
    return out;
}

// Columns as in kOrderColumns.
StoredOrder read_order_row(const Statement& s) {
    StoredOrder o;
    o.fact.id = s.text(0);
    o.fact.seq = s.int64(1);
    o.fact.at = from_millis(s.int64(2));
    o.order.day = day_from(s.text(3));
    o.order.period = period_from(s.text(4));
    if (!s.is_null(5)) o.order.resident = s.int64(5);
    o.order.masked_id = s.text(6);
    o.order.price = s.int64(7);
    o.order.subsidy = s.int64(8);
    o.order.pay = s.int64(9);
    o.order.method = method_from(s.text(10));
    o.order.policy = s.text(11);
    o.order.bracket = s.text(12);
    o.order.categories = categories_from(s.text(13));
    o.order.staff_assisted = s.int64(14) != 0;
    o.order.delivery = s.int64(15) != 0;
    o.pickup_no = s.text(16);
    o.refunded = s.int64(17) != 0;
    o.ticket_job = static_cast<std::uint64_t>(s.int64(18));
    o.order.items = lines_from(s.text(19));
    return o;
}

Result<std::optional<StoredOrder>> load_order(Sql& sql, const std::string& fact_id) {
    std::optional<StoredOrder> out;
    Use s(sql.order_by_id);
    s->bind(1, fact_id);
    auto row = s->step();
    if (!row) return row.error();
    if (*row) out = read_order_row(*s);
    return out;
}

Result<std::vector<StoredOrder>> load_orders(Statement& query, const std::string& day) {
    std::vector<StoredOrder> out;
    Use s(query);
    s->bind(1, day);
    for (;;) {
        auto row = s->step();
        if (!row) return row.error();
        if (!*row) return out;
        out.push_back(read_order_row(*s));
    }
}

Reservation read_reservation(const Statement& s) {
    Reservation r;
    r.fact_id = s.text(0);
    r.resident = s.int64(1);
    r.day = day_from(s.text(2));
    r.period = period_from(s.text(3));
    r.item_id = s.text(4);
    r.method = method_from(s.text(5));
    r.delivery = s.int64(6) != 0;
    const auto state = s.text(7);
    r.state = state == "fulfilled"   ? Reservation::State::Fulfilled
              : state == "cancelled" ? Reservation::State::Cancelled
                                     : Reservation::State::Open;
    r.order_fact_id = s.text(8);
    return r;
}

Result<std::optional<Reservation>> one_reservation(Statement& st) {
    auto row = st.step();
    if (!row) return row.error();
    std::optional<Reservation> out;
    if (*row) out = read_reservation(st);
    return out;
}

// The resident's masked ID number, the only form a fact may carry.
Result<std::optional<std::string>> masked_id_of(Sql& sql, core::RosterId resident) {
    Use s(sql.masked_id);
    s->bind(1, resident);
    auto row = s->step();
    if (!row) return row.error();
    std::optional<std::string> out;
    if (*row) out = s->text(0);
    return out;
}

Error no_resident(core::RosterId resident) {
    return Error{"canteen.no_resident", "resident " + std::to_string(resident) + " is not on the roster."};
}

Result<std::int64_t> step_int(Statement& s) {
    auto row = s.step();
    if (!row) return row.error();
    if (!*row) return Error{"store.step", "the database returned no row where one was expected"};
    return s.int64(0);
}

// ---- totals -------------------------------------------------------------------

Result<void> add_breakdown(Sql& sql, const std::string& day, const char* kind, const std::string& key,
                           std::int64_t count, Fen fen) {
    Use s(sql.add_breakdown);
    s->bind(1, day).bind(2, kind).bind(3, key).bind(4, count).bind(5, fen);
    return s->run();
}

// Adds an order to its day's totals (sign +1), giving it the day's next
// pickup number, or takes it out again when it is refunded (sign -1), with
// exactly the figures recompute_day_close() derives from the orders. Returns
// the day's last pickup number.
Result<std::int64_t> add_to_totals(Sql& sql, const core::MealOrder& o, int sign) {
    const std::string day = o.day.iso();
    const std::string period = period_code(o.period);
    std::int64_t portions = 0;
    for (const auto& l : o.items) portions += l.quantity;
    std::int64_t last_pickup = 0;
    {
        Use s(sql.add_to_day);
        s->bind(1, day)
            .bind(2, sign > 0 ? 1 : 0)
            .bind(3, sign)
            .bind(4, sign < 0 ? 1 : 0)
            .bind(5, sign * portions)
            .bind(6, sign * o.price)
            .bind(7, sign * o.subsidy)
            .bind(8, sign * o.pay);
        auto r = step_int(*s);
        if (!r) return r.error();
        last_pickup = *r;
    }
    for (const auto& l : o.items) {
        if (auto r =
                add_breakdown(sql, day, "item", period + "/" + l.name, sign * l.quantity, sign * l.quantity * l.price);
            !r)
            return r.error();
    }
    if (auto r = add_breakdown(sql, day, "method", method_code(o.method), sign, sign * o.pay); !r) return r.error();
    if (auto r = add_breakdown(sql, day, "bracket", o.bracket, sign, sign * o.subsidy); !r) return r.error();
    for (auto c : distinct(o.categories)) {
        if (auto r = add_breakdown(sql, day, "category", std::string(core::category_code(c)), sign, sign * o.subsidy);
            !r)
            return r.error();
    }
    if (auto r = add_breakdown(sql, day, "period", period, sign, sign * o.price); !r) return r.error();
    return last_pickup;
}

Result<void> ledger(Sql& sql, std::int64_t seq, const std::string& fact_id, const char* kind, core::RosterId resident,
                    core::UtcTime at, Fen delta, Fen after) {
    Use s(sql.insert_ledger);
    s->bind(1, seq).bind(2, fact_id).bind(3, kind).bind(4, resident).bind(5, millis(at)).bind(6, delta).bind(7, after);
    return s->run();
}

Json fact_head(const char* type, const std::string& id, core::UtcTime at, const std::string& terminal,
               std::int64_t seq) {
    Json j;
    j["type"] = type;
    j["id"] = id;
    j["at"] = core::format_utc(at);
    j["terminal"] = terminal;
    j["seq"] = seq;
    return j;
}

Json resident_json(const std::optional<core::RosterId>& r) { return r ? Json(*r) : Json(nullptr); }

}  // namespace

struct CanteenStore::Statements : Sql {
    using Sql::Sql;
};

CanteenStore::CanteenStore(Database& db, std::string terminal)
    : db_(db), terminal_(std::move(terminal)), st_(std::make_unique<Statements>(db.impl().db)) {}

CanteenStore::~CanteenStore() = default;

// ---- menus ---------------------------------------------------------------------

namespace {

Result<std::optional<core::Menu>> read_menu(Sql& sql, core::CivilDate day, core::MealPeriod period) {
    const std::string d = day.iso();
    const std::string p = period_code(period);
    {
        Use s(sql.menu_exists);
        s->bind(1, d).bind(2, p);
        auto row = s->step();
        if (!row) return row.error();
        if (!*row) return std::optional<core::Menu>{};
    }
    core::Menu menu;
    menu.day = day;
    menu.period = period;
    Use s(sql.menu_items);
    s->bind(1, d).bind(2, p);
    for (;;) {
        auto row = s->step();
        if (!row) return row.error();
        if (!*row) break;
        menu.items.push_back(
            core::MenuItem{s->text(0), s->text(1), s->text(2), s->int64(3), static_cast<int>(s->int64(4)), s->text(5)});
    }
    return std::optional<core::Menu>{std::move(menu)};
}

Result<void> check_menu(const core::Menu& menu) {
    const auto bad = [](const std::string& why) {
        return Error{"canteen.bad_menu", "the menu was not stored: " + why + "."};
    };
    if (!menu.day.valid()) return bad("its day is not a real date");
    std::set<std::string> ids;
    for (const auto& item : menu.items) {
        if (item.id.empty()) return bad("an item has no id");
        if (!ids.insert(item.id).second) return bad("the item id " + item.id + " appears twice");
        if (item.price < 0 || item.price > kMaxFen) return bad(item.id + " has an impossible price");
        if (item.daily_limit < 0 || item.daily_limit > kMaxLimit) return bad(item.id + " has a negative limit");
    }
    return {};
}

Error no_item(const std::string& day, const std::string& period, const std::string& item_id) {
    return Error{"canteen.no_item", "there is no item \"" + item_id + "\" on the " + period + " menu of " + day + "."};
}

}  // namespace

Result<core::Menu> CanteenStore::ensure_menu(const core::Menu& menu) {
    if (auto r = check_menu(menu); !r) return r.error();
    sqlite3* db = db_.impl().db;
    Transaction tx(db);
    if (!tx.begun()) return tx.begun().error();
    auto stored = read_menu(*st_, menu.day, menu.period);
    if (!stored) return stored.error();
    if (!stored->has_value()) {
        const std::string d = menu.day.iso();
        const std::string p = period_code(menu.period);
        {
            Use s(st_->insert_menu);
            s->bind(1, d).bind(2, p);
            if (auto r = s->run(); !r) return r.error();
        }
        int position = 0;
        for (const auto& item : menu.items) {
            Use s(st_->insert_menu_item);
            s->bind(1, d)
                .bind(2, p)
                .bind(3, item.id)
                .bind(4, position++)
                .bind(5, item.name)
                .bind(6, item.dishes)
                .bind(7, item.price)
                .bind(8, item.daily_limit)
                .bind(9, item.photo);
            if (auto r = s->run(); !r) return r.error();
        }
        stored = read_menu(*st_, menu.day, menu.period);
        if (!stored) return stored.error();
    }
    if (auto r = tx.commit(); !r) return r.error();
    return std::move(**stored);
}

Result<std::optional<core::Menu>> CanteenStore::menu(core::CivilDate day, core::MealPeriod period) {
    ReadTransaction rt(db_.impl().db);
    if (!rt.begun()) return rt.begun().error();
    return read_menu(*st_, day, period);
}

Result<std::map<std::string, int>> CanteenStore::sold(core::CivilDate day, core::MealPeriod period) {
    std::map<std::string, int> out;
    Use s(st_->menu_items);
    s->bind(1, day.iso()).bind(2, period_code(period));
    for (;;) {
        auto row = s->step();
        if (!row) return row.error();
        if (!*row) return out;
        out[s->text(0)] = static_cast<int>(s->int64(6));
    }
}

Result<void> CanteenStore::set_limit(core::CivilDate day, core::MealPeriod period, const std::string& item_id,
                                     int limit) {
    if (limit < 0 || limit > kMaxLimit)
        return Error{"canteen.bad_amount", "a daily limit is a number of portions, 0 for none."};
    Use s(st_->set_limit);
    s->bind(1, day.iso()).bind(2, period_code(period)).bind(3, item_id).bind(4, limit);
    auto row = s->step();
    if (!row) return row.error();
    if (!*row) return no_item(day.iso(), period_code(period), item_id);
    return {};
}

Result<void> CanteenStore::set_price(core::CivilDate day, core::MealPeriod period, const std::string& item_id,
                                     core::Fen price) {
    if (price < 0 || price > kMaxFen) return Error{"canteen.bad_amount", "a price cannot be negative."};
    Use s(st_->set_price);
    s->bind(1, day.iso()).bind(2, period_code(period)).bind(3, item_id).bind(4, price);
    auto row = s->step();
    if (!row) return row.error();
    if (!*row) return no_item(day.iso(), period_code(period), item_id);
    return {};
}

// ---- orders ----------------------------------------------------------------------

Result<StoredOrder> CanteenStore::record_order(const core::MealOrder& order, core::UtcTime at) {
    if (auto r = check_order(order); !r) return r.error();
    auto id = new_fact_id();
    if (!id) return id.error();

    StoredOrder out;
    out.order = order;
    out.order.categories = distinct(order.categories);
    const core::MealOrder& o = out.order;
    const std::string day = o.day.iso();
    const std::string period = period_code(o.period);
    const std::string method = method_code(o.method);
    auto& sql = *st_;

    Transaction tx(db_.impl().db);
    if (!tx.begun()) return tx.begun().error();

    // Lines naming one item twice take their portions one after the other,
    // so the limit holds for their sum too.
    for (const auto& line : o.items) {
        Use take(sql.take_portions);
        take->bind(1, day).bind(2, period).bind(3, line.item_id).bind(4, line.quantity);
        auto taken = take->step();
        if (!taken) return taken.error();
        if (*taken) continue;
        Use item(sql.item);
        item->bind(1, day).bind(2, period).bind(3, line.item_id);
        auto row = item->step();
        if (!row) return row.error();
        if (!*row) return no_item(day, period, line.item_id);
        const std::int64_t left = std::max<std::int64_t>(0, item->int64(1) - item->int64(2));
        return Error{"canteen.sold_out", item->text(0) + " is sold out (已售完): " + std::to_string(left) + " left, " +
                                             std::to_string(line.quantity) + " asked for."};
    }

    if (o.subsidy > 0) {
        Use s(sql.subsidised);
        s->bind(1, *o.resident).bind(2, day).bind(3, period);
        auto row = s->step();
        if (!row) return row.error();
        if (*row)
            return Error{"canteen.already_subsidised",
                         "this resident already had a subsidised " + period + " on " + day +
                             "; the order was not recorded. Price it again: it is full price now."};
    }

    auto seq = sql.outbox.next_seq();
    if (!seq) return seq.error();

    std::optional<Fen> balance_after;
    if (o.method == core::PaymentMethod::Balance && o.pay > 0) {
        Use debit(sql.debit);
        debit->bind(1, *o.resident).bind(2, o.pay);
        auto row = debit->step();
        if (!row) return row.error();
        if (!*row) {
            auto have = balance(*o.resident);
            return Error{"canteen.balance_low", "the balance (" + core::format_yuan(have ? *have : 0) +
                                                    " yuan) does not cover " + core::format_yuan(o.pay) +
                                                    " yuan; nothing was charged or recorded."};
        }
        balance_after = debit->int64(0);
    }
    if (balance_after) {
        if (auto r = ledger(sql, *seq, *id, "order", *o.resident, at, -o.pay, *balance_after); !r) return r.error();
    }

    auto pickup = add_to_totals(sql, o, +1);
    if (!pickup) return pickup.error();
    out.pickup_no = pickup_text(*pickup);

    const std::string categories = join_categories(o.categories);
    {
        Use s(sql.insert_order);
        s->bind(1, *id).bind(2, *seq).bind(3, millis(at)).bind(4, day).bind(5, period);
        if (o.resident)
            s->bind(6, *o.resident);
        else
            s->bind_null(6);
        s->bind(7, o.masked_id)
            .bind(8, o.price)
            .bind(9, o.subsidy)
            .bind(10, o.pay)
            .bind(11, method)
            .bind(12, o.policy)
            .bind(13, o.bracket)
            .bind(14, categories)
            .bind(15, o.staff_assisted ? 1 : 0)
            .bind(16, o.delivery ? 1 : 0)
            .bind(17, out.pickup_no)
            .bind(18, lines_json(o.items));
        if (auto r = s->run(); !r) return r.error();
    }

    Json j = fact_head("meal_order", *id, at, terminal_, *seq);
    j["resident"] = resident_json(o.resident);
    j["masked_id"] = o.masked_id;
    Json items = Json::array();
    for (const auto& line : o.items) {
        Json l;
        l["name"] = line.name;
        l["qty"] = line.quantity;
        l["price_fen"] = line.price;
        items.push_back(std::move(l));
    }
    j["items"] = std::move(items);
    j["price_fen"] = o.price;
    j["subsidy_fen"] = o.subsidy;
    j["pay_fen"] = o.pay;
    j["method"] = method;
    j["policy"] = o.policy;
    j["period"] = period;
    j["pickup_no"] = out.pickup_no;
    j["day"] = day;
    j["bracket"] = o.bracket;
    Json cats = Json::array();
    for (auto c : o.categories) cats.push_back(std::string(core::category_code(c)));
    j["categories"] = std::move(cats);
    j["staff_assisted"] = o.staff_assisted;
    j["delivery"] = o.delivery;
    if (auto r = sql.outbox.append(*seq, *id, "meal_order", dump(j)); !r) return r.error();

    if (auto r = tx.commit(); !r) return r.error();
    out.fact = RecordedFact{std::move(*id), *seq, at};
    return out;
}

Result<std::optional<StoredOrder>> CanteenStore::order(const std::string& fact_id) { return load_order(*st_, fact_id); }

Result<std::vector<StoredOrder>> CanteenStore::orders(core::CivilDate day) {
    return load_orders(st_->orders_of_day, day.iso());
}

Result<std::vector<StoredOrder>> CanteenStore::orders_without_ticket(core::CivilDate day) {
    return load_orders(st_->orders_without_ticket, day.iso());
}

Result<void> CanteenStore::set_ticket_job(const std::string& order_fact_id, std::uint64_t job) {
    Use s(st_->set_ticket);
    s->bind(1, order_fact_id).bind(2, static_cast<std::int64_t>(job));
    auto row = s->step();
    if (!row) return row.error();
    if (!*row) return Error{"canteen.no_order", "there is no order " + order_fact_id + "."};
    return {};
}

Result<RecordedFact> CanteenStore::refund(const std::string& order_fact_id, const std::string& reason,
                                          core::UtcTime at) {
    auto id = new_fact_id();
    if (!id) return id.error();
    auto& sql = *st_;
    Transaction tx(db_.impl().db);
    if (!tx.begun()) return tx.begun().error();

    auto loaded = load_order(sql, order_fact_id);
    if (!loaded) return loaded.error();
    if (!loaded->has_value()) return Error{"canteen.no_order", "there is no order " + order_fact_id + "."};
    const StoredOrder& stored = **loaded;
    const core::MealOrder& o = stored.order;
    if (stored.refunded)
        return Error{"canteen.already_refunded",
                     "order " + stored.pickup_no + " of " + o.day.iso() + " was refunded already; nothing changed."};
    {
        Use s(sql.mark_refunded);
        s->bind(1, order_fact_id);
        auto row = s->step();
        if (!row) return row.error();
        if (!*row) return Error{"canteen.already_refunded", "the order was refunded already; nothing changed."};
    }
    auto seq = sql.outbox.next_seq();
    if (!seq) return seq.error();
    {
        Use s(sql.insert_refund);
        s->bind(1, *id).bind(2, *seq).bind(3, millis(at)).bind(4, order_fact_id).bind(5, reason);
        if (auto r = s->run(); !r) return r.error();
    }
    const std::string day = o.day.iso();
    const std::string period = period_code(o.period);
    for (const auto& line : o.items) {
        Use s(sql.give_back_portions);
        s->bind(1, day).bind(2, period).bind(3, line.item_id).bind(4, line.quantity);
        if (auto r = step_int(*s); !r) return r.error();
    }
    if (o.method == core::PaymentMethod::Balance && o.pay > 0 && o.resident) {
        Use s(sql.credit);
        s->bind(1, *o.resident).bind(2, o.pay);
        auto after = step_int(*s);
        if (!after) return after.error();
        if (auto r = ledger(sql, *seq, *id, "refund", *o.resident, at, o.pay, *after); !r) return r.error();
    }
    if (auto r = add_to_totals(sql, o, -1); !r) return r.error();

    Json j = fact_head("meal_refund", *id, at, terminal_, *seq);
    j["order"] = order_fact_id;
    j["resident"] = resident_json(o.resident);
    j["reason"] = reason;
    j["price_fen"] = o.price;
    j["subsidy_fen"] = o.subsidy;
    j["pay_fen"] = o.pay;
    j["method"] = method_code(o.method);
    j["period"] = period;
    j["day"] = day;
    if (auto r = sql.outbox.append(*seq, *id, "meal_refund", dump(j)); !r) return r.error();

    if (auto r = tx.commit(); !r) return r.error();
    return RecordedFact{std::move(*id), *seq, at};
}

bool CanteenStore::already_subsidised(core::RosterId resident, core::CivilDate day, core::MealPeriod period) const {
    Use s(st_->subsidised);
    s->bind(1, resident).bind(2, day.iso()).bind(3, period_code(period));
    auto row = s->step();
    // On a read error the quote offers the subsidy; record_order checks the
    // slot again inside its transaction and refuses a second one, so the
    // resident is never overcharged and the county never paid twice.
    return row.ok() && *row;
}

// ---- prepaid balances ------------------------------------------------------------

Result<core::Fen> CanteenStore::balance(core::RosterId resident) {
    Use s(st_->balance);
    s->bind(1, resident);
    auto row = s->step();
    if (!row) return row.error();
    return *row ? s->int64(0) : Fen{0};
}

Result<RecordedFact> CanteenStore::top_up(core::RosterId resident, core::Fen amount, core::UtcTime at) {
    if (amount <= 0 || amount > kMaxFen)
        return Error{"canteen.bad_amount", "a top-up must be more than 0.00 yuan; nothing was added."};
    auto id = new_fact_id();
    if (!id) return id.error();
    auto& sql = *st_;
    Transaction tx(db_.impl().db);
    if (!tx.begun()) return tx.begun().error();
    auto masked = masked_id_of(sql, resident);
    if (!masked) return masked.error();
    if (!masked->has_value()) return no_resident(resident);
    auto seq = sql.outbox.next_seq();
    if (!seq) return seq.error();
    Fen after = 0;
    {
        Use s(sql.credit);
        s->bind(1, resident).bind(2, amount);
        auto r = step_int(*s);
        if (!r) return r.error();
        after = *r;
    }
    if (auto r = ledger(sql, *seq, *id, "top_up", resident, at, amount, after); !r) return r.error();

    Json j = fact_head("balance_top_up", *id, at, terminal_, *seq);
    j["resident"] = resident;
    j["masked_id"] = **masked;
    j["amount_fen"] = amount;
    j["balance_fen"] = after;
    if (auto r = sql.outbox.append(*seq, *id, "balance_top_up", dump(j)); !r) return r.error();

    if (auto r = tx.commit(); !r) return r.error();
    return RecordedFact{std::move(*id), *seq, at};
}

// ---- reservations ------------------------------------------------------------------

Result<Reservation> CanteenStore::reserve(core::RosterId resident, core::CivilDate day, core::MealPeriod period,
                                          const std::string& item_id, core::PaymentMethod method, bool delivery,
                                          core::UtcTime at) {
    if (!day.valid()) return Error{"canteen.no_item", "a reservation needs a real day."};
    auto id = new_fact_id();
    if (!id) return id.error();
    auto& sql = *st_;
    const std::string d = day.iso();
    const std::string p = period_code(period);
    Transaction tx(db_.impl().db);
    if (!tx.begun()) return tx.begun().error();

    auto masked = masked_id_of(sql, resident);
    if (!masked) return masked.error();
    if (!masked->has_value()) return no_resident(resident);
    std::string item_name;
    {
        Use s(sql.item);
        s->bind(1, d).bind(2, p).bind(3, item_id);
        auto row = s->step();
        if (!row) return row.error();
        if (!*row) return no_item(d, p, item_id);
        item_name = s->text(0);
    }
    {
        Use s(sql.open_reservation);
        s->bind(1, resident).bind(2, d).bind(3, p);
        auto open = one_reservation(*s);
        if (!open) return open.error();
        if (open->has_value())
            return Error{"canteen.already_reserved",
                         "this resident has already reserved " + p + " on " + d + "; cancel that one first."};
    }
    auto seq = sql.outbox.next_seq();
    if (!seq) return seq.error();
    const std::string m = method_code(method);
    {
        Use s(sql.insert_reservation);
        s->bind(1, *id)
            .bind(2, *seq)
            .bind(3, millis(at))
            .bind(4, resident)
            .bind(5, d)
            .bind(6, p)
            .bind(7, item_id)
            .bind(8, m)
            .bind(9, delivery ? 1 : 0);
        auto r = s->run();
        // A fulfilled reservation still holds the slot (the unique index).
        if (!r && r.error().message.find("UNIQUE") != std::string::npos)
            return Error{"canteen.already_reserved",
                         "this resident already has a reservation for " + p + " on " + d + "."};
        if (!r) return r.error();
    }

    Json j = fact_head("meal_reservation", *id, at, terminal_, *seq);
    j["resident"] = resident;
    j["masked_id"] = **masked;
    j["day"] = d;
    j["period"] = p;
    j["item_id"] = item_id;
    j["item_name"] = item_name;
    j["method"] = m;
    j["delivery"] = delivery;
    if (auto r = sql.outbox.append(*seq, *id, "meal_reservation", dump(j)); !r) return r.error();

    if (auto r = tx.commit(); !r) return r.error();
    Reservation out;
    out.fact_id = std::move(*id);
    out.resident = resident;
    out.day = day;
    out.period = period;
    out.item_id = item_id;
    out.method = method;
    out.delivery = delivery;
    return out;
}

Result<std::optional<Reservation>> CanteenStore::open_reservation(core::RosterId resident, core::CivilDate day,
                                                                  core::MealPeriod period) {
    Use s(st_->open_reservation);
    s->bind(1, resident).bind(2, day.iso()).bind(3, period_code(period));
    return one_reservation(*s);
}

Result<std::vector<Reservation>> CanteenStore::reservations(core::CivilDate day) {
    std::vector<Reservation> out;
    Use s(st_->reservations_of_day);
    s->bind(1, day.iso());
    for (;;) {
        auto row = s->step();
        if (!row) return row.error();
        if (!*row) return out;
        out.push_back(read_reservation(*s));
    }
}

namespace {
Error no_reservation(const std::string& id) {
    return Error{"canteen.no_reservation", "there is no open reservation " + id + "."};
}
}  // namespace

Result<void> CanteenStore::fulfil(const std::string& reservation_fact_id, const std::string& order_fact_id) {
    auto& sql = *st_;
    Transaction tx(db_.impl().db);
    if (!tx.begun()) return tx.begun().error();
    std::optional<Reservation> res;
    {
        Use s(sql.reservation_by_id);
        s->bind(1, reservation_fact_id);
        auto r = one_reservation(*s);
        if (!r) return r.error();
        res = std::move(*r);
    }
    if (!res || res->state != Reservation::State::Open) return no_reservation(reservation_fact_id);
    auto order = load_order(sql, order_fact_id);
    if (!order) return order.error();
    const auto& o = *order;
    if (!o || o->refunded || o->order.resident != res->resident || o->order.day != res->day ||
        o->order.period != res->period)
        return Error{"canteen.no_order", "there is no order " + order_fact_id + " of this resident for " +
                                             res->day.iso() + " " + period_code(res->period) + "."};
    {
        Use s(sql.fulfil);
        s->bind(1, reservation_fact_id).bind(2, order_fact_id);
        auto row = s->step();
        if (!row) return row.error();
        if (!*row) return no_reservation(reservation_fact_id);
    }
    return tx.commit();
}

Result<RecordedFact> CanteenStore::cancel_reservation(const std::string& reservation_fact_id, core::UtcTime at) {
    auto id = new_fact_id();
    if (!id) return id.error();
    auto& sql = *st_;
    Transaction tx(db_.impl().db);
    if (!tx.begun()) return tx.begun().error();
    std::optional<Reservation> res;
    {
        Use s(sql.reservation_by_id);
        s->bind(1, reservation_fact_id);
        auto r = one_reservation(*s);
        if (!r) return r.error();
        res = std::move(*r);
    }
    if (!res || res->state != Reservation::State::Open) return no_reservation(reservation_fact_id);
    auto seq = sql.outbox.next_seq();
    if (!seq) return seq.error();
    {
        Use s(sql.cancel);
        s->bind(1, reservation_fact_id).bind(2, *id);
        auto row = s->step();
        if (!row) return row.error();
        if (!*row) return no_reservation(reservation_fact_id);
    }
    Json j = fact_head("meal_reservation_cancel", *id, at, terminal_, *seq);
    j["reservation"] = reservation_fact_id;
    j["resident"] = res->resident;
    j["day"] = res->day.iso();
    j["period"] = period_code(res->period);
    if (auto r = sql.outbox.append(*seq, *id, "meal_reservation_cancel", dump(j)); !r) return r.error();
    if (auto r = tx.commit(); !r) return r.error();
    return RecordedFact{std::move(*id), *seq, at};
}

// ---- day close -------------------------------------------------------------------

Result<DayClose> CanteenStore::day_close(core::CivilDate day) {
    ReadTransaction rt(db_.impl().db);
    if (!rt.begun()) return rt.begun().error();
    DayClose out;
    out.day = day;
    const std::string d = day.iso();
    {
        Use s(st_->day_totals);
        s->bind(1, d);
        auto row = s->step();
        if (!row) return row.error();
        if (*row) {
            out.orders = s->int64(0);
            out.refunds = s->int64(1);
            out.portions = s->int64(2);
            out.price = s->int64(3);
            out.subsidy = s->int64(4);
            out.takings = s->int64(5);
        }
    }
    Use s(st_->breakdown);
    s->bind(1, d);
    for (;;) {
        auto row = s->step();
        if (!row) return row.error();
        if (!*row) return out;
        const std::string kind = s->text(0);
        const CountAndFen v{s->int64(2), s->int64(3)};
        auto* target = kind == "item"       ? &out.by_item
                       : kind == "method"   ? &out.by_method
                       : kind == "bracket"  ? &out.by_bracket
                       : kind == "category" ? &out.by_category
                       : kind == "period"   ? &out.by_period
                                            : nullptr;
        if (target != nullptr) (*target)[s->text(1)] = v;
    }
}

namespace {

using Breakdown = std::map<std::string, CountAndFen>;

// Rows of (key, count, fen) into a breakdown; `prefix_period` joins the
// first two columns as "<period>/<name>".
Result<void> group_into(sqlite3* db, const char* sql, const std::string& day, Breakdown& into,
                        bool prefix_period = false) {
    Statement s(db, sql);
    s.bind(1, day);
    for (;;) {
        auto row = s.step();
        if (!row) return row.error();
        if (!*row) return {};
        if (prefix_period)
            into[s.text(0) + "/" + s.text(1)] = {s.int64(2), s.int64(3)};
        else
            into[s.text(0)] = {s.int64(1), s.int64(2)};
    }
}

}  // namespace

Result<DayClose> CanteenStore::recompute_day_close(core::CivilDate day) {
    sqlite3* db = db_.impl().db;
    ReadTransaction rt(db);
    if (!rt.begun()) return rt.begun().error();
    DayClose out;
    out.day = day;
    const std::string d = day.iso();
    {
        Statement s(db,
                    "SELECT COALESCE(SUM(refunded = 0), 0), COALESCE(SUM(refunded <> 0), 0), "
                    "COALESCE(SUM(CASE WHEN refunded = 0 THEN price_fen END), 0), "
                    "COALESCE(SUM(CASE WHEN refunded = 0 THEN subsidy_fen END), 0), "
                    "COALESCE(SUM(CASE WHEN refunded = 0 THEN pay_fen END), 0) FROM meal_orders WHERE day = ?1");
        s.bind(1, d);
        auto row = s.step();
        if (!row) return row.error();
        out.orders = s.int64(0);
        out.refunds = s.int64(1);
        out.price = s.int64(2);
        out.subsidy = s.int64(3);
        out.takings = s.int64(4);
    }
    {
        Statement s(db,
                    "SELECT COALESCE(SUM(l.value ->> 'qty'), 0) FROM meal_orders o, json_each(o.items) l "
                    "WHERE o.day = ?1 AND o.refunded = 0");
        s.bind(1, d);
        auto row = s.step();
        if (!row) return row.error();
        out.portions = s.int64(0);
    }
    const std::pair<const char*, Breakdown*> simple[] = {
        {"SELECT method, COUNT(*), SUM(pay_fen) FROM meal_orders WHERE day = ?1 AND refunded = 0 GROUP BY method",
         &out.by_method},
        {"SELECT bracket, COUNT(*), SUM(subsidy_fen) FROM meal_orders WHERE day = ?1 AND refunded = 0 "
         "GROUP BY bracket",
         &out.by_bracket},
        {"SELECT period, COUNT(*), SUM(price_fen) FROM meal_orders WHERE day = ?1 AND refunded = 0 GROUP BY period",
         &out.by_period},
    };
    for (const auto& [query, into] : simple)
        if (auto r = group_into(db, query, d, *into); !r) return r.error();
    if (auto r = group_into(db,
                            "SELECT o.period, l.value ->> 'name', SUM(l.value ->> 'qty'), "
                            "SUM((l.value ->> 'qty') * (l.value ->> 'price_fen')) "
                            "FROM meal_orders o, json_each(o.items) l "
                            "WHERE o.day = ?1 AND o.refunded = 0 GROUP BY 1, 2",
                            d, out.by_item, true);
        !r)
        return r.error();
    Statement s(db,
                "SELECT categories, COUNT(*), SUM(subsidy_fen) FROM meal_orders "
                "WHERE day = ?1 AND refunded = 0 AND categories <> '' GROUP BY categories");
    s.bind(1, d);
    for (;;) {
        auto row = s.step();
        if (!row) return row.error();
        if (!*row) break;
        std::set<std::string> seen;
        for (const auto& code : split_codes(s.text(0))) {
            if (!seen.insert(code).second) continue;
            auto& v = out.by_category[code];
            v.count += s.int64(1);
            v.fen += s.int64(2);
        }
    }
    return out;
}

}  // namespace kiosk::store
