#include "kiosk/app/canteen_config.hpp"

#include "config_words.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <exception>
#include <span>
#include <utility>

#include <toml++/toml.h>

namespace kiosk::app {
namespace {

// ---------------------------------------------------------------------------
// Words for messages, in the style of config.cpp: the file and the line, then
// one plain sentence that says what is wrong and what to write instead.
// ---------------------------------------------------------------------------

constexpr std::string_view kInvalid = "canteen.invalid";

using Words = std::span<const std::string_view>;

using words::describe;
using words::edit_distance;
using words::float_text;
using words::join;
using words::quoted;

// Also a key written without its unit (amount for amount_fen), which is too
// far for the edit distance and the likeliest slip in these files.
std::optional<std::string_view> nearest(Words candidates, std::string_view word) {
    for (std::string_view c : candidates)
        if (word.size() >= 3 && c.size() > word.size() && c.starts_with(word) && c[word.size()] == '_') return c;
    return words::nearest(candidates, [&](std::string_view c) { return edit_distance(word, c); });
}





std::string entry_name(std::string_view list, std::size_t index) {
    return "[[" + std::string(list) + "]] entry " + std::to_string(index + 1);
}

// "amount_fen in [[ages]] entry 2", or just "cap_fen" at the top of a file.
std::string subject(std::string_view key, std::string_view where) {
    return where.empty() ? std::string(key) : std::string(key) + " in " + std::string(where);
}

// ---------------------------------------------------------------------------
// Reading checked values
// ---------------------------------------------------------------------------

using Line = std::uint32_t;

Line line_of(const toml::node& n) { return n.source().begin.line; }

Line line_of(const toml::key& k, const toml::node& n) {
    return k.source().begin.line != 0 ? k.source().begin.line : line_of(n);
}

Error invalid(std::string_view source, Line line, std::string_view what) {
    return Error{std::string(kInvalid), std::string(source) + ":" + std::to_string(line) + ": " + std::string(what)};
}

class Reader {
public:
    explicit Reader(std::string_view source) : source_(source) {}

    [[nodiscard]] Error fail(Line line, std::string_view what) const { return invalid(source_, line, what); }

    // Refuses any key of `table` not in `keys`. `lists` are the keys written
    // as [[sections]], so a misspelt one is named the way it was written.
    Result<void> only_keys(const toml::table& table, Words keys, Words lists, std::string_view where) const {
        for (auto&& [key, node] : table) {
            if (std::find(keys.begin(), keys.end(), key.str()) != keys.end()) continue;
            const bool as_list = node.is_array_of_tables();
            const bool as_table = node.is_table();
            std::string msg = as_list    ? "unknown section [[" + std::string(key.str()) + "]]"
                              : as_table ? "unknown section [" + std::string(key.str()) + "]"
                                         : "unknown key '" + std::string(key.str()) + "'";
            msg += " " + std::string(where);
            if (const auto near = nearest(keys, key.str())) {
                const bool near_list = std::find(lists.begin(), lists.end(), *near) != lists.end();
                msg += near_list ? "; did you mean [[" + std::string(*near) + "]]?"
                                 : "; did you mean '" + std::string(*near) + "'?";
            } else {
                msg += "; the keys there are " + join(keys, "'", "'");
            }
            return fail(line_of(key, node), msg);
        }
        return {};
    }

    // The entries of a list of sections such as [[ages]]; none when absent.
    Result<std::vector<const toml::table*>> entries(const toml::table& root, std::string_view key) const {
        std::vector<const toml::table*> out;
        const toml::node* node = root.get(key);
        if (node == nullptr) return out;
        const std::string k(key);
        const auto* list = node->as_array();
        if (list == nullptr)
            return fail(line_of(*node), k + " must be written as [[" + k + "]] sections, not " +
                                            (node->is_table() ? "one [" + k + "] section" : describe(*node)));
        for (std::size_t i = 0; i < list->size(); ++i) {
            const auto* table = (*list)[i].as_table();
            if (table == nullptr)
                return fail(line_of((*list)[i]), k + " must be written as [[" + k + "]] sections, not a list holding " +
                                                     describe((*list)[i]));
            out.push_back(table);
        }
        return out;
    }

