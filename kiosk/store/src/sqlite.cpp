#include "sqlite.hpp"

#include <utility>

namespace kiosk::store {

Database::Impl::~Impl() {
    if (db != nullptr) sqlite3_close_v2(db);
}

Error sqlite_error(sqlite3* db, std::string_view code, std::string_view what) {
    std::string msg(what);
    if (db != nullptr) {
        msg += ": ";
        msg += sqlite3_errmsg(db);
    }
    return Error{std::string(code), std::move(msg)};
}

Result<void> exec(sqlite3* db, const char* sql, std::string_view code) {
    char* err = nullptr;
    if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
        std::string msg = err != nullptr ? err : "unknown error";
        sqlite3_free(err);
        return Error{std::string(code), "database statement failed: " + msg};
    }
    return {};
}

Statement::Statement(sqlite3* db, std::string_view sql) : db_(db) {
    if (sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt_,
                           nullptr) != SQLITE_OK) {
        stmt_ = nullptr;
    }
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

Statement::Statement(Statement&& o) noexcept
    : db_(std::exchange(o.db_, nullptr)), stmt_(std::exchange(o.stmt_, nullptr)) {}

Statement& Statement::operator=(Statement&& o) noexcept {
    if (this != &o) {
        sqlite3_finalize(stmt_);
        db_ = std::exchange(o.db_, nullptr);
        stmt_ = std::exchange(o.stmt_, nullptr);
    }
    return *this;
}

Statement& Statement::reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
    return *this;
}

Statement& Statement::bind(int i, std::int64_t v) {
    sqlite3_bind_int64(stmt_, i, v);
    return *this;
}

Statement& Statement::bind(int i, std::string_view v) {
    sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
}

Statement& Statement::bind(int i, std::span<const std::uint8_t> blob) {
    sqlite3_bind_blob(stmt_, i, blob.data(), static_cast<int>(blob.size()), SQLITE_TRANSIENT);
    return *this;
}

Statement& Statement::bind_null(int i) {
    sqlite3_bind_null(stmt_, i);
    return *this;
}

Result<bool> Statement::step() {
    if (stmt_ == nullptr) return sqlite_error(db_, "store.prepare", "database statement could not be prepared");
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    return sqlite_error(db_, "store.step", "database statement failed");
}

Result<void> Statement::run() {
    for (;;) {
        auto r = step();
        if (!r) return r.error();
        if (!*r) return {};
    }
}

std::int64_t Statement::int64(int col) const { return sqlite3_column_int64(stmt_, col); }

std::string Statement::text(int col) const {
    const auto* p = sqlite3_column_text(stmt_, col);
    if (p == nullptr) return {};
    return {reinterpret_cast<const char*>(p), static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col))};
}

bool Statement::is_null(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }

Transaction::Transaction(sqlite3* db) : db_(db), begun_(exec(db, "BEGIN IMMEDIATE", "store.begin")) {
    open_ = begun_.ok();
}

Transaction::~Transaction() {
    if (open_) static_cast<void>(exec(db_, "ROLLBACK", "store.rollback"));  // nothing was committed
}

Result<void> Transaction::commit() {
    auto r = exec(db_, "COMMIT", "store.commit");
    if (r) open_ = false;
    return r;
}

}  // namespace kiosk::store
