// The ESC/POS encoder: exact bytes, GB18030, wrapping by display width,
// Chinese mode around QR codes and pictures, raster fallbacks.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "drivers/printer/escpos_decode.hpp"
#include "drivers/printer/escpos_encode.hpp"
#include "fake_printer.hpp"

using namespace drivers::escpos;
using Bytes = std::vector<std::uint8_t>;

namespace {

Bytes cat(std::initializer_list<Bytes> parts) {
    Bytes out;
    for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
    return out;
}

bool contains(const Bytes& hay, const Bytes& needle) {
    return std::search(hay.begin(), hay.end(), needle.begin(), needle.end()) != hay.end();
}

PrinterProfile mm58() { return PrinterProfile{}; }
PrinterProfile mm80() {
    PrinterProfile p;
    p.width_mm = 80;
    return p;
}

std::vector<std::string> texts(const Decoded& d) {
    std::vector<std::string> out;
    for (const auto& l : d.lines) out.push_back(l.text);
    return out;
}

std::vector<std::string> wrapped(const std::string& s, int columns, TextStyle style = {}) {
    PrinterProfile p = columns == 48 ? mm80() : mm58();
    Receipt r;
    r.text(s, style);
    const auto d = decode_text(encode(r, p));
    REQUIRE(d.problems.empty());
    return texts(d);
}

int black_pixels(const drivers::escpos::Bitmap& b, int x0 = 0, int x1 = 1 << 20) {
    int n = 0;
    for (int y = 0; y < b.height; ++y)
        for (int x = std::max(x0, 0); x < std::min(x1, b.width); ++x) n += b.get(x, y) ? 1 : 0;
    return n;
}

}  // namespace

TEST_CASE("encode: single commands have the agreed bytes") {
    CHECK(cmd::init() == Bytes{0x1B, 0x40});
    CHECK(cmd::align(Align::Left) == Bytes{0x1B, 0x61, 0x00});
    CHECK(cmd::align(Align::Centre) == Bytes{0x1B, 0x61, 0x01});
    CHECK(cmd::align(Align::Right) == Bytes{0x1B, 0x61, 0x02});
    CHECK(cmd::bold(true) == Bytes{0x1B, 0x45, 0x01});
    CHECK(cmd::bold(false) == Bytes{0x1B, 0x45, 0x00});
    CHECK(cmd::size(1, 1) == Bytes{0x1D, 0x21, 0x00});
    CHECK(cmd::size(4, 4) == Bytes{0x1D, 0x21, 0x33});
    CHECK(cmd::size(2, 1) == Bytes{0x1D, 0x21, 0x10});
    CHECK(cmd::size(1, 8) == Bytes{0x1D, 0x21, 0x07});
    CHECK(cmd::size(9, 0) == Bytes{0x1D, 0x21, 0x70});  // clamped to 8 × 1
    CHECK(cmd::line_spacing(40) == Bytes{0x1B, 0x33, 40});
    CHECK(cmd::line_spacing(0) == Bytes{0x1B, 0x32});
    CHECK(cmd::feed(3) == Bytes{0x1B, 0x64, 0x03});
    CHECK(cmd::cut(CutKind::Full) == Bytes{0x1D, 0x56, 0x00});
    CHECK(cmd::cut(CutKind::Partial) == Bytes{0x1D, 0x56, 0x01});
    CHECK(cmd::chinese_on() == Bytes{0x1C, 0x26});
    CHECK(cmd::chinese_off() == Bytes{0x1C, 0x2E});
}

TEST_CASE("encode: a small receipt is exactly init, text, feed and cut") {
    Receipt r;
    r.text("Hi").cut();
    const Bytes expected = {0x1B, 0x40, 0x1C, 0x2E, 'H', 'i', 0x0A, 0x1B, 0x64, 0x04, 0x1D, 0x56, 0x01};
    CHECK(encode(r, mm58()) == expected);

    PrinterProfile p = mm58();
    p.cut_feed_lines = 6;
    Receipt full;
    full.cut(CutKind::Full);
    CHECK(encode(full, p) == Bytes{0x1B, 0x40, 0x1C, 0x2E, 0x1B, 0x64, 0x06, 0x1D, 0x56, 0x00});
    CHECK(encode(Receipt{}, p) == Bytes{0x1B, 0x40, 0x1C, 0x2E});
}

