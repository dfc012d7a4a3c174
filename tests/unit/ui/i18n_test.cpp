// The catalogs (assets/i18n) against each other and against the code that uses them.
#include "kiosk/ui/i18n.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "kiosk/ui/view.hpp"

using namespace kiosk::ui;
namespace fs = std::filesystem;

namespace {

const fs::path kRoot{KIOSK_SOURCE_DIR};

std::string read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    REQUIRE_MESSAGE(in.good(), "cannot read " << p.string());
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

Catalog parsed(Language l) {
    auto c = parse_catalog(embedded_catalog_text(l), language_code(l));
    REQUIRE_MESSAGE(c.ok(), (c.ok() ? std::string() : c.error().message));
    return *c;
}

std::string join(const std::set<std::string>& names) {
    std::string out;
    for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
    return out;
}

bool ident_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; }

struct Lexed {
    std::vector<std::string> literals;  // the contents of the string literals
    std::string code;                   // the source with every comment blanked out
};

// Reads C++ source: string literals, comments skipped. Knows escapes,
// character literals, digit separators (1'000) and raw strings (R"x(...)x");
// good enough for our own sources, which is all it reads.
Lexed lex(std::string_view s) {
    Lexed out;
    std::size_t i = 0;
    const std::size_t n = s.size();
    auto copy_to = [&](std::size_t end) {
        out.code.append(s.substr(i, end - i));
        i = end;
    };
    while (i < n) {
        const char c = s[i];
        if (c == '/' && i + 1 < n && s[i + 1] == '/') {
            while (i < n && s[i] != '\n') ++i;
            out.code += ' ';
        } else if (c == '/' && i + 1 < n && s[i + 1] == '*') {
            const auto end = s.find("*/", i + 2);
            i = end == std::string_view::npos ? n : end + 2;
            out.code += ' ';
        } else if (c == '"') {
            const bool raw = i > 0 && s[i - 1] == 'R' &&
                             (i == 1 || !ident_char(s[i - 2]) || s[i - 2] == '8' || s[i - 2] == 'u' ||
                              s[i - 2] == 'U' || s[i - 2] == 'L');
            if (raw) {
                const auto paren = s.find('(', i + 1);
                REQUIRE(paren != std::string_view::npos);
                const std::string close = ")" + std::string(s.substr(i + 1, paren - i - 1)) + "\"";
                const auto end = s.find(close, paren + 1);
                REQUIRE(end != std::string_view::npos);
                out.literals.emplace_back(s.substr(paren + 1, end - paren - 1));
                copy_to(end + close.size());
            } else {
                std::size_t k = i + 1;
                while (k < n && s[k] != '"') k += (s[k] == '\\' && k + 1 < n) ? 2 : 1;
                out.literals.emplace_back(s.substr(i + 1, k - i - 1));
                copy_to(std::min(k + 1, n));
            }
        } else if (c == '\'') {
            // 'a' is a character literal, 1'0 a digit separator: look back for a number
            std::size_t b = i;
            while (b > 0 && ident_char(s[b - 1])) --b;
            if (b < i && std::isdigit(static_cast<unsigned char>(s[b])) != 0) {
                copy_to(i + 1);
            } else {
                std::size_t k = i + 1;
                while (k < n && s[k] != '\'') k += (s[k] == '\\') ? 2 : 1;
                copy_to(std::min(k + 1, n));
            }
        } else {
            copy_to(i + 1);
        }
    }
    return out;
}

std::vector<std::string> string_literals(std::string_view s) { return lex(s).literals; }

// ^[a-z_]+\.[a-z_0-9]+$
bool key_shaped(std::string_view s) {
    // "status_words.hpp" in an #include is a file, not a key.
    for (std::string_view ext : {".hpp", ".cpp", ".h"})
        if (s.size() > ext.size() && s.substr(s.size() - ext.size()) == ext) return false;
    const auto dot = s.find('.');
    if (dot == std::string_view::npos || dot == 0 || dot + 1 == s.size()) return false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (i == dot) continue;
        const bool ok = (c >= 'a' && c <= 'z') || c == '_' || (i > dot && c >= '0' && c <= '9');
        if (!ok) return false;
    }
    return true;
}

