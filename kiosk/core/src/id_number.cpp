#include "kiosk/core/id_number.hpp"

#include <array>

namespace kiosk::core {

namespace {
constexpr std::array<int, 17> kWeights{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
constexpr std::string_view kCheckChars = "10X98765432";

bool is_digit(char c) { return c >= '0' && c <= '9'; }
}  // namespace

char id_check_char(std::string_view first17) {
    int sum = 0;
    for (std::size_t i = 0; i < kWeights.size(); ++i) sum += (first17[i] - '0') * kWeights[i];
    return kCheckChars[static_cast<std::size_t>(sum % 11)];
}

std::optional<IdNumberError> validate_id_number(std::string_view id) {
    if (id.size() != 18) return IdNumberError::WrongLength;
    for (std::size_t i = 0; i < 17; ++i)
        if (!is_digit(id[i])) return IdNumberError::BadCharacters;
    char last = id[17];
    if (last == 'x') last = 'X';
    if (!is_digit(last) && last != 'X') return IdNumberError::BadCharacters;
    if (!CivilDate::parse(id.substr(6, 8))) return IdNumberError::BadBirthDate;
    if (id_check_char(id.substr(0, 17)) != last) return IdNumberError::BadCheckDigit;
    return std::nullopt;
}

std::string normalize_id_number(std::string_view id) {
    std::string out(id);
    if (!out.empty() && out.back() == 'x') out.back() = 'X';
    return out;
}

std::string mask_id_number(std::string_view id) {
    if (id.size() < 8) return std::string(id.size(), '*');
    std::string out(id.size(), '*');
    for (std::size_t i = 0; i < 3; ++i) out[i] = id[i];
    for (std::size_t i = id.size() - 4; i < id.size(); ++i) out[i] = id[i];
    return out;
}

std::optional<CivilDate> id_birth_date(std::string_view id) {
    if (id.size() != 18) return std::nullopt;
    return CivilDate::parse(id.substr(6, 8));
}

Gender id_gender(std::string_view id) {
    if (id.size() != 18 || !is_digit(id[16])) return Gender::Unknown;
    return ((id[16] - '0') % 2 == 1) ? Gender::Male : Gender::Female;
}

}  // namespace kiosk::core
