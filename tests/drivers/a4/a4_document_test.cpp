// A4 notices rendered to PDF, read back with poppler's pdftotext and pdfinfo.
#include "drivers/printer/a4_document.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "pdf_tools.hpp"

using namespace drivers::a4;
using kiosk_test::pdf_info;
using kiosk_test::pdf_pages;
using kiosk_test::pdf_text;
using kiosk_test::sample_notice;
using kiosk_test::squeeze;
using kiosk_test::TempPdf;

namespace {

// Renders and writes `n`; fails the test with the driver's words if either step fails.
std::string render_to(const A4Notice& n, const TempPdf& file, const A4Style& style = {}) {
    auto pdf = render_pdf(n, style);
    REQUIRE_MESSAGE(pdf.ok(), (pdf.ok() ? "" : pdf.error().code + ": " + pdf.error().message));
    REQUIRE(pdf->size() > 1000);
    CHECK(std::string(pdf->begin(), pdf->begin() + 5) == "%PDF-");
    auto written = write_pdf_file(*pdf, file.path);
    REQUIRE_MESSAGE(written.ok(), (written.ok() ? "" : written.error().message));
    return squeeze(pdf_text(file.path));
}

std::string long_paragraph(int sentences) {
    std::string s;
    for (int i = 0; i < sentences; ++i)
        s += "第" + std::to_string(i + 1) +
             "句：社区为老年人提供助餐、助浴、助洁、助医等服务，欢迎大家积极参与志愿活动。";
    return s;
}

}  // namespace

TEST_CASE("a4 render: a notice is a PDF with its title, issuer, date, paragraphs and page label") {
    const A4Notice n = sample_notice();
    TempPdf file;
    const std::string text = render_to(n, file);
    CHECK(text.find(squeeze(n.title)) != std::string::npos);
    CHECK(text.find(squeeze(n.issuer)) != std::string::npos);
    CHECK(text.find(squeeze(n.date)) != std::string::npos);
    for (const auto& p : n.paragraphs) {
        INFO("paragraph: ", p);
        CHECK(text.find(squeeze(p)) != std::string::npos);
    }
    CHECK(text.find(squeeze(n.footer)) != std::string::npos);
    CHECK(text.find("第1页/共1页") != std::string::npos);
    CHECK(pdf_pages(file.path) == 1);
    // A4 in points, and the title in the PDF's metadata.
    const std::string info = pdf_info(file.path);
    CHECK(info.find("595.276 x 841.89 pts (A4)") != std::string::npos);
    CHECK(info.find(n.title) != std::string::npos);
}

namespace {
// Dark pixels of the first line of `n` printed to PDF and rasterised by
// poppler at 100 dpi: how much ink its glyphs put on paper.
long first_line_ink(const A4Notice& n, const A4Style& style) {
    TempPdf file;
    auto pdf = render_pdf(n, style);
    REQUIRE(pdf.ok());
    REQUIRE(write_pdf_file(*pdf, file.path).ok());
    const std::string prefix = file.path + "-ink";
    // Below the top margin (20 mm = 79 px), one 72 pt line (100 px).
    auto r = kiosk_test::run_command({"pdftoppm", "-r", "100", "-gray", "-f", "1", "-l", "1", "-x", "0", "-y", "70",
                                      "-W", "827", "-H", "120", file.path, prefix});
    REQUIRE(r.exit_code == 0);
    const std::string pgm = kiosk_test::read_file(prefix + "-1.pgm");
    std::remove((prefix + "-1.pgm").c_str());
    // P5 header: magic, size, maxval, each ended by a newline.
    std::size_t at = 0;
    for (int lines = 0; lines < 3 && at != std::string::npos; ++lines) at = pgm.find('\n', at) + 1;
    REQUIRE(at < pgm.size());
    long dark = 0;
    for (std::size_t i = at; i < pgm.size(); ++i) dark += static_cast<unsigned char>(pgm[i]) < 128 ? 1 : 0;
    return dark;
}
}  // namespace