// ^[a-z_]+$
bool identifier(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return (c >= 'a' && c <= 'z') || c == '_'; });
}

// The literal keys handed to tr(, format( or say( in `code` (comments blanked):
// tr("k" ...), and say(cond ? "k1" : "k2", ...).
std::vector<std::string> keys_in_calls(std::string_view code) {
    std::vector<std::string> out;
    auto skip_space = [&](std::size_t& i) {
        while (i < code.size() && std::isspace(static_cast<unsigned char>(code[i])) != 0) ++i;
    };
    auto literal = [&](std::size_t& i) -> bool {  // reads "..." at i into out
        if (i >= code.size() || code[i] != '"') return false;
        const auto end = code.find('"', i + 1);
        if (end == std::string_view::npos) return false;
        out.emplace_back(code.substr(i + 1, end - i - 1));
        i = end + 1;
        return true;
    };
    for (const std::string_view fn : {"tr(", "format(", "say("}) {
        for (auto at = code.find(fn); at != std::string_view::npos; at = code.find(fn, at + 1)) {
            if (at > 0 && ident_char(code[at - 1])) continue;  // e.g. "str(", "reformat("
            std::size_t i = at + fn.size();
            skip_space(i);
            if (literal(i)) continue;
            // a condition before '?': no quotes, semicolons or parentheses but "()"
            while (i < code.size() && code[i] != '?') {
                if (code.compare(i, 2, "()") == 0) {
                    i += 2;
                    continue;
                }
                if (code[i] == ';' || code[i] == '(' || code[i] == ')' || code[i] == '"') break;
                ++i;
            }
            if (i >= code.size() || code[i] != '?') continue;
            ++i;
            skip_space(i);
            if (!literal(i)) continue;
            skip_space(i);
            if (i < code.size() && code[i] == ':') {
                ++i;
                skip_space(i);
                literal(i);
            }
        }
    }
    return out;
}

std::vector<fs::path> sources_under(const fs::path& dir) {
    std::vector<fs::path> out;
    for (const auto& e : fs::recursive_directory_iterator(dir)) {
        if (!e.is_regular_file()) continue;
        const auto ext = e.path().extension();
        if (ext == ".cpp" || ext == ".hpp") out.push_back(e.path());
    }
    std::sort(out.begin(), out.end());
    return out;
}

// Texts between '{' and '}'.
std::set<std::string> placeholders(std::string_view text) {
    std::set<std::string> out;
    for (std::size_t i = text.find('{'); i != std::string_view::npos; i = text.find('{', i + 1)) {
        const auto close = text.find('}', i);
        if (close == std::string_view::npos) break;
        out.emplace(text.substr(i + 1, close - i - 1));
    }
    return out;
}


}  // namespace

TEST_CASE("the literal scanner used below finds literals and skips comments") {
    const std::string src = "// \"comment.key\"\n"
                            "/* \"block.key\" */ auto a = tr(\"real.key\"); char q = '\"'; int n = 1'000;\n"
                            "auto r = R\"x(raw \"text\")x\"; auto e = \"es\\\"c\";";
    const auto lits = string_literals(src);
    REQUIRE(lits.size() == 3);
    CHECK(lits[0] == "real.key");
    CHECK(lits[1] == "raw \"text\"");
    CHECK(lits[2] == "es\\\"c");

    const auto keys = keys_in_calls(lex("ui.tr(\"a.b\"); say(recorded ? \"c.d\" : \"e.f\", x); str(\"no.no\");\n"
                                        "ui.tr(t.large() ? \"g.h\" : \"i.j\"); // tr(\"k.l\")\n"
                                        "i18n.format(\"m.n\", {{\"x\", y}});")
                                        .code);
    CHECK(keys == std::vector<std::string>{"a.b", "g.h", "i.j", "m.n", "c.d", "e.f"});
    CHECK(key_shaped("weekday.3"));
    CHECK(key_shaped("service.day_care_in"));
    CHECK_FALSE(key_shaped("weekday."));
    CHECK_FALSE(key_shaped(".3"));
    CHECK_FALSE(key_shaped("Weekday.3"));
    CHECK_FALSE(key_shaped("week3.day"));
    CHECK_FALSE(key_shaped("status_words.hpp"));
    CHECK_FALSE(key_shaped("a.b.c"));
}

