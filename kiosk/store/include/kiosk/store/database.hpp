#pragma once
// The terminal's SQLite database.
//
// Opened once per thread that needs it (SQLite connections are not shared
// between threads here). WAL mode, synchronous=FULL (a committed record of
// money or attendance survives a power cut), foreign keys on, a busy timeout.
// Numbered migrations run at open; a database written by a newer version is
// refused untouched.
#include <filesystem>
#include <memory>

#include "kiosk/core/result.hpp"

namespace kiosk::store {

struct OpenOptions {
    // Migrate up to this version (tests build old databases); 0 = latest.
    int migrate_to = 0;
};

class Database {
public:
    // Creates the file (mode 0600) and its directory (0700) when missing.
    // Errors: "store.open" (cannot create or open), "store.newer_schema",
    // "store.migration" (a migration failed; the database is left as it was).
    static Result<std::unique_ptr<Database>> open(const std::filesystem::path& file, OpenOptions options = {});
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    [[nodiscard]] int schema_version() const;
    [[nodiscard]] static int latest_schema_version();
    [[nodiscard]] const std::filesystem::path& path() const;

    struct Impl;  // private to the store (src/sqlite.hpp)
    Impl& impl() { return *impl_; }

private:
    explicit Database(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace kiosk::store
