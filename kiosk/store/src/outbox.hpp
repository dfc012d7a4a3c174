#pragma once
// What every fact writer shares, private to the store: fact ids, the
// terminal's sequence and the outbox row. One implementation, so a check-in
// and a meal order can never disagree on how a fact is numbered or stored.
#include <cstdint>
#include <string>
#include <string_view>

#include "kiosk/core/result.hpp"
#include "kiosk/core/utc.hpp"
#include "sqlite.hpp"

namespace kiosk::store {

// A random UUID v4 (OpenSSL's CSPRNG): unique across terminals without
// coordination. Error "store.random".
Result<std::string> new_fact_id();

inline std::int64_t millis(core::UtcTime t) { return t.time_since_epoch().count(); }
inline core::UtcTime from_millis(std::int64_t ms) { return core::UtcTime{std::chrono::milliseconds{ms}}; }

// The sequence and the outbox of one connection. Both calls must run inside
// the caller's open transaction, so the number and the row go with the fact.
class Outbox {
public:
    explicit Outbox(sqlite3* db);
    // The next seq, never reused (the increment is undone with the transaction).
    Result<std::int64_t> next_seq();
    Result<void> append(std::int64_t seq, std::string_view fact_id, std::string_view type, std::string_view json);

private:
    Statement next_seq_, insert_;
};

}  // namespace kiosk::store