TEST_CASE("both embedded catalogs parse and are the files in assets/i18n") {
    for (auto l : {Language::Chinese, Language::English}) {
        CAPTURE(language_code(l));
        const auto text = embedded_catalog_text(l);
        REQUIRE_FALSE(text.empty());
        const auto on_disk =
            read_file(kRoot / "assets/i18n" / (std::string(language_code(l)) + ".toml"));
        CHECK(text == on_disk);
        const auto c = parsed(l);
        CHECK(c.size() > 50);
        CHECK(c.count("service.check_in") == 1);
    }
    CHECK(parsed(Language::Chinese).at("service.check_in") == "签到");
    CHECK(parsed(Language::English).at("service.check_in") == "Check in");
}

TEST_CASE("both catalogs have exactly the same keys") {
    const auto zh = parsed(Language::Chinese);
    const auto en = parsed(Language::English);
    std::set<std::string> only_zh, only_en;
    for (const auto& [k, v] : zh)
        if (en.count(k) == 0) only_zh.insert(k);
    for (const auto& [k, v] : en)
        if (zh.count(k) == 0) only_en.insert(k);
    CHECK_MESSAGE(only_zh.empty(), "keys only in zh-CN.toml: " << join(only_zh));
    CHECK_MESSAGE(only_en.empty(), "keys only in en.toml: " << join(only_en));
}

TEST_CASE("no catalog text is empty or blank, and every key has the key shape") {
    for (auto l : {Language::Chinese, Language::English}) {
        CAPTURE(language_code(l));
        for (const auto& [k, v] : parsed(l)) {
            CAPTURE(k);
            CHECK(key_shaped(k));
            CHECK_FALSE(v.empty());
            CHECK(v.find_first_not_of(" \t\n") != std::string::npos);
            CHECK(v.front() != ' ');
            CHECK(v.back() != ' ');
        }
    }
}

TEST_CASE("every catalog key is used in the sources under kiosk/") {
    std::set<std::string> literals;
    const auto files = sources_under(kRoot / "kiosk");
    REQUIRE(files.size() > 20);
    for (const auto& f : files)
        for (auto& lit : string_literals(read_file(f))) literals.insert(std::move(lit));
    REQUIRE(literals.count("service.check_in") == 1);  // the scan works at all

    std::set<std::string> unused;
    for (const auto& [k, v] : parsed(Language::Chinese))
        if (literals.count(k) == 0) unused.insert(k);
    CHECK_MESSAGE(unused.empty(), "catalog keys no source under kiosk/ refers to: " << join(unused));
}

TEST_CASE("every key-shaped literal in the screens and the controller is a catalog key") {
    const auto zh = parsed(Language::Chinese);
    std::set<std::string> missing;
    std::size_t keys_seen = 0;
    for (const char* rel : {"kiosk/ui/src/screens.cpp", "kiosk/app/src/controller.cpp"}) {
        std::size_t in_file = 0;
        for (const auto& lit : string_literals(read_file(kRoot / rel))) {
            if (!key_shaped(lit)) continue;
            ++in_file;
            if (zh.count(lit) == 0) missing.insert(lit + " (" + rel + ")");
        }
        CHECK_MESSAGE(in_file > 5, rel << " uses almost no catalog keys: has the scan broken?");
        keys_seen += in_file;
    }
    CHECK(keys_seen > 60);
    CHECK_MESSAGE(missing.empty(), "literals used as keys but not in the catalogs: " << join(missing));
}

