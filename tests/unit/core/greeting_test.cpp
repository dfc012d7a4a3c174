#include <doctest/doctest.h>

#include "kiosk/core/greeting.hpp"

using namespace kiosk::core;

TEST_CASE("greeting: the default forms by age and gender") {
    const auto p = GreetingPolicy::defaults();
    CHECK(p.form_for(80, Gender::Female) == "奶奶");
    CHECK(p.form_for(85, Gender::Male) == "爷爷");
    CHECK(p.form_for(60, Gender::Female) == "奶奶");
    CHECK(p.form_for(59, Gender::Female) == "阿姨");
    CHECK(p.form_for(40, Gender::Male) == "叔叔");
    CHECK(p.form_for(39, Gender::Male) == "先生");
    CHECK(p.form_for(18, Gender::Female) == "女士");
    CHECK(p.form_for(17, Gender::Female) == "");
    CHECK(p.form_for(70, Gender::Unknown) == "");
}

TEST_CASE("greeting: rules may come in any order") {
    GreetingPolicy p{true, {{18, "女士", "先生"}, {65, "老奶奶", "老爷爷"}, {40, "阿姨", "叔叔"}}};
    CHECK(p.form_for(70, Gender::Female) == "老奶奶");
    CHECK(p.form_for(64, Gender::Male) == "叔叔");
}

TEST_CASE("greeting: forms can be switched off, per site or per resident") {
    Resident r;
    r.name = "张桂兰";
    r.gender = Gender::Female;
    r.birth = {1946, 3, 8};
    auto p = GreetingPolicy::defaults();
    CHECK(p.form_for(r, {2026, 11, 25}) == "奶奶");
    r.prefers_plain_name = true;
    CHECK(p.form_for(r, {2026, 11, 25}) == "");
    r.prefers_plain_name = false;
    p.use_forms = false;
    CHECK(p.form_for(r, {2026, 11, 25}) == "");
}

TEST_CASE("greeting: the age is taken on the given day") {
    Resident r;
    r.gender = Gender::Male;
    r.birth = {1966, 12, 1};
    const auto p = GreetingPolicy::defaults();
    CHECK(p.form_for(r, {2026, 11, 30}) == "叔叔");  // 59
    CHECK(p.form_for(r, {2026, 12, 1}) == "爷爷");   // 60
}
