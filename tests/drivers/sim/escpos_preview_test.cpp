// The ESC/POS preview renderer: hand-assembled jobs in, pixels checked.
// Geometry follows docs/hardware.md and the renderer's stated model: default
// line spacing 30 dots, a line advances by max(spacing, tallest cell),
// margins of 24 dots around the printable width.
#include "drivers/sim/escpos_preview.hpp"

#include <doctest/doctest.h>
#include <qrencode.h>
#include <stb/stb_image.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "escpos_bytes.hpp"

using drivers::Image;
using drivers::PreviewOptions;
using drivers::render_preview;
using sim_test::Job;

namespace {

// In paper coordinates (printable dot 0,0 = image origin).
bool ink(const Image& img, int x, int y) { return img.at(img.origin_x + x, img.origin_y + y) < 128; }

int count_ink(const Image& img, int x0, int y0, int x1, int y1) {
    int n = 0;
    for (int y = y0; y < y1; ++y)
        for (int x = x0; x < x1; ++x) n += ink(img, x, y) ? 1 : 0;
    return n;
}

struct Box {
    int x0 = 1 << 30, y0 = 1 << 30, x1 = -1, y1 = -1;
    [[nodiscard]] bool empty() const { return x1 < 0; }
    [[nodiscard]] int w() const { return x1 - x0; }
    [[nodiscard]] int h() const { return y1 - y0; }
};

Box ink_box(const Image& img, int y0, int y1, int x0 = 0, int x1 = -1) {
    if (x1 < 0) x1 = img.width - 2 * img.origin_x;
    Box b;
    for (int y = y0; y < y1; ++y)
        for (int x = x0; x < x1; ++x)
            if (ink(img, x, y)) {
                b.x0 = std::min(b.x0, x);
                b.y0 = std::min(b.y0, y);
                b.x1 = std::max(b.x1, x + 1);
                b.y1 = std::max(b.y1, y + 1);
            }
    return b;
}

Image render(const std::vector<std::uint8_t>& bytes, PreviewOptions opt = {}) {
    auto r = render_preview(bytes, opt);
    REQUIRE_MESSAGE(r.ok(), (r.ok() ? "" : r.error().code + ": " + r.error().message));
    return std::move(r).value();
}

// 32 x 16 dots: rows alternate F0 0F FF 00 and 0F F0 00 FF.
std::vector<std::uint8_t> test_pattern() {
    std::vector<std::uint8_t> d;
    for (int r = 0; r < 16; ++r) {
        if (r % 2 == 0)
            d.insert(d.end(), {0xF0, 0x0F, 0xFF, 0x00});
        else
            d.insert(d.end(), {0x0F, 0xF0, 0x00, 0xFF});
    }
    return d;
}

constexpr const char* kQrText = "https://example.org/r/42";

// The receipt of the brief: init, centred bold double-size Chinese title, a
// left-aligned ASCII line, a blank line, a raster block, a centred QR, feed, cut.
Job sample_job() {
    Job j;
    j.init().align(1).bold(true).size(2, 2).chinese("社区食堂").lf();
    j.size(1, 1).bold(false).align(0).line("Order 0042").lf();
    j.raster(4, 16, test_pattern());
    j.align(1).qr(kQrText, 4).align(0);
    j.feed(3).cut();
    return j;
}
// Where things land (paper rows): title 0..48 (advance 48), ASCII 48..72
// (advance 30 to 78), blank line to 108, raster 108..124, QR from 124.
constexpr int kTitleTop = 0, kTitleBottom = 48, kAsciiTop = 48, kAsciiBottom = 72, kBlankBottom = 108;
constexpr int kRasterTop = 108, kQrTop = 124;

QRcode* expected_qr(const char* text, QRecLevel level) { return QRcode_encodeString(text, 0, level, QR_MODE_8, 1); }

}  // namespace

TEST_CASE("a hand-assembled receipt renders at the paper's width with margins") {
    const Image img = render(sample_job().bytes);
    CHECK(img.width == 384 + 2 * 24);
    CHECK(img.origin_x == 24);
    CHECK(img.origin_y == 24);
    QRcode* q = expected_qr(kQrText, QR_ECLEVEL_M);
    REQUIRE(q != nullptr);
    const int qr_size = q->width * 4;
    QRcode_free(q);
    const int paper_rows = kQrTop + qr_size + 3 * 30;
    CHECK(img.height == paper_rows + 2 * 24);
    CHECK(img.notes.qr_printed == 1);
    CHECK(img.notes.rasters == 1);
    CHECK(img.notes.bad_text == 0);
    CHECK(img.notes.code_page_chars == 0);
    CHECK(img.notes.unprinted_chars == 0);
    CHECK(img.notes.missing_glyphs == 0);
    CHECK_FALSE(img.notes.truncated);
    REQUIRE(img.notes.cut_rows.size() == 1);
    CHECK(img.notes.cut_rows[0] == img.origin_y + paper_rows);

    auto r576 = render_preview(sample_job().bytes, PreviewOptions{.paper_dots = 576});
    REQUIRE(r576.ok());
    CHECK(r576->width == 576 + 2 * 24);
}

