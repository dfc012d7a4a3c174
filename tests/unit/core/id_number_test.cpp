#include <doctest/doctest.h>

#include "kiosk/core/id_number.hpp"

using namespace kiosk::core;

TEST_CASE("id number: check character follows ISO 7064 MOD 11-2") {
    CHECK(id_check_char("11010519491231002") == 'X');
    CHECK(id_check_char("13073019460308002") == '4');
    CHECK(id_check_char("13073019411102001") == '7');
    CHECK(id_check_char("13073019580716004") == '7');
    CHECK(id_check_char("13073019350101003") == '9');
}

TEST_CASE("id number: valid numbers pass") {
    CHECK_FALSE(validate_id_number("11010519491231002X").has_value());
    CHECK_FALSE(validate_id_number("11010519491231002x").has_value());  // lower-case x accepted
    CHECK_FALSE(validate_id_number("130730194603080024").has_value());
    CHECK_FALSE(validate_id_number("130730193501010039").has_value());
}

TEST_CASE("id number: each kind of mistake is named") {
    CHECK(validate_id_number("") == IdNumberError::WrongLength);
    CHECK(validate_id_number("13073019460308002") == IdNumberError::WrongLength);
    CHECK(validate_id_number("1307301946030800241") == IdNumberError::WrongLength);
    CHECK(validate_id_number("13073019460308002A") == IdNumberError::BadCharacters);
    CHECK(validate_id_number("1307301946030800X4") == IdNumberError::BadCharacters);
    CHECK(validate_id_number("130730194613080021") == IdNumberError::BadBirthDate);  // month 13
    CHECK(validate_id_number("130730194602300024") == IdNumberError::BadBirthDate);  // 30 February
    CHECK(validate_id_number("130730194603080025") == IdNumberError::BadCheckDigit);
    CHECK(validate_id_number("130730194111020018") == IdNumberError::BadCheckDigit);
}

TEST_CASE("id number: every single-digit typo is caught by the check character") {
    const std::string good = "130730194603080024";
    int caught = 0, tried = 0;
    for (std::size_t i = 0; i < 17; ++i) {
        for (char d = '0'; d <= '9'; ++d) {
            if (d == good[i]) continue;
            std::string bad = good;
            bad[i] = d;
            ++tried;
            if (validate_id_number(bad).has_value()) ++caught;
        }
    }
    CHECK(caught == tried);
}

TEST_CASE("id number: masking keeps the first 3 and last 4 characters") {
    CHECK(mask_id_number("130730194603080024") == "130***********0024");
    CHECK(mask_id_number("11010519491231002X") == "110***********002X");
    CHECK(mask_id_number("12345678") == "123*5678");
    CHECK(mask_id_number("1234567") == "*******");  // too short to show anything
    CHECK(mask_id_number("") == "");
}

TEST_CASE("id number: birth date and gender are read from the number") {
    CHECK(id_birth_date("130730194603080024") == CivilDate{1946, 3, 8});
    CHECK(id_gender("130730194603080024") == Gender::Female);
    CHECK(id_gender("130730194111020017") == Gender::Male);
    CHECK(id_gender("11010519491231002X") == Gender::Female);
    CHECK(id_gender("short") == Gender::Unknown);
    CHECK_FALSE(id_birth_date("short").has_value());
}

TEST_CASE("id number: normalising upper-cases only the check character") {
    CHECK(normalize_id_number("11010519491231002x") == "11010519491231002X");
    CHECK(normalize_id_number("130730194603080024") == "130730194603080024");
}
