// Bad input at start-up gets a clear message and changes nothing.
#include <doctest/doctest.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include "kiosk/store/database.hpp"
#include "process.hpp"

namespace {
const char* kCard = "card 0004215869\n";

unsigned mode_of(const std::filesystem::path& p) {
    struct stat st {};
    REQUIRE(stat(p.c_str(), &st) == 0);
    return st.st_mode & 0777;
}
}  // namespace

TEST_CASE("config: a misspelt key stops start-up, naming the file, the line and the fix") {
    test::TempDir dir;
    const auto cfg = dir.write("site.toml", "[site]\nname = \"佳禾\"\n\n[session]\nidle_timout_s = 30\n");
    const auto r = test::run(test::kiosk_script_args(dir, dir.write("s.script", kCard), {"--config", cfg.string()}));
    CHECK(r.exit_code == 2);
    CHECK(r.err.find(cfg.string() + ":5:") != std::string::npos);
    CHECK(r.err.find("did you mean 'idle_timeout_s'") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(dir.path() / "data" / "kiosk.db"));  // nothing was touched
}

TEST_CASE("config: a value out of range or not allowed stops start-up") {
    test::TempDir dir;
    const auto script = dir.write("s.script", kCard);
    const auto range = dir.write("a.toml", "[session]\nidle_timeout_s = 5\n");
    auto r = test::run(test::kiosk_script_args(dir, script, {"--config", range.string()}));
    CHECK(r.exit_code == 2);
    CHECK(r.err.find(range.string() + ":2:") != std::string::npos);
    const auto word = dir.write("b.toml", "[site]\ntype = \"canten\"\n");
    r = test::run(test::kiosk_script_args(dir, script, {"--config", word.string()}));
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("\"canteen\"") != std::string::npos);
}

TEST_CASE("store: a database written by a newer version is refused and left untouched") {
    test::TempDir dir;
    const auto db_path = dir.path() / "data" / "kiosk.db";
    {
        auto db = kiosk::store::Database::open(db_path);
        REQUIRE(db.ok());
    }
    sqlite3* raw = nullptr;
    REQUIRE(sqlite3_open(db_path.c_str(), &raw) == SQLITE_OK);
    REQUIRE(sqlite3_exec(raw, "PRAGMA user_version = 42", nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(raw);
    const auto before = test::read_file(db_path);

    const auto r = test::run(test::kiosk_script_args(dir, dir.write("s.script", kCard)));
    CHECK(r.exit_code == 3);
    CHECK(r.err.find("newer version") != std::string::npos);
    CHECK(r.err.find("42") != std::string::npos);
    CHECK(test::read_file(db_path) == before);
}

TEST_CASE("script: a failing line stops the run and names the file and the line") {
    test::TempDir dir;
    const auto script = dir.write("s.script", "card 0004215869\nexpect \"没有这句话\"\ncard 0004215870\n");
    const auto r = test::run(test::kiosk_script_args(dir, script));
    CHECK(r.exit_code == 1);
    CHECK(r.err.find(script.string() + ":2:") != std::string::npos);
    CHECK(r.out.find("script: line 3 passed") == std::string::npos);
}

TEST_CASE("data directory: key and database readable by the kiosk user only") {
    test::TempDir dir;
    const auto r = test::run(test::kiosk_script_args(dir, dir.write("s.script", kCard)));
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    CHECK(mode_of(dir.path() / "data") == 0700);
    CHECK(mode_of(dir.path() / "data" / "secret.key") == 0600);
    CHECK(mode_of(dir.path() / "data" / "kiosk.db") == 0600);
    CHECK(std::filesystem::file_size(dir.path() / "data" / "secret.key") == 32);
}

TEST_CASE("devices: a driver without what it needs stops start-up in plain words") {
    test::TempDir dir;
    const auto cfg = dir.write("d.toml", "[devices.id_reader]\ndriver = \"ga467\"\n");
    const auto r = test::run({KIOSK_BINARY, "--headless", "--data-dir", (dir.path() / "data").string(), "--config",
                              cfg.string(), "--script", dir.write("s.script", "wait 1\n").string()});
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("[devices.id_reader] driver = \"ga467\" needs path") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(dir.path() / "data" / "kiosk.db"));
}

TEST_CASE("export: a missing database is named, not created") {
    test::TempDir dir;
    const auto r = test::run({KIOSK_BINARY, "export", "--format", "jsonl", "--data-dir", (dir.path() / "none").string()});
    CHECK(r.exit_code == 3);
    CHECK(r.err.find("there is no database") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(dir.path() / "none"));
}

TEST_CASE("store: a database another writer holds gives a plain message and records nothing") {
    test::TempDir dir;
    // Create the database with the demo roster first.
    auto r = test::run(test::kiosk_script_args(dir, dir.write("setup.script", "wait 1\n")));
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);

    sqlite3* holder = nullptr;
    REQUIRE(sqlite3_open((dir.path() / "data" / "kiosk.db").c_str(), &holder) == SQLITE_OK);
    REQUIRE(sqlite3_exec(holder, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) == SQLITE_OK);
    {
        test::Child kiosk(test::kiosk_script_args(
            dir, dir.write("s.script", "card 0004215869\nexpect \"暂时无法签到\"\nexpect \"请到服务台签到\"\nwait 60000\n")));
        // The kiosk waits out its busy timeout (5 s), then says so in plain words.
        CHECK(kiosk.wait_for_line("script: line 3 passed", std::chrono::seconds{30}));
    }
    sqlite3_exec(holder, "ROLLBACK", nullptr, nullptr, nullptr);
    sqlite3_close(holder);

    r = test::run({KIOSK_BINARY, "export", "--format", "jsonl", "--data-dir", (dir.path() / "data").string()});
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.empty());  // nothing half-recorded
}
