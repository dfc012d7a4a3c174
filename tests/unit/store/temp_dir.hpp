#pragma once
// Shared helpers for the store tests: a temporary directory that removes
// itself, whole-file reads, file modes, and a raw sqlite3 connection for
// looking at (or tampering with) a database file from outside the store.
#include <doctest/doctest.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <random>
#include <stdexcept>
#include <string>
#include <system_error>
#include <utility>

#include "kiosk/store/database.hpp"
#include "kiosk/store/secret.hpp"

namespace kiosk::test {

// A fresh, uniquely named directory under the system temp directory,
// removed with everything in it when the object goes out of scope.
class TempDir {
public:
    TempDir() {
        static std::atomic<unsigned> counter{0};
        std::random_device rd;
        const auto base = std::filesystem::temp_directory_path();
        for (int attempt = 0; attempt < 100; ++attempt) {
            const auto name = "kiosk-store-test-" + std::to_string(::getpid()) + "-" +
                              std::to_string(counter.fetch_add(1)) + "-" + std::to_string(rd());
            auto candidate = base / name;
            std::error_code ec;
            if (std::filesystem::create_directory(candidate, ec) && !ec) {
                path_ = std::move(candidate);
                return;
            }
        }
        throw std::runtime_error("cannot create a temporary directory");
    }
    ~TempDir() {
        std::error_code ec;
        // A test may have removed permissions; restore them so removal works.
        std::filesystem::permissions(path_, std::filesystem::perms::owner_all, std::filesystem::perm_options::add, ec);
        std::filesystem::remove_all(path_, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;

    [[nodiscard]] const std::filesystem::path& path() const { return path_; }
    [[nodiscard]] std::filesystem::path operator/(const std::filesystem::path& p) const { return path_ / p; }

private:
    std::filesystem::path path_;
};

// The whole file as bytes; empty when it does not exist.
inline std::string read_bytes(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline void write_bytes(const std::filesystem::path& file, const std::string& bytes) {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// Permission bits (e.g. 0600), or -1 when the file cannot be stat'ed.
inline int file_mode(const std::filesystem::path& file) {
    struct stat st {};
    if (::stat(file.c_str(), &st) != 0) return -1;
    return static_cast<int>(st.st_mode & 07777);
}

// A second, independent connection to a database file (no store code).
class RawDb {
public:
    explicit RawDb(const std::filesystem::path& file) {
        if (sqlite3_open_v2(file.c_str(), &db_, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
            const std::string msg = db_ != nullptr ? sqlite3_errmsg(db_) : "out of memory";
            sqlite3_close(db_);
            db_ = nullptr;
            throw std::runtime_error("raw sqlite open failed: " + msg);
        }
        sqlite3_busy_timeout(db_, 5000);
    }
    ~RawDb() { sqlite3_close(db_); }
    RawDb(const RawDb&) = delete;
    RawDb& operator=(const RawDb&) = delete;

    [[nodiscard]] sqlite3* handle() const { return db_; }

    // Runs statements; returns SQLite's error message, or "" on success.
    std::string exec(const std::string& sql) { return exec_on(db_, sql); }

    // The first column of the first row as text ("" when no row or NULL).
    std::string text(const std::string& sql) { return text_on(db_, sql); }
    std::int64_t integer(const std::string& sql) { return integer_on(db_, sql); }

    static std::string exec_on(sqlite3* db, const std::string& sql) {
        char* err = nullptr;
        if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
            std::string msg = err != nullptr ? err : "error";
            sqlite3_free(err);
            return msg;
        }
        return {};
    }
    static std::string text_on(sqlite3* db, const std::string& sql) {
        sqlite3_stmt* st = nullptr;
        if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) != SQLITE_OK)
            throw std::runtime_error(std::string("raw sqlite prepare failed: ") + sqlite3_errmsg(db));
        std::string out;
        if (sqlite3_step(st) == SQLITE_ROW) {
            const auto* p = sqlite3_column_text(st, 0);
            if (p != nullptr)
                out.assign(reinterpret_cast<const char*>(p), static_cast<std::size_t>(sqlite3_column_bytes(st, 0)));
        }
        sqlite3_finalize(st);
        return out;
    }
    static std::int64_t integer_on(sqlite3* db, const std::string& sql) {
        sqlite3_stmt* st = nullptr;
        if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) != SQLITE_OK)
            throw std::runtime_error(std::string("raw sqlite prepare failed: ") + sqlite3_errmsg(db));
        std::int64_t out = -1;
        if (sqlite3_step(st) == SQLITE_ROW) out = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
        return out;
    }

private:
    sqlite3* db_ = nullptr;
};

// Opens a database through the store, failing the test (with the store's own
// words) when it cannot.
inline std::unique_ptr<store::Database> open_db(const std::filesystem::path& file, store::OpenOptions options = {}) {
    auto r = store::Database::open(file, options);
    if (!r) FAIL("Database::open failed: " << r.error().code << ": " << r.error().message);
    return std::move(*r);
}

// A fixed, recognisable key so tests do not depend on key files.
inline store::SecretKey test_key(std::uint8_t seed = 1) {
    store::SecretKey k{};
    for (std::size_t i = 0; i < k.size(); ++i) k[i] = static_cast<std::uint8_t>(seed + i * 7);
    return k;
}

}  // namespace kiosk::test
