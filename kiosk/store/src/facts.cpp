#include "kiosk/store/facts.hpp"

#include <nlohmann/json.hpp>

#include "outbox.hpp"
#include "sqlite.hpp"

namespace kiosk::store {

struct FactStore::Statements {
    Outbox outbox;
    Statement last_check_in, insert_check_in, pending;
    explicit Statements(sqlite3* db)
        : outbox(db),
          last_check_in(db, "SELECT MAX(at_ms) FROM check_ins WHERE resident = ?1 AND purpose = ?2"),
          insert_check_in(db,
                          "INSERT INTO check_ins (fact_id, seq, at_ms, resident, masked_id, method, purpose) "
                          "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"),
          pending(db, "SELECT COUNT(*) FROM outbox WHERE delivered_ms IS NULL") {}
};

FactStore::FactStore(Database& db, std::string terminal)
    : db_(db), terminal_(std::move(terminal)), st_(std::make_unique<Statements>(db.impl().db)) {}

FactStore::~FactStore() = default;

Result<std::optional<core::UtcTime>> FactStore::last_check_in(core::RosterId resident, core::CheckInPurpose purpose) {
    auto& s = st_->last_check_in;
    s.reset().bind(1, resident).bind(2, core::purpose_code(purpose));
    auto row = s.step();
    if (!row) return row.error();
    std::optional<core::UtcTime> out;
    if (*row && !s.is_null(0)) out = core::UtcTime{std::chrono::milliseconds{s.int64(0)}};
    s.reset();
    return out;
}

Result<RecordedFact> FactStore::record_check_in(const core::CheckIn& c, core::UtcTime at) {
    sqlite3* db = db_.impl().db;
    auto id = new_fact_id();
    if (!id) return id.error();

    Transaction tx(db);
    if (!tx.begun()) return tx.begun().error();
    auto next = st_->outbox.next_seq();
    if (!next) return next.error();
    const std::int64_t seq = *next;

    const auto method = core::method_code(c.method);
    const auto purpose = core::purpose_code(c.purpose);
    st_->insert_check_in.reset()
        .bind(1, *id)
        .bind(2, seq)
        .bind(3, millis(at))
        .bind(4, c.resident)
        .bind(5, c.masked_id)
        .bind(6, method)
        .bind(7, purpose);
    if (auto r = st_->insert_check_in.run(); !r) return r.error();

    nlohmann::ordered_json j;
    j["type"] = "check_in";
    j["id"] = *id;
    j["at"] = core::format_utc(at);
    j["terminal"] = terminal_;
    j["seq"] = seq;
    j["resident"] = c.resident;
    j["masked_id"] = c.masked_id;
    j["method"] = method;
    j["purpose"] = purpose;
    if (auto r = st_->outbox.append(seq, *id, "check_in", j.dump()); !r) return r.error();

    if (auto r = tx.commit(); !r) return r.error();
    return RecordedFact{std::move(*id), seq, at};
}

Result<void> FactStore::for_each_fact(const std::function<void(const OutboxRow&)>& fn) {
    Statement s(db_.impl().db, "SELECT seq, fact_id, type, json, delivered_ms IS NOT NULL FROM outbox ORDER BY seq");
    for (;;) {
        auto row = s.step();
        if (!row) return row.error();
        if (!*row) return {};
        fn(OutboxRow{s.int64(0), s.text(1), s.text(2), s.text(3), s.int64(4) != 0});
    }
}

Result<std::int64_t> FactStore::pending_count() {
    auto& s = st_->pending;
    s.reset();
    auto row = s.step();
    if (!row) return row.error();
    const auto n = s.int64(0);
    s.reset();
    return n;
}

}  // namespace kiosk::store
