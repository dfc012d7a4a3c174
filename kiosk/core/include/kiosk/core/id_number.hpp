#pragma once
// Resident ID numbers (GB 11643-1999, ISO 7064 MOD 11-2).
//
// An ID number is personal data: it is validated and masked here, hashed by
// the store, and never logged or shown in full.
#include <optional>
#include <string>
#include <string_view>

#include "kiosk/core/civil_date.hpp"
#include "kiosk/core/resident.hpp"

namespace kiosk::core {

enum class IdNumberError {
    WrongLength,     // not 18 characters
    BadCharacters,   // a non-digit in the first 17, or a last char other than 0-9/X
    BadBirthDate,    // characters 7-14 are not a real date
    BadCheckDigit,   // the 18th character does not match the others
};

// The check character for the first 17 digits ('0'-'9' or 'X').
// Precondition: `first17` holds exactly 17 ASCII digits.
[[nodiscard]] char id_check_char(std::string_view first17);

// nullopt when `id` is a well-formed, checksum-valid 18-character number.
// A lower-case 'x' is accepted as the check character.
[[nodiscard]] std::optional<IdNumberError> validate_id_number(std::string_view id);

// Upper-cases the check character; call after validation.
[[nodiscard]] std::string normalize_id_number(std::string_view id);

// First 3 and last 4 characters kept, the rest replaced by '*':
// "130730194603080024" -> "130***********0024". Shorter input (< 8) is
// masked entirely so nothing leaks from malformed numbers.
[[nodiscard]] std::string mask_id_number(std::string_view id);

// Birth date and gender encoded in a valid number.
[[nodiscard]] std::optional<CivilDate> id_birth_date(std::string_view id);
[[nodiscard]] Gender id_gender(std::string_view id);

}  // namespace kiosk::core
