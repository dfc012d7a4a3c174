#include "kiosk/store/database.hpp"

#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include "kiosk/core/demo_roster.hpp"
#include "kiosk/store/facts.hpp"
#include "kiosk/store/meta.hpp"
#include "kiosk/store/notices.hpp"
#include "kiosk/store/roster.hpp"
#include "kiosk/store/secret.hpp"
#include "temp_dir.hpp"

// White-box: the store's own connection, to read per-connection pragmas
// (synchronous and foreign_keys are not visible from a second connection).
#include "../../../kiosk/store/src/sqlite.hpp"

using namespace kiosk;
using kiosk::test::open_db;
using kiosk::test::RawDb;
using kiosk::test::TempDir;

namespace {
bool has_table(RawDb& raw, const std::string& name) {
    return raw.integer("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '" + name + "'") == 1;
}
}  // namespace

TEST_CASE("database: the latest schema version is 3") { CHECK(store::Database::latest_schema_version() == 3); }

TEST_CASE("database: a fresh open creates a private file and directory at the latest schema") {
    TempDir tmp;
    const auto dir = tmp / "data";
    const auto file = dir / "kiosk.db";
    REQUIRE_FALSE(std::filesystem::exists(dir));

    auto db = open_db(file);
    CHECK(db->schema_version() == store::Database::latest_schema_version());
    CHECK(db->path() == file);
    CHECK(std::filesystem::is_regular_file(file));
    CHECK(test::file_mode(file) == 0600);
    CHECK(test::file_mode(dir) == 0700);
    // SQLite's companions copy the database file's mode.
    CHECK(test::file_mode(file.string() + "-wal") == 0600);
    CHECK(test::file_mode(file.string() + "-shm") == 0600);

    RawDb raw(file);
    CHECK(raw.integer("PRAGMA user_version") == store::Database::latest_schema_version());
    for (const char* table : {"meta", "sequence", "residents", "cards", "check_ins", "outbox", "notices"}) {
        CAPTURE(table);
        CHECK(has_table(raw, table));
    }
    CHECK(raw.integer("SELECT value FROM sequence WHERE id = 1") == 0);
}

TEST_CASE("database: the store connection uses WAL with synchronous FULL and foreign keys and a busy timeout") {
    TempDir tmp;
    const auto file = tmp / "kiosk.db";
    auto db = open_db(file);
    sqlite3* conn = db->impl().db;
    REQUIRE(conn != nullptr);
    CHECK(RawDb::text_on(conn, "PRAGMA journal_mode") == "wal");
    CHECK(RawDb::integer_on(conn, "PRAGMA synchronous") == 2);  // FULL
    CHECK(RawDb::integer_on(conn, "PRAGMA foreign_keys") == 1);
    CHECK(RawDb::integer_on(conn, "PRAGMA busy_timeout") == 5000);

    // WAL is a property of the file: a second connection sees it too.
    RawDb raw(file);
    CHECK(raw.text("PRAGMA journal_mode") == "wal");
}

TEST_CASE("database: foreign keys are enforced (a check-in for a resident not on the roster fails)") {
    TempDir tmp;
    auto db = open_db(tmp / "kiosk.db");
    store::FactStore facts(*db, "T-01");
    const core::UtcTime at{std::chrono::sys_days{std::chrono::year{2026} / 11 / 25}};
    auto r =
        facts.record_check_in({4242, "130***********0024", core::CheckInMethod::Card, core::CheckInPurpose::Visit}, at);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "store.step");
    CHECK(r.error().message.find("FOREIGN KEY") != std::string::npos);
    auto pending = facts.pending_count();
    REQUIRE(pending.ok());
    CHECK(*pending == 0);
}

TEST_CASE("database: reopening keeps the data and the version") {
    TempDir tmp;
    const auto file = tmp / "kiosk.db";
    {
        auto db = open_db(file);
        REQUIRE(store::set_meta(*db, "roster_source", "demo").ok());
        REQUIRE(store::set_meta(*db, "roster_source", "county-2026-11").ok());  // overwrite
    }
    auto db = open_db(file);
    CHECK(db->schema_version() == store::Database::latest_schema_version());
    auto v = store::get_meta(*db, "roster_source");
    REQUIRE(v.ok());
    REQUIRE(v->has_value());
    CHECK(**v == "county-2026-11");
    auto missing = store::get_meta(*db, "installed_at");
    REQUIRE(missing.ok());
    CHECK_FALSE(missing->has_value());
}

