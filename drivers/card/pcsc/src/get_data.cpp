// The GET DATA response, shared by the real reader and the stub build.
#include <cstdio>

#include "drivers/card/card_number.hpp"
#include "drivers/pcsc/pcsc_card_reader.hpp"

namespace drivers::pcsc {

Expected<std::string> card_number_from_get_data(std::span<const std::uint8_t> response) {
    if (response.size() < 2)
        return DriverError{"pcsc.get_data", "the card reader gave a reply too short to hold a status"};
    const std::uint8_t sw1 = response[response.size() - 2];
    const std::uint8_t sw2 = response[response.size() - 1];
    if (sw1 == 0x63 && sw2 == 0x00)
        return DriverError{"pcsc.get_data",
                           "the card reader could not read the card's number (63 00); please tap "
                           "the card again"};
    if (sw1 == 0x6A && sw2 == 0x81)
        return DriverError{"pcsc.get_data",
                           "this card reader cannot report card numbers (GET DATA is not "
                           "supported, 6A 81)"};
    if (sw1 != 0x90 || sw2 != 0x00) {
        char sw[8];
        std::snprintf(sw, sizeof sw, "%02X %02X", sw1, sw2);
        return DriverError{"pcsc.get_data",
                           std::string("the card reader refused to read the card's number (") + sw + ")"};
    }
    auto number = canonical_card_number(response.first(response.size() - 2));
    if (!number) return DriverError{"pcsc.get_data", number.error().message};
    return number;
}

}  // namespace drivers::pcsc
