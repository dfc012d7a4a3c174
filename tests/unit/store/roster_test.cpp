#include "kiosk/store/roster.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "kiosk/core/demo_roster.hpp"
#include "kiosk/core/id_number.hpp"
#include "kiosk/store/database.hpp"
#include "kiosk/store/secret.hpp"
#include "temp_dir.hpp"

using namespace kiosk;
using kiosk::test::open_db;
using kiosk::test::RawDb;
using kiosk::test::TempDir;

namespace {

struct Fixture {
    TempDir tmp;
    std::filesystem::path file = tmp / "kiosk.db";
    std::unique_ptr<store::Database> db = open_db(file);
    store::IdHasher hasher{test::test_key()};
    store::RosterRepository repo{*db, hasher};
};

std::size_t active(store::RosterRepository& repo) {
    auto n = repo.count_active();
    REQUIRE_MESSAGE(n.ok(), n.error().message);
    return *n;
}

std::optional<core::Resident> by_card(store::RosterRepository& repo, std::string_view card) {
    auto r = repo.find_by_card(card);
    REQUIRE_MESSAGE(r.ok(), r.error().message);
    return *r;
}

std::optional<core::Resident> by_number(store::RosterRepository& repo, std::string_view number) {
    auto r = repo.find_by_id_number(number);
    REQUIRE_MESSAGE(r.ok(), r.error().message);
    return *r;
}

std::optional<core::Resident> by_id(store::RosterRepository& repo, core::RosterId id) {
    auto r = repo.find_by_id(id);
    REQUIRE_MESSAGE(r.ok(), r.error().message);
    return *r;
}

}  // namespace

TEST_CASE("roster: an empty database has no residents") {
    Fixture f;
    CHECK(active(f.repo) == 0);
    CHECK_FALSE(by_card(f.repo, "0004215869").has_value());
    CHECK_FALSE(by_number(f.repo, "130730194603080024").has_value());
    CHECK_FALSE(by_id(f.repo, 1).has_value());
}

TEST_CASE("roster: the demo roster imports and every resident round-trips by card and ID number and roster id") {
    Fixture f;
    const auto roster = core::demo_roster();
    REQUIRE(roster.size() == 200);
    REQUIRE(f.repo.replace_all(roster).ok());
    CHECK(active(f.repo) == 200);

    for (const auto& e : roster) {
        CAPTURE(e.resident.id);
        const auto c = by_card(f.repo, e.card);
        REQUIRE(c.has_value());
        CHECK(*c == e.resident);
        const auto n = by_number(f.repo, e.id_number);
        REQUIRE(n.has_value());
        CHECK(*n == e.resident);
        const auto i = by_id(f.repo, e.resident.id);
        REQUIRE(i.has_value());
        CHECK(*i == e.resident);
    }
}

TEST_CASE("roster: 张桂兰 by her community card with every field") {
    Fixture f;
    REQUIRE(f.repo.replace_all(core::demo_roster()).ok());
    const auto r = by_card(f.repo, "0004215869");
    REQUIRE(r.has_value());
    CHECK(r->id == 1);
    CHECK(r->name == "张桂兰");
    CHECK(r->gender == core::Gender::Female);
    CHECK(r->birth == core::CivilDate{1946, 3, 8});
    CHECK(r->masked_id == "130***********0024");
    CHECK(r->categories == core::Categories{core::Category::LivingAlone});
    CHECK(r->categories.has(core::Category::LivingAlone));
    CHECK_FALSE(r->categories.has(core::Category::AdvancedAge));
    CHECK(r->address.area == "佳禾小区一区");
    CHECK(r->address.building == 3);
    CHECK(r->address.unit == 2);
    CHECK(r->address.room == "401");
    CHECK(r->address.zh() == "佳禾小区一区 3号楼 2单元 401");
    CHECK(r->phone == "13903130024");
    CHECK_FALSE(r->prefers_plain_name);
}

