// One physical card, one identity, whichever reader printed it.
#include "drivers/card/card_number.hpp"

#include <doctest/doctest.h>

#include <array>
#include <cstdint>
#include <string>

using drivers::canonical_card_number;
using drivers::CardFormat;
using drivers::normalise_card_number;

namespace {
std::string norm(std::string_view text, CardFormat f) {
    auto r = normalise_card_number(text, f);
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? std::string() : r.error().message));
    return *r;
}
std::string refused(std::string_view text, CardFormat f) {
    auto r = normalise_card_number(text, f);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "card.number");
    CHECK_FALSE(r.error().message.empty());
    return r.error().message;
}
}  // namespace

TEST_CASE("card number: the same 4-byte card read four ways is one identity") {
    // UID 04 A1 B2 C3 as PC/SC returns it. 0x04A1B2C3 = 77705923 and the
    // byte-reversed C3 B2 A1 04 = 3283263748.
    const std::array<std::uint8_t, 4> uid{0x04, 0xA1, 0xB2, 0xC3};
    auto pcsc = canonical_card_number(uid);
    REQUIRE(pcsc.ok());
    CHECK(*pcsc == "0077705923");
    CHECK(norm("0077705923", CardFormat::Dec10) == *pcsc);
    CHECK(norm("3283263748", CardFormat::Dec10Reversed) == *pcsc);
    CHECK(norm("04A1B2C3", CardFormat::Hex) == *pcsc);
    CHECK(norm("04a1b2c3", CardFormat::Hex) == *pcsc);
    CHECK(norm("C3B2A104", CardFormat::HexReversed) == *pcsc);
    CHECK(norm("  3283263748\r\n", CardFormat::Dec10Reversed) == *pcsc);
}

TEST_CASE("card number: 7- and 10-byte UIDs are uppercase hex in PC/SC order") {
    const std::array<std::uint8_t, 7> uid7{0x04, 0x11, 0x22, 0x33, 0x44, 0x55, 0x6a};
    auto c = canonical_card_number(uid7);
    REQUIRE(c.ok());
    CHECK(*c == "0411223344556A");
    CHECK(norm("0411223344556a", CardFormat::Hex) == *c);
    CHECK(norm("6A554433221104", CardFormat::HexReversed) == *c);

    const std::array<std::uint8_t, 10> uid10{1, 2, 3, 4, 5, 6, 7, 8, 9, 0xff};
    auto c10 = canonical_card_number(uid10);
    REQUIRE(c10.ok());
    CHECK(*c10 == "010203040506070809FF");
    CHECK(norm("FF090807060504030201", CardFormat::HexReversed) == *c10);
}

TEST_CASE("card number: short UIDs are zero-padded decimal and bad UIDs are refused") {
    const std::array<std::uint8_t, 1> one{0x07};
    CHECK(*canonical_card_number(one) == "0000000007");
    const std::array<std::uint8_t, 4> max{0xff, 0xff, 0xff, 0xff};
    CHECK(*canonical_card_number(max) == "4294967295");
    CHECK(norm("4294967295", CardFormat::Dec10Reversed) == "4294967295");
    CHECK_FALSE(canonical_card_number({}).ok());
    const std::array<std::uint8_t, 11> eleven{};
    auto r = canonical_card_number(eleven);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "card.uid");
}

TEST_CASE("card number: wrong lengths and stray characters are refused, never guessed") {
    CHECK(refused("007770694", CardFormat::Dec10).find("9 digits") != std::string::npos);
    refused("00777059230", CardFormat::Dec10);
    refused("00777O6947", CardFormat::Dec10);  // a letter O
    refused("4294967296", CardFormat::Dec10);  // does not fit 4 bytes
    refused("9999999999", CardFormat::Dec10Reversed);
    refused("", CardFormat::Dec10);
    refused("04A1B2C", CardFormat::Hex);     // 7 digits: half a byte missing
    refused("04A1B2", CardFormat::Hex);      // 3 bytes: truncated
    refused("04A1B2C3D4", CardFormat::Hex);  // 5 bytes: no such UID
    refused("04A1B2G3", CardFormat::HexReversed);
    refused("04 A1 B2 C3", CardFormat::Hex);
    refused("   ", CardFormat::Raw);
    refused(std::string(drivers::kMaxRawToken + 1, 'x'), CardFormat::Raw);
}

TEST_CASE("card number: error messages never repeat what was read") {
    for (const auto* text : {"12345678", "123456789012", "12345X7890", "9999999999"}) {
        for (const auto f : {CardFormat::Dec10, CardFormat::Dec10Reversed, CardFormat::Hex, CardFormat::HexReversed}) {
            auto r = normalise_card_number(text, f);
            if (r.ok()) continue;
            CHECK(r.error().message.find(text) == std::string::npos);
            CHECK(r.error().message.find("1234") == std::string::npos);
        }
    }
}

TEST_CASE("card number: raw tokens pass through trimmed") {
    CHECK(norm("  https://example.org/q?id=AB-12  \r\n", CardFormat::Raw) == "https://example.org/q?id=AB-12");
    CHECK(norm("a b", CardFormat::Raw) == "a b");
}

TEST_CASE("card number: format names from the config") {
    for (const auto f :
         {CardFormat::Dec10, CardFormat::Dec10Reversed, CardFormat::Hex, CardFormat::HexReversed, CardFormat::Raw}) {
        auto parsed = drivers::parse_card_format(drivers::card_format_name(f));
        REQUIRE(parsed.ok());
        CHECK(*parsed == f);
    }
    auto bad = drivers::parse_card_format("decimal");
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().message.find("dec10-reversed") != std::string::npos);
}