TEST_CASE("every tr/format/say call with a literal key anywhere under kiosk/ names a catalog key") {
    const auto zh = parsed(Language::Chinese);
    std::set<std::string> missing;
    std::size_t calls = 0;
    for (const auto& f : sources_under(kRoot / "kiosk")) {
        for (const auto& key : keys_in_calls(lex(read_file(f)).code)) {
            if (!key_shaped(key)) continue;  // fmt::format("{}", ...), not a key
            ++calls;
            if (zh.count(key) == 0) missing.insert(key + " (" + f.filename().string() + ")");
        }
    }
    CHECK(calls > 20);
    CHECK_MESSAGE(missing.empty(), "keys used with tr/format/say but not in the catalogs: " << join(missing));
}

TEST_CASE("every service label key is a catalog key") {
    const I18n i18n;
    for (int s = 0; s <= static_cast<int>(Service::DayCareOut); ++s) {
        const std::string key = service_label_key(static_cast<Service>(s));
        CAPTURE(key);
        CHECK(i18n.catalog(Language::Chinese).count(key) == 1);
        CHECK(i18n.catalog(Language::English).count(key) == 1);
    }
}

TEST_CASE("placeholders agree across languages") {
    const auto zh = parsed(Language::Chinese);
    const auto en = parsed(Language::English);
    // Deliberate differences, each with its reason. Anything else must match
    // exactly, and each entry here must still be a real difference.
    struct Allowed {
        const char* key;
        std::set<std::string> zh, en;
    };
    const std::vector<Allowed> allowed{
        // English has no counterpart of 奶奶/爷爷: the form is passed but not shown.
        {"greeting.hello_form", {"name", "form"}, {"name"}},
        {"voice.greeting", {"name", "form"}, {"name"}},
        {"voice.already", {"name", "form"}, {"name"}},
        // "2025年3月5日 星期三" vs "Wednesday, 5 March 2025": the code passes all five.
        {"date.format", {"year", "month", "day", "weekday"}, {"weekday", "day", "month_name", "year"}},
    };
    for (const auto& [key, zh_text] : zh) {
        CAPTURE(key);
        const auto it = en.find(key);
        if (it == en.end()) continue;  // reported by the key test
        const auto pz = placeholders(zh_text), pe = placeholders(it->second);
        const auto a = std::find_if(allowed.begin(), allowed.end(), [&](const Allowed& x) { return key == x.key; });
        if (a == allowed.end()) {
            CHECK_MESSAGE(pz == pe, "placeholders differ: zh-CN {" << join(pz) << "} vs en {" << join(pe) << "}");
        } else {
            CHECK(pz == a->zh);
            CHECK(pe == a->en);
        }
        // braces come in pairs and placeholders are identifiers
        for (const auto* text : {&zh_text, &it->second}) {
            CHECK(std::count(text->begin(), text->end(), '{') == std::count(text->begin(), text->end(), '}'));
            for (const auto& p : placeholders(*text)) CHECK(identifier(p));
        }
    }
}

TEST_CASE("parse_catalog rejects broken catalogs") {
    auto ok = parse_catalog("\"a.b\" = \"x\"\n\"c.d\" = \"{n} y\"\n", "t");
    REQUIRE(ok.ok());
    CHECK(ok->size() == 2);
    CHECK(ok->at("c.d") == "{n} y");

    auto not_string = parse_catalog("\"a.b\" = 3\n", "t.toml");
    REQUIRE_FALSE(not_string.ok());
    CHECK(not_string.error().code == "i18n.invalid");
    CHECK(not_string.error().message.find("a.b") != std::string::npos);

    auto syntax = parse_catalog("\"a.b\" = \"x\"\n\"c.d\" = \n", "t.toml");
    REQUIRE_FALSE(syntax.ok());
    CHECK(syntax.error().code == "i18n.invalid");
    CHECK(syntax.error().message.find("t.toml:2") != std::string::npos);
}

