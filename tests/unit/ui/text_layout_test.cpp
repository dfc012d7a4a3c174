// Line breaking for mixed Chinese and Latin text, with a fake measure:
// 2 units per wide character, 1 per other character.
#include "kiosk/ui/text_layout.hpp"

#include <doctest/doctest.h>

#include <string>
#include <string_view>
#include <vector>

#include "kiosk/ui/utf8.hpp"

using namespace kiosk::ui;

namespace {

std::u32string decode(std::string_view s) {
    std::u32string out;
    for (std::size_t i = 0; i < s.size();) out += next_codepoint(s, i);
    return out;
}

float fake_width(std::string_view s) {
    float w = 0;
    for (char32_t c : decode(s)) w += is_wide(c) ? 2.0f : 1.0f;
    return w;
}

const MeasureFn kMeasure = [](std::string_view s) { return fake_width(s); };

std::vector<std::string> lines_of(std::string_view text, float width) {
    std::vector<std::string> out;
    for (auto l : break_lines(text, width, kMeasure)) out.emplace_back(l);
    return out;
}

std::string show(const std::vector<std::string>& lines) {
    std::string out = "[";
    for (const auto& l : lines) out += (out.size() > 1 ? " | " : "") + ("\"" + l + "\"");
    return out + "]";
}

const std::u32string kNoStart = U"，。、；：？！）》」』】〕〉…—·％,.;:!?)]}%”’";
const std::u32string kNoEnd = U"（《「『【〔〈“‘([{";
bool is_space(char32_t c) { return c == U' ' || c == U'\t' || c == U'\u3000'; }

// Every rule the header promises, checked on one input at one width. `text`
// must not itself put closing punctuation right after a '\n' or a space.
void check_rules(std::string_view text, float width) {
    CAPTURE(text);
    CAPTURE(width);
    const auto lines = break_lines(text, width, kMeasure);
    std::vector<std::string> copy;
    for (auto l : lines) copy.emplace_back(l);
    INFO("lines: " << show(copy));

    std::u32string joined;
    std::size_t pos = 0;  // how far into `text` the lines have reached
    for (auto line : lines) {
        if (line.empty()) continue;
        const auto cps = decode(line);
        // views into the text, in order, without overlap
        REQUIRE(line.data() >= text.data());
        REQUIRE(line.data() + line.size() <= text.data() + text.size());
        const auto at = static_cast<std::size_t>(line.data() - text.data());
        REQUIRE(at >= pos);
        // what was skipped between lines is only spaces and line breaks
        for (char32_t c : decode(text.substr(pos, at - pos))) CHECK((is_space(c) || c == U'\n'));
        pos = at + line.size();

        CHECK(line.find('\n') == std::string_view::npos);
        CHECK_FALSE(is_space(cps.front()));
        CHECK_FALSE(is_space(cps.back()));
        CHECK_MESSAGE(kNoStart.find(cps.front()) == std::u32string::npos, "a line starts with closing punctuation: \"" << line << "\"");
        CHECK_MESSAGE(kNoEnd.find(cps.back()) == std::u32string::npos, "a line ends with opening punctuation: \"" << line << "\"");
        if (cps.size() > 1) CHECK_MESSAGE(fake_width(line) <= width, "too wide: \"" << line << "\"");
        joined += cps;
    }
    for (char32_t c : decode(text.substr(pos))) CHECK((is_space(c) || c == U'\n'));

    // every non-space character exactly once, in order
    std::u32string expected;
    for (char32_t c : decode(text))
        if (!is_space(c) && c != U'\n') expected += c;
    std::u32string got;
    for (char32_t c : joined)
        if (!is_space(c)) got += c;
    CHECK(got == expected);
}

}  // namespace

TEST_CASE("is_wide") {
    CHECK(is_wide(U'中'));
    CHECK(is_wide(U'，'));
    CHECK(is_wide(U'。'));
    CHECK(is_wide(U'（'));
    CHECK(is_wide(U'䶮'));       // U+4DAE, Extension A
    CHECK(is_wide(U'\U0002B5AF'));  // beyond the BMP
    CHECK(is_wide(U'\uE000'));   // private-use stand-in
    CHECK_FALSE(is_wide(U'a'));
    CHECK_FALSE(is_wide(U'1'));
    CHECK_FALSE(is_wide(U' '));
    CHECK_FALSE(is_wide(U','));
}

