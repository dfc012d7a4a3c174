// The decoder on its own: a hand-written stream, and garbage.
#include <doctest/doctest.h>

#include <random>
#include <vector>

#include "drivers/printer/escpos_decode.hpp"
#include "fake_printer.hpp"

using namespace drivers::escpos;

TEST_CASE("decode: lines, styles, feeds and markers") {
    std::vector<std::uint8_t> b = {0x1B, 0x40, 0x1B, 0x61, 0x01, 0x1B, 0x45, 0x01, 0x1D, 0x21, 0x33, '4', '2', 0x0A,
                                   0x1B, 0x61, 0x00, 0x1B, 0x45, 0x00, 0x1D, 0x21, 0x00, 0x1C, 0x26};
    const auto gb = escpos_test::gb18030("套餐A");
    b.insert(b.end(), gb.begin(), gb.end());
    const std::uint8_t tail[] = {0x0A, 0x1C, 0x2E, 0x1B, 0x64, 0x02, 0x10, 0x04, 0x01, 0x1D, 0x56, 0x41, 0x03};
    b.insert(b.end(), std::begin(tail), std::end(tail));
    const auto d = decode_text(b);
    CHECK(d.problems.empty());
    REQUIRE(d.lines.size() == 4);
    CHECK(d.lines[0].text == "42");
    CHECK(d.lines[0].align == Align::Centre);
    CHECK(d.lines[0].bold);
    CHECK(d.lines[0].width == 4);
    CHECK(d.lines[0].height == 4);
    CHECK(d.lines[1].text == "套餐A");
    CHECK(d.lines[1].align == Align::Left);
    CHECK_FALSE(d.lines[1].bold);
    CHECK(d.lines[2].text.empty());
    CHECK(d.lines[3].text.empty());
    CHECK(d.cuts == 1);
    CHECK(d.inits == 1);
    CHECK(d.text() == "42\n套餐A\n\n");
    CHECK(d.contains("套餐A"));
    CHECK(d.find_command("status 1") >= 0);
    CHECK(d.find_command("cut full") >= 0);
}

TEST_CASE("decode: malformed input is reported, not misread") {
    const std::uint8_t truncated_raster[] = {0x1D, 0x76, 0x30, 0x00, 0x30, 0x00, 0x10, 0x00, 0x00, 0x00};
    auto d = decode_text(truncated_raster);
    REQUIRE(d.problems.size() == 1);
    CHECK(d.problems[0].find("raster data truncated") == 0);
    CHECK(d.images.empty());

    const std::uint8_t qr_in_chinese[] = {0x1C, 0x26, 0x1D, 0x28, 0x6B, 0x04, 0x00, 0x31, 0x50, 0x30, 'x',
                                          0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x51, 0x30};
    d = decode_text(qr_in_chinese);
    REQUIRE(d.qr_codes.size() == 1);
    CHECK(d.qr_codes[0].in_chinese_mode);
    CHECK(d.problems.size() == 1);

    const std::uint8_t high_outside[] = {0xC8, 0xA1, 0x0A};
    d = decode_text(high_outside);
    CHECK(d.problems.size() == 2);
    CHECK(d.lines.at(0).text == "??");

    // Random bytes: never a crash, always a bounded result.
    std::mt19937 rng(42);
    for (int round = 0; round < 200; ++round) {
        std::vector<std::uint8_t> junk(static_cast<std::size_t>(rng() % 400));
        for (auto& x : junk) x = static_cast<std::uint8_t>(rng());
        const auto r = decode_text(junk);
        CHECK(r.lines.size() <= junk.size() * 255 + 1);
    }
}