TEST_CASE("the raster block's pixels land exactly where the protocol puts them") {
    const Image img = render(sample_job().bytes);
    const auto pattern = test_pattern();
    int mismatches = 0;
    for (int r = 0; r < 16; ++r)
        for (int x = 0; x < 32; ++x) {
            const bool want = (pattern[static_cast<std::size_t>(r * 4 + x / 8)] & (0x80 >> (x % 8))) != 0;
            if (ink(img, x, kRasterTop + r) != want) ++mismatches;
        }
    CHECK(mismatches == 0);
    // nothing beside or around it
    CHECK(count_ink(img, 32, kRasterTop, 384, kRasterTop + 16) == 0);
    CHECK(count_ink(img, 0, kBlankBottom - 30, 384, kRasterTop) == 0);

    // centred and doubled (m = 3): 64 x 32 dots at x = (384 - 64) / 2
    Job j;
    j.init().align(1).raster(4, 16, test_pattern(), 3);
    const Image big = render(j.bytes);
    const Box b = ink_box(big, 0, 40);
    CHECK(b.x0 == 160);
    CHECK(b.y0 == 0);
    CHECK(b.w() == 64);
    CHECK(b.h() == 32);
    CHECK(ink(big, 160, 0) == true);  // F0: dots 0..3 doubled to 0..7 in rows 0..1
    CHECK(ink(big, 167, 1) == true);
    CHECK(ink(big, 168, 0) == false);
    CHECK(ink(big, 160, 2) == false);  // row 1 of the pattern starts 0F
}

TEST_CASE("text lines hold ink where they are and blank lines hold none") {
    const Image img = render(sample_job().bytes);
    const Box title = ink_box(img, kTitleTop, kTitleBottom);
    REQUIRE_FALSE(title.empty());
    // four double-width CJK cells = 192 dots, centred: cells span 96..288
    CHECK(title.x0 >= 96);
    CHECK(title.x1 <= 290);
    CHECK(title.x0 < 110);
    CHECK(title.x1 > 270);
    CHECK(title.h() > 36);  // double height: 48-dot cells
    const Box ascii = ink_box(img, kAsciiTop, kAsciiBottom);
    REQUIRE_FALSE(ascii.empty());
    CHECK(ascii.x0 < 4);             // left-aligned
    CHECK(ascii.x1 <= 10 * 12 + 1);  // "Order 0042": ten 12-dot cells
    CHECK(ascii.x1 > 9 * 12);
    CHECK(count_ink(img, 0, kAsciiBottom, 384, kBlankBottom) == 0);  // the rest of the line and the blank line
    CHECK(count_ink(img, 0, kTitleBottom - 2, 384, kTitleBottom) == 0);
}

TEST_CASE("double-size text is twice the height and width of normal text") {
    Job j;
    j.init().line("HHHH").size(2, 2).line("HHHH");
    const Image img = render(j.bytes);
    const Box small = ink_box(img, 0, 30);
    const Box big = ink_box(img, 30, 30 + 48);
    REQUIRE_FALSE(small.empty());
    REQUIRE_FALSE(big.empty());
    const double hr = static_cast<double>(big.h()) / small.h();
    const double wr = static_cast<double>(big.w()) / small.w();
    CHECK(hr > 1.8);
    CHECK(hr < 2.2);
    CHECK(wr > 1.8);
    CHECK(wr < 2.2);
    CHECK(small.w() < 4 * 12 + 1);
    CHECK(big.w() < 4 * 24 + 2);
    CHECK(img.height == 2 * 24 + 30 + 48);
}

TEST_CASE("alignment bold and underline change the ink as the commands say") {
    Job left, right, plain, bold, under;
    left.init().line("ABC");
    right.init().align(2).line("ABC");
    plain.init().line("MMMM");
    bold.init().bold(true).line("MMMM");
    under.init().underline(2).line("ab  ");
    const Box l = ink_box(render(left.bytes), 0, 24);
    const Box r = ink_box(render(right.bytes), 0, 24);
    CHECK(l.x0 < 4);
    CHECK(r.x1 > 384 - 4);
    CHECK(r.x0 >= 384 - 36);
    const Image p = render(plain.bytes), b = render(bold.bytes);
    CHECK(count_ink(b, 0, 0, 384, 24) > count_ink(p, 0, 0, 384, 24) * 5 / 4);
    const Image u = render(under.bytes);
    CHECK(count_ink(u, 0, 22, 48, 24) == 48 * 2);  // two dots under all four cells, spaces included
    CHECK(count_ink(u, 48, 0, 384, 30) == 0);
}

