#pragma once
// The canteen day close (日结) as documents: the receipt-printer slip, a CSV
// for the office (Excel) and an A4 PDF report. Pure functions of the figures
// the store keeps (store::DayClose) plus the site's name and terminal id;
// export_day_close() is the only one that touches the file system.
//
// All three show the same sections, in Chinese (the paper is Chinese):
//   概况            orders, refunds, portions, 原价, 补贴, 实收 (no total)
//   按支付方式      现金 / 预存余额 / 扫码: orders, takings (total = 实收)
//   按补贴档        each bracket, then 无补贴: orders, subsidy (total = 补贴)
//   按人员类别      低保, 特困, ...: orders, subsidy. No total: a resident can
//                   be in several categories, so the lines overlap.
//   按餐别和饭菜    "午餐 套餐A": portions, 原价 (total = 份数, 原价)
// Money is integer fen, written with core::format_yuan; never a double.
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "drivers/printer/a4_document.hpp"
#include "kiosk/core/result.hpp"
#include "kiosk/print/templates.hpp"
#include "kiosk/store/canteen.hpp"

namespace kiosk::app {

// For print::daily_settlement. The template prints every line as
// "<label>  <count>份  <yuan>"; lines that have no amount of their own
// (退款: the day close keeps no refunded amount) carry 0 fen.
[[nodiscard]] print::DailySettlement settlement(const store::DayClose& close, const print::LocalStamp& printed_at);

// The same sections for the staff screen: label and value, the value in
// words ("12  120.00 元", or the count alone where the line has no amount),
// with a 合计 line where the section has a total.
struct ScreenSection {
    std::string title;
    std::vector<std::pair<std::string, std::string>> lines;
};
[[nodiscard]] std::vector<ScreenSection> screen_sections(const store::DayClose& close);

// UTF-8 with a BOM, RFC 4180 quoting, CRLF line ends, four columns on every
// row: 分类, 项目, 数量, 金额（元）. Three rows name the report, the site and
// the terminal, then the header row, then one row a line and a 合计 row
// for each section that has a total. An amount is blank where the line has
// none (订单, 退款, 份数 in 概况).
[[nodiscard]] std::string csv(const store::DayClose& close, const std::string& site, const std::string& terminal);

// The A4 report: title "食堂日结报表 YYYY-MM-DD", the site and terminal as
// issuer, `printed_at` words ("2026-11-25 18:30") under it, one heading and
// table a section, amounts right-aligned.
[[nodiscard]] drivers::a4::A4Notice day_close_document(const store::DayClose& close, const std::string& site,
                                                       const std::string& terminal, const std::string& printed_at);

// Creates `dir` (and its parents) if needed and writes
//   日结-<terminal>-YYYY-MM-DD.csv and 日结-<terminal>-YYYY-MM-DD.pdf
// each atomically (a temporary file, fsynced, then renamed), replacing an
// earlier export of that day. Returns the two paths, CSV first. Characters
// of `terminal` other than letters, digits, '-', '_' and '.' become '_'.
// Errors (nothing new is left behind):
//   "day_close.export"  the directory cannot be created or written, or a file
//                       cannot be written; the message names the path and
//                       the system's reason.
//   "day_close.pdf"     the PDF cannot be rendered (e.g. the CJK font is
//                       not installed); the driver's words.
Result<std::vector<std::string>> export_day_close(const store::DayClose& close, const std::string& site,
                                                  const std::string& terminal, const std::filesystem::path& dir,
                                                  const std::string& printed_at);

}  // namespace kiosk::app
