#include <doctest/doctest.h>

#include <set>

#include "kiosk/core/demo_roster.hpp"
#include "kiosk/core/id_number.hpp"

using namespace kiosk::core;

TEST_CASE("demo roster: the residents the demo and tests name, exactly") {
    const auto r = demo_roster();
    REQUIRE(r.size() == kDemoRosterSize);

    const auto& zhang = r[0];
    CHECK(zhang.resident.name == "张桂兰");
    CHECK(zhang.resident.gender == Gender::Female);
    CHECK(zhang.resident.birth == CivilDate{1946, 3, 8});
    CHECK(zhang.id_number == "130730194603080024");
    CHECK(zhang.card == "0004215869");
    CHECK(zhang.resident.categories == Categories{Category::LivingAlone});
    CHECK(zhang.resident.address.zh() == "佳禾小区一区 3号楼 2单元 401");
    CHECK(zhang.resident.masked_id == "130***********0024");

    const auto& wang = r[1];
    CHECK(wang.resident.name == "王德福");
    CHECK(wang.resident.gender == Gender::Male);
    CHECK(wang.resident.birth == CivilDate{1941, 11, 2});
    CHECK(wang.id_number == "130730194111020017");
    CHECK(wang.card == "0004215870");
    CHECK(wang.resident.categories == Categories{Category::SubsistenceAllowance});
    CHECK(wang.resident.address.zh() == "佳禾小区二区 7号楼 1单元 102");

    const auto& li = r[2];
    CHECK(li.resident.name == "李淑珍");
    CHECK(li.resident.gender == Gender::Female);
    CHECK(li.resident.birth == CivilDate{1958, 7, 16});
    CHECK(li.id_number == "130730195807160047");
    CHECK(li.card == "0004215871");
    CHECK(li.resident.categories.empty());
    CHECK(li.resident.address.zh() == "佳禾小区三区 1号楼 3单元 502");
}

TEST_CASE("demo roster: deterministic") {
    const auto a = demo_roster(500), b = demo_roster(500);
    REQUIRE(a.size() == b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        CHECK(a[i].resident == b[i].resident);
        CHECK(a[i].id_number == b[i].id_number);
        CHECK(a[i].card == b[i].card);
    }
    // A larger roster starts with the same people.
    const auto small = demo_roster(50);
    for (std::size_t i = 0; i < small.size(); ++i) CHECK(small[i].resident == a[i].resident);
}

TEST_CASE("demo roster: every entry is plausible and unique") {
    const auto roster = demo_roster(5000);
    std::set<std::string> ids, cards;
    std::set<std::string> areas;
    int categories[kCategoryCount] = {};
    for (const auto& e : roster) {
        const auto& r = e.resident;
        CHECK_FALSE(validate_id_number(e.id_number).has_value());
        CHECK(e.id_number != kDemoUnknownIdNumber);
        CHECK(e.card != kDemoUnknownCard);
        CHECK(e.card.size() == 10);
        CHECK(ids.insert(e.id_number).second);
        CHECK(cards.insert(e.card).second);
        CHECK(id_birth_date(e.id_number) == r.birth);
        CHECK(id_gender(e.id_number) == r.gender);
        CHECK(r.masked_id == mask_id_number(e.id_number));
        const int age = age_on(r.birth, {2026, 11, 25});
        CHECK(age >= 55);
        CHECK(age <= 98);
        CHECK(r.name.size() >= 6);  // two or more Chinese characters
        CHECK(r.address.building >= 1);
        CHECK(r.address.unit >= 1);
        CHECK_FALSE(r.address.room.empty());
        areas.insert(r.address.area);
        for (int c = 0; c < kCategoryCount; ++c)
            if (r.categories.has(static_cast<Category>(c))) ++categories[c];
    }
    CHECK(areas.size() == 3);
    for (int c = 0; c < kCategoryCount; ++c) CHECK(categories[c] > 0);
}

TEST_CASE("demo roster: notices are dated and complete") {
    const auto notices = demo_notices();
    CHECK(notices.size() >= 3);
    std::set<std::int64_t> ids;
    for (const auto& n : notices) {
        CHECK(ids.insert(n.id).second);
        CHECK_FALSE(n.title.empty());
        CHECK_FALSE(n.body.empty());
        CHECK(n.published.valid());
    }
}

TEST_CASE("categories: codes and Chinese terms round-trip") {
    for (int i = 0; i < kCategoryCount; ++i) {
        const auto c = static_cast<Category>(i);
        CHECK(category_from_code(category_code(c)) == c);
        CHECK(category_from_zh(category_zh(c)) == c);
    }
    CHECK_FALSE(category_from_code("unknown").has_value());
    CHECK(category_zh(Category::SubsistenceAllowance) == "低保");
    CHECK(Categories::from_bits(0xFF).bits() == 0x3F);
}

TEST_CASE("names on paper: first and last kept, the rest starred") {
    CHECK(mask_name("张桂兰") == "张*兰");
    CHECK(mask_name("王鑫") == "王*");
    CHECK(mask_name("欧阳淑珍") == "欧**珍");
    CHECK(mask_name("杨𫖯") == "杨*");
    CHECK(mask_name("赵孟𫖯") == "赵*𫖯");
    CHECK(mask_name("龑") == "龑");
    CHECK(mask_name("") == "");
}