TEST_CASE("roster: 王德福 by his ID number") {
    Fixture f;
    REQUIRE(f.repo.replace_all(core::demo_roster()).ok());
    const auto r = by_number(f.repo, "130730194111020017");
    REQUIRE(r.has_value());
    CHECK(r->id == 2);
    CHECK(r->name == "王德福");
    CHECK(r->gender == core::Gender::Male);
    CHECK(r->birth == core::CivilDate{1941, 11, 2});
    CHECK(r->masked_id == "130***********0017");
    CHECK(r->categories == core::Categories{core::Category::SubsistenceAllowance});
    CHECK(r->address == core::Address{"佳禾小区二区", 7, 1, "102"});
    // and his card finds the same person
    const auto c = by_card(f.repo, "0004215870");
    REQUIRE(c.has_value());
    CHECK(*c == *r);
}

TEST_CASE("roster: unknown cards and ID numbers are not found") {
    Fixture f;
    REQUIRE(f.repo.replace_all(core::demo_roster()).ok());
    CHECK(std::string(core::kDemoUnknownCard) == "0009999999");
    CHECK(std::string(core::kDemoUnknownIdNumber) == "130730193501010039");
    CHECK_FALSE(by_card(f.repo, "0009999999").has_value());
    CHECK_FALSE(by_number(f.repo, "130730193501010039").has_value());
    CHECK_FALSE(by_card(f.repo, "").has_value());
    CHECK_FALSE(by_number(f.repo, "").has_value());
    CHECK_FALSE(by_id(f.repo, 201).has_value());
    // The masked form is not a way in.
    CHECK_FALSE(by_number(f.repo, "130***********0024").has_value());
}

TEST_CASE("roster: an ID number with a check character X is found with a lower-case x") {
    Fixture f;
    // Build a valid number whose check character is X.
    std::string number;
    for (int seq = 0; seq < 1000 && number.empty(); ++seq) {
        std::string seq3 = std::to_string(seq);
        seq3.insert(0, 3 - seq3.size(), '0');
        const std::string first17 = "13073019500505" + seq3;
        if (core::id_check_char(first17) == 'X') number = first17 + 'X';
    }
    REQUIRE(number.size() == 18);
    REQUIRE_FALSE(core::validate_id_number(number).has_value());

    auto roster = core::demo_roster(3);
    core::RosterEntry e;
    e.resident.id = 50;
    e.resident.name = "赵玉梅";
    e.resident.gender = core::Gender::Female;
    e.resident.birth = {1950, 5, 5};
    e.resident.masked_id = core::mask_id_number(number);
    e.id_number = number;
    e.card = "0004215918";
    roster.push_back(e);
    REQUIRE(f.repo.replace_all(roster).ok());

    std::string lower = number;
    lower.back() = 'x';
    const auto upper_hit = by_number(f.repo, number);
    const auto lower_hit = by_number(f.repo, lower);
    REQUIRE(upper_hit.has_value());
    REQUIRE(lower_hit.has_value());
    CHECK(lower_hit->id == 50);
    CHECK(*lower_hit == e.resident);
    CHECK(lower_hit->masked_id.back() == 'X');
}

