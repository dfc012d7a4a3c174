#include <doctest/doctest.h>

#include "kiosk/core/civil_date.hpp"

using namespace kiosk::core;

TEST_CASE("civil date: parses both forms and rejects impossible dates") {
    CHECK(CivilDate::parse("19460308") == CivilDate{1946, 3, 8});
    CHECK(CivilDate::parse("1946-03-08") == CivilDate{1946, 3, 8});
    CHECK(CivilDate::parse("20240229") == CivilDate{2024, 2, 29});
    CHECK_FALSE(CivilDate::parse("20230229").has_value());
    CHECK_FALSE(CivilDate::parse("19461301").has_value());
    CHECK_FALSE(CivilDate::parse("19460100").has_value());
    CHECK_FALSE(CivilDate::parse("1946-3-8").has_value());
    CHECK_FALSE(CivilDate::parse("1946030").has_value());
    CHECK_FALSE(CivilDate::parse("abcdefgh").has_value());
    CHECK(CivilDate{1946, 3, 8}.iso() == "1946-03-08");
}

TEST_CASE("age: completed years, the birthday itself counts") {
    const CivilDate birth{1946, 3, 8};
    CHECK(age_on(birth, {2026, 3, 7}) == 79);
    CHECK(age_on(birth, {2026, 3, 8}) == 80);
    CHECK(age_on(birth, {2026, 11, 25}) == 80);
    CHECK(age_on({1941, 11, 2}, {2026, 11, 25}) == 85);
    CHECK(age_on({1958, 7, 16}, {2026, 11, 25}) == 68);
    CHECK(age_on(birth, {1945, 1, 1}) < 0);
}

TEST_CASE("age: a 29 February birthday is reached on 1 March in common years") {
    const CivilDate leap{1948, 2, 29};
    CHECK(age_on(leap, {2026, 2, 28}) == 77);
    CHECK(age_on(leap, {2026, 3, 1}) == 78);
    CHECK(age_on(leap, {2028, 2, 29}) == 80);
}

TEST_CASE("add_days crosses months, years and leap days") {
    CHECK(add_days({2026, 12, 31}, 1) == CivilDate{2027, 1, 1});
    CHECK(add_days({2028, 2, 28}, 1) == CivilDate{2028, 2, 29});
    CHECK(add_days({2027, 2, 28}, 1) == CivilDate{2027, 3, 1});
    CHECK(add_days({2026, 3, 1}, -1) == CivilDate{2026, 2, 28});
    CHECK(add_days({2026, 11, 25}, 0) == CivilDate{2026, 11, 25});
}
