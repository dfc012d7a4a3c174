#pragma once
// The demo roster: a deterministic generator of residents (not a checked-in
// blob). Same count, same seed -> same residents on every machine, because it
// uses its own PRNG rather than <random>'s implementation-defined distributions.
//
// The first three entries are always the residents the demo and the tests
// rely on (张桂兰, 王德福, 李淑珍); see tests/unit/core/demo_roster_test.cpp.
#include <cstddef>
#include <string>
#include <vector>

#include "kiosk/core/notice.hpp"
#include "kiosk/core/resident.hpp"

namespace kiosk::core {

struct RosterEntry {
    Resident resident;       // masked_id filled in
    std::string id_number;   // full number: only for hashing at import
    std::string card;        // community card number, 10 digits
};

inline constexpr std::size_t kDemoRosterSize = 200;

[[nodiscard]] std::vector<RosterEntry> demo_roster(std::size_t count = kDemoRosterSize);

// A valid ID number that is not on any demo roster, and a card nobody holds.
inline constexpr const char* kDemoUnknownIdNumber = "130730193501010039";
inline constexpr const char* kDemoUnknownCard = "0009999999";

[[nodiscard]] std::vector<Notice> demo_notices();

}  // namespace kiosk::core
