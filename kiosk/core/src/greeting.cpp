#include "kiosk/core/greeting.hpp"

namespace kiosk::core {

GreetingPolicy GreetingPolicy::defaults() {
    return GreetingPolicy{true,
                          {{60, "奶奶", "爷爷"}, {40, "阿姨", "叔叔"}, {18, "女士", "先生"}}};
}

std::string GreetingPolicy::form_for(int age, Gender gender) const {
    if (!use_forms || gender == Gender::Unknown) return {};
    const AddressFormRule* best = nullptr;
    for (const auto& rule : rules)
        if (rule.min_age <= age && (best == nullptr || rule.min_age > best->min_age)) best = &rule;
    if (best == nullptr) return {};
    return gender == Gender::Female ? best->female : best->male;
}

std::string GreetingPolicy::form_for(const Resident& r, CivilDate today) const {
    if (r.prefers_plain_name || !r.birth.valid()) return {};
    return form_for(age_on(r.birth, today), r.gender);
}

}  // namespace kiosk::core