TEST_CASE("Chinese text outside FS & prints as code page characters and is counted") {
    Job wrong, right;
    wrong.init().raw(sim_test::gb18030("食堂")).lf();
    right.init().chinese("食堂").lf();
    const Image w = render(wrong.bytes), ok = render(right.bytes);
    CHECK(w.notes.code_page_chars == 4);
    CHECK(ok.notes.code_page_chars == 0);
    CHECK(ok.notes.chars == 2);
    // two full-width cells: ink within 0..48
    const Box b = ink_box(ok, 0, 24);
    CHECK(b.x1 <= 48);
    CHECK(b.x1 > 40);
}

TEST_CASE("GB18030 four-byte sequences decode and invalid ones become question marks") {
    const auto four = sim_test::gb18030("\xF0\xA0\x80\x80");  // U+20000, outside the BMP
    REQUIRE(four.size() == 4);
    Job j;
    j.init().raw({0x1C, 0x26}).raw(four);
    j.raw({0x81, 0x30, 0x81, 0x30});  // U+0080: a control, so the font has no glyph: a box
    j.raw({0x81, 0x0A});              // a lead byte before LF: '?', and the LF still works
    j.raw({0x1C, 0x2E});
    j.line("x");
    const Image img = render(j.bytes);
    CHECK(img.notes.bad_text == 1);
    CHECK(img.notes.chars == 4);
    CHECK(img.notes.missing_glyphs >= 1);
    CHECK(count_ink(img, 0, 0, 2 * 24, 24) > 0);
    CHECK(count_ink(img, 0, 30, 384, 54) > 0);  // "x" on the second line: the LF after 0x81 was obeyed
}

TEST_CASE("the QR symbol is the libqrencode symbol for the stored data and size") {
    const Image img = render(sample_job().bytes);
    QRcode* q = expected_qr(kQrText, QR_ECLEVEL_M);
    REQUIRE(q != nullptr);
    const int n = q->width, mod = 4, size = n * mod;
    const Box box = ink_box(img, kQrTop, kQrTop + size);
    CHECK(box.x0 == (384 - size) / 2);
    CHECK(box.y0 == kQrTop);
    CHECK(box.w() == size);
    CHECK(box.h() == size);
    int wrong = 0;
    for (int my = 0; my < n; ++my)
        for (int mx = 0; mx < n; ++mx) {
            const bool want = (q->data[my * n + mx] & 1) != 0;
            if (ink(img, box.x0 + mx * mod + mod / 2, kQrTop + my * mod + mod / 2) != want) ++wrong;
        }
    QRcode_free(q);
    CHECK(wrong == 0);
    // the three finder squares: a 7x7 dark ring around a 3x3 dark centre
    for (auto [fx, fy] : {std::pair{0, 0}, std::pair{n - 7, 0}, std::pair{0, n - 7}}) {
        auto dark = [&](int mx, int my) {
            return ink(img, box.x0 + (fx + mx) * mod + 1, kQrTop + (fy + my) * mod + 1);
        };
        CHECK(dark(0, 0));
        CHECK(dark(6, 6));
        CHECK_FALSE(dark(1, 1));
        CHECK(dark(3, 3));
        CHECK(dark(2, 4));
    }

    // A QR reader, when the machine has one (apt: zbar-tools), reads it back.
    if (std::system("command -v zbarimg > /dev/null 2>&1") == 0) {
        const auto png =
            std::filesystem::temp_directory_path() / ("sim-preview-qr-" + std::to_string(::getpid()) + ".png");
        REQUIRE(drivers::write_png(img, png).ok());
        const std::string cmd = "zbarimg --quiet --raw '" + png.string() + "' 2> /dev/null";
        FILE* p = ::popen(cmd.c_str(), "r");
        REQUIRE(p != nullptr);
        char buf[256] = {};
        const std::size_t got = std::fread(buf, 1, sizeof buf - 1, p);
        ::pclose(p);
        std::filesystem::remove(png);
        std::string out(buf, got);
        while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
        CHECK(out == kQrText);
    } else {
        MESSAGE("zbarimg not installed: QR checked module by module only");
    }
}

