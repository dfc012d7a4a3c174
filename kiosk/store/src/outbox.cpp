#include "outbox.hpp"

#include <openssl/rand.h>

#include <array>
#include <cstdio>

namespace kiosk::store {

Result<std::string> new_fact_id() {
    std::array<unsigned char, 16> b{};
    if (RAND_bytes(b.data(), static_cast<int>(b.size())) != 1)
        return Error{"store.random", "the system could not provide random bytes for a record id"};
    b[6] = static_cast<unsigned char>((b[6] & 0x0F) | 0x40);  // version 4
    b[8] = static_cast<unsigned char>((b[8] & 0x3F) | 0x80);  // RFC 4122 variant
    char out[37];
    std::snprintf(out, sizeof out, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
                  b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
    return std::string(out);
}

Outbox::Outbox(sqlite3* db)
    : next_seq_(db, "UPDATE sequence SET value = value + 1 WHERE id = 1 RETURNING value"),
      insert_(db, "INSERT INTO outbox (seq, fact_id, type, json) VALUES (?1, ?2, ?3, ?4)") {}

Result<std::int64_t> Outbox::next_seq() {
    if (!next_seq_.ok()) return next_seq_.step().error();  // "store.prepare"
    next_seq_.reset();
    auto row = next_seq_.step();
    if (!row) return row.error();
    const std::int64_t seq = next_seq_.int64(0);
    next_seq_.reset();
    return seq;
}

Result<void> Outbox::append(std::int64_t seq, std::string_view fact_id, std::string_view type, std::string_view json) {
    if (!insert_.ok()) return insert_.step().error();
    insert_.reset().bind(1, seq).bind(2, fact_id).bind(3, type).bind(4, json);
    auto r = insert_.run();
    insert_.reset();
    return r;
}

}  // namespace kiosk::store