    // `key` of `table`, or a message `missing` at `line`.
    Result<const toml::node*> need(const toml::table& table, std::string_view key, Line line,
                                   const std::string& missing) const {
        if (const toml::node* n = table.get(key)) return n;
        return fail(line, missing);
    }

    Result<std::int64_t> whole(const toml::node& n, const std::string& what, std::int64_t lo, std::int64_t hi,
                               std::string_view unit) const {
        if (const auto* i = n.as_integer(); i != nullptr && i->get() >= lo && i->get() <= hi) return i->get();
        return fail(line_of(n), what + " must be a whole number" + (unit.empty() ? "" : " of " + std::string(unit)) +
                                    " between " + std::to_string(lo) + " and " + std::to_string(hi) + ", not " +
                                    describe(n));
    }

    // Money: whole fen. A number with a point was almost surely meant as yuan,
    // so the message shows the same amount in fen.
    Result<core::Fen> fen(const toml::node& n, std::string_view key, const std::string& what, core::Fen lo) const {
        if (const auto* i = n.as_integer(); i != nullptr && i->get() >= lo && i->get() <= kMaxFen) return i->get();
        if (const auto* f = n.as_floating_point()) {
            const double v = f->get();
            std::string msg = what + " must be a whole number of fen (分), not " + float_text(v);
            if (std::isfinite(v)) {
                const double in_fen = v * 100;
                if (in_fen >= static_cast<double>(lo) && in_fen <= static_cast<double>(kMaxFen))
                    msg += "; write fen, e.g. " + std::string(key) + " = " + std::to_string(std::llround(in_fen));
            }
            return fail(line_of(n), msg);
        }
        return fail(line_of(n), what + " must be a whole number of fen (分) between " + std::to_string(lo) + " and " +
                                    std::to_string(kMaxFen) + ", not " + describe(n));
    }

    // One line: every text here ends up on a receipt line, a button or a record.
    Result<std::string> text(const toml::node& n, const std::string& what, bool may_be_empty) const {
        if (const auto* s = n.as_string(); s != nullptr && (may_be_empty || !s->get().empty())) {
            const std::string& v = s->get();
            if (std::any_of(v.begin(), v.end(), [](char c) {
                    const auto u = static_cast<unsigned char>(c);
                    return u < 0x20U || u == 0x7FU;
                }))
                return fail(line_of(n),
                            what + " must be one line of text, without line breaks or tabs, not " + quoted(v));
            return v;
        }
        return fail(line_of(n), what +
                                    (may_be_empty ? " must be text in quotes" : " must be non-empty text in quotes") +
                                    ", not " + describe(n));
    }

    // The index in `words` of the word written.
    Result<std::size_t> word(const toml::node& n, const std::string& what, Words words) const {
        if (const auto* s = n.as_string()) {
            const auto it = std::find(words.begin(), words.end(), s->get());
            if (it != words.end()) return static_cast<std::size_t>(it - words.begin());
        }
        return fail(line_of(n), what + " must be one of " + join(words, "\"", "\"") + ", not " + describe(n));
    }

    Result<core::CivilDate> date(const toml::node& n, const std::string& what) const {
        if (const auto* d = n.as_date()) {
            const toml::date v = d->get();
            const core::CivilDate c{v.year, v.month, v.day};
            if (c.valid()) return c;
        }
        if (const auto* s = n.as_string())
            if (const auto c = core::CivilDate::parse(s->get())) return *c;
        return fail(line_of(n), what + R"( must be a date such as "2026-01-01", not )" + describe(n));
    }

