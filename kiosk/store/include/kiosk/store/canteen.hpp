#pragma once
// The canteen's records: the day's menus, orders and refunds, prepaid
// balances, reservations, and the running totals the day close reads.
//
// Every money-moving write is one transaction with its outbox fact, fsynced
// before it returns (synchronous=FULL): an order, its pickup number, the
// portion it takes, the balance it debits and the totals it adds to are all
// there after a power cut, or none of them is.
//
// One CanteenStore per connection (thread). Errors are values: codes below.
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "kiosk/core/meal.hpp"
#include "kiosk/core/result.hpp"
#include "kiosk/core/subsidy.hpp"
#include "kiosk/core/utc.hpp"
#include "kiosk/store/database.hpp"
#include "kiosk/store/facts.hpp"

namespace kiosk::store {

struct StoredOrder {
    RecordedFact fact;        // id (UUID), seq, at
    std::string pickup_no;    // "0042": per terminal, per service day, from 0001
    core::MealOrder order;
    bool refunded = false;
    std::uint64_t ticket_job = 0;  // the receipt job that printed its ticket; 0: not sent yet
};

struct Reservation {
    std::string fact_id;
    core::RosterId resident = 0;
    core::CivilDate day;
    core::MealPeriod period = core::MealPeriod::Lunch;
    std::string item_id;
    core::PaymentMethod method = core::PaymentMethod::Cash;
    bool delivery = false;
    enum class State { Open, Fulfilled, Cancelled } state = State::Open;
    std::string order_fact_id;  // when fulfilled
};

struct CountAndFen {
    std::int64_t count = 0;
    core::Fen fen = 0;
};

// What the day close (日结) prints and exports. Totals are kept as orders
// and refunds are recorded, so this reads a few rows however many orders
// the day had; recompute_day_close() checks them against the orders.
struct DayClose {
    core::CivilDate day;
    std::int64_t orders = 0;       // not refunded
    std::int64_t refunds = 0;
    std::int64_t portions = 0;     // not refunded
    core::Fen price = 0;           // 原价, not refunded
    core::Fen subsidy = 0;         // 补贴, not refunded
    core::Fen takings = 0;         // 实收 = price - subsidy, not refunded
    std::map<std::string, CountAndFen> by_item;      // key "<period>/<item name>": portions, price
    std::map<std::string, CountAndFen> by_method;    // "cash" | "balance" | "qr": orders, takings
    std::map<std::string, CountAndFen> by_bracket;   // bracket label ("" = none): orders, subsidy
    std::map<std::string, CountAndFen> by_category;  // category code: orders, subsidy they were part of
    std::map<std::string, CountAndFen> by_period;    // "lunch": orders, price
};

class CanteenStore final : public core::SubsidyLedger {
public:
    CanteenStore(Database& db, std::string terminal);
    ~CanteenStore() override;

    // ---- menus -----------------------------------------------------------
    // Stores a day's menu for a period, unless one is stored already (then
    // staff changes made that day are kept). Returns the stored one.
    // Errors: "canteen.bad_menu" (no real day, an item id missing or twice, a
    // negative price or limit; nothing stored).
    Result<core::Menu> ensure_menu(const core::Menu& menu);
    [[nodiscard]] Result<std::optional<core::Menu>> menu(core::CivilDate day, core::MealPeriod period);
    // Portions ordered and not refunded, per item id.
    [[nodiscard]] Result<std::map<std::string, int>> sold(core::CivilDate day, core::MealPeriod period);
    // Staff: the day's limit (0: none) and price of one item. Errors: "canteen.no_item",
    // "canteen.bad_amount" (negative).
    Result<void> set_limit(core::CivilDate day, core::MealPeriod period, const std::string& item_id, int limit);
    Result<void> set_price(core::CivilDate day, core::MealPeriod period, const std::string& item_id, core::Fen price);

