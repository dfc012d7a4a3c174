#pragma once
// Thin RAII over sqlite3, private to the store.
#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "kiosk/core/result.hpp"
#include "kiosk/store/database.hpp"

namespace kiosk::store {

struct Database::Impl {
    sqlite3* db = nullptr;
    std::filesystem::path path;
    int version = 0;
    // The pager's data version (SQLITE_FCNTL_DATA_VERSION) when the last
    // checkpoint left the WAL with nothing to copy; none until one has.
    std::optional<unsigned> clean_data_version;
    ~Impl();
};

// An SQLite error as a value: the code names the operation, the message is
// SQLite's own words (never includes bound values, so no personal data).
Error sqlite_error(sqlite3* db, std::string_view code, std::string_view what);

// Runs statements without results (schema, pragmas, BEGIN/COMMIT).
Result<void> exec(sqlite3* db, const char* sql, std::string_view code = "store.exec");

class Statement {
public:
    Statement() = default;
    Statement(sqlite3* db, std::string_view sql);
    ~Statement();
    Statement(Statement&& o) noexcept;
    Statement& operator=(Statement&& o) noexcept;
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    [[nodiscard]] bool ok() const { return stmt_ != nullptr; }
    [[nodiscard]] sqlite3* db() const { return db_; }

    Statement& reset();
    Statement& bind(int i, std::int64_t v);
    Statement& bind(int i, int v) { return bind(i, static_cast<std::int64_t>(v)); }
    Statement& bind(int i, std::string_view v);
    Statement& bind(int i, std::span<const std::uint8_t> blob);
    Statement& bind_null(int i);

    // SQLITE_ROW -> true, SQLITE_DONE -> false, anything else -> error.
    Result<bool> step();
    // Runs to completion.
    Result<void> run();

    [[nodiscard]] std::int64_t int64(int col) const;
    [[nodiscard]] std::string text(int col) const;
    [[nodiscard]] bool is_null(int col) const;

private:
    sqlite3* db_ = nullptr;
    sqlite3_stmt* stmt_ = nullptr;
};

// BEGIN IMMEDIATE ... COMMIT; rolls back unless committed.
class Transaction {
public:
    explicit Transaction(sqlite3* db);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    [[nodiscard]] const Result<void>& begun() const { return begun_; }
    Result<void> commit();

private:
    sqlite3* db_;
    Result<void> begun_;
    bool open_ = false;
};

}  // namespace kiosk::store
