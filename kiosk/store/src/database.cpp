#include "kiosk/store/database.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>
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
    // synchronous=FULL stays even in WAL mode, where NORMAL is usual: NORMAL
    // does not sync the WAL at commit, so a power cut could take back an
    // order whose pickup number was already shown and paid for. The cost of
    // FULL is one WAL fsync per commit; what made commits slow was SQLite's
    // auto-checkpoint inside them, hence a high threshold here (a safety net
    // only) and checkpoint() for the owner's quiet moments.
    const std::string autocheckpoint = "PRAGMA wal_autocheckpoint = " + std::to_string(kWalAutoCheckpointPages);
    for (const char* pragma : {"PRAGMA journal_mode = WAL", "PRAGMA synchronous = FULL", "PRAGMA foreign_keys = ON",
                               autocheckpoint.c_str()}) {
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

namespace {
std::optional<unsigned> data_version(sqlite3* db) {
    unsigned v = 0;
    if (sqlite3_file_control(db, "main", SQLITE_FCNTL_DATA_VERSION, &v) != SQLITE_OK) return std::nullopt;
    return v;
}
}  // namespace

Result<CheckpointResult> Database::checkpoint() {
    sqlite3* db = impl_->db;
    int log = -1, done = -1;
    const int rc = sqlite3_wal_checkpoint_v2(db, "main", SQLITE_CHECKPOINT_PASSIVE, &log, &done);
    CheckpointResult out;
    if ((rc & 0xff) == SQLITE_BUSY) {
        // PASSIVE waits for nobody, so busy means another connection holds
        // the checkpoint lock (checkpointing, or recovering the WAL): it is
        // doing this work; ours would have nothing to add.
        out.busy = true;
        return out;
    }
    if (rc != SQLITE_OK) {
        impl_->clean_data_version.reset();
        return sqlite_error(db, "store.checkpoint", "the WAL checkpoint failed");
    }
    // -1: not in WAL mode (a file system without shared memory); nothing to copy.
    out.wal_frames = std::max(log, 0);
    out.checkpointed = std::max(done, 0);
    // Remember the commit we are clean up to, so that an idle owner need not
    // call us again (and take the checkpoint lock, and maybe sync) until
    // something new is committed.
    if (out.complete())
        impl_->clean_data_version = data_version(db);
    else
        impl_->clean_data_version.reset();
    return out;
}

bool Database::wal_pending() const {
    const auto now = data_version(impl_->db);
    return !now || !impl_->clean_data_version || *impl_->clean_data_version != *now;
}

}  // namespace kiosk::store
