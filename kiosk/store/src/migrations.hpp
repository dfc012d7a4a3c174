#pragma once
#include <span>

namespace kiosk::store {

struct Migration {
    int version;
    const char* sql;
};

// In order; migration N takes the schema from N-1 to N. Never edit a
// migration that has shipped: add the next one.
std::span<const Migration> migrations();

}  // namespace kiosk::store