    // ---- orders ----------------------------------------------------------
    // Records `order` (already priced) at `at`, atomically with its outbox
    // fact "meal_order", after checking inside the transaction that every
    // line's portions are still available on the stored menu. Balance orders
    // debit the resident's balance. Errors:
    //   "canteen.sold_out"     (message names the item; nothing recorded)
    //   "canteen.balance_low"  (the balance would go below zero; nothing recorded)
    //   "canteen.no_item"      (an item not on that day's menu)
    //   "canteen.already_subsidised" (a subsidised order of that resident,
    //                          day and period exists: price it again)
    //   "canteen.bad_order"    (figures that do not add up: price not the sum
    //                          of the lines, pay not price - subsidy, a subsidy
    //                          or a balance payment without a resident, a
    //                          quantity below 1, an unmasked ID number)
    //   store errors (nothing recorded)
    // Pickup numbers have at least 4 digits ("0001"; "10000" after "9999").
    Result<StoredOrder> record_order(const core::MealOrder& order, core::UtcTime at);
    [[nodiscard]] Result<std::optional<StoredOrder>> order(const std::string& fact_id);
    // The day's orders, newest first.
    [[nodiscard]] Result<std::vector<StoredOrder>> orders(core::CivilDate day);
    // Orders of the day whose ticket was never handed to the printer (a power
    // cut between the order and the print): the app sends them at start.
    [[nodiscard]] Result<std::vector<StoredOrder>> orders_without_ticket(core::CivilDate day);
    Result<void> set_ticket_job(const std::string& order_fact_id, std::uint64_t job);

    // Reverses an order exactly: fact "meal_refund" with the same amounts,
    // the portion freed, a balance payment credited back, the totals
    // reversed; the subsidy slot of that period is free again. Errors:
    // "canteen.no_order", "canteen.already_refunded".
    Result<RecordedFact> refund(const std::string& order_fact_id, const std::string& reason, core::UtcTime at);

    // core::SubsidyLedger: a subsidised, not refunded order of this resident
    // for that day and period exists on this terminal.
    [[nodiscard]] bool already_subsidised(core::RosterId resident, core::CivilDate day,
                                          core::MealPeriod period) const override;

    // ---- prepaid balances --------------------------------------------------
    [[nodiscard]] Result<core::Fen> balance(core::RosterId resident);
    // Staff top-up (amount > 0), fact "balance_top_up". Errors: "canteen.bad_amount",
    // "canteen.no_resident" (not on the roster).
    Result<RecordedFact> top_up(core::RosterId resident, core::Fen amount, core::UtcTime at);

    // ---- reservations (order tomorrow, pick up or have it delivered) -------
    // Fact "meal_reservation". Errors: "canteen.already_reserved" (one per
    // resident, day and period; a fulfilled one counts, a cancelled one does
    // not), "canteen.no_item" (not on that day's stored menu),
    // "canteen.no_resident". A reservation does not hold a portion.
    Result<Reservation> reserve(core::RosterId resident, core::CivilDate day, core::MealPeriod period,
                                const std::string& item_id, core::PaymentMethod method, bool delivery, core::UtcTime at);
    [[nodiscard]] Result<std::optional<Reservation>> open_reservation(core::RosterId resident, core::CivilDate day,
                                                                      core::MealPeriod period);
    // A day's reservations (open and fulfilled), e.g. the delivery list.
    [[nodiscard]] Result<std::vector<Reservation>> reservations(core::CivilDate day);
    // Errors: "canteen.no_reservation" (none open with that id), "canteen.no_order"
    // (no such order, refunded, or not that resident's day and period).
    Result<void> fulfil(const std::string& reservation_fact_id, const std::string& order_fact_id);
    // Fact "meal_reservation_cancel". Errors: "canteen.no_reservation".
    Result<RecordedFact> cancel_reservation(const std::string& reservation_fact_id, core::UtcTime at);

    // ---- day close -----------------------------------------------------------
    [[nodiscard]] Result<DayClose> day_close(core::CivilDate day);
    // The same figures computed from the orders themselves (slow; audits, tests).
    [[nodiscard]] Result<DayClose> recompute_day_close(core::CivilDate day);

private:
    struct Statements;
    Database& db_;
    std::string terminal_;
    std::unique_ptr<Statements> st_;
};

}  // namespace kiosk::store
