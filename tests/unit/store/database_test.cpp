#include "kiosk/store/database.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>

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

// ---------------------------------------------------------------------------
// WAL checkpoints: SQLite's auto-checkpoint is only a safety net; the owner
// calls checkpoint() when nobody is being served.
// ---------------------------------------------------------------------------

namespace {

// Commits `n` rows of `bytes` each on the store's connection, one transaction
// a row (as orders are committed): about bytes / 4 KiB WAL frames each.
void commit_ballast(store::Database& db, int n, int bytes) {
    sqlite3* conn = db.impl().db;
    REQUIRE(RawDb::exec_on(conn, "CREATE TABLE IF NOT EXISTS ballast (b BLOB)") == "");
    for (int i = 0; i < n; ++i)
        REQUIRE(RawDb::exec_on(conn, "INSERT INTO ballast VALUES (randomblob(" + std::to_string(bytes) + "))") == "");
}

// What the database file holds without its WAL: a byte copy of the main file
// alone, opened on its own.
std::unique_ptr<RawDb> main_file_only(const TempDir& tmp, const std::filesystem::path& file) {
    const auto copy = tmp / "main-file-only.db";
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(copy.string() + suffix);
    std::filesystem::copy_file(file, copy);
    return std::make_unique<RawDb>(copy);
}

// A meta value as the main file alone has it ("" when not there).
std::string meta_in_main_file(const TempDir& tmp, const std::filesystem::path& file, const std::string& key) {
    return main_file_only(tmp, file)->text("SELECT value FROM meta WHERE key = '" + key + "'");
}

store::CheckpointResult checkpoint_ok(store::Database& db) {
    auto r = db.checkpoint();
    if (!r) FAIL("checkpoint failed: " << r.error().code << ": " << r.error().message);
    return *r;
}

}  // namespace

TEST_CASE("database: the WAL auto-checkpoint is a safety net far above SQLite's default of 1,000 pages") {
    static_assert(store::Database::kWalAutoCheckpointPages >= 4000 && store::Database::kWalAutoCheckpointPages <= 8000);
    TempDir tmp;
    const auto file = tmp / "kiosk.db";
    auto db = open_db(file);
    CHECK(RawDb::integer_on(db->impl().db, "PRAGMA wal_autocheckpoint") == store::Database::kWalAutoCheckpointPages);
    REQUIRE(checkpoint_ok(*db).complete());

    SUBCASE("commits past 1,000 pages are not checkpointed inside a commit") {
        commit_ballast(*db, 12, 400 * 1024);  // ~100 pages each: ~1,200 frames
        const auto r = checkpoint_ok(*db);
        CHECK(r.wal_frames > 1'100);  // all still in the WAL: the WAL was not reset by an auto-checkpoint
        CHECK(r.checkpointed == r.wal_frames);
    }
    SUBCASE("past the safety net SQLite checkpoints by itself, so the WAL stays bounded") {
        const int per_commit = 1024 * 1024;  // ~257 pages
        const int commits = 40;              // ~10,300 pages in all
        commit_ballast(*db, commits, per_commit);
        const auto r = checkpoint_ok(*db);
        // The commit that crossed the threshold checkpointed and the next one
        // started the WAL again from its beginning.
        CHECK(r.wal_frames < store::Database::kWalAutoCheckpointPages);
        CHECK(r.wal_frames > 0);
        CHECK(std::filesystem::file_size(file.string() + "-wal") <
              (store::Database::kWalAutoCheckpointPages + 2 * 260) * std::uintmax_t{4096 + 24} + 32);
    }
}

TEST_CASE("database: checkpoint() copies the WAL into the database file and reports the frames") {
    TempDir tmp;
    const auto file = tmp / "kiosk.db";
    auto db = open_db(file);
    CHECK(db->wal_pending());  // nothing known yet: a power cut may have left frames
    REQUIRE(checkpoint_ok(*db).complete());
    CHECK_FALSE(db->wal_pending());

    for (int i = 0; i < 5; ++i) REQUIRE(store::set_meta(*db, "k" + std::to_string(i), "v" + std::to_string(i)).ok());
    CHECK(db->wal_pending());
    CHECK(meta_in_main_file(tmp, file, "k4").empty());  // only in the WAL so far

    const auto r = checkpoint_ok(*db);
    CHECK_FALSE(r.busy);
    CHECK(r.wal_frames >= 5);  // at least a page a commit
    CHECK(r.checkpointed == r.wal_frames);
    CHECK(r.wal_frames - r.checkpointed == 0);  // no frame left behind: no reader held any back
    CHECK(r.complete());
    CHECK(meta_in_main_file(tmp, file, "k4") == "v4");
    CHECK_FALSE(db->wal_pending());

    // Reading commits nothing: still nothing to do.
    auto v = store::get_meta(*db, "k2");
    REQUIRE(v.ok());
    CHECK(*v == std::optional<std::string>("v2"));
    CHECK_FALSE(db->wal_pending());
    // Asked again anyway, it finds every frame already copied.
    const auto again = checkpoint_ok(*db);
    CHECK(again.wal_frames == again.checkpointed);

    // The next commit starts the WAL again from the beginning.
    REQUIRE(store::set_meta(*db, "k5", "v5").ok());
    CHECK(db->wal_pending());
    const auto next = checkpoint_ok(*db);
    CHECK(next.complete());
    CHECK(next.wal_frames >= 1);
    CHECK(next.wal_frames < r.wal_frames);
    CHECK(meta_in_main_file(tmp, file, "k5") == "v5");
}

TEST_CASE("database: wal_pending() sees commits by another connection once this one has read") {
    TempDir tmp;
    const auto file = tmp / "kiosk.db";
    auto db = open_db(file);
    REQUIRE(checkpoint_ok(*db).complete());
    {
        RawDb other(file);
        REQUIRE(other.exec("INSERT INTO meta (key, value) VALUES ('from', 'cli')") == "");
    }
    auto v = store::get_meta(*db, "from");
    REQUIRE(v.ok());
    CHECK(*v == std::optional<std::string>("cli"));
    CHECK(db->wal_pending());
    CHECK(checkpoint_ok(*db).complete());
    CHECK_FALSE(db->wal_pending());
}

TEST_CASE("database: checkpoint() with a reader on an older snapshot copies what it can and says so") {
    TempDir tmp;
    const auto file = tmp / "kiosk.db";
    auto db = open_db(file);
    commit_ballast(*db, 0, 0);  // the table only: the later commits touch pages of their own
    REQUIRE(checkpoint_ok(*db).complete());
    REQUIRE(store::set_meta(*db, "before", "reader").ok());

    RawDb reader(file);
    REQUIRE(reader.exec("BEGIN") == "");
    CHECK(reader.text("SELECT value FROM meta WHERE key = 'before'") == "reader");  // the snapshot is taken here

    commit_ballast(*db, 5, 100);
    const auto partial = checkpoint_ok(*db);
    CHECK_FALSE(partial.busy);
    CHECK(partial.checkpointed >= 1);                  // up to the frame the reader's snapshot ends at
    CHECK(partial.checkpointed < partial.wal_frames);  // not the ones after it
    CHECK_FALSE(partial.complete());
    CHECK(db->wal_pending());  // still something to do
    CHECK(meta_in_main_file(tmp, file, "before") == "reader");
    CHECK(main_file_only(tmp, file)->integer("SELECT COUNT(*) FROM ballast") == 0);

    REQUIRE(reader.exec("COMMIT") == "");
    const auto rest = checkpoint_ok(*db);
    CHECK(rest.complete());
    CHECK(rest.wal_frames == partial.wal_frames);
    CHECK(main_file_only(tmp, file)->integer("SELECT COUNT(*) FROM ballast") == 5);
    CHECK_FALSE(db->wal_pending());
}

TEST_CASE("database: checkpoint() inside a transaction of its own connection is an error value") {
    TempDir tmp;
    auto db = open_db(tmp / "kiosk.db");
    REQUIRE(store::set_meta(*db, "k", "v").ok());
    sqlite3* conn = db->impl().db;
    REQUIRE(store::exec(conn, "BEGIN IMMEDIATE").ok());
    auto r = db->checkpoint();
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "store.checkpoint");
    CHECK(r.error().message.find("locked") != std::string::npos);
    CHECK(db->wal_pending());
    REQUIRE(store::exec(conn, "ROLLBACK").ok());
    CHECK(checkpoint_ok(*db).complete());
}