TEST_CASE("encode: styles are sent only when they change") {
    Receipt r;
    r.text("A", {.align = Align::Centre, .bold = true, .width = 2, .height = 2})
        .text("B", {.align = Align::Centre, .bold = true, .width = 2, .height = 2})
        .text("C");
    const Bytes expected = cat({{0x1B, 0x40, 0x1C, 0x2E},
                                {0x1B, 0x61, 0x01, 0x1B, 0x45, 0x01, 0x1D, 0x21, 0x11, 'A', 0x0A, 'B', 0x0A},
                                {0x1B, 0x61, 0x00, 0x1B, 0x45, 0x00, 0x1D, 0x21, 0x00, 'C', 0x0A}});
    CHECK(encode(r, mm58()) == expected);

    Receipt s;
    s.line_spacing(40).text("x").line_spacing(0);
    CHECK(encode(s, mm58()) == Bytes{0x1B, 0x40, 0x1C, 0x2E, 0x1B, 0x33, 40, 'x', 0x0A, 0x1B, 0x32});
}

TEST_CASE("encode: Chinese text is GB18030 inside FS & and FS .") {
    Receipt r;
    r.text("取餐号 A1");
    const Bytes expected = cat({{0x1B, 0x40, 0x1C, 0x2E, 0x1C, 0x26},
                                escpos_test::gb18030("取餐号 A1"),
                                {0x0A, 0x1C, 0x2E}});
    CHECK(encode(r, mm58()) == expected);
    CHECK(escpos_test::gb18030("取") == Bytes{0xC8, 0xA1});
}

TEST_CASE("encode: GB18030 round trip, two- and four-byte sequences") {
    PrinterProfile p = mm58();
    p.font = FontCoverage::Gb18030All;
    const std::string text = "张桂兰 é € 㐀 𫖯 喆 赟 ok";
    Receipt r;
    r.text(text);
    const Bytes bytes = encode(r, p);
    CHECK(contains(bytes, {0x81, 0x39, 0xEE, 0x39}));  // 㐀 U+3400, extension A
    CHECK(contains(bytes, {0x98, 0x38, 0xF5, 0x37}));  // 𫖯 U+2B5AF, supplementary plane
    CHECK(contains(bytes, {0xDA, 0x53}));              // 赟 (GBK)
    CHECK(contains(bytes, {0xA2, 0xE3}));              // €
    const auto d = decode_text(bytes);
    CHECK(d.problems.empty());
    REQUIRE(d.lines.size() == 1);
    CHECK(d.lines[0].text == text);
    CHECK_FALSE(d.chinese_mode_at_end);
    CHECK(d.images.empty());
}

TEST_CASE("encode: display width counts Chinese as two columns") {
    const PrinterProfile p = mm58();
    CHECK(display_width("abc", p) == 3);
    CHECK(display_width("取餐号", p) == 6);
    CHECK(display_width("套餐A 15.00元", p) == 13);
    CHECK(display_width("，", p) == 2);
    CHECK(display_width("a\n每个中文占两列", p) == 14);
}

TEST_CASE("encode: mixed text wraps at 32 and 48 columns without breaking words") {
    const std::string s = "老年助餐服务中心 Community Canteen Service Center 欢迎您";
    CHECK(wrapped(s, 32) == std::vector<std::string>{"老年助餐服务中心 Community", "Canteen Service Center 欢迎您"});
    CHECK(wrapped(s, 48) == std::vector<std::string>{"老年助餐服务中心 Community Canteen Service", "Center 欢迎您"});

    const std::string chinese = "每个中文占两列所以一行三十二列放十六个字多出来的换行";
    const auto lines = wrapped(chinese, 32);
    REQUIRE(lines.size() == 2);
    CHECK(lines[0] == "每个中文占两列所以一行三十二列放");
    CHECK(display_width(lines[0], mm58()) == 32);
    CHECK(wrapped(chinese, 48).size() == 2);
    CHECK(display_width(wrapped(chinese, 48)[0], mm80()) == 48);

    for (const auto& l : wrapped("A mixed 中英文 line with some English words and 中文字符 mixed in, long enough to wrap twice", 32))
        CHECK(display_width(l, mm58()) <= 32);
}

TEST_CASE("encode: double-width text counts double") {
    const auto lines = wrapped("一二三四五六七八九十", 32, {.width = 2});
    REQUIRE(lines.size() == 2);
    CHECK(lines[0] == "一二三四五六七八");
    CHECK(lines[1] == "九十");
    const auto big = wrapped("0042", 32, {.align = Align::Centre, .width = 4, .height = 4});
    CHECK(big == std::vector<std::string>{"0042"});
    const auto latin = wrapped("Canteen Service", 32, {.width = 3});  // 10 columns a line
    CHECK(latin == std::vector<std::string>{"Canteen", "Service"});
}

