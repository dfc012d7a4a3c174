#include "kiosk/store/database.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <system_error>

#include "migrations.hpp"
#include "sqlite.hpp"

namespace kiosk::store {

namespace {

Result<void> prepare_file(const std::filesystem::path& file) {
    std::error_code ec;
    const auto dir = file.parent_path();
    if (!dir.empty() && !std::filesystem::exists(dir, ec)) {
        std::filesystem::create_directories(dir, ec);
        if (ec)
            return Error{"store.open", "cannot create the data directory " + dir.string() + ": " + ec.message()};
        ::chmod(dir.c_str(), 0700);
    }
    // Create the file ourselves so it (and SQLite's -wal/-shm, which copy its
    // mode) is readable by the kiosk user only.
    const int fd = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
        return Error{"store.open", "cannot open the database " + file.string() + ": " + std::strerror(errno)};
    ::close(fd);
    return {};
}

Result<int> user_version(sqlite3* db) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, nullptr) != SQLITE_OK)
        return sqlite_error(db, "store.open", "cannot read the database version");
    int v = 0;
    if (sqlite3_step(st) == SQLITE_ROW) v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return v;
}

Result<void> migrate(sqlite3* db, int from, int to) {
    for (const auto& m : migrations()) {
        if (m.version <= from || m.version > to) continue;
        if (auto r = exec(db, "BEGIN IMMEDIATE", "store.migration"); !r) return r;
        auto r = exec(db, m.sql, "store.migration");
        if (r) {
            const std::string set = "PRAGMA user_version = " + std::to_string(m.version);
            r = exec(db, set.c_str(), "store.migration");
        }
        if (r) r = exec(db, "COMMIT", "store.migration");
        if (!r) {
            static_cast<void>(exec(db, "ROLLBACK"));
            return Error{"store.migration", "database upgrade to version " + std::to_string(m.version) +
                                                " failed and was undone: " + r.error().message};
        }
    }
    return {};
}

}  // namespace

Database::Database(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Database::~Database() = default;

int Database::latest_schema_version() { return migrations().back().version; }
int Database::schema_version() const { return impl_->version; }
const std::filesystem::path& Database::path() const { return impl_->path; }

Result<std::unique_ptr<Database>> Database::open(const std::filesystem::path& file, OpenOptions options) {
    if (auto r = prepare_file(file); !r) return r.error();
    auto impl = std::make_unique<Impl>();
    impl->path = file;
    if (sqlite3_open_v2(file.c_str(), &impl->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK)
        return sqlite_error(impl->db, "store.open", "cannot open the database " + file.string());
    sqlite3_extended_result_codes(impl->db, 1);
    sqlite3_busy_timeout(impl->db, 5000);

    auto version = user_version(impl->db);
    if (!version) return version.error();
    const int latest = latest_schema_version();
    if (*version > latest) {
        return Error{"store.newer_schema",
                     "the database " + file.string() + " was written by a newer version of the kiosk (schema " +
                         std::to_string(*version) + "; this program knows up to " + std::to_string(latest) +
                         "). Install the newer version or restore a backup; the database was not changed."};
    }
    for (const char* pragma : {"PRAGMA journal_mode = WAL", "PRAGMA synchronous = FULL", "PRAGMA foreign_keys = ON"}) {
        if (auto r = exec(impl->db, pragma, "store.open"); !r) return r.error();
    }
    const int target = options.migrate_to > 0 ? options.migrate_to : latest;
    if (*version < target) {
        if (auto r = migrate(impl->db, *version, target); !r) return r.error();
    }
    auto after = user_version(impl->db);
    if (!after) return after.error();
    impl->version = *after;
    return std::unique_ptr<Database>(new Database(std::move(impl)));
}

}  // namespace kiosk::store