TEST_CASE("a4 render: 如 is printed in full, not dropped by cairo's CFF font subsetting") {
    // cairo 1.16 blanks 如 in Noto Sans CJK SC Regular when it embeds a
    // subset of the font (a4_document.cpp, [SECTION] Glyphs). 妇 has about
    // as much ink.
    A4Style style;
    style.body_pt = 72;
    style.indent_first_line = false;
    A4Notice ru, fu;
    ru.paragraphs = {"如如如"};
    fu.paragraphs = {"妇妇妇"};
    const long ink_ru = first_line_ink(ru, style);
    const long ink_fu = first_line_ink(fu, style);
    INFO("ink 如: ", ink_ru, ", ink 妇: ", ink_fu);
    CHECK(ink_fu > 1000);
    CHECK(ink_ru > ink_fu * 7 / 10);
    CHECK(ink_ru < ink_fu * 14 / 10);
}

TEST_CASE("a4 render: CFF fonts go out as outline fonts that keep the text") {
    TempPdf file;
    const std::string text = render_to(sample_notice(), file);
    CHECK(text.find(squeeze("假期期间如有特殊用餐需要")) != std::string::npos);
    const std::string fonts = kiosk_test::run_command({"pdffonts", file.path}).output;
    INFO(fonts);
    CHECK(fonts.find("Type 3") != std::string::npos);
    CHECK(fonts.find("CID Type 0C") == std::string::npos);  // no subset of the CFF font itself
}

TEST_CASE("a4 render: a long notice breaks across pages and splits paragraphs by lines") {
    A4Notice n = sample_notice();
    const std::string huge = long_paragraph(60);  // longer than a page by itself
    n.paragraphs.push_back(huge);
    for (int i = 0; i < 6; ++i) n.paragraphs.push_back(long_paragraph(6));
    TempPdf file;
    const std::string text = render_to(n, file);
    const int pages = pdf_pages(file.path);
    CHECK(pages >= 3);
    CHECK(text.find("第1页/共" + std::to_string(pages) + "页") != std::string::npos);
    CHECK(text.find("第" + std::to_string(pages) + "页/共" + std::to_string(pages) + "页") != std::string::npos);
    // Without the page furniture, the long paragraph reads whole and in
    // order across the page breaks.
    std::string body = kiosk_test::without(text, squeeze(n.footer));
    for (int p = 1; p <= pages; ++p)
        body = kiosk_test::without(body, "第" + std::to_string(p) + "页/共" + std::to_string(pages) + "页");
    CHECK(body.find(squeeze(huge)) != std::string::npos);
    // The title and issuer appear once (first page); the footer on every page.
    CHECK(text.find(squeeze(n.title)) == text.rfind(squeeze(n.title)));
    CHECK(squeeze(kiosk_test::pdf_page_text(file.path, 1)).find(squeeze(n.issuer)) != std::string::npos);
    for (int p = 1; p <= pages; ++p) {
        INFO("page ", p);
        CHECK(squeeze(kiosk_test::pdf_page_text(file.path, p)).find(squeeze(n.footer)) != std::string::npos);
    }
}

TEST_CASE("a4 render: an empty notice is refused rather than printed blank") {
    A4Notice n;
    auto pdf = render_pdf(n);
    REQUIRE_FALSE(pdf.ok());
    CHECK(pdf.error().code == "a4.empty_document");
    n.issuer = "幸福里社区居委会";  // an issuer and date alone are not a document
    n.date = "2025年5月28日";
    n.paragraphs = {"", "  \n "};
    auto again = render_pdf(n);
    REQUIRE_FALSE(again.ok());
    CHECK(again.error().code == "a4.empty_document");
}

TEST_CASE("a4 render: a notice with only a title is a single page") {
    A4Notice n;
    n.title = "停水通知";
    TempPdf file;
    const std::string text = render_to(n, file);
    CHECK(text.find("停水通知") != std::string::npos);
    CHECK(pdf_pages(file.path) == 1);
}

TEST_CASE("a4 render: text that is not UTF-8 is refused, naming the field and not the text") {
    A4Notice n = sample_notice();
    n.paragraphs[2] = "secret \xff\xfe bytes";
    auto pdf = render_pdf(n);
    REQUIRE_FALSE(pdf.ok());
    CHECK(pdf.error().code == "a4.bad_text");
    CHECK(pdf.error().message.find("paragraph 3") != std::string::npos);
    CHECK(pdf.error().message.find("secret") == std::string::npos);
}

TEST_CASE("a4 render: a missing font is refused when required and substituted when not") {
    A4Style style;
    style.font_family = "No Such Font Family Kiosk";
    auto pdf = render_pdf(sample_notice(), style);
    REQUIRE_FALSE(pdf.ok());
    CHECK(pdf.error().code == "a4.font_missing");
    style.require_font = false;
    auto lenient = render_pdf(sample_notice(), style);
    CHECK(lenient.ok());
}

