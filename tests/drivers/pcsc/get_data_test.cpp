// The GET DATA reply, without a daemon.
#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "drivers/pcsc/pcsc_card_reader.hpp"

using drivers::pcsc::card_number_from_get_data;

namespace {
drivers::Expected<std::string> reply(std::vector<std::uint8_t> bytes) { return card_number_from_get_data(bytes); }
std::string reason(std::vector<std::uint8_t> bytes) {
    auto r = reply(std::move(bytes));
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "pcsc.get_data");
    return r.error().message;
}
}  // namespace

TEST_CASE("pcsc get data: UID and 90 00 give the canonical number") {
    auto four = reply({0x04, 0xA1, 0xB2, 0xC3, 0x90, 0x00});
    REQUIRE(four.ok());
    CHECK(*four == "0077705923");
    auto seven = reply({0x04, 0x11, 0x22, 0x33, 0x44, 0x55, 0x6A, 0x90, 0x00});
    REQUIRE(seven.ok());
    CHECK(*seven == "0411223344556A");
    auto ten = reply({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 0x90, 0x00});
    REQUIRE(ten.ok());
    CHECK(*ten == "0102030405060708090A");
}

TEST_CASE("pcsc get data: failure statuses are plain reasons") {
    CHECK(reason({0x63, 0x00}).find("could not read") != std::string::npos);
    CHECK(reason({0x6A, 0x81}).find("cannot report card numbers") != std::string::npos);
    CHECK(reason({0x6D, 0x00}).find("6D 00") != std::string::npos);
    CHECK(reason({0x90}).find("too short") != std::string::npos);
    CHECK(reason({}).find("too short") != std::string::npos);
    CHECK(reason({0x90, 0x00}).find("empty") != std::string::npos);
    CHECK(reason({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0x90, 0x00}).find("11 bytes") != std::string::npos);
    // A UID in front of a failure status is not taken, nor repeated.
    const auto r = reason({0x04, 0xA1, 0xB2, 0xC3, 0x63, 0x00});
    CHECK(r.find("0077705923") == std::string::npos);
    CHECK(r.find("04") == std::string::npos);
}

TEST_CASE("pcsc: the stub or the real reader says what it is before start") {
    drivers::pcsc::PcscCardReader reader({});
    CHECK(reader.name() == "pcsc");
    const auto h = reader.health();
    if (drivers::pcsc::pcsc_support_built()) {
        CHECK(h.state == drivers::DeviceState::Absent);
        CHECK(h.status == "not started");
    } else {
        CHECK(h.state == drivers::DeviceState::Fault);
        CHECK(h.status.find("not built") != std::string::npos);
    }
    CHECK(h.device == "pcsc all readers");
}