    Result<int> minute(const toml::node& n, const std::string& what) const {
        if (const auto* s = n.as_string())
            if (const auto m = minutes_from_hhmm(s->get())) return *m;
        if (const auto* t = n.as_time()) {
            const toml::time v = t->get();
            if (v.second == 0 && v.nanosecond == 0 && v.hour < 24 && v.minute < 60) return v.hour * 60 + v.minute;
        }
        return fail(line_of(n), what + R"( must be a time of day such as "10:30" (hours 0 to 23, then minutes), not )" +
                                    describe(n));
    }

private:
    std::string_view source_;
};

// Parses the source and hands the root to `read`; every exception ends as an Error.
template <typename Read>
auto parsed(const ConfigSource& source, Read read)
    -> decltype(read(std::declval<const Reader&>(), std::declval<const toml::table&>())) {
    try {
        toml::table root;
        try {
            root = toml::parse(std::string_view(source.text), std::string_view(source.name));
        } catch (const toml::parse_error& e) {
            return invalid(source.name, e.source().begin.line,
                           "this is not valid TOML: " + std::string(e.description()));
        }
        return read(Reader(source.name), root);
    } catch (const std::exception& e) {  // out of memory, mostly: nothing may escape the layer
        return Error{std::string(kInvalid), source.name + ": the file could not be loaded: " + std::string(e.what())};
    }
}

// ---------------------------------------------------------------------------
// Subsidy policies
// ---------------------------------------------------------------------------

constexpr std::array<std::string_view, 6> kPolicyKeys{"version", "effective_from", "combine",
                                                      "cap_fen", "ages",           "categories"};
constexpr std::array<std::string_view, 2> kPolicyLists{"ages", "categories"};
constexpr std::array<std::string_view, 4> kAgeKeys{"min_age", "max_age", "amount_fen", "label"};
constexpr std::array<std::string_view, 3> kCategoryKeys{"any_of", "amount_fen", "label"};
constexpr std::array<std::string_view, 2> kCombineWords{"add", "highest"};
constexpr std::array<core::Combine, 2> kCombines{core::Combine::Add, core::Combine::Highest};
constexpr int kMaxAge = 200;

// Every category's Chinese name, the way files spell them.
std::vector<std::string_view> category_names() {
    std::vector<std::string_view> out;
    for (int i = 0; i < core::kCategoryCount; ++i) out.push_back(core::category_zh(static_cast<core::Category>(i)));
    return out;
}

// A policy and where its identifying keys are, for the checks across files.
struct ReadPolicy {
    core::SubsidyPolicy policy;
    Line version_line = 1;
    Line from_line = 1;
};

Result<core::AgeBracket> read_bracket(const Reader& r, const toml::table& t, const std::string& where) {
    if (auto ok = r.only_keys(t, kAgeKeys, {}, "in " + where); !ok) return ok.error();
    core::AgeBracket b;
    const std::string missing_tail = "; every entry needs min_age, max_age, amount_fen and label";
    auto min = r.need(t, "min_age", line_of(t), where + " has no min_age" + missing_tail);
    if (!min) return min.error();
    auto min_age = r.whole(**min, subject("min_age", where), 0, kMaxAge, "years");
    if (!min_age) return min_age.error();
    auto max = r.need(t, "max_age", line_of(t), where + " has no max_age" + missing_tail);
    if (!max) return max.error();
    auto max_age = r.whole(**max, subject("max_age", where), 0, kMaxAge, "years");
    if (!max_age) return max_age.error();
    auto amount = r.need(t, "amount_fen", line_of(t), where + " has no amount_fen" + missing_tail);
    if (!amount) return amount.error();
    auto fen = r.fen(**amount, "amount_fen", subject("amount_fen", where), 0);
    if (!fen) return fen.error();
    auto label = r.need(t, "label", line_of(t),
                        where + R"( has no label; add the words receipts show, such as label = "60-69岁")");
    if (!label) return label.error();
    auto label_text = r.text(**label, subject("label", where), false);
    if (!label_text) return label_text.error();
    if (*min_age > *max_age)
        return r.fail(line_of(**max), where + " has min_age " + std::to_string(*min_age) + " above max_age " +
                                          std::to_string(*max_age) + "; min_age must not be more than max_age");
    b.min_age = static_cast<int>(*min_age);  // both within 0..kMaxAge
    b.max_age = static_cast<int>(*max_age);
    b.amount = *fen;
    b.label = std::move(*label_text);
    return b;
}

Result<std::vector<core::Category>> read_any_of(const Reader& r, const toml::node& n, const std::string& where) {
    const std::string what = subject("any_of", where);
    const auto* list = n.as_array();
    if (list == nullptr)
        return r.fail(line_of(n),
                      what + R"( must be a list of category names such as ["低保", "特困"], not )" + describe(n));
    if (list->empty()) return r.fail(line_of(n), what + R"( is empty; list at least one category, such as ["低保"])");
    const auto names = category_names();
    std::vector<core::Category> out;
    for (const toml::node& item : *list) {
        const auto* s = item.as_string();
        const auto category = s != nullptr ? core::category_from_zh(s->get()) : std::nullopt;
        if (!category) {
            if (const auto code = s != nullptr ? core::category_from_code(s->get()) : std::nullopt)
                return r.fail(line_of(item), quoted(s->get()) + " in " + what +
                                                 " must be written in Chinese: " + quoted(core::category_zh(*code)));
            return r.fail(line_of(item), "unknown category " + describe(item) + " in " + what +
                                             "; the categories are " + join(names, "\"", "\""));
        }
        if (std::find(out.begin(), out.end(), *category) != out.end())
            return r.fail(line_of(item), quoted(s->get()) + " is listed twice in " + what);
        out.push_back(*category);
    }
    return out;
}

Result<core::CategoryRule> read_category_rule(const Reader& r, const toml::table& t, const std::string& where) {
    if (auto ok = r.only_keys(t, kCategoryKeys, {}, "in " + where); !ok) return ok.error();
    const std::string missing_tail = "; every entry needs any_of, amount_fen and label";
    auto any = r.need(t, "any_of", line_of(t), where + " has no any_of" + missing_tail);
    if (!any) return any.error();
    auto categories = read_any_of(r, **any, where);
    if (!categories) return categories.error();
    auto amount = r.need(t, "amount_fen", line_of(t), where + " has no amount_fen" + missing_tail);
    if (!amount) return amount.error();
    auto fen = r.fen(**amount, "amount_fen", subject("amount_fen", where), 0);
    if (!fen) return fen.error();
    auto label = r.need(t, "label", line_of(t),
                        where + R"( has no label; add the words receipts show, such as label = "低保/特困")");
    if (!label) return label.error();
    auto label_text = r.text(**label, subject("label", where), false);
    if (!label_text) return label_text.error();
    return core::CategoryRule{std::move(*categories), *fen, std::move(*label_text)};
}

// Brackets that share an age would make the subsidy depend on their order.
Result<void> check_brackets(const Reader& r, const std::vector<core::AgeBracket>& ages,
                            const std::vector<const toml::table*>& tables) {
    for (std::size_t i = 0; i < ages.size(); ++i) {
        for (std::size_t j = 0; j < i; ++j) {
            const auto& a = ages[j];
            const auto& b = ages[i];
            if (a.min_age > b.max_age || b.min_age > a.max_age) continue;
            const auto span = [](const core::AgeBracket& x) {
                return std::to_string(x.min_age) + "-" + std::to_string(x.max_age);
            };
            return r.fail(line_of(*tables[i]),
                          "[[ages]] entries " + std::to_string(j + 1) + " and " + std::to_string(i + 1) +
                              " overlap: age " + std::to_string(std::max(a.min_age, b.min_age)) + " is in both (" +
                              span(a) + " and " + span(b) + "); each age may be in one bracket only");
        }
    }
    return {};
}

Result<ReadPolicy> read_policy(const Reader& r, const toml::table& root) {
    if (auto ok = r.only_keys(root, kPolicyKeys, kPolicyLists, "in the policy file"); !ok) return ok.error();
    ReadPolicy out;
    core::SubsidyPolicy& p = out.policy;

    auto version = r.need(root, "version", 1,
                          R"(the policy file has no version; add one such as version = "county-2026-07", )"
                          "which every order it prices records");
    if (!version) return version.error();
    auto version_text = r.text(**version, "version", false);
    if (!version_text) return version_text.error();
    p.version = std::move(*version_text);
    out.version_line = line_of(**version);

    auto from = r.need(root, "effective_from", 1,
                       "the policy file has no effective_from; add the first day it applies, "
                       R"(such as effective_from = "2026-07-01")");
    if (!from) return from.error();
    auto day = r.date(**from, "effective_from");
    if (!day) return day.error();
    p.effective_from = *day;
    out.from_line = line_of(**from);

    auto combine = r.need(root, "combine", 1,
                          R"(the policy file has no combine; add combine = "add" (the age amount plus the )"
                          R"(category amounts) or combine = "highest" (only the largest one))");
    if (!combine) return combine.error();
    auto how = r.word(**combine, "combine", kCombineWords);
    if (!how) return how.error();
    p.combine = kCombines[*how];

    if (const toml::node* cap = root.get("cap_fen")) {
        auto fen = r.fen(*cap, "cap_fen", "cap_fen", 0);
        if (!fen) return fen.error();
        p.cap = *fen;
    }

    auto ages = r.entries(root, "ages");
    if (!ages) return ages.error();
    for (std::size_t i = 0; i < ages->size(); ++i) {
        auto bracket = read_bracket(r, *(*ages)[i], entry_name("ages", i));
        if (!bracket) return bracket.error();
        p.ages.push_back(std::move(*bracket));
    }
    if (auto ok = check_brackets(r, p.ages, *ages); !ok) return ok.error();

    auto rules = r.entries(root, "categories");
    if (!rules) return rules.error();
    for (std::size_t i = 0; i < rules->size(); ++i) {
        auto rule = read_category_rule(r, *(*rules)[i], entry_name("categories", i));
        if (!rule) return rule.error();
        p.categories.push_back(std::move(*rule));
    }
    return out;
}

// ---------------------------------------------------------------------------
// Menus
// ---------------------------------------------------------------------------

constexpr std::array<std::string_view, 2> kMenuKeys{"periods", "items"};
constexpr std::array<std::string_view, 3> kPeriodKeys{"period", "start", "end"};
constexpr std::array<std::string_view, 8> kItemKeys{"period",    "id",          "name",  "dishes",
                                                    "price_fen", "daily_limit", "photo", "weekdays"};
// In MealPeriod order, so an index converts.
constexpr std::array<std::string_view, core::kMealPeriodCount> kPeriodWords{"breakfast", "lunch", "dinner"};
constexpr std::int64_t kMaxDailyLimit = 100'000;

std::string window_text(const core::PeriodWindow& w) {
    return std::string(core::meal_period_code(w.period)) + " " + hhmm(w.start_minute) + "-" + hhmm(w.end_minute);
}

Result<core::PeriodWindow> read_window(const Reader& r, const toml::table& t, const std::string& where) {
    if (auto ok = r.only_keys(t, kPeriodKeys, {}, "in " + where); !ok) return ok.error();
    const std::string missing_tail = "; every entry needs period, start and end";
    core::PeriodWindow w;
    auto period = r.need(t, "period", line_of(t), where + " has no period" + missing_tail);
    if (!period) return period.error();
    auto which = r.word(**period, subject("period", where), kPeriodWords);
    if (!which) return which.error();
    w.period = static_cast<core::MealPeriod>(*which);
    auto start = r.need(t, "start", line_of(t), where + " has no start" + missing_tail);
    if (!start) return start.error();
    auto start_minute = r.minute(**start, subject("start", where));
    if (!start_minute) return start_minute.error();
    auto end = r.need(t, "end", line_of(t), where + " has no end" + missing_tail);
    if (!end) return end.error();
    auto end_minute = r.minute(**end, subject("end", where));
    if (!end_minute) return end_minute.error();
    w.start_minute = *start_minute;
    w.end_minute = *end_minute;
    if (w.start_minute >= w.end_minute)
        return r.fail(line_of(**end), where + " (" + std::string(core::meal_period_code(w.period)) +
                                          ") must end after it starts, not start at " + hhmm(w.start_minute) +
                                          " and end at " + hhmm(w.end_minute) + "; a period cannot run past midnight");
    return w;
}

Result<std::vector<core::PeriodWindow>> read_windows(const Reader& r, const toml::table& root) {
    auto tables = r.entries(root, "periods");
    if (!tables) return tables.error();
    if (tables->empty())
        return r.fail(1,
                      "the menu file has no [[periods]]; add at least one, such as a [[periods]] section with "
                      R"(period = "lunch", start = "10:30" and end = "13:30")");
    std::vector<core::PeriodWindow> out;
    for (std::size_t i = 0; i < tables->size(); ++i) {
        const std::string where = entry_name("periods", i);
        auto w = read_window(r, *(*tables)[i], where);
        if (!w) return w.error();
        for (std::size_t j = 0; j < out.size(); ++j) {
            const auto& other = out[j];
            const std::string both = "[[periods]] entries " + std::to_string(j + 1) + " and " + std::to_string(i + 1);
            if (other.period == w->period)
                return r.fail(line_of(*(*tables)[i]), both + " are both " +
                                                          std::string(core::meal_period_code(w->period)) +
                                                          "; each period has one window");
            if (w->start_minute < other.end_minute && other.start_minute < w->end_minute)
                return r.fail(line_of(*(*tables)[i]), both + " overlap: " + window_text(other) + " and " +
                                                          window_text(*w) +
                                                          "; a period must end before, or when, the next one starts");
        }
        out.push_back(*w);
    }
    return out;
}

bool is_item_id(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    });
}