TEST_CASE("database: checkpoint() while another connection checkpoints reports busy, not an error") {
    TempDir tmp;
    const auto file = tmp / "kiosk.db";
    auto db = open_db(file);
    REQUIRE(store::set_meta(*db, "k", "v").ok());

    // Another connection's FULL checkpoint takes the checkpoint lock, then
    // waits (in its busy handler) for the writer we hold open.
    RawDb writer(file);
    REQUIRE(writer.exec("BEGIN IMMEDIATE") == "");
    std::atomic<bool> waiting{false}, release{false};
    int other_rc = -1;
    std::thread other([&] {
        RawDb checkpointer(file);
        checkpointer.integer("SELECT COUNT(*) FROM meta");  // a first read opens its WAL
        struct Flags {
            std::atomic<bool>* waiting;
            std::atomic<bool>* release;
        } flags{&waiting, &release};
        sqlite3_busy_handler(
            checkpointer.handle(),
            [](void* arg, int tries) -> int {
                auto* f = static_cast<Flags*>(arg);
                f->waiting->store(true);
                std::this_thread::sleep_for(std::chrono::milliseconds{1});
                return !f->release->load() && tries < 10'000 ? 1 : 0;  // bounded: ~10 s at most
            },
            &flags);
        other_rc = sqlite3_wal_checkpoint_v2(checkpointer.handle(), "main", SQLITE_CHECKPOINT_FULL, nullptr, nullptr);
    });
    for (int i = 0; i < 5000 && !waiting.load(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds{1});
    REQUIRE(waiting.load());

    auto r = db->checkpoint();
    release.store(true);
    other.join();
    REQUIRE(r.ok());
    CHECK(r->busy);
    CHECK_FALSE(r->complete());
    CHECK(r->checkpointed == 0);
    CHECK(db->wal_pending());
    CHECK(other_rc == SQLITE_BUSY);  // it gave up waiting for the writer (and checkpointed passively)
    REQUIRE(writer.exec("ROLLBACK") == "");
    CHECK(checkpoint_ok(*db).complete());
}
