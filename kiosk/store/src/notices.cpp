#include "kiosk/store/notices.hpp"

#include "sqlite.hpp"

namespace kiosk::store {

namespace {
core::NoticeKind kind_from(std::string_view code) {
    for (auto k : {core::NoticeKind::Policy, core::NoticeKind::AntiFraud, core::NoticeKind::Activity,
                   core::NoticeKind::Health})
        if (core::notice_kind_code(k) == code) return k;
    return core::NoticeKind::Policy;
}
}  // namespace

Result<void> NoticeRepository::replace_all(std::span<const core::Notice> notices) {
    sqlite3* db = db_.impl().db;
    Transaction tx(db);
    if (!tx.begun()) return tx.begun().error();
    if (auto r = exec(db, "DELETE FROM notices", "store.notices"); !r) return r;
    Statement ins(db, "INSERT INTO notices (id, kind, title, body, issuer, published) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    for (const auto& n : notices) {
        ins.reset()
            .bind(1, n.id)
            .bind(2, core::notice_kind_code(n.kind))
            .bind(3, n.title)
            .bind(4, n.body)
            .bind(5, n.issuer)
            .bind(6, n.published.iso());
        if (auto r = ins.run(); !r) return r;
    }
    return tx.commit();
}

Result<std::vector<core::Notice>> NoticeRepository::list() {
    Statement s(db_.impl().db, "SELECT id, kind, title, body, issuer, published FROM notices ORDER BY published DESC, id");
    std::vector<core::Notice> out;
    for (;;) {
        auto row = s.step();
        if (!row) return row.error();
        if (!*row) return out;
        out.push_back({s.int64(0), kind_from(s.text(1)), s.text(2), s.text(3), s.text(4),
                       core::CivilDate::parse(s.text(5)).value_or(core::CivilDate{})});
    }
}

}  // namespace kiosk::store