// Relative and without "..", so a photo cannot point outside the menu's folder.
bool is_photo_path(std::string_view s) {
    if (s.empty()) return true;
    if (s.front() == '/' || s.find('\\') != std::string_view::npos) return false;
    for (std::size_t start = 0; start <= s.size();) {
        const std::size_t end = std::min(s.find('/', start), s.size());
        const std::string_view part = s.substr(start, end - start);
        if (part.empty() || part == "..") return false;
        start = end + 1;
    }
    return true;
}

Result<std::uint8_t> read_weekdays(const Reader& r, const toml::node& n, const std::string& where) {
    const std::string what = subject("weekdays", where);
    const auto* list = n.as_array();
    if (list == nullptr)
        return r.fail(
            line_of(n),
            what + " must be a list of days such as [1, 2, 3, 4, 5] (1 = Monday, 7 = Sunday), not " + describe(n));
    if (list->empty())
        return r.fail(
            line_of(n),
            what + " is empty, so the item would never be served; list its days, or leave weekdays out for every day");
    std::uint8_t days = 0;
    for (const toml::node& item : *list) {
        const auto* i = item.as_integer();
        if (i == nullptr || i->get() < 1 || i->get() > 7)
            return r.fail(line_of(item), what + " must list days from 1 (Monday) to 7 (Sunday), not " + describe(item));
        const auto bit = static_cast<std::uint8_t>(1U << static_cast<unsigned>(i->get() - 1));
        if ((days & bit) != 0) return r.fail(line_of(item), what + " lists " + std::to_string(i->get()) + " twice");
        days = static_cast<std::uint8_t>(days | bit);
    }
    return days;
}