TEST_CASE("break_lines: empty and blank input give no lines") {
    CHECK(break_lines("", 10, kMeasure).empty());
    CHECK(break_lines("   ", 10, kMeasure).empty());
}

TEST_CASE("break_lines: text that fits is one line") {
    CHECK(lines_of("签到成功", 100) == std::vector<std::string>{"签到成功"});
    CHECK(lines_of("Check in", 100) == std::vector<std::string>{"Check in"});
    CHECK(lines_of("签到成功", 8) == std::vector<std::string>{"签到成功"});  // exactly as wide as the line
}

TEST_CASE("break_lines: Chinese breaks between any two characters") {
    CHECK(lines_of("今天的午餐是红烧肉和青菜", 10) == std::vector<std::string>{"今天的午餐", "是红烧肉和", "青菜"});
    CHECK(lines_of("今天的午餐是红烧肉和青菜", 11) == std::vector<std::string>{"今天的午餐", "是红烧肉和", "青菜"});
    CHECK(lines_of("今天的午餐是红烧肉和青菜", 6) ==
          std::vector<std::string>{"今天的", "午餐是", "红烧肉", "和青菜"});
}

TEST_CASE("break_lines: closing punctuation never starts a line") {
    // "四，" stays together: the comma would otherwise open line two
    CHECK(lines_of("一二三四，五六", 8) == std::vector<std::string>{"一二三", "四，五六"});
    CHECK(lines_of("一二三四。", 8) == std::vector<std::string>{"一二三", "四。"});
    CHECK(lines_of("一二三四、五", 8) == std::vector<std::string>{"一二三", "四、五"});
    CHECK(lines_of("一二（三四）", 8) == std::vector<std::string>{"一二（三", "四）"});
    CHECK(lines_of("一二三《四》", 8) == std::vector<std::string>{"一二三", "《四》"});
    CHECK(lines_of("他说：“好。”", 10) == std::vector<std::string>{"他说：", "“好。”"});
    CHECK(lines_of("一二三四；五", 8) == std::vector<std::string>{"一二三", "四；五"});
    CHECK(lines_of("一二三四”", 8) == std::vector<std::string>{"一二三", "四”"});
}

TEST_CASE("break_lines: opening punctuation never ends a line") {
    CHECK(lines_of("一二三（四五）", 8) == std::vector<std::string>{"一二三", "（四五）"});
    CHECK(lines_of("一二三《四五》", 8) == std::vector<std::string>{"一二三", "《四五》"});
    CHECK(lines_of("一二三“四五”", 7) == std::vector<std::string>{"一二三", "“四五”"});
    CHECK(lines_of("一二三(abc)", 8) == std::vector<std::string>{"一二三", "(abc)"});
}

// Regression: an opening mark was glued only to the one code point after it,
// so a pair of opening marks could end a line.
TEST_CASE("break_lines: stacked opening marks never end a line") {
    // units come out as 一 二 三 四 （《 五》）, and "一二三四（《" is exactly 12 wide
    const auto a = lines_of("一二三四（《五》）", 12);
    CHECK_MESSAGE((a == std::vector<std::string>{"一二三四", "（《五》）"}), "actual: " << show(a));
    // “ is not wide, so 《“ forms a unit without the 四 after it
    const auto b = lines_of("一二三《“四”》", 9);
    CHECK_MESSAGE((b == std::vector<std::string>{"一二三", "《“四”》"}), "actual: " << show(b));
    // a citation as notices write them, at every width
    for (int w = 8; w <= 48; ++w) check_rules("依据（《老年人权益保障法》）第十条，社区提供助餐服务。", static_cast<float>(w));
}

// Regression: after an opening mark the next code point was taken even when
// it was a '\n', losing the forced break.
TEST_CASE("break_lines: a line break right after an opening mark still breaks") {
    const auto a = lines_of("见（\n附件）", 100);
    CHECK_MESSAGE((a == std::vector<std::string>{"见（", "附件）"}), "actual: " << show(a));
    const auto b = lines_of("see (\nabc)", 100);
    CHECK_MESSAGE((b == std::vector<std::string>{"see (", "abc)"}), "actual: " << show(b));
}

// Regression: an over-long word was cut wherever the width ran out, so
// "请拨打 12345678901234567890。" at width 10 left "。" alone on the last line.
TEST_CASE("break_lines: splitting an over-long word leaves no closing punctuation at a line start") {
    check_rules("请拨打 12345678901234567890。", 10);
    check_rules("Supercalifragilistic.", 10);
}

