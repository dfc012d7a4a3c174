#pragma once
// Small facts about the database itself (roster source, install time, ...).
#include <optional>
#include <string>
#include <string_view>

#include "kiosk/core/result.hpp"
#include "kiosk/store/database.hpp"

namespace kiosk::store {

[[nodiscard]] Result<std::optional<std::string>> get_meta(Database& db, std::string_view key);
Result<void> set_meta(Database& db, std::string_view key, std::string_view value);

}  // namespace kiosk::store