Result<TemplateItem> read_item(const Reader& r, const toml::table& t, const std::string& where,
                               const std::vector<core::PeriodWindow>& windows) {
    if (auto ok = r.only_keys(t, kItemKeys, {}, "in " + where); !ok) return ok.error();
    const std::string missing_tail = "; every item needs period, id, name and price_fen";
    TemplateItem out;
    core::MenuItem& item = out.item;

    auto period = r.need(t, "period", line_of(t), where + " has no period" + missing_tail);
    if (!period) return period.error();
    auto which = r.word(**period, subject("period", where), kPeriodWords);
    if (!which) return which.error();
    out.period = static_cast<core::MealPeriod>(*which);
    if (std::none_of(windows.begin(), windows.end(),
                     [&](const core::PeriodWindow& w) { return w.period == out.period; }))
        return r.fail(line_of(**period), where + " is for " + std::string(kPeriodWords[*which]) +
                                             ", but [[periods]] has no " + std::string(kPeriodWords[*which]) +
                                             "; add that period or change the item's");

    auto id = r.need(t, "id", line_of(t), where + " has no id" + missing_tail);
    if (!id) return id.error();
    auto id_text = r.text(**id, subject("id", where), false);
    if (!id_text) return id_text.error();
    if (!is_item_id(*id_text))
        return r.fail(line_of(**id),
                      subject("id", where) +
                          R"( must be made only of lower-case letters, digits and '-', such as "set-a", not )" +
                          quoted(*id_text));
    item.id = std::move(*id_text);

    auto name = r.need(t, "name", line_of(t), where + " has no name" + missing_tail);
    if (!name) return name.error();
    auto name_text = r.text(**name, subject("name", where), false);
    if (!name_text) return name_text.error();
    item.name = std::move(*name_text);

    if (const toml::node* dishes = t.get("dishes")) {
        auto v = r.text(*dishes, subject("dishes", where), true);
        if (!v) return v.error();
        item.dishes = std::move(*v);
    }

    auto price = r.need(t, "price_fen", line_of(t), where + " has no price_fen" + missing_tail);
    if (!price) return price.error();
    auto fen = r.fen(**price, "price_fen", subject("price_fen", where), 1);
    if (!fen) return fen.error();
    item.price = *fen;

    if (const toml::node* limit = t.get("daily_limit")) {
        auto v = r.whole(*limit, subject("daily_limit", where), 0, kMaxDailyLimit, "portions");
        if (!v) return v.error();
        item.daily_limit = static_cast<int>(*v);  // within 0..kMaxDailyLimit
    }

    if (const toml::node* photo = t.get("photo")) {
        auto v = r.text(*photo, subject("photo", where), true);
        if (!v) return v.error();
        if (!is_photo_path(*v))
            return r.fail(line_of(*photo),
                          subject("photo", where) +
                              R"( must be a file in the menu's folder, such as "set-a.jpg", or "", not )" + quoted(*v));
        item.photo = std::move(*v);
    }

    if (const toml::node* days = t.get("weekdays")) {
        auto v = read_weekdays(r, *days, where);
        if (!v) return v.error();
        out.weekdays = *v;
    }
    return out;
}

