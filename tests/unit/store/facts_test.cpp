#include "kiosk/store/facts.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "kiosk/core/check_in.hpp"
#include "kiosk/core/demo_roster.hpp"
#include "kiosk/core/utc.hpp"
#include "kiosk/store/database.hpp"
#include "kiosk/store/roster.hpp"
#include "kiosk/store/secret.hpp"
#include "temp_dir.hpp"

using namespace kiosk;
using kiosk::test::open_db;
using kiosk::test::RawDb;
using kiosk::test::TempDir;

namespace {

constexpr const char* kTerminal = "HL-JH-01";

core::UtcTime utc(int y, unsigned mo, unsigned d, int h, int mi, int s = 0, int ms = 0) {
    using namespace std::chrono;
    return sys_days{year{y} / month{mo} / day{d}} + hours{h} + minutes{mi} + seconds{s} + milliseconds{ms};
}

const core::CheckIn kZhangCard{1, "130***********0024", core::CheckInMethod::Card, core::CheckInPurpose::Visit};
const core::CheckIn kWangIdMeal{2, "130***********0017", core::CheckInMethod::IdCard, core::CheckInPurpose::Meal};
const core::CheckIn kLiCardDayCare{3, "130***********0047", core::CheckInMethod::Card, core::CheckInPurpose::DayCare};

// Residents must be on the roster: check-ins reference them.
void import_roster(store::Database& db) {
    const store::IdHasher hasher(test::test_key());
    store::RosterRepository repo(db, hasher);
    REQUIRE(repo.replace_all(core::demo_roster(3)).ok());
}

struct Fixture {
    TempDir tmp;
    std::filesystem::path file = tmp / "kiosk.db";
    std::unique_ptr<store::Database> db = open_db(file);
    std::unique_ptr<store::FactStore> facts;
    Fixture() {
        import_roster(*db);
        facts = std::make_unique<store::FactStore>(*db, kTerminal);
    }
};

store::RecordedFact record(store::FactStore& facts, const core::CheckIn& c, core::UtcTime at) {
    auto r = facts.record_check_in(c, at);
    REQUIRE_MESSAGE(r.ok(), r.error().code << ": " << r.error().message);
    return *r;
}

std::vector<store::OutboxRow> outbox(store::FactStore& facts) {
    std::vector<store::OutboxRow> rows;
    auto r = facts.for_each_fact([&](const store::OutboxRow& row) { rows.push_back(row); });
    REQUIRE_MESSAGE(r.ok(), r.error().message);
    return rows;
}

std::int64_t pending(store::FactStore& facts) {
    auto r = facts.pending_count();
    REQUIRE_MESSAGE(r.ok(), r.error().message);
    return *r;
}

std::optional<core::UtcTime> last(store::FactStore& facts, core::RosterId id, core::CheckInPurpose p) {
    auto r = facts.last_check_in(id, p);
    REQUIRE_MESSAGE(r.ok(), r.error().message);
    return *r;
}

const std::regex kUuidV4{"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"};

}  // namespace

TEST_CASE("facts: a check-in gets a UUID v4 and the next sequence number") {
    Fixture f;
    const auto at = utc(2026, 11, 25, 1, 30);
    const auto a = record(*f.facts, kZhangCard, at);
    const auto b = record(*f.facts, kWangIdMeal, at + std::chrono::minutes{1});
    const auto c = record(*f.facts, kLiCardDayCare, at + std::chrono::minutes{2});

    for (const auto* fact : {&a, &b, &c}) {
        CAPTURE(fact->id);
        CHECK(std::regex_match(fact->id, kUuidV4));
    }
    CHECK(std::set<std::string>{a.id, b.id, c.id}.size() == 3);
    CHECK(a.seq == 1);
    CHECK(b.seq == 2);
    CHECK(c.seq == 3);
    CHECK(a.at == at);
    CHECK(c.at == at + std::chrono::minutes{2});
    CHECK(pending(*f.facts) == 3);
}

