#include "kiosk/store/meta.hpp"

#include "sqlite.hpp"

namespace kiosk::store {

Result<std::optional<std::string>> get_meta(Database& db, std::string_view key) {
    Statement s(db.impl().db, "SELECT value FROM meta WHERE key = ?1");
    s.bind(1, key);
    auto row = s.step();
    if (!row) return row.error();
    if (!*row) return std::optional<std::string>{};
    return std::optional<std::string>{s.text(0)};
}

Result<void> set_meta(Database& db, std::string_view key, std::string_view value) {
    Statement s(db.impl().db,
                "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value");
    s.bind(1, key).bind(2, value);
    return s.run();
}

}  // namespace kiosk::store