Result<MenuTemplate> read_menu(const Reader& r, const toml::table& root) {
    if (auto ok = r.only_keys(root, kMenuKeys, kMenuKeys, "in the menu file"); !ok) return ok.error();
    MenuTemplate menu;
    auto windows = read_windows(r, root);
    if (!windows) return windows.error();
    menu.periods = std::move(*windows);

    auto tables = r.entries(root, "items");
    if (!tables) return tables.error();
    if (tables->empty())
        return r.fail(1,
                      "the menu file has no [[items]]; add at least one, such as an [[items]] section with "
                      R"(period = "lunch", id = "set-a", name = "套餐A" and price_fen = 1500)");
    for (std::size_t i = 0; i < tables->size(); ++i) {
        const std::string where = entry_name("items", i);
        auto item = read_item(r, *(*tables)[i], where, menu.periods);
        if (!item) return item.error();
        // Orders and the day's portion counts name an item by period and id.
        for (std::size_t j = 0; j < menu.items.size(); ++j) {
            const TemplateItem& other = menu.items[j];
            if (other.period == item->period && other.item.id == item->item.id)
                return r.fail(line_of(*(*tables)[i]->get("id")),
                              "[[items]] entries " + std::to_string(j + 1) + " and " + std::to_string(i + 1) +
                                  " both have id " + quoted(item->item.id) + " for " +
                                  std::string(core::meal_period_code(item->period)) +
                                  "; ids must differ within a period");
        }
        menu.items.push_back(std::move(*item));
    }
    return menu;
}

}  // namespace

