#pragma once
// Respectful forms of address (奶奶, 爷爷, 阿姨, ...) chosen by age and gender.
#include <string>
#include <vector>

#include "kiosk/core/resident.hpp"

namespace kiosk::core {

struct AddressFormRule {
    int min_age = 0;      // applies from this age (inclusive)
    std::string female;   // e.g. 奶奶; empty: plain name
    std::string male;     // e.g. 爷爷
};

struct GreetingPolicy {
    bool use_forms = true;
    // Any order; the rule with the highest min_age not above the age applies.
    std::vector<AddressFormRule> rules;

    // 60+: 奶奶/爷爷, 40+: 阿姨/叔叔, 18+: 女士/先生, younger: plain name.
    static GreetingPolicy defaults();

    // The form for this resident on `today`, or "" for a plain name (forms
    // off, the resident prefers it, gender unknown, or no rule applies).
    [[nodiscard]] std::string form_for(const Resident& r, CivilDate today) const;
    [[nodiscard]] std::string form_for(int age, Gender gender) const;
};

}  // namespace kiosk::core
