// The day close documents: the receipt sections, the CSV text, the A4
// report and its export to real files.
#include "day_close_report.hpp"

#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "../store/temp_dir.hpp"

namespace {

using kiosk::store::DayClose;
namespace print = kiosk::print;
namespace fs = std::filesystem;

// Figures that add up: 5 orders (1 refunded, not counted), 7 portions,
// 原价 84.00, 补贴 15.00, 实收 69.00.
DayClose full_day() {
    DayClose c;
    c.day = {2026, 11, 25};
    c.orders = 5;
    c.refunds = 1;
    c.portions = 7;
    c.price = 8400;
    c.subsidy = 1500;
    c.takings = 6900;
    c.by_item = {{"breakfast/豆浆", {1, 300}}, {"lunch/套餐A", {4, 4800}}, {"lunch/红烧肉,\"特价\"", {2, 3300}}};
    c.by_method = {{"cash", {2, 2500}}, {"balance", {2, 2900}}, {"qr", {1, 1500}}};
    c.by_bracket = {{"", {2, 0}}, {"70-79岁", {2, 1000}}, {"80岁以上", {1, 500}}};
    c.by_category = {{"dibao", {2, 1000}}, {"gaoling", {3, 1500}}};
    c.by_period = {{"breakfast", {1, 300}}, {"lunch", {4, 8100}}};
    return c;
}

void check_section(const print::SettlementSection& s, const std::string& title,
                   const std::vector<print::SettlementLine>& lines, bool with_total) {
    INFO("section " << s.title);
    CHECK(s.title == title);
    CHECK(s.with_total == with_total);
    REQUIRE(s.lines.size() == lines.size());
    for (std::size_t i = 0; i < lines.size(); ++i) {
        INFO("line " << i);
        CHECK(s.lines[i].label == lines[i].label);
        CHECK(s.lines[i].count == lines[i].count);
        CHECK(s.lines[i].fen == lines[i].fen);
    }
}

std::pair<std::int64_t, kiosk::core::Fen> total(const print::SettlementSection& s) {
    std::int64_t n = 0;
    kiosk::core::Fen fen = 0;
    for (const auto& l : s.lines) {
        n += l.count;
        fen += l.fen;
    }
    return {n, fen};
}

std::vector<std::string> names_in(const fs::path& dir) {
    std::vector<std::string> out;
    for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace

TEST_CASE("day close settlement: sections, lines and totals to the fen") {
    const auto s = kiosk::app::settlement(full_day(), "2026-11-25 18:30");
    CHECK(s.day == kiosk::core::CivilDate{2026, 11, 25});
    CHECK(s.printed_at == "2026-11-25 18:30");
    REQUIRE(s.sections.size() == 5);
    check_section(s.sections[0], "概况",
                  {{"订单", 5, 8400}, {"退款", 1, 0}, {"份数", 7, 8400}, {"原价", 5, 8400}, {"补贴", 3, 1500},
                   {"实收", 5, 6900}},
                  false);
    check_section(s.sections[1], "按支付方式", {{"现金", 2, 2500}, {"预存余额", 2, 2900}, {"扫码", 1, 1500}}, true);
    check_section(s.sections[2], "按补贴档", {{"70-79岁", 2, 1000}, {"80岁以上", 1, 500}, {"无补贴", 2, 0}}, true);
    check_section(s.sections[3], "按人员类别",
                  {{"低保", 2, 1000}, {"特困", 0, 0}, {"失能", 0, 0}, {"独居", 0, 0}, {"高龄", 3, 1500}, {"优抚", 0, 0}},
                  false);
    check_section(s.sections[4], "按餐别和饭菜",
                  {{"早餐 豆浆", 1, 300}, {"午餐 套餐A", 4, 4800}, {"午餐 红烧肉,\"特价\"", 2, 3300}}, true);

    // The totals the template prints are the day's own figures.
    CHECK(total(s.sections[1]) == std::pair<std::int64_t, kiosk::core::Fen>{5, 6900});  // orders, 实收
    CHECK(total(s.sections[2]) == std::pair<std::int64_t, kiosk::core::Fen>{5, 1500});  // orders, 补贴
    CHECK(total(s.sections[4]) == std::pair<std::int64_t, kiosk::core::Fen>{7, 8400});  // portions, 原价

    // And the template takes it.
    const auto receipt = print::daily_settlement({"佳禾社区老年餐厅", "jiahe-canteen-01"}, s);
    (void)receipt;
}

TEST_CASE("day close settlement: unknown codes are shown as they are, not dropped") {
    DayClose c;
    c.day = {2026, 11, 25};
    c.by_method = {{"card", {1, 1000}}};
    c.by_category = {{"newcat", {1, 200}}};
    c.by_item = {{"supper/夜宵", {1, 1000}}, {"无餐别", {1, 500}}};
    const auto s = kiosk::app::settlement(c, "");
    REQUIRE(s.sections.size() == 5);
    REQUIRE(s.sections[1].lines.size() == 4);
    CHECK(s.sections[1].lines[3].label == "card");
    CHECK(s.sections[1].lines[3].fen == 1000);
    REQUIRE(s.sections[3].lines.size() == 7);
    CHECK(s.sections[3].lines[6].label == "newcat");
    REQUIRE(s.sections[4].lines.size() == 2);
    CHECK(s.sections[4].lines[0].label == "supper 夜宵");
    CHECK(s.sections[4].lines[1].label == "无餐别");
    CHECK(s.sections[2].lines.empty());
}

TEST_CASE("day close CSV: BOM, CRLF, RFC 4180 quoting, amounts from fen") {
    DayClose c;
    c.day = {2026, 11, 25};
    c.orders = 1;
    c.portions = 2;
    c.price = 2405;
    c.subsidy = 300;
    c.takings = 2105;
    c.by_item = {{"lunch/鱼香肉丝,\"辣\"", {2, 2405}}};
    c.by_method = {{"cash", {1, 2105}}};
    c.by_bracket = {{"80岁以上", {1, 300}}};
    c.by_category = {{"dibao", {1, 300}}};
    c.by_period = {{"lunch", {1, 2405}}};
    const std::string expected =
        "\xEF\xBB\xBF"
        "食堂日结报表,2026-11-25,,\r\n"
        "站点,\"佳禾社区,老年餐厅\",,\r\n"
        "终端,jiahe-canteen-01,,\r\n"
        "分类,项目,数量,金额（元）\r\n"
        "概况,订单,1,\r\n"
        "概况,退款,0,\r\n"
        "概况,份数,2,\r\n"
        "概况,原价,1,24.05\r\n"
        "概况,补贴,1,3.00\r\n"
        "概况,实收,1,21.05\r\n"
        "按支付方式,现金,1,21.05\r\n"
        "按支付方式,预存余额,0,0.00\r\n"
        "按支付方式,扫码,0,0.00\r\n"
        "按支付方式,合计,1,21.05\r\n"
        "按补贴档,80岁以上,1,3.00\r\n"
        "按补贴档,合计,1,3.00\r\n"
        "按人员类别,低保,1,3.00\r\n"
        "按人员类别,特困,0,0.00\r\n"
        "按人员类别,失能,0,0.00\r\n"
        "按人员类别,独居,0,0.00\r\n"
        "按人员类别,高龄,0,0.00\r\n"
        "按人员类别,优抚,0,0.00\r\n"
        "按餐别和饭菜,\"午餐 鱼香肉丝,\"\"辣\"\"\",2,24.05\r\n"
        "按餐别和饭菜,合计,2,24.05\r\n";
    CHECK(kiosk::app::csv(c, "佳禾社区,老年餐厅", "jiahe-canteen-01") == expected);
}

TEST_CASE("day close CSV: a name Excel would read as a formula is kept as text") {
    DayClose c;
    c.day = {2026, 11, 25};
    c.by_item = {{"lunch/=1+2", {1, 100}}};
    const auto text = kiosk::app::csv(c, "@site", "t1");
    CHECK(text.find("按餐别和饭菜,午餐 =1+2,1,1.00\r\n") != std::string::npos);  // not first in its cell
    CHECK(text.find("站点,'@site,,\r\n") != std::string::npos);
    c.by_item = {{"=1+2", {1, 100}}};
    CHECK(kiosk::app::csv(c, "s", "t").find("按餐别和饭菜,'=1+2,1,1.00\r\n") != std::string::npos);
}

TEST_CASE("day close A4 document: title, one table a section, amounts right-aligned") {
    const auto doc = kiosk::app::day_close_document(full_day(), "佳禾社区老年餐厅", "jiahe-canteen-01", "2026-11-25 18:30");
    CHECK(doc.title == "食堂日结报表 2026-11-25");
    CHECK(doc.issuer == "佳禾社区老年餐厅");
    CHECK(doc.date.find("2026-11-25 18:30") != std::string::npos);
    CHECK(doc.date.find("jiahe-canteen-01") != std::string::npos);
    std::vector<const drivers::a4::A4Table*> tables;
    std::vector<std::string> headings;
    for (const auto& b : doc.blocks) {
        if (const auto* t = std::get_if<drivers::a4::A4Table>(&b)) tables.push_back(t);
        if (const auto* h = std::get_if<drivers::a4::A4Heading>(&b)) headings.push_back(h->text);
    }
    CHECK(headings == std::vector<std::string>{"概况", "按支付方式", "按补贴档", "按人员类别", "按餐别和饭菜"});
    REQUIRE(tables.size() == 5);
    for (const auto* t : tables) {
        REQUIRE(t->align.size() == 3);
        CHECK(t->align[1] == drivers::a4::A4Align::End);
        CHECK(t->align[2] == drivers::a4::A4Align::End);
    }
    // 概况: counts without an amount of their own leave it blank.
    CHECK(tables[0]->rows[1] == std::vector<std::string>{"退款", "1", ""});
    CHECK(tables[0]->rows[5] == std::vector<std::string>{"实收", "5", "69.00"});
    CHECK(tables[1]->rows.back() == std::vector<std::string>{"合计", "5", "69.00"});
    CHECK(tables[3]->rows.back() == std::vector<std::string>{"优抚", "0", "0.00"});  // no total
    CHECK(tables[4]->rows.back() == std::vector<std::string>{"合计", "7", "84.00"});
}

TEST_CASE("day close export: writes the CSV and the PDF, replaces an earlier export") {
    kiosk::test::TempDir tmp;
    const auto dir = tmp / "exports" / "2026-11";  // created, parents too
    auto r = kiosk::app::export_day_close(full_day(), "佳禾社区老年餐厅", "jiahe-canteen-01", dir, "2026-11-25 18:30");
    if (!r.ok()) FAIL(r.error().code << ": " << r.error().message);
    REQUIRE(r->size() == 2);
    CHECK((*r)[0] == (dir / "日结-jiahe-canteen-01-2026-11-25.csv").string());
    CHECK((*r)[1] == (dir / "日结-jiahe-canteen-01-2026-11-25.pdf").string());
    CHECK(kiosk::test::read_bytes((*r)[0]) == kiosk::app::csv(full_day(), "佳禾社区老年餐厅", "jiahe-canteen-01"));
    const auto pdf = kiosk::test::read_bytes((*r)[1]);
    REQUIRE(pdf.size() > 4);
    CHECK(pdf.compare(0, 4, "%PDF") == 0);
    CHECK(names_in(dir) ==
          std::vector<std::string>{"日结-jiahe-canteen-01-2026-11-25.csv", "日结-jiahe-canteen-01-2026-11-25.pdf"});

    if (::access("/usr/bin/pdftotext", X_OK) == 0) {
        const std::string cmd = "pdftotext -enc UTF-8 '" + (*r)[1] + "' -";
        std::string text;
        if (FILE* p = ::popen(cmd.c_str(), "r")) {
            char buf[4096];
            std::size_t n = 0;
            while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) text.append(buf, n);
            CHECK(::pclose(p) == 0);
        }
        CHECK(text.find("食堂日结") != std::string::npos);
        CHECK(text.find("69.00") != std::string::npos);
    } else {
        MESSAGE("pdftotext is not installed: the PDF's text is not checked");
    }

    // Again, with other figures: the files are replaced, no temporary file is left.
    auto other = full_day();
    other.refunds = 2;
    auto again = kiosk::app::export_day_close(other, "佳禾社区老年餐厅", "jiahe-canteen-01", dir, "2026-11-25 19:00");
    REQUIRE(again.ok());
    CHECK(kiosk::test::read_bytes((*again)[0]).find("概况,退款,2,\r\n") != std::string::npos);
    CHECK(names_in(dir).size() == 2);
}

TEST_CASE("day close export: a terminal id is made safe for a file name") {
    kiosk::test::TempDir tmp;
    auto r = kiosk::app::export_day_close(full_day(), "s", "../a b/c", tmp.path(), "x");
    if (!r.ok()) FAIL(r.error().code << ": " << r.error().message);
    CHECK((*r)[0] == (tmp / "日结-.._a_b_c-2026-11-25.csv").string());
    CHECK(names_in(tmp.path()).size() == 2);
}

TEST_CASE("day close export: a parent that is a regular file is a clear error, nothing is written") {
    kiosk::test::TempDir tmp;
    kiosk::test::write_bytes(tmp / "plain", "not a directory");
    const auto dir = tmp / "plain" / "exports";
    auto r = kiosk::app::export_day_close(full_day(), "s", "t1", dir, "x");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "day_close.export");
    CHECK(r.error().message.find(dir.string()) != std::string::npos);
    CHECK(r.error().message.find("ot a directory") != std::string::npos);
    CHECK(names_in(tmp.path()) == std::vector<std::string>{"plain"});
    CHECK(kiosk::test::read_bytes(tmp / "plain") == "not a directory");

    // The directory itself a regular file.
    auto r2 = kiosk::app::export_day_close(full_day(), "s", "t1", tmp / "plain", "x");
    REQUIRE_FALSE(r2.ok());
    CHECK(r2.error().code == "day_close.export");
    CHECK(r2.error().message.find((tmp / "plain").string()) != std::string::npos);
    CHECK(names_in(tmp.path()) == std::vector<std::string>{"plain"});
}

TEST_CASE("day close export: a read-only directory is a clear error, nothing is left") {
    if (::geteuid() == 0) {
        MESSAGE("running as root, which ignores directory permissions: skipped");
        return;
    }
    kiosk::test::TempDir tmp;
    const auto dir = tmp / "ro";
    fs::create_directory(dir);
    REQUIRE(::chmod(dir.c_str(), 0500) == 0);
    auto r = kiosk::app::export_day_close(full_day(), "s", "t1", dir, "x");
    ::chmod(dir.c_str(), 0700);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "day_close.export");
    CHECK(r.error().message.find((dir / "日结-t1-2026-11-25.csv").string()) != std::string::npos);
    CHECK(r.error().message.find("Permission denied") != std::string::npos);
    CHECK(names_in(dir).empty());
}
