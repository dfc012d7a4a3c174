#include <doctest/doctest.h>

#include "kiosk/core/id_number.hpp"

using namespace kiosk::core;

TEST_CASE("placeholder") { CHECK(id_check_char("11010519491231002") == 'X'); }
