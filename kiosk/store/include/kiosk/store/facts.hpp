#pragma once
// Recorded facts and the outbox.
//
// Every fact (a check-in, later a meal order, ...) is written together with
// its outbox row in one transaction, committed with fsync before the caller
// tells anyone "done". The outbox is what the county uploader sends and what
// `kiosk export` prints: one JSON object per fact with type, id (a UUID),
// at (UTC), terminal and seq (the terminal's monotonic sequence).
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "kiosk/core/check_in.hpp"
#include "kiosk/core/result.hpp"
#include "kiosk/core/utc.hpp"
#include "kiosk/store/database.hpp"

namespace kiosk::store {

struct RecordedFact {
    std::string id;     // UUID v4
    std::int64_t seq = 0;
    core::UtcTime at;
};

struct OutboxRow {
    std::int64_t seq = 0;
    std::string fact_id;
    std::string type;
    std::string json;  // the whole fact, one line
    bool delivered = false;
};

class FactStore {
public:
    FactStore(Database& db, std::string terminal);
    ~FactStore();

    // The latest check-in of this resident for this purpose, if any.
    [[nodiscard]] Result<std::optional<core::UtcTime>> last_check_in(core::RosterId resident,
                                                                     core::CheckInPurpose purpose);

    // Records the check-in and its outbox row atomically.
    Result<RecordedFact> record_check_in(const core::CheckIn& check_in, core::UtcTime at);

    // Every fact in sequence order.
    Result<void> for_each_fact(const std::function<void(const OutboxRow&)>& fn);
    [[nodiscard]] Result<std::int64_t> pending_count();

private:
    struct Statements;
    Database& db_;
    std::string terminal_;
    std::unique_ptr<Statements> st_;
};

}  // namespace kiosk::store