TEST_CASE("database: a version-1 database is upgraded at open with its data intact") {
    TempDir tmp;
    const auto file = tmp / "kiosk.db";
    const store::IdHasher hasher(test::test_key());
    const auto roster = core::demo_roster(10);
    {
        auto db = open_db(file, {.migrate_to = 1});
        REQUIRE(db->schema_version() == 1);
        {
            RawDb raw(file);
            CHECK(raw.integer("PRAGMA user_version") == 1);
            CHECK(has_table(raw, "residents"));
            CHECK_FALSE(has_table(raw, "notices"));
        }
        // The roster needs schema 1 only.
        store::RosterRepository repo(*db, hasher);
        REQUIRE(repo.replace_all(roster).ok());
        auto n = repo.count_active();
        REQUIRE(n.ok());
        CHECK(*n == 10);
        // Notices do not exist yet at version 1.
        store::NoticeRepository notices(*db);
        auto l = notices.list();
        CHECK_FALSE(l.ok());
    }

    auto db = open_db(file);
    CHECK(db->schema_version() == store::Database::latest_schema_version());
    {
        RawDb raw(file);
        CHECK(raw.integer("PRAGMA user_version") == store::Database::latest_schema_version());
        CHECK(has_table(raw, "notices"));
    }
    store::RosterRepository repo(*db, hasher);
    auto n = repo.count_active();
    REQUIRE(n.ok());
    CHECK(*n == 10);
    auto zhang = repo.find_by_card("0004215869");
    REQUIRE(zhang.ok());
    REQUIRE(zhang->has_value());
    CHECK((*zhang)->name == "张桂兰");
    CHECK(**zhang == roster[0].resident);

    store::NoticeRepository notices(*db);
    const auto demo = core::demo_notices();
    REQUIRE(notices.replace_all(demo).ok());
    auto l = notices.list();
    REQUIRE(l.ok());
    CHECK(l->size() == demo.size());
}

TEST_CASE("database: a database from a newer version is refused and left byte-for-byte untouched") {
    TempDir tmp;
    const auto file = tmp / "kiosk.db";
    { auto db = open_db(file); }
    {
        RawDb raw(file);
        REQUIRE(raw.exec("PRAGMA user_version = 99") == "");
    }  // the last connection closes: the WAL is checkpointed into the file
    const std::string before = test::read_bytes(file);
    REQUIRE(before.size() > 100);

    auto r = store::Database::open(file);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "store.newer_schema");
    CHECK(r.error().message.find("99") != std::string::npos);
    CHECK(r.error().message.find(std::to_string(store::Database::latest_schema_version())) != std::string::npos);

    CHECK(test::read_bytes(file) == before);
    RawDb raw(file);
    CHECK(raw.integer("PRAGMA user_version") == 99);
    // Still refused the second time.
    auto again = store::Database::open(file);
    REQUIRE_FALSE(again.ok());
    CHECK(again.error().code == "store.newer_schema");
}

TEST_CASE("database: a failed migration reports store.migration and leaves the database as it was") {
    TempDir tmp;
    const auto file = tmp / "kiosk.db";
    { auto db = open_db(file, {.migrate_to = 1}); }
    {
        // Something already occupies the name migration 2 wants.
        RawDb raw(file);
        REQUIRE(raw.exec("CREATE TABLE notices (x INTEGER); INSERT INTO notices VALUES (7);") == "");
    }
    auto r = store::Database::open(file);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "store.migration");
    CHECK(r.error().message.find("version 2") != std::string::npos);

    RawDb raw(file);
    CHECK(raw.integer("PRAGMA user_version") == 1);
    CHECK(raw.integer("SELECT x FROM notices") == 7);
}

TEST_CASE("database: paths that cannot be created or opened give store.open") {
    TempDir tmp;
    const auto plain = tmp / "plain-file";
    test::write_bytes(plain, "not a directory");

    SUBCASE("the file's directory would be under a regular file") {
        auto r = store::Database::open(plain / "sub" / "kiosk.db");
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().code == "store.open");
    }
    SUBCASE("the file's directory is a regular file") {
        auto r = store::Database::open(plain / "kiosk.db");
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().code == "store.open");
    }
    SUBCASE("the path is a directory") {
        std::filesystem::create_directory(tmp / "adir");
        auto r = store::Database::open(tmp / "adir");
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().code == "store.open");
    }
    SUBCASE("the file is not an SQLite database") {
        const auto junk = tmp / "junk.db";
        test::write_bytes(junk, std::string(4096, 'j'));
        auto r = store::Database::open(junk);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().code == "store.open");
    }
    CHECK(test::read_bytes(plain) == "not a directory");
}