TEST_CASE("substitute replaces known placeholders and leaves the rest") {
    CHECK(substitute("{name}，您好", {{"name", "张桂兰"}}) == "张桂兰，您好");
    CHECK(substitute("{a}{b}{a}", {{"a", "1"}, {"b", "2"}}) == "121");
    CHECK(substitute("{a} and {unknown}", {{"a", "x"}}) == "x and {unknown}");
    CHECK(substitute("no placeholders", {{"a", "x"}}) == "no placeholders");
    CHECK(substitute("open { brace", {{"a", "x"}}) == "open { brace");
    CHECK(substitute("{a", {{"a", "x"}}) == "{a");
    CHECK(substitute("", {{"a", "x"}}) == "");
    CHECK(substitute("{a}", {}) == "{a}");
    CHECK(substitute("{a}", {{"a", ""}}) == "");
    // a value is inserted as is, never substituted again
    CHECK(substitute("{a}{b}", {{"a", "{b}"}, {"b", "2"}}) == "{b}2");
}

TEST_CASE("I18n: language, tr, fallback, format") {
    CHECK(language_code(Language::Chinese) == "zh-CN");
    CHECK(language_code(Language::English) == "en");
    CHECK(language_from_code("en") == Language::English);
    CHECK(language_from_code("zh-CN") == Language::Chinese);
    CHECK(language_from_code("fr") == Language::Chinese);

    I18n i18n;
    CHECK(i18n.language() == Language::Chinese);
    CHECK(i18n.catalog(Language::Chinese).size() == i18n.catalog(Language::English).size());
    CHECK(i18n.tr("common.ok") == "好的");
    i18n.set_language(Language::English);
    CHECK(i18n.tr("common.ok") == "OK");

    // Unknown everywhere: the key itself, visibly.
    CHECK(i18n.tr("no.such_key") == "no.such_key");
    i18n.set_language(Language::Chinese);
    CHECK(i18n.tr("no.such_key") == "no.such_key");

    // Missing in English only: the Chinese text. The catalogs are complete, so
    // take a key out of the (non-const) instance's English catalog.
    auto& en = const_cast<Catalog&>(i18n.catalog(Language::English));
    REQUIRE(en.erase("common.back") == 1);
    i18n.set_language(Language::English);
    CHECK(i18n.tr("common.back") == "返回");
    CHECK(i18n.tr("common.next_page") == "Next page");

    // format
    i18n.set_language(Language::Chinese);
    CHECK(i18n.format("greeting.hello_form", {{"name", "张桂兰"}, {"form", "奶奶"}}) == "张桂兰 奶奶，您好");
    CHECK(i18n.format("timeout.body", {{"seconds", "10"}}) == "10 秒后回到首页");
    CHECK(i18n.format("date.format", {{"year", "2025"}, {"month", "3"}, {"day", "5"}, {"month_name", "March"},
                                      {"weekday", i18n.tr("weekday.3")}}) == "2025年3月5日 星期三");
    i18n.set_language(Language::English);
    CHECK(i18n.format("greeting.hello_form", {{"name", "Zhang Guilan"}, {"form", "奶奶"}}) == "Hello, Zhang Guilan");
    CHECK(i18n.format("date.format", {{"year", "2025"}, {"month", "3"}, {"day", "5"}, {"month_name", i18n.tr("month.3")},
                                      {"weekday", i18n.tr("weekday.3")}}) == "Wednesday, 5 March 2025");
    CHECK(i18n.format("notices.page", {{"page", "2"}, {"pages", "7"}}) == "Page 2 of 7");
    CHECK(i18n.format("no.such_key", {{"a", "b"}}) == "no.such_key");
}