TEST_CASE("a QR print with nothing stored or too wide prints nothing and is counted") {
    Job none, wide;
    none.init().raw({0x1D, 0x28, 0x6B, 3, 0, 0x31, 0x51, 0x30}).lf();
    wide.init().qr(std::string(400, 'x'), 16);
    const Image a = render(none.bytes), b = render(wide.bytes);
    CHECK(a.notes.qr_failed == 1);
    CHECK(b.notes.qr_failed == 1);
    CHECK(count_ink(b, 0, 0, 384, b.height - 48) == 0);
}

TEST_CASE("feed-and-cut feeds first and every cut is marked across the paper") {
    Job j;
    j.init().line("A").raw({0x1D, 0x56, 0x41, 60}).line("B").cut();
    const Image img = render(j.bytes);
    REQUIRE(img.notes.cut_rows.size() == 2);
    CHECK(img.notes.cut_rows[0] == img.origin_y + 30 + 60);
    CHECK(img.notes.cut_rows[1] == img.origin_y + 30 + 60 + 30);
    const int row = img.notes.cut_rows[0];
    int marks = 0;
    for (int x = 0; x < img.width; ++x) marks += img.at(x, row) == 150 ? 1 : 0;
    CHECK(marks > img.width / 3);
    CHECK(count_ink(img, 0, 30, 384, 90) == 0);  // the fed paper is blank
}

TEST_CASE("ESC @ clears a pending line and a job ending without LF leaves text unprinted") {
    Job cleared, open;
    cleared.init().text("lost").init().line("kept");
    open.init().line("one").text("two");
    const Image a = render(cleared.bytes), b = render(open.bytes);
    CHECK(a.notes.unprinted_chars == 4);
    CHECK(a.height == 2 * 24 + 30);
    CHECK(b.notes.unprinted_chars == 3);
    CHECK(count_ink(b, 0, 30, 384, b.height - 48) == 0);
}

TEST_CASE("a long line wraps at the paper's width") {
    Job j;
    j.init().line(std::string(40, 'W'));  // 32 columns on 58 mm
    const Image img = render(j.bytes);
    CHECK(img.height == 2 * 24 + 60);
    CHECK(ink_box(img, 0, 24).x1 > 31 * 12);
    CHECK(ink_box(img, 30, 54).x1 <= 8 * 12 + 1);
}

TEST_CASE("a huge raster is cut short at the height cap and reported") {
    PreviewOptions opt;
    opt.max_height_dots = 2000;
    Job j;
    j.init().raster(48, 5000, std::vector<std::uint8_t>(48 * 5000, 0xAA));
    const Image img = render(j.bytes, opt);
    CHECK(img.notes.truncated);
    CHECK(img.height == 2000 + 2 * 24);
    CHECK(ink(img, 0, 1999));
    // a declared size far beyond the data: only what arrived is printed
    Job k;
    k.init().raw({0x1D, 0x76, 0x30, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF});
    const Image img2 = render(k.bytes);
    CHECK_FALSE(img2.notes.truncated);
    CHECK(img2.height < 100);
    // and a raster tall enough to pass the default cap
    Job m;
    m.init().raster(1, 30000, std::vector<std::uint8_t>(30000, 0x80));
    const Image img3 = render(m.bytes);
    CHECK(img3.notes.truncated);
    CHECK(img3.height == 20000 + 2 * 24);
}

TEST_CASE("garbage and truncated jobs never crash and always give a picture") {
    const auto good = sample_job().bytes;
    for (std::size_t cut = 0; cut <= good.size(); ++cut) {
        const std::vector<std::uint8_t> part(good.begin(), good.begin() + static_cast<std::ptrdiff_t>(cut));
        auto r = render_preview(part);
        REQUIRE(r.ok());
        CHECK(r->width == 432);
        CHECK(r->height >= 48 + 24);
    }
    std::mt19937 rng(1234);
    for (int i = 0; i < 300; ++i) {
        std::vector<std::uint8_t> junk(static_cast<std::size_t>(rng() % 2000));
        for (auto& b : junk) b = static_cast<std::uint8_t>(rng() % 4 == 0 ? 0x1B + rng() % 3 : rng());
        auto r = render_preview(junk);
        REQUIRE(r.ok());
        CHECK(r->grey.size() == static_cast<std::size_t>(r->width) * static_cast<std::size_t>(r->height));
    }
    // length fields that promise far more than the job holds
    const std::vector<std::vector<std::uint8_t>> evil = {
        {0x1D, 0x28, 0x6B, 0xFF, 0xFF, 0x31, 0x50, 0x30},  // QR store of 65532 bytes, none given
        {0x1B, 0x26, 0x03, 0x20, 0x7E, 0xFF},              // user-defined characters
        {0x1C, 0x71, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF},        // NV images
        {0x1D, 0x38, 0x4C, 0xFF, 0xFF, 0xFF, 0xFF},        // GS 8 L
        {0x1D, 0x2A, 0xFF, 0xFF},                          // downloaded image
        {0x1B, 0x2A, 0x21, 0xFF, 0xFF, 0xFF},              // ESC * 24-dot, 65535 columns
        {0x1B, 0x44, 5, 4, 3},                             // tabs not ascending
        {0x1D, 0x21, 0x77, 0x1C, 0x26, 0xFE},              // 8x8 size, lone lead byte at the end
        {0x10, 0x14, 0x08},                                // DLE DC4 cut short
        {0x1D, 0x6B, 0x04, 'A', 'B'},                      // barcode without its NUL
    };
    for (const auto& e : evil) {
        auto r = render_preview(e);
        REQUIRE(r.ok());
        CHECK(r->width == 432);
    }
}