TEST_CASE("encode: no line starts with closing punctuation") {
    // 16 characters fill a 58 mm line; the comma would start the next.
    const auto lines = wrapped("一二三四五六七八九十一二三四五六，好的。", 32);
    REQUIRE(lines.size() == 2);
    CHECK(lines[0] == "一二三四五六七八九十一二三四五");
    CHECK(lines[1] == "六，好的。");
    // And no line ends with an opening bracket.
    const auto open = wrapped("一二三四五六七八九十一二三四五《六》", 32);
    REQUIRE(open.size() == 2);
    CHECK(open[1] == "《六》");
    // A word longer than a line is broken by characters.
    const auto url = wrapped("see https://example.org/a/very/long/path/that/does/not/fit", 32);
    REQUIRE(url.size() == 2);
    CHECK(url[0] == "see https://example.org/a/very/l");
    CHECK(display_width(url[0], mm58()) == 32);
}

TEST_CASE("encode: a two-column row puts the value at the right edge") {
    Receipt r;
    r.row("原价", "15.00元").row("应付", "10.00元", {.bold = true, .width = 2});
    const auto d = decode_text(encode(r, mm58()));
    REQUIRE(d.problems.empty());
    REQUIRE(d.lines.size() == 2);
    CHECK(d.lines[0].text == "原价" + std::string(21, ' ') + "15.00元");
    CHECK(display_width(d.lines[0].text, mm58()) == 32);
    CHECK(d.lines[1].text == "应付" + std::string(5, ' ') + "10.00元");  // 16 columns at double width
    CHECK(d.lines[1].bold);
    CHECK(d.lines[1].width == 2);
    CHECK(d.lines[1].align == Align::Left);

    Receipt longer;
    longer.row("红烧肉套餐加米饭加一份青菜加汤加水果", "15.00元");
    const auto l = texts(decode_text(encode(longer, mm58())));
    REQUIRE(l.size() == 2);
    CHECK(l[0] == "红烧肉套餐加米饭加一份青" + std::string(1, ' ') + "15.00元");
    CHECK(l[1] == "菜加汤加水果");

    Receipt wide;
    wide.row("订单", "ORDER-2024-05-01-0042-KIOSK-7");  // value wider than half a line
    const auto w = texts(decode_text(encode(wide, mm58())));
    REQUIRE(w.size() == 2);
    CHECK(w[0] == "订单");
    CHECK(w[1] == std::string(3, ' ') + "ORDER-2024-05-01-0042-KIOSK-7");
}

TEST_CASE("encode: rules span the paper") {
    Receipt r;
    r.rule().rule('=');
    const auto d58 = decode_text(encode(r, mm58()));
    REQUIRE(d58.lines.size() == 2);
    CHECK(d58.lines[0].text == std::string(32, '-'));
    CHECK(d58.lines[1].text == std::string(32, '='));
    CHECK(decode_text(encode(r, mm80())).lines[0].text == std::string(48, '-'));
}

TEST_CASE("encode: native QR code bytes, after leaving Chinese mode") {
    Receipt r;
    r.text("取餐号").qr("AB", {.module_size = 6, .level = QrLevel::M, .align = Align::Centre});
    const Bytes bytes = encode(r, mm58());
    const Bytes qr = {0x1D, 0x28, 0x6B, 0x04, 0x00, 0x31, 0x41, 0x32, 0x00,        // model 2
                      0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x43, 0x06,              // module size
                      0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x45, 0x31,              // level M
                      0x1D, 0x28, 0x6B, 0x05, 0x00, 0x31, 0x50, 0x30, 'A', 'B',    // store, len + 3
                      0x1D, 0x28, 0x6B, 0x03, 0x00, 0x31, 0x51, 0x30, 0x0A};       // print
    const Bytes expected = cat({{0x1B, 0x40, 0x1C, 0x2E, 0x1C, 0x26}, escpos_test::gb18030("取餐号"),
                                {0x0A, 0x1C, 0x2E, 0x1B, 0x61, 0x01}, qr});
    CHECK(bytes == expected);

    const auto d = decode_text(bytes);
    CHECK(d.problems.empty());
    REQUIRE(d.qr_codes.size() == 1);
    CHECK(d.qr_codes[0].data == "AB");
    CHECK(d.qr_codes[0].module_size == 6);
    CHECK(d.qr_codes[0].level == 'M');
    CHECK_FALSE(d.qr_codes[0].in_chinese_mode);
    const int off = d.find_command("chinese off", d.find_command("chinese on"));
    CHECK(off >= 0);
    CHECK(off < d.find_command("qr store"));
}