TEST_CASE("facts: the outbox row holds the whole fact as one line of JSON") {
    Fixture f;
    const auto at1 = utc(2026, 11, 25, 3, 30, 0, 123);
    const auto at2 = utc(2026, 11, 25, 4, 5, 6, 7);
    const auto a = record(*f.facts, kZhangCard, at1);
    const auto b = record(*f.facts, kWangIdMeal, at2);

    const auto rows = outbox(*f.facts);
    REQUIRE(rows.size() == 2);

    SUBCASE("card for a visit") {
        const auto& row = rows[0];
        CHECK(row.seq == 1);
        CHECK(row.fact_id == a.id);
        CHECK(row.type == "check_in");
        CHECK_FALSE(row.delivered);
        CHECK(row.json.find('\n') == std::string::npos);
        const auto j = nlohmann::json::parse(row.json);
        REQUIRE(j.is_object());
        std::set<std::string> keys;
        for (const auto& [k, v] : j.items()) keys.insert(k);
        CHECK(keys == std::set<std::string>{"type", "id", "at", "terminal", "seq", "resident", "masked_id", "method",
                                            "purpose"});
        CHECK(j.at("type") == "check_in");
        CHECK(j.at("id") == a.id);
        CHECK(j.at("at") == "2026-11-25T03:30:00.123Z");
        CHECK(j.at("at") == core::format_utc(at1));
        CHECK(j.at("terminal") == kTerminal);
        CHECK(j.at("seq").is_number_integer());
        CHECK(j.at("seq") == 1);
        CHECK(j.at("resident").is_number_integer());
        CHECK(j.at("resident") == 1);
        CHECK(j.at("masked_id") == "130***********0024");
        CHECK(j.at("method") == "card");
        CHECK(j.at("purpose") == "visit");
    }
    SUBCASE("ID card for a meal") {
        const auto& row = rows[1];
        CHECK(row.seq == 2);
        CHECK(row.fact_id == b.id);
        const auto j = nlohmann::json::parse(row.json);
        CHECK(j.at("id") == b.id);
        CHECK(j.at("at") == "2026-11-25T04:05:06.007Z");
        const std::string at_text = j.at("at").get<std::string>();
        CHECK(at_text.back() == 'Z');
        CHECK(core::parse_iso8601(at_text) == at2);
        CHECK(j.at("seq") == 2);
        CHECK(j.at("resident") == 2);
        CHECK(j.at("masked_id") == "130***********0017");
        CHECK(j.at("method") == "id_card");
        CHECK(j.at("purpose") == "meal");
        // Personal data stays masked.
        CHECK(row.json.find("130730194111020017") == std::string::npos);
    }

    SUBCASE("the check-in row matches") {
        RawDb raw(f.file);
        CHECK(raw.integer("SELECT at_ms FROM check_ins WHERE seq = 1") == at1.time_since_epoch().count());
        CHECK(raw.text("SELECT fact_id FROM check_ins WHERE seq = 2") == b.id);
        CHECK(raw.text("SELECT method || '/' || purpose FROM check_ins WHERE seq = 2") == "id_card/meal");
    }
}

TEST_CASE("facts: for_each_fact goes in sequence order and pending counts the undelivered") {
    Fixture f;
    CHECK(outbox(*f.facts).empty());
    CHECK(pending(*f.facts) == 0);

    std::vector<std::string> ids;
    // Recorded with times out of order: the sequence, not the time, orders the outbox.
    const std::vector<core::UtcTime> times{utc(2026, 11, 25, 9, 0), utc(2026, 11, 25, 7, 0), utc(2026, 11, 25, 8, 0),
                                           utc(2026, 11, 24, 23, 0)};
    const std::vector<core::CheckIn> who{kZhangCard, kWangIdMeal, kLiCardDayCare, kZhangCard};
    for (std::size_t i = 0; i < times.size(); ++i) ids.push_back(record(*f.facts, who[i], times[i]).id);
    CHECK(pending(*f.facts) == 4);

    auto rows = outbox(*f.facts);
    REQUIRE(rows.size() == 4);
    for (std::size_t i = 0; i < rows.size(); ++i) {
        CAPTURE(i);
        CHECK(rows[i].seq == static_cast<std::int64_t>(i + 1));
        CHECK(rows[i].fact_id == ids[i]);
        CHECK(nlohmann::json::parse(rows[i].json).at("at") == core::format_utc(times[i]));
        CHECK_FALSE(rows[i].delivered);
    }

    {
        RawDb raw(f.file);  // the county acknowledged the first two
        REQUIRE(raw.exec("UPDATE outbox SET delivered_ms = 1764000000000 WHERE seq <= 2") == "");
    }
    CHECK(pending(*f.facts) == 2);
    rows = outbox(*f.facts);
    REQUIRE(rows.size() == 4);
    CHECK(rows[0].delivered);
    CHECK(rows[1].delivered);
    CHECK_FALSE(rows[2].delivered);
    CHECK_FALSE(rows[3].delivered);
}

TEST_CASE("facts: last_check_in is the latest per resident and purpose") {
    Fixture f;
    using P = core::CheckInPurpose;
    CHECK_FALSE(last(*f.facts, 1, P::Visit).has_value());

    const auto t0900 = utc(2026, 11, 25, 1, 0, 0, 0);
    const auto t1000 = utc(2026, 11, 25, 2, 0, 0, 250);
    const auto t1130 = utc(2026, 11, 25, 3, 30);
    const auto t1200 = utc(2026, 11, 25, 4, 0);
    record(*f.facts, kZhangCard, t1000);
    record(*f.facts, kZhangCard, t0900);  // recorded later, happened earlier
    record(*f.facts, {1, "130***********0024", core::CheckInMethod::IdCard, P::Meal}, t1130);
    record(*f.facts, {2, "130***********0017", core::CheckInMethod::Card, P::Visit}, t1200);

    CHECK(last(*f.facts, 1, P::Visit) == std::optional<core::UtcTime>{t1000});
    CHECK(last(*f.facts, 1, P::Meal) == std::optional<core::UtcTime>{t1130});
    CHECK(last(*f.facts, 2, P::Visit) == std::optional<core::UtcTime>{t1200});
    CHECK_FALSE(last(*f.facts, 1, P::DayCare).has_value());
    CHECK_FALSE(last(*f.facts, 2, P::Meal).has_value());
    CHECK_FALSE(last(*f.facts, 3, P::Visit).has_value());
    CHECK_FALSE(last(*f.facts, 999, P::Visit).has_value());
}