TEST_CASE("options out of range and a missing font are clear errors") {
    auto bad = render_preview({}, PreviewOptions{.paper_dots = 10});
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().code == "preview.options");
    PreviewOptions nofont;
    nofont.font_path = "/nonexistent/font.ttc";
    auto missing = render_preview(sample_job().bytes, nofont);
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.error().code == "preview.font");
    CHECK(missing.error().message.find("Order") == std::string::npos);
    PreviewOptions noface;
    noface.font_face = 99;
    CHECK(render_preview({}, noface).error().code == "preview.font");
}

TEST_CASE("encode_png gives a PNG that decodes to the same picture") {
    const Image img = render(sample_job().bytes);
    auto png = drivers::encode_png(img);
    REQUIRE(png.ok());
    int w = 0, h = 0, c = 0;
    unsigned char* px = stbi_load_from_memory(png->data(), static_cast<int>(png->size()), &w, &h, &c, 1);
    REQUIRE(px != nullptr);
    CHECK(w == img.width);
    CHECK(h == img.height);
    CHECK(std::equal(img.grey.begin(), img.grey.end(), px));
    stbi_image_free(px);
    CHECK(drivers::encode_png(Image{}).error().code == "preview.png");
    CHECK(drivers::write_png(img, "/nonexistent-dir/x.png").error().code == "preview.write");
}

// A canteen pickup ticket as the kiosk might print it. Set
// KIOSK_PREVIEW_SAMPLE=<file.png> to keep the picture and look at it.
TEST_CASE("a realistic Chinese receipt renders cleanly") {
    Job j;
    j.init();
    j.align(1).bold(true).size(2, 2).chinese("阳光社区长者食堂").lf();
    j.size(1, 1).bold(false).chinese("取餐小票").lf();
    j.spacing(40).lf().raw({0x1B, 0x32});
    j.align(0);
    j.chinese("单号：").line("A-0042");
    j.chinese("时间：").line("2024-06-01 11:32");
    j.chinese("就餐人：张*兰（80岁）").lf();
    j.line("--------------------------------");
    j.chinese("红烧肉套餐        1份   12.00").lf();
    j.chinese("番茄炒蛋          1份    6.00").lf();
    j.chinese("米饭              2份    2.00").lf();
    j.line("--------------------------------");
    j.chinese("合计                    20.00").lf();
    j.chinese("助餐补贴                -8.00").lf();
    j.bold(true).chinese("实付                    12.00").lf().bold(false);
    j.line("--------------------------------");
    j.align(1).size(2, 2).bold(true).chinese("取餐号 42").lf().size(1, 1).bold(false).lf();
    j.qr("https://example.org/meal/A-0042", 5).lf();
    j.underline(1).chinese("扫码评价今日饭菜").lf().underline(0);
    j.chinese("谢谢光临，祝您健康！").lf();
    j.feed(4).cut();
    const Image img = render(j.bytes);
    CHECK(img.notes.bad_text == 0);
    CHECK(img.notes.missing_glyphs == 0);
    CHECK(img.notes.code_page_chars == 0);
    CHECK(img.notes.unprinted_chars == 0);
    CHECK(img.notes.mid_line == 0);
    CHECK(img.notes.qr_printed == 1);
    CHECK(img.notes.cut_rows.size() == 1);
    // 32 columns: the separator fills the line exactly, one line only
    if (const char* out = std::getenv("KIOSK_PREVIEW_SAMPLE"); out != nullptr && *out != '\0')
        CHECK(drivers::write_png(img, out).ok());
}
