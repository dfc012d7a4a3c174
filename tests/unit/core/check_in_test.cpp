#include <doctest/doctest.h>

#include "kiosk/core/check_in.hpp"

using namespace kiosk::core;
using namespace std::chrono_literals;

TEST_CASE("check-in: codes used in records") {
    CHECK(method_code(CheckInMethod::Card) == "card");
    CHECK(method_code(CheckInMethod::IdCard) == "id_card");
    CHECK(method_code(CheckInMethod::Staff) == "staff");
    CHECK(purpose_code(CheckInPurpose::Visit) == "visit");
    CHECK(purpose_code(CheckInPurpose::Meal) == "meal");
    CHECK(purpose_code(CheckInPurpose::DayCare) == "day_care");
}

TEST_CASE("check-in: a repeat inside the window is not recorded again") {
    const CheckInRules rules{600s};
    const UtcTime now{std::chrono::milliseconds{1'764'000'000'000}};
    CHECK(decide_check_in(rules, std::nullopt, now) == CheckInDecision::Record);
    CHECK(decide_check_in(rules, now - 60s, now) == CheckInDecision::AlreadyCheckedIn);
    CHECK(decide_check_in(rules, now - 599s, now) == CheckInDecision::AlreadyCheckedIn);
    CHECK(decide_check_in(rules, now - 600s, now) == CheckInDecision::Record);
    CHECK(decide_check_in(rules, now - 3h, now) == CheckInDecision::Record);
}

TEST_CASE("check-in: a clock set backwards does not block check-ins") {
    const CheckInRules rules{600s};
    const UtcTime now{std::chrono::milliseconds{1'764'000'000'000}};
    CHECK(decide_check_in(rules, now + 1h, now) == CheckInDecision::Record);
}

TEST_CASE("check-in: a zero window records every check-in") {
    const CheckInRules rules{0s};
    const UtcTime now{std::chrono::milliseconds{1'764'000'000'000}};
    CHECK(decide_check_in(rules, now, now) == CheckInDecision::Record);
}

#include "kiosk/core/money.hpp"

TEST_CASE("money: fen shown as yuan with two decimals") {
    CHECK(format_yuan(1500) == "15.00");
    CHECK(format_yuan(1000) == "10.00");
    CHECK(format_yuan(5) == "0.05");
    CHECK(format_yuan(0) == "0.00");
    CHECK(format_yuan(-300) == "-3.00");
    CHECK(format_yuan(123456789) == "1234567.89");
    CHECK(format_yuan(INT64_MIN) == "-92233720368547758.08");
}