TEST_CASE("roster: a smaller roster marks the others inactive but keeps their records") {
    Fixture f;
    const auto full = core::demo_roster();
    REQUIRE(f.repo.replace_all(full).ok());
    REQUIRE(active(f.repo) == 200);

    auto small = core::demo_roster(50);
    // 张桂兰 moved within the estate.
    small[0].resident.address = {"佳禾小区三区", 11, 4, "602"};
    REQUIRE(f.repo.replace_all(small).ok());
    CHECK(active(f.repo) == 50);

    const auto& gone = full[120];
    CHECK_FALSE(by_card(f.repo, gone.card).has_value());
    CHECK_FALSE(by_number(f.repo, gone.id_number).has_value());
    const auto kept = by_id(f.repo, gone.resident.id);
    REQUIRE(kept.has_value());  // never deleted
    CHECK(*kept == gone.resident);

    const auto still = by_card(f.repo, full[49].card);
    REQUIRE(still.has_value());
    CHECK(*still == full[49].resident);

    const auto zhang = by_card(f.repo, "0004215869");
    REQUIRE(zhang.has_value());
    CHECK(zhang->address == core::Address{"佳禾小区三区", 11, 4, "602"});

    {
        RawDb raw(f.file);
        CHECK(raw.integer("SELECT COUNT(*) FROM residents") == 200);
        CHECK(raw.integer("SELECT COUNT(*) FROM residents WHERE active = 0") == 150);
        CHECK(raw.integer("SELECT COUNT(*) FROM cards") == 50);
    }

    // Back on the roster: active again.
    REQUIRE(f.repo.replace_all(full).ok());
    CHECK(active(f.repo) == 200);
    const auto back = by_card(f.repo, gone.card);
    REQUIRE(back.has_value());
    CHECK(*back == gone.resident);
}

TEST_CASE("roster: a resident re-registered under a new roster id is found under the new one") {
    Fixture f;
    auto roster = core::demo_roster(10);
    REQUIRE(f.repo.replace_all(roster).ok());
    // The county re-registers 王德福 (roster id 2) as id 5002: same ID number, new id.
    roster[1].resident.id = 5002;
    REQUIRE(f.repo.replace_all(roster).ok());
    const auto wang = by_number(f.repo, "130730194111020017");
    REQUIRE(wang.has_value());
    CHECK(wang->id == 5002);
    CHECK(by_card(f.repo, "0004215870")->id == 5002);
    REQUIRE(by_id(f.repo, 2).has_value());  // the old row stays for the records that name it
    CHECK(active(f.repo) == 10);
}

TEST_CASE("roster: two active residents with one ID number are refused") {
    Fixture f;
    auto roster = core::demo_roster(10);
    roster[5].id_number = roster[4].id_number;
    CHECK_FALSE(f.repo.replace_all(roster).ok());
    CHECK(active(f.repo) == 0);  // nothing half-imported
}

TEST_CASE("roster: cards follow the latest import") {
    Fixture f;
    auto roster = core::demo_roster(3);
    REQUIRE(f.repo.replace_all(roster).ok());

    // 李淑珍 lost her card and got a new one; 王德福 has none now.
    roster[2].card = "0004300001";
    roster[1].card.clear();
    REQUIRE(f.repo.replace_all(roster).ok());
    CHECK(active(f.repo) == 3);
    CHECK_FALSE(by_card(f.repo, "0004215871").has_value());
    const auto li = by_card(f.repo, "0004300001");
    REQUIRE(li.has_value());
    CHECK(li->name == "李淑珍");
    CHECK_FALSE(by_card(f.repo, "0004215870").has_value());
    const auto wang = by_number(f.repo, "130730194111020017");  // still found by ID card
    REQUIRE(wang.has_value());
    CHECK(wang->name == "王德福");
}

TEST_CASE("roster: a failing import changes nothing") {
    Fixture f;
    REQUIRE(f.repo.replace_all(core::demo_roster(20)).ok());

    auto bad = core::demo_roster(5);
    bad[4].id_number = bad[0].id_number;  // two residents with one ID number
    auto r = f.repo.replace_all(bad);
    REQUIRE_FALSE(r.ok());
    CHECK_FALSE(r.error().code.empty());

    CHECK(active(f.repo) == 20);
    const auto e19 = core::demo_roster(20)[19];
    const auto still = by_card(f.repo, e19.card);
    REQUIRE(still.has_value());
    CHECK(*still == e19.resident);
    const auto fifth = by_number(f.repo, core::demo_roster(5)[4].id_number);
    REQUIRE(fifth.has_value());
    CHECK(fifth->id == 5);
}

