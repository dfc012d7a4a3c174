#pragma once
// The meal subsidy policy engine (餐补): public money paid per recorded meal,
// so every fen is decided here, by rules a county official can read.
//
// A policy gives an amount by age bracket and extra (or alternative) amounts
// by resident category; they combine as the highest one or added together,
// up to a cap, and never beyond the meal's price. One subsidised meal per
// resident per period per day. Policies take effect from a date (a new one
// can start at midnight); the order records the version that priced it.
// People not on the roster pay full price.
#include <optional>
#include <string>
#include <vector>

#include "kiosk/core/civil_date.hpp"
#include "kiosk/core/meal.hpp"
#include "kiosk/core/money.hpp"
#include "kiosk/core/resident.hpp"

namespace kiosk::core {

struct AgeBracket {
    int min_age = 0;    // inclusive
    int max_age = 200;  // inclusive
    Fen amount = 0;
    std::string label;  // "80岁以上": for receipts and the day close
};

// One amount for residents in any of the listed categories (低保 or 特困:
// 3.00 once, not twice).
struct CategoryRule {
    std::vector<Category> any_of;
    Fen amount = 0;
    std::string label;  // "低保/特困"
};

enum class Combine {
    Highest,  // the largest single amount (age or category)
    Add,      // the age amount plus every category amount that applies
};

struct SubsidyPolicy {
    std::string version;     // "demo-2026-01": recorded with each order
    CivilDate effective_from;
    std::vector<AgeBracket> ages;
    std::vector<CategoryRule> categories;
    Combine combine = Combine::Add;
    Fen cap = 0;             // 0: no cap but the meal's price
};

// Every policy known, in any order; the one in force on a day is the latest
// whose effective_from is not after it.
struct PolicySet {
    std::vector<SubsidyPolicy> policies;
    [[nodiscard]] const SubsidyPolicy* in_force(CivilDate day) const;
};

// Whether a resident already had a subsidised meal in a period on a day.
// The terminal's own ledger answers today; when several terminals serve one
// canteen, the county will (the check stays behind this interface).
class SubsidyLedger {
public:
    virtual ~SubsidyLedger() = default;
    [[nodiscard]] virtual bool already_subsidised(RosterId resident, CivilDate day, MealPeriod period) const = 0;
};

struct SubsidyQuote {
    Fen price = 0;
    Fen subsidy = 0;
    Fen pay = 0;
    std::string policy;                // the version in force on the day; "" when none is
    // What the subsidy is made of, for the receipt and the day close; both
    // empty when the subsidy is 0 (so also when already_subsidised).
    std::string bracket;               // the age bracket's label, "" when the age amount did not count
    std::vector<Category> categories;  // the resident's categories in the rules that counted, in Category order
    bool already_subsidised = false;   // a subsidy was due but was used this period: full price
    bool on_roster = false;
};

// Prices a meal of `price` (the whole order: one subsidy per meal) for
// `resident` (null: not on the roster, full price) on the local service `day`
// in `period`. The age is taken on `day` (age_on). With Combine::Highest a
// tie goes to the age bracket, then to the earlier category rule. The ledger
// is asked only when a subsidy is due.
[[nodiscard]] SubsidyQuote quote_subsidy(const PolicySet& policies, const Resident* resident, CivilDate day,
                                         MealPeriod period, Fen price, const SubsidyLedger& ledger);

// The demo policy (issue #4): 60-69 2.00, 70-79 3.00, 80+ 5.00; 低保 or 特困
// add 3.00; never more than the price.
[[nodiscard]] SubsidyPolicy demo_subsidy_policy();

}  // namespace kiosk::core