TEST_CASE("facts: sequence numbers are never reused across reopening and pruning") {
    TempDir tmp;
    const auto file = tmp / "kiosk.db";
    std::set<std::string> ids;
    {
        auto db = open_db(file);
        import_roster(*db);
        store::FactStore facts(*db, kTerminal);
        CHECK(record(facts, kZhangCard, utc(2026, 11, 25, 1, 0)).seq == 1);
        CHECK(record(facts, kWangIdMeal, utc(2026, 11, 25, 1, 1)).seq == 2);
    }
    {
        auto db = open_db(file);
        store::FactStore facts(*db, kTerminal);
        const auto third = record(facts, kLiCardDayCare, utc(2026, 11, 25, 1, 2));
        CHECK(third.seq == 3);
        CHECK(pending(facts) == 3);
    }
    {
        RawDb raw(file);  // delivered rows pruned
        REQUIRE(raw.exec("DELETE FROM outbox") == "");
    }
    auto db = open_db(file);
    store::FactStore facts(*db, "HL-JH-02");
    const auto fourth = record(facts, kZhangCard, utc(2026, 11, 26, 1, 0));
    CHECK(fourth.seq == 4);
    const auto rows = outbox(facts);
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].seq == 4);
    const auto j = nlohmann::json::parse(rows[0].json);
    CHECK(j.at("seq") == 4);
    CHECK(j.at("terminal") == "HL-JH-02");
}

TEST_CASE("facts: a check-in and its outbox row are written together or not at all") {
    Fixture f;
    record(*f.facts, kZhangCard, utc(2026, 11, 25, 1, 0));
    record(*f.facts, kWangIdMeal, utc(2026, 11, 25, 1, 1));

    const auto count = [&](const char* sql) {
        RawDb raw(f.file);
        return raw.integer(sql);
    };

    SUBCASE("the outbox insert collides") {
        {
            RawDb raw(f.file);  // a row already holds the next sequence number
            REQUIRE(raw.exec("INSERT INTO outbox (seq, fact_id, type, json) VALUES (3, 'blocker', 'test', '{}')") ==
                    "");
        }
        auto r = f.facts->record_check_in(kLiCardDayCare, utc(2026, 11, 25, 1, 2));
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().code == "store.step");

        CHECK(count("SELECT COUNT(*) FROM check_ins") == 2);
        CHECK(count("SELECT COUNT(*) FROM check_ins WHERE resident = 3") == 0);
        CHECK(count("SELECT COUNT(*) FROM outbox") == 3);  // 2 facts + the blocker
        CHECK(count("SELECT COUNT(*) FROM outbox WHERE fact_id <> 'blocker' AND seq = 3") == 0);
        CHECK(count("SELECT value FROM sequence WHERE id = 1") == 2);  // the increment was undone too
        CHECK_FALSE(last(*f.facts, 3, core::CheckInPurpose::DayCare).has_value());

        {
            RawDb raw(f.file);
            REQUIRE(raw.exec("DELETE FROM outbox WHERE fact_id = 'blocker'") == "");
        }
        const auto ok = record(*f.facts, kLiCardDayCare, utc(2026, 11, 25, 1, 3));
        CHECK(ok.seq == 3);
        CHECK(count("SELECT COUNT(*) FROM check_ins") == 3);
        CHECK(count("SELECT COUNT(*) FROM outbox") == 3);
    }

    SUBCASE("the outbox table is missing") {
        {
            RawDb raw(f.file);
            REQUIRE(raw.exec("ALTER TABLE outbox RENAME TO outbox_away") == "");
        }
        auto r = f.facts->record_check_in(kLiCardDayCare, utc(2026, 11, 25, 1, 2));
        REQUIRE_FALSE(r.ok());

        CHECK(count("SELECT COUNT(*) FROM check_ins") == 2);
        CHECK(count("SELECT COUNT(*) FROM check_ins WHERE resident = 3") == 0);
        CHECK(count("SELECT COUNT(*) FROM outbox_away") == 2);
        CHECK(count("SELECT value FROM sequence WHERE id = 1") == 2);

        {
            RawDb raw(f.file);
            REQUIRE(raw.exec("ALTER TABLE outbox_away RENAME TO outbox") == "");
        }
        const auto ok = record(*f.facts, kLiCardDayCare, utc(2026, 11, 25, 1, 3));
        CHECK(ok.seq == 3);
        CHECK(pending(*f.facts) == 3);
        CHECK(count("SELECT COUNT(*) FROM check_ins") == 3);
    }
}