TEST_CASE("encode: a character outside a GB2312 font prints as a raster line") {
    PrinterProfile gb2312 = mm58();
    gb2312.font = FontCoverage::Gb2312;
    // 赟 (U+8D5F) is GBK, not GB2312; 张 and 兰 are GB2312.
    CHECK(font_covers("张兰", gb2312));
    CHECK_FALSE(font_covers("张赟", gb2312));
    CHECK(font_covers("张赟", mm58()));
    CHECK_FALSE(font_covers("𫖯", mm58()));  // outside GB18030's two-byte range
    PrinterProfile gbk = mm58();
    gbk.font = FontCoverage::Gbk;
    CHECK(font_covers("张赟喆€", gbk));
    CHECK_FALSE(font_covers("刘㐀", gbk));   // U+3400: a four-byte GB18030 code, extension A
    CHECK(font_covers("刘㐀", mm58()));
    CHECK(contains(encode(Receipt().text("刘㐀"), mm58()), {0x81, 0x39, 0xEE, 0x39}));
    CHECK_FALSE(contains(encode(Receipt().text("刘㐀"), gbk), {0x81, 0x39, 0xEE, 0x39}));

    Receipt r;
    r.text("姓名").text("张*赟").text("完");
    const Bytes bytes = encode(r, gb2312);
    CHECK_FALSE(contains(bytes, {0xDA, 0x53}));  // 赟 never sent as text
    const auto d = decode_text(bytes);
    CHECK(d.problems.empty());
    REQUIRE(d.images.size() == 1);
    CHECK(texts(d) == std::vector<std::string>{"姓名", "[image 384x30]", "完"});
    const auto& img = d.images[0].bitmap;
    CHECK(img.width == 384);
    CHECK(img.height == 30);  // the printer's 24-dot font plus its 6-dot line gap
    // Left aligned: 张 * 赟 take columns 0–4 (60 dots); nothing beyond.
    CHECK(black_pixels(img, 0, 24) > 40);   // 张
    CHECK(black_pixels(img, 36, 60) > 40);  // 赟
    CHECK(black_pixels(img, 60) == 0);
    // Chinese mode is left before the picture.
    CHECK(d.find_command("chinese off", d.find_command("chinese on")) < d.find_command("raster 48x30"));

    // The same line on a GB18030 printer is text; 𫖯 needs the picture there.
    CHECK(decode_text(encode(r, mm58())).images.empty());
    Receipt rare;
    rare.text("王𫖯", {.align = Align::Centre, .width = 2, .height = 2});
    const auto dr = decode_text(encode(rare, mm58()));
    REQUIRE(dr.images.size() == 1);
    CHECK(dr.images[0].bitmap.height == 54);
    const int w = black_pixels(dr.images[0].bitmap);
    CHECK(w > 100);
    // Centred: 4 columns × 24 dots = 96 dots in the middle of 384.
    CHECK(black_pixels(dr.images[0].bitmap, 0, 144) == 0);
    CHECK(black_pixels(dr.images[0].bitmap, 240) == 0);
}

TEST_CASE("encode: without a fallback font, missing characters print as '?'") {
    PrinterProfile gb2312 = mm58();
    gb2312.font = FontCoverage::Gb2312;
    EncodeOptions o;
    o.fallback_font = "/nonexistent/font.ttc";
    Receipt r;
    r.text("张赟");
    const auto d = decode_text(encode(r, gb2312, o));
    CHECK(d.images.empty());
    REQUIRE(d.lines.size() == 1);
    CHECK(d.lines[0].text == "张?");
    auto c = check(r, gb2312, o);
    REQUIRE_FALSE(c.ok());
    CHECK(c.error().code == "escpos.font");
    CHECK(c.error().message.find("赟") == std::string::npos);  // receipt text stays out of errors
    CHECK(check(r, gb2312).ok());
}