// ---------------------------------------------------------------------------

std::optional<int> minutes_from_hhmm(std::string_view text) {
    const auto colon = text.find(':');
    if (colon == std::string_view::npos || colon == 0 || colon > 2 || text.size() != colon + 3) return std::nullopt;
    int parts[2] = {0, 0};
    const std::string_view fields[2] = {text.substr(0, colon), text.substr(colon + 1)};
    for (int i = 0; i < 2; ++i) {
        for (char c : fields[i]) {
            if (c < '0' || c > '9') return std::nullopt;
            parts[i] = parts[i] * 10 + (c - '0');
        }
    }
    const int hours = parts[0];
    const int minutes = parts[1];
    if (hours == 24 && minutes == 0) return 24 * 60;
    if (hours > 23 || minutes > 59) return std::nullopt;
    return hours * 60 + minutes;
}

std::string hhmm(int minute_of_day) {
    std::array<char, 16> buf{};
    std::snprintf(buf.data(), buf.size(), "%02d:%02d", minute_of_day / 60, minute_of_day % 60);
    return buf.data();
}

int iso_weekday(core::CivilDate day) {
    const std::chrono::year_month_day ymd{std::chrono::year{day.year},
                                          std::chrono::month{static_cast<unsigned>(day.month)},
                                          std::chrono::day{static_cast<unsigned>(day.day)}};
    return static_cast<int>(std::chrono::weekday{std::chrono::sys_days{ymd}}.iso_encoding());
}

