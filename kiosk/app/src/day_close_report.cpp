// The day close (日结) documents: one model of sections and lines, built
// from store::DayClose, then written out three ways (receipt, CSV, A4).
#include "day_close_report.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string_view>
#include <system_error>
#include <utility>

#include "kiosk/core/meal.hpp"
#include "kiosk/core/money.hpp"
#include "kiosk/core/resident.hpp"

namespace kiosk::app {

namespace {

// ---------------------------------------------------------------------------
// The model
// ---------------------------------------------------------------------------

struct Line {
    std::string label;
    std::int64_t count = 0;
    core::Fen fen = 0;
    bool has_amount = true;  // false: the CSV and the A4 table leave the amount blank
};

struct Section {
    std::string title;
    std::string item_header;    // A4 column titles
    std::string count_header;
    std::string amount_header;
    std::vector<Line> lines;
    bool with_total = true;
    std::string note;           // A4 only, under the table
};

constexpr std::string_view kTitle = "食堂日结报表";

store::CountAndFen find_or_zero(const std::map<std::string, store::CountAndFen>& m, const std::string& key) {
    const auto it = m.find(key);
    return it == m.end() ? store::CountAndFen{} : it->second;
}

Section overview(const store::DayClose& c) {
    std::int64_t subsidised = 0;
    for (const auto& [label, v] : c.by_bracket)
        if (!label.empty()) subsidised += v.count;
    Section s{"概况", "项目", "数量", "金额（元）", {}, false, {}};
    s.lines = {
        {"订单", c.orders, c.price, false},
        {"退款", c.refunds, 0, false},
        {"份数", c.portions, c.price, false},
        {"原价", c.orders, c.price, true},
        {"补贴", subsidised, c.subsidy, true},
        {"实收", c.orders, c.takings, true},
    };
    return s;
}

Section by_method(const store::DayClose& c) {
    Section s{"按支付方式", "支付方式", "订单数", "实收（元）", {}, true, {}};
    constexpr core::PaymentMethod kAll[] = {core::PaymentMethod::Cash, core::PaymentMethod::Balance,
                                            core::PaymentMethod::Qr};
    for (const auto m : kAll) {
        const auto v = find_or_zero(c.by_method, std::string(core::payment_method_code(m)));
        s.lines.push_back({std::string(core::payment_method_zh(m)), v.count, v.fen, true});
    }
    for (const auto& [code, v] : c.by_method)  // a code this build does not know: shown as it is
        if (!core::payment_method_from_code(code)) s.lines.push_back({code, v.count, v.fen, true});
    return s;
}

Section by_bracket(const store::DayClose& c) {
    Section s{"按补贴档", "补贴档", "订单数", "补贴（元）", {}, true, {}};
    for (const auto& [label, v] : c.by_bracket)
        if (!label.empty()) s.lines.push_back({label, v.count, v.fen, true});
    if (const auto it = c.by_bracket.find(""); it != c.by_bracket.end())
        s.lines.push_back({"无补贴", it->second.count, it->second.fen, true});
    return s;
}

Section by_category(const store::DayClose& c) {
    Section s{"按人员类别", "人员类别", "订单数", "补贴（元）", {}, false,
              "一人可属多个类别，各类别的订单互有重叠，故不合计。"};
    for (int i = 0; i < core::kCategoryCount; ++i) {
        const auto cat = static_cast<core::Category>(i);
        const auto v = find_or_zero(c.by_category, std::string(core::category_code(cat)));
        s.lines.push_back({std::string(core::category_zh(cat)), v.count, v.fen, true});
    }
    for (const auto& [code, v] : c.by_category)
        if (!core::category_from_code(code)) s.lines.push_back({code, v.count, v.fen, true});
    return s;
}

Section by_item(const store::DayClose& c) {
    Section s{"按餐别和饭菜", "餐别和饭菜", "份数", "原价（元）", {}, true, {}};
    struct Item {
        int period_rank;
        std::string label;
        store::CountAndFen v;
    };
    std::vector<Item> items;
    for (const auto& [key, v] : c.by_item) {
        const auto slash = key.find('/');
        if (slash == std::string::npos) {
            items.push_back({core::kMealPeriodCount, key, v});
            continue;
        }
        const std::string_view code(key.data(), slash);
        const std::string name = key.substr(slash + 1);
        if (const auto p = core::meal_period_from_code(code))
            items.push_back({static_cast<int>(*p), std::string(core::meal_period_zh(*p)) + " " + name, v});
        else
            items.push_back({core::kMealPeriodCount, std::string(code) + " " + name, v});
    }
    // Breakfast, lunch, dinner; within a period, the store's (name) order.
    std::stable_sort(items.begin(), items.end(),
                     [](const Item& a, const Item& b) { return a.period_rank < b.period_rank; });
    for (auto& it : items) s.lines.push_back({std::move(it.label), it.v.count, it.v.fen, true});
    return s;
}

std::vector<Section> sections(const store::DayClose& c) {
    return {overview(c), by_method(c), by_bracket(c), by_category(c), by_item(c)};
}

std::pair<std::int64_t, core::Fen> total_of(const Section& s) {
    std::int64_t count = 0;
    core::Fen fen = 0;
    for (const auto& l : s.lines) {
        count += l.count;
        fen += l.fen;
    }
    return {count, fen};
}

// ---------------------------------------------------------------------------
// CSV (RFC 4180)
// ---------------------------------------------------------------------------

// Text from menus and policies: a leading = + - @ would make Excel read the
// cell as a formula, so such text gets a leading apostrophe.
std::string text_cell(const std::string& s) {
    if (!s.empty() && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' || s[0] == '\r'))
        return "'" + s;
    return s;
}

std::string quoted(const std::string& field) {
    if (field.find_first_of(",\"\r\n") == std::string::npos) return field;
    std::string out = "\"";
    for (const char ch : field) {
        if (ch == '"') out += '"';
        out += ch;
    }
    out += '"';
    return out;
}

void csv_row(std::string& out, const std::string& a, const std::string& b, const std::string& c,
             const std::string& d) {
    out += quoted(a);
    out += ',';
    out += quoted(b);
    out += ',';
    out += quoted(c);
    out += ',';
    out += quoted(d);
    out += "\r\n";
}

// ---------------------------------------------------------------------------
// Files
// ---------------------------------------------------------------------------

std::string safe_file_part(const std::string& s) {
    std::string out;
    for (const char ch : s) {
        const bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
                        ch == '-' || ch == '_' || ch == '.';
        out += ok ? ch : '_';
    }
    if (out.empty() || out.find_first_not_of('.') == std::string::npos) out = "kiosk";
    return out;
}

Error export_error(const std::string& what, const std::string& path, int err) {
    return Error{"day_close.export", "cannot " + what + " " + path + ": " + std::strerror(err)};
}

// Writes `bytes` to `tmp` and fsyncs it; on failure removes it.
Result<void> write_synced(const std::string& tmp, const std::string& shown_path, const std::string& bytes) {
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return export_error("create the day close file", shown_path, errno);
    std::size_t done = 0;
    while (done < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            const int err = errno;
            ::close(fd);
            ::unlink(tmp.c_str());
            return export_error("write the day close file", shown_path, err);
        }
        done += static_cast<std::size_t>(n);
    }
    int err = 0;
    if (::fsync(fd) != 0) err = errno;
    if (::close(fd) != 0 && err == 0) err = errno;
    if (err != 0) {
        ::unlink(tmp.c_str());
        return export_error("write the day close file", shown_path, err);
    }
    return {};
}

// So that the renames survive a power cut. Best effort: some file systems
// refuse fsync on a directory, and the files themselves are complete.
void sync_directory(const std::filesystem::path& dir) {
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return;
    (void)::fsync(fd);
    ::close(fd);
}

}  // namespace

print::DailySettlement settlement(const store::DayClose& close, const print::LocalStamp& printed_at) {
    print::DailySettlement out;
    out.day = close.day;
    out.printed_at = printed_at;
    for (const auto& s : sections(close)) {
        print::SettlementSection ps;
        ps.title = s.title;
        ps.with_total = s.with_total;
        for (const auto& l : s.lines) ps.lines.push_back({l.label, l.count, l.fen});
        out.sections.push_back(std::move(ps));
    }
    return out;
}

std::vector<ScreenSection> screen_sections(const store::DayClose& close) {
    std::vector<ScreenSection> out;
    auto value = [](std::int64_t count, core::Fen fen, bool has_amount) {
        return has_amount ? std::to_string(count) + "  " + core::format_yuan(fen) + " 元" : std::to_string(count);
    };
    for (const auto& s : sections(close)) {
        ScreenSection ss{s.title, {}};
        for (const auto& l : s.lines) ss.lines.emplace_back(l.label, value(l.count, l.fen, l.has_amount));
        if (s.with_total) {
            const auto [count, fen] = total_of(s);
            ss.lines.emplace_back("合计", value(count, fen, true));
        }
        out.push_back(std::move(ss));
    }
    return out;
}

std::string csv(const store::DayClose& close, const std::string& site, const std::string& terminal) {
    std::string out = "\xEF\xBB\xBF";  // BOM: Excel then reads UTF-8
    csv_row(out, std::string(kTitle), close.day.iso(), "", "");
    csv_row(out, "站点", text_cell(site), "", "");
    csv_row(out, "终端", text_cell(terminal), "", "");
    csv_row(out, "分类", "项目", "数量", "金额（元）");
    for (const auto& s : sections(close)) {
        for (const auto& l : s.lines)
            csv_row(out, s.title, text_cell(l.label), std::to_string(l.count),
                    l.has_amount ? core::format_yuan(l.fen) : std::string());
        if (s.with_total) {
            const auto [count, fen] = total_of(s);
            csv_row(out, s.title, "合计", std::to_string(count), core::format_yuan(fen));
        }
    }
    return out;
}

drivers::a4::A4Notice day_close_document(const store::DayClose& close, const std::string& site,
                                         const std::string& terminal, const std::string& printed_at) {
    using drivers::a4::A4Align;
    drivers::a4::A4Notice doc;
    doc.title = std::string(kTitle) + " " + close.day.iso();
    doc.issuer = site;
    doc.date = "终端 " + terminal + "　打印时间 " + printed_at;
    doc.footer = doc.title + "　" + site + "（" + terminal + "）";
    for (const auto& s : sections(close)) {
        doc.blocks.emplace_back(drivers::a4::A4Heading{s.title});
        drivers::a4::A4Table t;
        t.header = {s.item_header, s.count_header, s.amount_header};
        t.widths = {3.0, 1.5, 2.0};
        t.align = {A4Align::Start, A4Align::End, A4Align::End};
        for (const auto& l : s.lines)
            t.rows.push_back({l.label, std::to_string(l.count), l.has_amount ? core::format_yuan(l.fen) : ""});
        if (s.lines.empty()) t.rows.push_back({"（无）", "", ""});
        if (s.with_total) {
            const auto [count, fen] = total_of(s);
            t.rows.push_back({"合计", std::to_string(count), core::format_yuan(fen)});
        }
        doc.blocks.emplace_back(std::move(t));
        if (!s.note.empty()) doc.blocks.emplace_back(drivers::a4::A4Paragraph{s.note});
    }
    doc.blocks.emplace_back(drivers::a4::A4Paragraph{"核对无误后签字：______________"});
    return doc;
}

Result<std::vector<std::string>> export_day_close(const store::DayClose& close, const std::string& site,
                                                  const std::string& terminal, const std::filesystem::path& dir,
                                                  const std::string& printed_at) {
    // Everything that can fail without touching the disk first.
    auto pdf = drivers::a4::render_pdf(day_close_document(close, site, terminal, printed_at));
    if (!pdf) return Error{"day_close.pdf", "cannot make the day close PDF: " + pdf.error().message};
    const std::string text = csv(close, site, terminal);

    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) return Error{"day_close.export", "cannot create the export directory " + dir.string() + ": " + ec.message()};
    if (!std::filesystem::is_directory(dir, ec))
        return Error{"day_close.export", "cannot export into " + dir.string() + ": it is not a directory"};

    const std::string stem = "日结-" + safe_file_part(terminal) + "-" + close.day.iso();
    const std::string csv_path = (dir / (stem + ".csv")).string();
    const std::string pdf_path = (dir / (stem + ".pdf")).string();
    const std::string csv_tmp = csv_path + ".tmp";

    if (auto r = write_synced(csv_tmp, csv_path, text); !r) return r.error();
    if (auto r = drivers::a4::write_pdf_file(*pdf, pdf_path); !r) {
        ::unlink(csv_tmp.c_str());
        return Error{"day_close.export", r.error().message};
    }
    if (::rename(csv_tmp.c_str(), csv_path.c_str()) != 0) {
        const int err = errno;
        ::unlink(csv_tmp.c_str());
        ::unlink(pdf_path.c_str());  // both files or neither
        return export_error("rename the new file to", csv_path, err);
    }
    sync_directory(dir);
    return std::vector<std::string>{csv_path, pdf_path};
}

}  // namespace kiosk::app
