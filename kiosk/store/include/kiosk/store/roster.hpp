#pragma once
// The roster: residents and their community cards.
#include <cstddef>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>
#include <string_view>

#include "kiosk/core/demo_roster.hpp"
#include "kiosk/core/resident.hpp"
#include "kiosk/core/result.hpp"
#include "kiosk/store/database.hpp"
#include "kiosk/store/secret.hpp"

namespace kiosk::store {

class RosterRepository {
public:
    RosterRepository(Database& db, const IdHasher& hasher);
    ~RosterRepository();

    // Inserts or updates every entry in one transaction. Residents missing
    // from `entries` are marked inactive, never deleted: their records stay.
    Result<void> replace_all(std::span<const core::RosterEntry> entries);

    // Active residents only. nullopt: not on the roster.
    [[nodiscard]] Result<std::optional<core::Resident>> find_by_card(std::string_view card);
    [[nodiscard]] Result<std::optional<core::Resident>> find_by_id_number(std::string_view id_number);
    [[nodiscard]] Result<std::optional<core::Resident>> find_by_id(core::RosterId id);
    [[nodiscard]] Result<std::size_t> count_active();

    // Staff look-ups for someone who forgot their card (active residents).
    struct Surname {
        std::string text;  // the name's first character: "王"
        int count = 0;
    };
    // Most common first, then in code point order.
    [[nodiscard]] Result<std::vector<Surname>> surnames();
    // Names starting with `prefix`, by name; at most `limit`.
    [[nodiscard]] Result<std::vector<core::Resident>> find_by_name_prefix(std::string_view prefix, std::size_t limit);
    // Phone numbers ending in `digits` (at least 4 of them, else nothing), by name; at most `limit`.
    [[nodiscard]] Result<std::vector<core::Resident>> find_by_phone_tail(std::string_view digits, std::size_t limit);

private:
    struct Statements;
    Database& db_;
    const IdHasher& hasher_;
    std::unique_ptr<Statements> st_;
};

}  // namespace kiosk::store