Result<core::SubsidyPolicy> load_subsidy_policy(const ConfigSource& source) {
    return parsed(source, [](const Reader& r, const toml::table& root) -> Result<core::SubsidyPolicy> {
        auto read = read_policy(r, root);
        if (!read) return read.error();
        return std::move(read->policy);
    });
}

Result<core::PolicySet> load_policies(const std::vector<ConfigSource>& sources) {
    struct Seen {
        const ConfigSource* source;
        ReadPolicy read;
    };
    std::vector<Seen> seen;
    for (const ConfigSource& source : sources) {
        auto read = parsed(source, [](const Reader& r, const toml::table& root) { return read_policy(r, root); });
        if (!read) return read.error();
        const core::SubsidyPolicy& p = read->policy;
        for (const Seen& s : seen) {
            const std::string where = s.source->name + ":";
            if (s.read.policy.version == p.version)
                return invalid(source.name, read->version_line,
                               "version " + quoted(p.version) + " is already used by " + where +
                                   std::to_string(s.read.version_line) + "; each policy needs its own version");
            if (s.read.policy.effective_from == p.effective_from)
                return invalid(source.name, read->from_line,
                               "effective_from " + p.effective_from.iso() + " is also when " +
                                   quoted(s.read.policy.version) + " starts (" + where +
                                   std::to_string(s.read.from_line) + "); two policies cannot start on the same day");
        }
        seen.push_back(Seen{&source, std::move(*read)});
    }
    core::PolicySet set;
    for (Seen& s : seen) set.policies.push_back(std::move(s.read.policy));
    return set;
}

bool TemplateItem::served_on(core::CivilDate day) const {
    const int d = iso_weekday(day);
    return (weekdays & (1U << static_cast<unsigned>(d - 1))) != 0;
}

core::Menu MenuTemplate::for_day(core::CivilDate day, core::MealPeriod period) const {
    core::Menu menu;
    menu.day = day;
    menu.period = period;
    for (const TemplateItem& t : items)
        if (t.period == period && t.served_on(day)) menu.items.push_back(t.item);
    return menu;
}

Result<MenuTemplate> load_menu(const ConfigSource& source) {
    return parsed(source, [](const Reader& r, const toml::table& root) { return read_menu(r, root); });
}

}  // namespace kiosk::app
