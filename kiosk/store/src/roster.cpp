#include "kiosk/store/roster.hpp"

#include <algorithm>

#include "sqlite.hpp"

namespace kiosk::store {

namespace {
constexpr const char* kResidentColumns =
    "r.id, r.name, r.gender, r.birth, r.categories, r.area, r.building, r.unit, r.room, r.phone, "
    "r.plain_name, r.masked_id";

core::Resident read_resident(const Statement& s) {
    core::Resident r;
    r.id = s.int64(0);
    r.name = s.text(1);
    const auto g = s.text(2);
    r.gender = g == "M" ? core::Gender::Male : g == "F" ? core::Gender::Female : core::Gender::Unknown;
    r.birth = core::CivilDate::parse(s.text(3)).value_or(core::CivilDate{});
    r.categories = core::Categories::from_bits(static_cast<std::uint8_t>(s.int64(4)));
    r.address.area = s.text(5);
    r.address.building = static_cast<int>(s.int64(6));
    r.address.unit = static_cast<int>(s.int64(7));
    r.address.room = s.text(8);
    r.phone = s.text(9);
    r.prefers_plain_name = s.int64(10) != 0;
    r.masked_id = s.text(11);
    return r;
}

std::string select_where(std::string_view from_and_where) {
    return std::string("SELECT ") + kResidentColumns + " " + std::string(from_and_where);
}

Result<std::vector<core::Resident>> all(Statement& s) {
    std::vector<core::Resident> out;
    for (;;) {
        auto row = s.step();
        if (!row) return row.error();
        if (!*row) break;
        out.push_back(read_resident(s));
    }
    s.reset();
    return out;
}

// The first UTF-8 character of a name.
std::string_view first_char(std::string_view s) {
    if (s.empty()) return s;
    const auto b = static_cast<unsigned char>(s[0]);
    const std::size_t n = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xE ? 3 : (b >> 3) == 0x1E ? 4 : 1;
    return s.substr(0, std::min(n, s.size()));
}

Result<std::optional<core::Resident>> one(Statement& s) {
    auto row = s.step();
    if (!row) return row.error();
    std::optional<core::Resident> out;
    if (*row) out = read_resident(s);
    s.reset();
    return out;
}
}  // namespace

struct RosterRepository::Statements {
    Statement by_card, by_hash, by_id, by_prefix, by_phone;
    explicit Statements(sqlite3* db)
        : by_card(db, select_where("FROM cards c JOIN residents r ON r.id = c.resident WHERE c.card = ?1 AND r.active = 1")),
          by_hash(db, select_where("FROM residents r WHERE r.id_hash = ?1 AND r.active = 1")),  // uses the partial index
          by_id(db, select_where("FROM residents r WHERE r.id = ?1")),
          // substr() rather than LIKE: a name may hold '%' or '_' and LIKE folds ASCII case.
          by_prefix(db, select_where("FROM residents r WHERE r.active = 1 AND substr(r.name, 1, length(?1)) = ?1 "
                                     "ORDER BY r.name, r.id LIMIT ?2")),
          by_phone(db, select_where("FROM residents r WHERE r.active = 1 AND length(r.phone) >= length(?1) AND "
                                    "substr(r.phone, -length(?1)) = ?1 ORDER BY r.name, r.id LIMIT ?2")) {}
};

RosterRepository::RosterRepository(Database& db, const IdHasher& hasher)
    : db_(db), hasher_(hasher), st_(std::make_unique<Statements>(db.impl().db)) {}

RosterRepository::~RosterRepository() = default;

Result<void> RosterRepository::replace_all(std::span<const core::RosterEntry> entries) {
    sqlite3* db = db_.impl().db;
    Transaction tx(db);
    if (!tx.begun()) return tx.begun().error();
    if (auto r = exec(db, "UPDATE residents SET active = 0; DELETE FROM cards;", "store.roster"); !r) return r;
    Statement upsert(db,
                     "INSERT INTO residents (id, name, gender, birth, categories, area, building, unit, room, phone, "
                     "plain_name, masked_id, id_hash, active) "
                     "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, 1) "
                     "ON CONFLICT(id) DO UPDATE SET name = excluded.name, gender = excluded.gender, "
                     "birth = excluded.birth, categories = excluded.categories, area = excluded.area, "
                     "building = excluded.building, unit = excluded.unit, room = excluded.room, "
                     "phone = excluded.phone, plain_name = excluded.plain_name, masked_id = excluded.masked_id, "
                     "id_hash = excluded.id_hash, active = 1");
    Statement card(db, "INSERT OR REPLACE INTO cards (card, resident) VALUES (?1, ?2)");
    for (const auto& e : entries) {
        const auto& r = e.resident;
        const auto hash = hasher_.hash(e.id_number);
        upsert.reset()
            .bind(1, r.id)
            .bind(2, r.name)
            .bind(3, core::gender_code(r.gender))
            .bind(4, r.birth.iso())
            .bind(5, static_cast<std::int64_t>(r.categories.bits()))
            .bind(6, r.address.area)
            .bind(7, r.address.building)
            .bind(8, r.address.unit)
            .bind(9, r.address.room)
            .bind(10, r.phone)
            .bind(11, r.prefers_plain_name ? 1 : 0)
            .bind(12, r.masked_id)
            .bind(13, std::span<const std::uint8_t>(hash));
        if (auto x = upsert.run(); !x) return x;
        if (!e.card.empty()) {
            card.reset().bind(1, e.card).bind(2, r.id);
            if (auto x = card.run(); !x) return x;
        }
    }
    return tx.commit();
}

Result<std::optional<core::Resident>> RosterRepository::find_by_card(std::string_view card) {
    st_->by_card.reset().bind(1, card);
    return one(st_->by_card);
}

Result<std::optional<core::Resident>> RosterRepository::find_by_id_number(std::string_view id_number) {
    const auto hash = hasher_.hash(id_number);
    st_->by_hash.reset().bind(1, std::span<const std::uint8_t>(hash));
    return one(st_->by_hash);
}

Result<std::optional<core::Resident>> RosterRepository::find_by_id(core::RosterId id) {
    st_->by_id.reset().bind(1, id);
    return one(st_->by_id);
}

Result<std::vector<RosterRepository::Surname>> RosterRepository::surnames() {
    // A few hundred names per site: counted here rather than in SQL, which
    // has no notion of a UTF-8 character's bytes.
    Statement s(db_.impl().db, "SELECT name FROM residents WHERE active = 1");
    std::vector<Surname> out;
    for (;;) {
        auto row = s.step();
        if (!row) return row.error();
        if (!*row) break;
        const std::string name = s.text(0);
        const auto first = first_char(name);
        if (first.empty()) continue;
        auto it = std::find_if(out.begin(), out.end(), [&](const Surname& x) { return x.text == first; });
        if (it == out.end()) out.push_back({std::string(first), 1});
        else ++it->count;
    }
    std::sort(out.begin(), out.end(), [](const Surname& a, const Surname& b) {
        return a.count != b.count ? a.count > b.count : a.text < b.text;
    });
    return out;
}

Result<std::vector<core::Resident>> RosterRepository::find_by_name_prefix(std::string_view prefix, std::size_t limit) {
    if (prefix.empty()) return std::vector<core::Resident>{};
    st_->by_prefix.reset().bind(1, prefix).bind(2, static_cast<std::int64_t>(limit));
    return all(st_->by_prefix);
}

Result<std::vector<core::Resident>> RosterRepository::find_by_phone_tail(std::string_view digits, std::size_t limit) {
    if (digits.size() < 4 || digits.find_first_not_of("0123456789") != std::string_view::npos)
        return std::vector<core::Resident>{};
    st_->by_phone.reset().bind(1, digits).bind(2, static_cast<std::int64_t>(limit));
    return all(st_->by_phone);
}

Result<std::size_t> RosterRepository::count_active() {
    Statement s(db_.impl().db, "SELECT COUNT(*) FROM residents WHERE active = 1");
    auto row = s.step();
    if (!row) return row.error();
    return static_cast<std::size_t>(s.int64(0));
}

}  // namespace kiosk::store
