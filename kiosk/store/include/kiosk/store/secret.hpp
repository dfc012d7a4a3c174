#pragma once
// The terminal's secret key and the keyed hash of ID numbers.
//
// ID numbers are stored only as HMAC-SHA256(key, number) plus the masked
// form: a stolen database file does not reveal them, and the same number
// still finds the same resident. The key lives in a 0600 file created on
// first start.
#include <array>
#include <cstdint>
#include <filesystem>
#include <string_view>

#include "kiosk/core/result.hpp"

namespace kiosk::store {

using SecretKey = std::array<std::uint8_t, 32>;
using IdHash = std::array<std::uint8_t, 32>;

// Reads the key, or creates it with fresh random bytes (mode 0600, written and
// fsynced before use). A key file readable by others is tightened to 0600.
// Errors: "secret.io" (cannot create or read), "secret.corrupt" (wrong size).
[[nodiscard]] Result<SecretKey> load_or_create_secret(const std::filesystem::path& file);

class IdHasher {
public:
    explicit IdHasher(const SecretKey& key) : key_(key) {}
    // Hashes the normalised number (upper-case X).
    [[nodiscard]] IdHash hash(std::string_view id_number) const;

private:
    SecretKey key_;
};

}  // namespace kiosk::store
