#include "kiosk/core/subsidy.hpp"

#include <algorithm>
#include <limits>

namespace kiosk::core {

namespace {

// Policies are data from files; a sum of absurd amounts must clamp, not wrap.
Fen saturating_add(Fen a, Fen b) {
    constexpr Fen kMax = std::numeric_limits<Fen>::max();
    constexpr Fen kMin = std::numeric_limits<Fen>::min();
    if (b > 0 && a > kMax - b) return kMax;
    if (b < 0 && a < kMin - b) return kMin;
    return a + b;
}

bool applies(const CategoryRule& rule, const Categories& categories) {
    return std::any_of(rule.any_of.begin(), rule.any_of.end(), [&](Category c) { return categories.has(c); });
}

// One amount that may count towards the subsidy: an age bracket or a category rule.
struct Part {
    Fen amount = 0;
    const AgeBracket* bracket = nullptr;
    const CategoryRule* rule = nullptr;
};

std::vector<Part> parts_for(const SubsidyPolicy& policy, const Resident& resident, CivilDate day) {
    std::vector<Part> parts;
    const int age = age_on(resident.birth, day);
    for (const AgeBracket& b : policy.ages) {
        if (age >= b.min_age && age <= b.max_age) {
            parts.push_back({b.amount, &b, nullptr});
            break;
        }
    }
    for (const CategoryRule& rule : policy.categories)
        if (applies(rule, resident.categories)) parts.push_back({rule.amount, nullptr, &rule});
    return parts;
}

// The parts that make up the amount, and the amount before cap and price.
std::pair<std::vector<Part>, Fen> combined(const std::vector<Part>& parts, Combine how) {
    if (how == Combine::Add) {
        Fen sum = 0;
        for (const Part& p : parts) sum = saturating_add(sum, p.amount);
        return {parts, sum};
    }
    // Highest: on a tie the earlier part wins (the age bracket, then the rules
    // in policy order), so the receipt names one reason, always the same one.
    const Part* best = nullptr;
    for (const Part& p : parts)
        if (best == nullptr || p.amount > best->amount) best = &p;
    if (best == nullptr) return {{}, 0};
    return {{*best}, best->amount};
}

void explain(SubsidyQuote& q, const std::vector<Part>& counted, const Resident& resident) {
    Categories named;
    for (const Part& p : counted) {
        if (p.amount <= 0) continue;  // a part that added nothing does not explain anything
        if (p.bracket != nullptr) q.bracket = p.bracket->label;
        if (p.rule != nullptr)
            for (Category c : p.rule->any_of)
                if (resident.categories.has(c)) named.add(c);
    }
    // In Category order, each once, whichever rules named it.
    for (int i = 0; i < kCategoryCount; ++i) {
        const auto c = static_cast<Category>(i);
        if (named.has(c)) q.categories.push_back(c);
    }
}

}  // namespace

const SubsidyPolicy* PolicySet::in_force(CivilDate day) const {
    const SubsidyPolicy* found = nullptr;
    for (const SubsidyPolicy& p : policies)
        if (p.effective_from <= day && (found == nullptr || p.effective_from >= found->effective_from)) found = &p;
    return found;
}

SubsidyQuote quote_subsidy(const PolicySet& policies, const Resident* resident, CivilDate day, MealPeriod period,
                           Fen price, const SubsidyLedger& ledger) {
    SubsidyQuote q;
    q.price = price;
    q.pay = price;
    q.on_roster = resident != nullptr;
    const SubsidyPolicy* policy = policies.in_force(day);
    if (policy == nullptr) return q;
    q.policy = policy->version;
    if (resident == nullptr) return q;

    const auto [counted, amount] = combined(parts_for(*policy, *resident, day), policy->combine);
    Fen subsidy = amount;
    if (policy->cap > 0) subsidy = std::min(subsidy, policy->cap);
    subsidy = std::clamp<Fen>(subsidy, 0, std::max<Fen>(price, 0));
    if (subsidy == 0) return q;

    // Asked only when a subsidy is due: the answer may one day cost a trip to the county.
    if (ledger.already_subsidised(resident->id, day, period)) {
        q.already_subsidised = true;
        return q;
    }
    q.subsidy = subsidy;
    q.pay = price - subsidy;
    explain(q, counted, *resident);
    return q;
}

SubsidyPolicy demo_subsidy_policy() {
    SubsidyPolicy p;
    p.version = "demo-2026-01";
    p.effective_from = CivilDate{2026, 1, 1};
    p.ages = {
        AgeBracket{60, 69, 200, "60-69岁"},
        AgeBracket{70, 79, 300, "70-79岁"},
        AgeBracket{80, 200, 500, "80岁以上"},
    };
    p.categories = {
        CategoryRule{{Category::SubsistenceAllowance, Category::ExtremePoverty}, 300, "低保/特困"},
    };
    p.combine = Combine::Add;
    p.cap = 0;
    return p;
}

}  // namespace kiosk::core
