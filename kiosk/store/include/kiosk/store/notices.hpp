#pragma once
// Notices shown on the idle strip and the notices screen.
#include <span>
#include <vector>

#include "kiosk/core/notice.hpp"
#include "kiosk/core/result.hpp"
#include "kiosk/store/database.hpp"

namespace kiosk::store {

class NoticeRepository {
public:
    explicit NoticeRepository(Database& db) : db_(db) {}
    // Replaces the notices in one transaction.
    Result<void> replace_all(std::span<const core::Notice> notices);
    // Newest first.
    [[nodiscard]] Result<std::vector<core::Notice>> list();

private:
    Database& db_;
};

}  // namespace kiosk::store