TEST_CASE("a4 render: sizes, spacing and margins out of range are refused") {
    A4Style style;
    style.body_pt = 2;
    CHECK(render_pdf(sample_notice(), style).error().code == "a4.bad_style");
    style = {};
    style.line_spacing = 0.5;
    CHECK(render_pdf(sample_notice(), style).error().code == "a4.bad_style");
    style = {};
    style.margin_mm = 200;
    CHECK(render_pdf(sample_notice(), style).error().code == "a4.bad_style");
    A4Notice n = sample_notice();
    A4Table t;
    t.header = {"a", "b"};
    t.widths = {1, 2, 3};
    n.blocks.emplace_back(t);
    CHECK(render_pdf(n).error().code == "a4.bad_style");
}

TEST_CASE("a4 render: a settlement table breaks between rows and repeats its header") {
    A4Notice n;
    n.title = "幸福里长者食堂日结算表";
    n.issuer = "幸福里社区居委会";
    n.date = "2025年5月28日";
    n.paragraphs = {"本表汇总当日各餐次的订餐份数、补贴金额与个人实付金额。"};
    A4Table t;
    t.header = {"序号", "姓名", "餐次", "补贴（元）", "实付（元）"};
    t.widths = {1, 2, 2, 2, 2};
    t.align = {A4Align::Centre, A4Align::Start, A4Align::Start, A4Align::End, A4Align::End};
    for (int i = 1; i <= 70; ++i)
        t.rows.push_back({std::to_string(i), "居民" + std::to_string(i), i % 2 ? "午餐" : "晚餐", "5.00", "10.00"});
    t.rows.push_back({"", "合计", "", "350.00", "700.00"});
    n.blocks.emplace_back(A4Heading{"一、订餐明细"});
    n.blocks.emplace_back(t);
    n.blocks.emplace_back(A4Paragraph{"以上数据由自助终端自动生成，如有疑问请与食堂管理员核对。"});
    TempPdf file;
    const std::string text = render_to(n, file);
    const int pages = pdf_pages(file.path);
    CHECK(pages >= 2);
    // Every page with rows of the table has the header row too.
    int table_pages = 0;
    for (int p = 1; p <= pages; ++p) {
        const std::string page = squeeze(kiosk_test::pdf_page_text(file.path, p));
        if (page.find("居民") == std::string::npos) continue;
        ++table_pages;
        INFO("page ", p);
        CHECK(page.find("补贴（元）") != std::string::npos);
    }
    CHECK(table_pages >= 2);
    CHECK(text.find("居民70") != std::string::npos);
    CHECK(text.find("700.00") != std::string::npos);
    CHECK(text.find("一、订餐明细") != std::string::npos);
    CHECK(text.find(squeeze("以上数据由自助终端自动生成")) != std::string::npos);
}

TEST_CASE("a4 write_pdf_file: a missing directory is a clear error and leaves nothing behind") {
    auto pdf = render_pdf(sample_notice());
    REQUIRE(pdf.ok());
    auto r = write_pdf_file(*pdf, "/nonexistent-kiosk-dir/notice.pdf");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "a4.write");
    CHECK(r.error().message.find("/nonexistent-kiosk-dir/notice.pdf") != std::string::npos);
    TempPdf file;
    REQUIRE(write_pdf_file(*pdf, file.path).ok());
    CHECK(kiosk_test::read_file(file.path).size() == pdf->size());
    CHECK(::access((file.path + ".tmp").c_str(), F_OK) != 0);
}

TEST_CASE("a4 render: several threads render at once") {
    const A4Notice n = sample_notice();
    std::vector<std::string> texts(4);
    std::vector<std::thread> threads;
    std::atomic<int> failures{0};
    for (std::size_t i = 0; i < texts.size(); ++i) {
        threads.emplace_back([&, i] {
            for (int round = 0; round < 3; ++round) {
                auto pdf = render_pdf(n);
                if (!pdf.ok()) {
                    ++failures;
                    return;
                }
                if (round == 2) texts[i] = std::string(pdf->begin(), pdf->begin() + 5);
            }
        });
    }
    for (auto& t : threads) t.join();
    CHECK(failures == 0);
    for (const auto& t : texts) CHECK(t == "%PDF-");
}