TEST_CASE("break_lines: Latin words stay whole") {
    CHECK(lines_of("Please register at the service desk", 12) ==
          std::vector<std::string>{"Please", "register at", "the service", "desk"});
    CHECK(lines_of("Hello, world.", 8) == std::vector<std::string>{"Hello,", "world."});
    // digits are a word too: a time or a number is never cut
    CHECK(lines_of("签到时间 08:30，谢谢", 9) == std::vector<std::string>{"签到时间", "08:30，谢", "谢"});
    CHECK(lines_of("第12345号", 7) == std::vector<std::string>{"第12345", "号"});
    // a word next to Chinese without a space may break from it, but stays whole
    CHECK(lines_of("请按OK键", 5) == std::vector<std::string>{"请按", "OK键"});
}

TEST_CASE("break_lines: a word longer than the line is split between characters") {
    CHECK(lines_of("Supercalifragilistic", 8) == std::vector<std::string>{"Supercal", "ifragili", "stic"});
    CHECK(lines_of("ab Supercalifragilistic cd", 8) ==
          std::vector<std::string>{"ab", "Supercal", "ifragili", "stic cd"});
    // a single character wider than the line gets a line of its own
    CHECK(lines_of("一二", 1) == std::vector<std::string>{"一", "二"});
}

TEST_CASE("break_lines: '\\n' forces a break") {
    CHECK(lines_of("第一行\n第二行", 100) == std::vector<std::string>{"第一行", "第二行"});
    CHECK(lines_of("a\n\nb", 100) == std::vector<std::string>{"a", "", "b"});
    CHECK(lines_of("ab \ncd", 100) == std::vector<std::string>{"ab", "cd"});
    CHECK(lines_of("一二三四五六\n七", 6) == std::vector<std::string>{"一二三", "四五六", "七"});
}

TEST_CASE("break_lines: no leading or trailing spaces on wrapped lines") {
    CHECK(lines_of("一二三四五 六七八", 10) == std::vector<std::string>{"一二三四五", "六七八"});
    CHECK(lines_of("aaaa    bbbb", 6) == std::vector<std::string>{"aaaa", "bbbb"});
    CHECK(lines_of("  ab", 10) == std::vector<std::string>{"ab"});
    CHECK(lines_of("ab   ", 10) == std::vector<std::string>{"ab"});
    CHECK(lines_of("一二\u3000三四", 4) == std::vector<std::string>{"一二", "三四"});
    // spaces inside a line stay
    CHECK(lines_of("发布：街道办  2025-03-05", 100) == std::vector<std::string>{"发布：街道办  2025-03-05"});
}

TEST_CASE("break_lines: the rules hold for realistic texts at every width") {
    const char* texts[] = {
        "今天的午餐是红烧肉和青菜，请到二号窗口取餐。",
        "身份证号码校验不通过，没有签到。请重新放一次，或到服务台办理。",
        "张桂兰 奶奶，您好",
        "忘带卡了？请到服务台，工作人员帮您签到。",
        "他说：“明天上午九点（星期三）在活动室开会。”请大家准时参加！",
        "The ID number did not pass the check, so you are not checked in. Place the card again.",
        "请于3月5日（周三）上午9:30到社区活动室，参加“防诈骗”讲座。",
        "老年人权益保障法》第十条：国家鼓励、引导社会组织参与养老服务。",
        "Hello, 王赟 (刘堃). 《通知》：明天停水。\n第二段：请提前储水，谢谢！",
    };
    for (const char* t : texts)
        for (int w = 8; w <= 48; ++w) check_rules(t, static_cast<float>(w));
}

TEST_CASE("break_lines: measures from the line start (kerning-aware measure)") {
    // A measure that is not additive: each pair "AV" is kerned by -0.5. Lines
    // must still fit when measured as a whole.
    const MeasureFn kerned = [](std::string_view s) {
        float w = fake_width(s);
        for (std::size_t i = 0; i + 1 < s.size(); ++i)
            if (s[i] == 'A' && s[i + 1] == 'V') w -= 0.5f;
        return w;
    };
    const std::string text = "AV AV AV AV AV AV AV";
    for (int w = 3; w <= 20; ++w) {
        CAPTURE(w);
        for (auto line : break_lines(text, static_cast<float>(w), kerned)) CHECK(kerned(line) <= static_cast<float>(w));
    }
}