TEST_CASE("roster: full ID numbers never reach the database file or its WAL") {
    TempDir tmp;
    const auto file = tmp / "kiosk.db";
    const auto wal = std::filesystem::path(file.string() + "-wal");
    const auto roster = core::demo_roster();
    const store::IdHasher hasher(test::test_key());

    const auto check_files = [&](bool expect_wal) {
        const std::string main_bytes = test::read_bytes(file);
        const std::string wal_bytes = test::read_bytes(wal);
        REQUIRE(main_bytes.size() > 0);
        if (expect_wal) REQUIRE(wal_bytes.size() > 0);
        CHECK(main_bytes.find("130730194603080024") == std::string::npos);
        CHECK(wal_bytes.find("130730194603080024") == std::string::npos);
        for (const auto& e : roster) {
            CAPTURE(e.resident.id);
            CHECK(main_bytes.find(e.id_number) == std::string::npos);
            CHECK(wal_bytes.find(e.id_number) == std::string::npos);
        }
        // Sanity: the search would have found plain text that is there.
        const std::string masked = "130***********0024";
        CHECK((main_bytes.find(masked) != std::string::npos || wal_bytes.find(masked) != std::string::npos));
    };

    {
        auto db = open_db(file);
        store::RosterRepository repo(*db, hasher);
        REQUIRE(repo.replace_all(roster).ok());
        const auto r = repo.find_by_id_number("130730194603080024");
        REQUIRE(r.ok());
        REQUIRE(r->has_value());
        check_files(true);  // the import is in the WAL now
    }
    check_files(false);  // closed: checkpointed into the main file
}

TEST_CASE("roster: staff find a resident without a card by surname or by the phone number's last digits") {
    Fixture f;
    const auto roster = core::demo_roster();
    REQUIRE(f.repo.replace_all(roster).ok());

    auto surnames = f.repo.surnames();
    REQUIRE(surnames.ok());
    int total = 0;
    for (const auto& s : *surnames) total += s.count;
    CHECK(total == 200);
    for (std::size_t i = 1; i < surnames->size(); ++i) CHECK((*surnames)[i - 1].count >= (*surnames)[i].count);
    const auto zhang = std::find_if(surnames->begin(), surnames->end(), [](const auto& s) { return s.text == "张"; });
    REQUIRE(zhang != surnames->end());
    int expected_zhang = 0;
    for (const auto& e : roster) expected_zhang += e.resident.name.rfind("张", 0) == 0 ? 1 : 0;
    CHECK(zhang->count == expected_zhang);

    auto zhangs = f.repo.find_by_name_prefix("张", 100);
    REQUIRE(zhangs.ok());
    CHECK(static_cast<int>(zhangs->size()) == expected_zhang);
    CHECK(std::any_of(zhangs->begin(), zhangs->end(), [](const core::Resident& r) { return r.name == "张桂兰"; }));
    for (const auto& r : *zhangs) CHECK(r.name.rfind("张", 0) == 0);
    auto two = f.repo.find_by_name_prefix("张", 2);
    REQUIRE(two.ok());
    CHECK(two->size() == std::min<std::size_t>(2, zhangs->size()));
    auto pattern = f.repo.find_by_name_prefix("%", 10);  // not a wildcard
    REQUIRE(pattern.ok());
    CHECK(pattern->empty());

    auto by_phone = f.repo.find_by_phone_tail("0024", 10);
    REQUIRE(by_phone.ok());
    CHECK(std::any_of(by_phone->begin(), by_phone->end(), [](const core::Resident& r) { return r.name == "张桂兰"; }));
    for (const auto& r : *by_phone) CHECK(r.phone.ends_with("0024"));
    auto short_tail = f.repo.find_by_phone_tail("24", 10);  // too few digits to mean anyone
    REQUIRE(short_tail.ok());
    CHECK(short_tail->empty());

    // Residents who left are not offered.
    REQUIRE(f.repo.replace_all(core::demo_roster(50)).ok());
    auto after = f.repo.surnames();
    REQUIRE(after.ok());
    total = 0;
    for (const auto& s : *after) total += s.count;
    CHECK(total == 50);
}