TEST_CASE("encode: QR as a raster image when the printer has no GS ( k") {
    PrinterProfile p = mm58();
    p.native_qr = false;
    Receipt r;
    r.text("取餐号").qr("ORDER-20240501-0042", {.module_size = 6, .level = QrLevel::M});
    const Bytes bytes = encode(r, p);
    const auto d = decode_text(bytes);
    CHECK(d.problems.empty());
    CHECK(d.qr_codes.empty());
    CHECK(d.find_command("qr print") < 0);
    REQUIRE(d.images.size() == 1);
    const auto& img = d.images[0].bitmap;
    CHECK(img.width == 384);
    // 19 bytes at level M: version 2, 25 modules; 2 quiet modules above and below.
    CHECK(img.height == (25 + 4) * 6);
    CHECK(d.images[0].bands == 2);  // 174 rows in bands of at most 128
    CHECK(d.find_command("raster 48x128") >= 0);
    CHECK(d.find_command("raster 48x46") >= 0);
    // Centred, the finder pattern's top-left corner black.
    const int x0 = (384 - 25 * 6) / 2;
    CHECK(img.get(x0, 12));
    CHECK_FALSE(img.get(x0 - 1, 12));
    CHECK(black_pixels(img, 0, x0) == 0);
    CHECK(black_pixels(img, x0 + 150) == 0);

    // A QR code too long for any symbol prints a note, and check() says so.
    Receipt too_long;
    too_long.qr(std::string(3000, 'x'));
    CHECK(decode_text(encode(too_long, mm58())).contains("(QR code unavailable)"));
    auto c = check(too_long, mm58());
    REQUIRE_FALSE(c.ok());
    CHECK(c.error().code == "escpos.qr_too_long");
}

TEST_CASE("encode: raster images have exact x and y, in bands") {
    Bitmap logo = Bitmap::blank(20, 3);
    logo.set(0, 0);
    logo.set(19, 2);
    Receipt r;
    r.image(logo, Align::Left);
    const Bytes bytes = encode(r, mm58());
    Bytes expected = {0x1B, 0x40, 0x1C, 0x2E, 0x1D, 0x76, 0x30, 0x00, 48, 0x00, 3, 0x00};
    Bytes data(48 * 3, 0);
    data[0] = 0x80;            // (0, 0)
    data[2 * 48 + 2] = 0x10;   // (19, 2): byte 2, bit 3 from the left
    expected.insert(expected.end(), data.begin(), data.end());
    CHECK(bytes == expected);

    PrinterProfile p80 = mm80();
    p80.raster_band_rows = 100;
    Receipt big;
    big.image(Bitmap::blank(600, 250), Align::Centre);  // wider than 576: cropped
    const auto d = decode_text(encode(big, p80));
    CHECK(d.problems.empty());
    REQUIRE(d.images.size() == 1);
    CHECK(d.images[0].bands == 3);
    CHECK(d.images[0].bitmap.width == 576);
    CHECK(d.images[0].bitmap.height == 250);
    CHECK(d.commands == std::vector<std::string>{"init", "chinese off", "raster 72x100", "raster 72x100", "raster 72x50"});
    CHECK_FALSE(check(big, p80).ok());
}

TEST_CASE("encode: a cut always follows a feed") {
    Receipt r;
    r.text("取餐号").cut();
    const auto d = decode_text(encode(r, mm58()));
    CHECK(d.has_cut());
    const int cut = d.find_command("cut partial");
    REQUIRE(cut > 0);
    CHECK(d.commands[static_cast<std::size_t>(cut) - 1] == "feed 4");
    CHECK(d.commands[static_cast<std::size_t>(cut) - 2] == "chinese off");
}

TEST_CASE("encode: controls, tabs, line breaks and bad UTF-8 are tamed") {
    Receipt r;
    r.text("a\tb\x01\r\nc\xff");
    const auto d = decode_text(encode(r, mm58()));
    CHECK(d.problems.empty());
    CHECK(texts(d) == std::vector<std::string>{"a b", "c?"});
}

TEST_CASE("encode: bitmaps from grey, with and without dithering") {
    std::vector<std::uint8_t> grey(16 * 2, 255);
    grey[0] = 0;
    grey[17] = 100;
    const Bitmap b = Bitmap::from_grey(16, 2, grey);
    CHECK(b.stride() == 2);
    CHECK(b.get(0, 0));
    CHECK_FALSE(b.get(1, 0));
    CHECK(b.get(1, 1));
    std::vector<std::uint8_t> mid(64 * 64, 128);
    const Bitmap d = Bitmap::from_grey(64, 64, mid, 128, true);
    const int black = black_pixels(d);
    CHECK(black > 64 * 64 * 2 / 5);  // about half
    CHECK(black < 64 * 64 * 3 / 5);
}
