// The accessibility audit on hand-made frame logs.
#include "kiosk/ui/audit.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

using namespace kiosk::ui;

namespace {

// 4 px per mm keeps the arithmetic exact: a rect of 100 px is 25 mm.
constexpr double kPpm = 4.0;
constexpr float mm(double v) { return static_cast<float>(v * kPpm); }

// Fixed colours, not the theme's palette: these tests are about the audit
// (theme_test checks the palette).
struct Colours {
    Rgb text{0x14, 0x14, 0x14};
    Rgb text_muted{0x3A, 0x3A, 0x3A};
    Rgb background{0xFB, 0xF8, 0xF1};
    Rgb surface{0xFF, 0xFF, 0xFF};
    Rgb primary{0x0A, 0x3D, 0x8F};
    Rgb on_primary{0xFF, 0xFF, 0xFF};
    Rgb topbar{0x0A, 0x3D, 0x8F};
    Rgb on_topbar{0xFF, 0xFF, 0xFF};
};
const Colours kColours;
const Rgb kWhite{0xFF, 0xFF, 0xFF};

WidgetRecord widget(std::string label, WidgetKind kind, double x, double y, double w, double h) {
    return {std::move(label), kind, Rect{mm(x), mm(y), mm(w), mm(h)}};
}

// Each text gets a box of its own, clear of the widgets (the clean frame's
// end at y = 128 mm, the tests' own start at x = 300 mm) and of the other
// texts, so that only what a test sets up on purpose collides.
TextRecord text(std::string s, TextRole role, double em_mm, Rgb fg = kColours.text, Rgb bg = kColours.background) {
    static int n = 0;
    const int slot = n++ % 8;
    const Rect r{mm(10 + 110 * (slot % 2)), mm(135 + 30 * (slot / 2)), mm(100), mm(25)};
    return {std::move(s), role, static_cast<int>(em_mm * kPpm), fg, bg, r};
}

// A frame that meets every floor.
FrameLog clean_frame() {
    FrameLog log;
    log.screen = "idle";
    log.spoken = "请刷社区卡";
    log.widgets = {
        widget("签到", WidgetKind::Primary, 10, 40, 60, 28),
        widget("通知", WidgetKind::Primary, 76, 40, 60, 28),  // 6 mm to the right
        widget("大字", WidgetKind::Toggle, 200, 3, 34, 20),
        widget("English", WidgetKind::Toggle, 160, 3, 37, 20),  // 3 mm to the left of 大字
        widget("返回", WidgetKind::Secondary, 10, 71, 60, 25),  // 3 mm below 签到
        widget("停水通知", WidgetKind::ListItem, 10, 110, 200, 18),
    };
    log.texts = {
        text("2025年3月5日 星期三", TextRole::Body, 8.5),
        text("签到", TextRole::Label, 12.5, kColours.on_primary, kColours.primary),
        text("请刷社区卡，或放身份证", TextRole::Title, 14),
        text("张桂兰 奶奶，您好", TextRole::Hero, 21),
        text("社区卡贴近读卡器", TextRole::Body, 8, kColours.text_muted, kColours.surface),  // exactly the floor
        text("12:30", TextRole::Label, 12, kColours.on_topbar, kColours.topbar),
    };
    return log;
}

std::vector<std::string> violations(const FrameLog& log, bool large = false) {
    const Theme theme(kPpm, large);
    return check_audit(audit_record(log, theme, {1920, 1080, Language::Chinese}));
}

bool mentions(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

std::string all(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& s : v) out += s + "\n";
    return out;
}

}  // namespace

TEST_CASE("a frame that meets every floor has no violations") {
    const auto v = violations(clean_frame());
    CHECK_MESSAGE(v.empty(), all(v));
    const auto v_large = violations(clean_frame(), true);
    CHECK_MESSAGE(v_large.empty(), all(v_large));
    FrameLog empty;
    empty.screen = "blank";
    CHECK(violations(empty).empty());
}

TEST_CASE("a 10 mm button is reported by label") {
    auto log = clean_frame();
    log.widgets.push_back(widget("帮助", WidgetKind::Secondary, 300, 200, 10, 10));
    const auto v = violations(log);
    REQUIRE_MESSAGE(v.size() == 1, all(v));
    CHECK(mentions(v[0], "'帮助'"));
    CHECK(mentions(v[0], "10.0 x 10.0 mm"));
    CHECK(mentions(v[0], "15.0 x 15.0 mm"));
    CHECK(mentions(v[0], "idle [zh-CN]"));
}

TEST_CASE("a tappable too narrow (but tall enough) is reported") {
    auto log = clean_frame();
    log.widgets.push_back(widget("X", WidgetKind::Toggle, 300, 200, 14.9, 30));
    const auto v = violations(log);
    REQUIRE_MESSAGE(v.size() == 1, all(v));
    CHECK(mentions(v[0], "'X' is 14.9 x 30.0 mm"));
}

TEST_CASE("a primary button 20 mm tall is reported but a secondary one is not") {
    auto log = clean_frame();
    log.widgets.push_back(widget("确认", WidgetKind::Primary, 300, 200, 60, 20));
    auto v = violations(log);
    REQUIRE_MESSAGE(v.size() == 1, all(v));
    CHECK(mentions(v[0], "primary button '确认' is 20.0 mm tall"));
    CHECK(mentions(v[0], "25.0 mm"));

    log.widgets.back().kind = WidgetKind::Secondary;
    v = violations(log);
    CHECK_MESSAGE(v.empty(), all(v));
}

TEST_CASE("two buttons 2 mm apart are reported by both labels") {
    auto log = clean_frame();
    log.widgets.push_back(widget("上一页", WidgetKind::Secondary, 300, 200, 40, 25));
    log.widgets.push_back(widget("下一页", WidgetKind::Secondary, 342, 200, 40, 25));
    const auto v = violations(log);
    REQUIRE_MESSAGE(v.size() == 1, all(v));
    CHECK(mentions(v[0], "'上一页' and '下一页' are 2.0 mm apart"));
    CHECK(mentions(v[0], "3.0 mm"));
}

TEST_CASE("vertical gaps count too, and 3 mm is enough") {
    auto log = clean_frame();
    log.widgets.push_back(widget("甲", WidgetKind::Secondary, 300, 200, 40, 25));
    log.widgets.push_back(widget("乙", WidgetKind::Secondary, 300, 228, 40, 25));  // 3 mm below
    CHECK(violations(log).empty());
    log.widgets.back().rect.y = mm(227.1);  // 2.1 mm below
    const auto v = violations(log);
    REQUIRE_MESSAGE(v.size() == 1, all(v));
    CHECK(mentions(v[0], "'甲' and '乙' are 2.1 mm apart"));
    // diagonal neighbours: the larger of the two distances is the gap
    log.widgets.back().rect = Rect{mm(341), mm(226), mm(40), mm(25)};  // 1 mm right, 1 mm below
    const auto d = violations(log);
    REQUIRE_MESSAGE(d.size() == 1, all(d));
    CHECK(mentions(d[0], "1.0 mm apart"));
}

TEST_CASE("overlapping buttons are reported") {
    auto log = clean_frame();
    log.widgets.push_back(widget("是", WidgetKind::Secondary, 300, 200, 40, 25));
    log.widgets.push_back(widget("否", WidgetKind::Secondary, 320, 210, 40, 25));
    const auto v = violations(log);
    REQUIRE_MESSAGE(v.size() == 1, all(v));
    CHECK(mentions(v[0], "'是' and '否' are 0.0 mm apart"));
}

TEST_CASE("body text at 7 mm is reported with its text") {
    auto log = clean_frame();
    log.texts.push_back(text("请到服务台登记", TextRole::Body, 7));
    const auto v = violations(log);
    REQUIRE_MESSAGE(v.size() == 1, all(v));
    CHECK(mentions(v[0], "body text '请到服务台登记' is 7.0 mm"));
    CHECK(mentions(v[0], "the floor is 8.0 mm"));
}

TEST_CASE("label and title text under 12 mm are reported") {
    auto log = clean_frame();
    log.texts.push_back(text("返回", TextRole::Label, 11.5));
    log.texts.push_back(text("通知公告", TextRole::Title, 10));
    const auto v = violations(log);
    REQUIRE_MESSAGE(v.size() == 2, all(v));
    CHECK(mentions(v[0], "label text '返回' is 11.5 mm; the floor is 12.0 mm"));
    CHECK(mentions(v[1], "title text '通知公告' is 10.0 mm; the floor is 12.0 mm"));
}

TEST_CASE("a hero text at 15 mm is reported with its text") {
    auto log = clean_frame();
    log.texts.push_back(text("王赟 爷爷，您好", TextRole::Hero, 15));
    const auto v = violations(log);
    REQUIRE_MESSAGE(v.size() == 1, all(v));
    CHECK(mentions(v[0], "hero text '王赟 爷爷，您好' is 15.0 mm"));
    CHECK(mentions(v[0], "the floor is 20.0 mm"));
}

TEST_CASE("low-contrast text (#888888 on white) is reported with its colours") {
    auto log = clean_frame();
    log.texts.push_back(text("现在没有通知", TextRole::Label, 13, Rgb{0x88, 0x88, 0x88}, kWhite));
    const auto v = violations(log);
    REQUIRE_MESSAGE(v.size() == 1, all(v));
    CHECK(mentions(v[0], "text '现在没有通知' has contrast 3.5:1"));
    CHECK(mentions(v[0], "#888888 on #FFFFFF"));
    CHECK(mentions(v[0], "7.0:1"));
}

TEST_CASE("the screen name in messages carries large text and language") {
    auto log = clean_frame();
    log.widgets.push_back(widget("帮助", WidgetKind::Secondary, 300, 200, 10, 10));
    const Theme theme(kPpm, true);
    const auto v = check_audit(audit_record(log, theme, {1920, 1080, Language::English}));
    REQUIRE(v.size() == 1);
    CHECK(mentions(v[0], "idle (large text) [en]: "));
}

TEST_CASE("custom floors are applied") {
    Floors strict;
    strict.target_mm = 30;
    const Theme theme(kPpm, false);
    const auto v = check_audit(audit_record(clean_frame(), theme, {}), strict);
    CHECK(v.size() == 6);  // every widget of the clean frame is under 30 mm one way
}

TEST_CASE("the JSON record: fields in mm for a known pixel density") {
    FrameLog log;
    log.screen = "greeting";
    log.spoken = "张桂兰奶奶，您好，签到成功。";
    // 1920x1080 on a 476 mm wide panel: 4.03 px/mm
    const Theme theme(4.03, false);
    log.widgets.push_back({"完成", WidgetKind::Primary, Rect{40.3f, 80.6f, 403.0f, 112.84f}});
    log.widgets.push_back({"English", WidgetKind::Toggle, Rect{0, 0, 137.0f, 80.6f}});
    log.widgets.push_back({"notice", WidgetKind::ListItem, Rect{1, 2, 3, 4}});
    log.widgets.push_back({"返回", WidgetKind::Secondary, Rect{1, 2, 3, 4}});
    log.texts.push_back({"张桂兰 奶奶，您好", TextRole::Hero, 85, kColours.text, kColours.background, Rect{}});
    log.texts.push_back({"签到", TextRole::Label, 51, kColours.on_primary, kColours.primary, Rect{}});

    const auto j = audit_record(log, theme, {1920, 1080, Language::Chinese});
    CHECK(j.at("screen") == "greeting");
    CHECK(j.at("language") == "zh-CN");
    CHECK(j.at("large_text") == false);
    CHECK(j.at("display").at("width_px") == 1920);
    CHECK(j.at("display").at("height_px") == 1080);
    CHECK(j.at("display").at("px_per_mm").get<double>() == doctest::Approx(4.03));
    CHECK(j.at("spoken") == "张桂兰奶奶，您好，签到成功。");

    const auto& w = j.at("widgets");
    REQUIRE(w.size() == 4);
    CHECK(w[0].at("label") == "完成");
    CHECK(w[0].at("kind") == "primary");
    CHECK(w[0].at("x_mm").get<double>() == doctest::Approx(10.0));
    CHECK(w[0].at("y_mm").get<double>() == doctest::Approx(20.0));
    CHECK(w[0].at("w_mm").get<double>() == doctest::Approx(100.0));
    CHECK(w[0].at("h_mm").get<double>() == doctest::Approx(28.0));
    CHECK(w[1].at("kind") == "toggle");
    CHECK(w[1].at("w_mm").get<double>() == doctest::Approx(34.0));  // 137 / 4.03 = 33.996 -> 34.0
    CHECK(w[1].at("h_mm").get<double>() == doctest::Approx(20.0));
    CHECK(w[2].at("kind") == "list_item");
    CHECK(w[3].at("kind") == "secondary");

    const auto& t = j.at("texts");
    REQUIRE(t.size() == 2);
    CHECK(t[0].at("text") == "张桂兰 奶奶，您好");
    CHECK(t[0].at("role") == "hero");
    CHECK(t[0].at("em_mm").get<double>() == doctest::Approx(21.1));  // 85 / 4.03 = 21.09
    CHECK(t[0].at("fg") == "#141414");
    CHECK(t[0].at("bg") == "#FBF8F1");
    CHECK(t[0].at("contrast").get<double>() ==
          doctest::Approx(std::round(contrast_ratio(kColours.text, kColours.background) * 10) / 10));
    CHECK(t[1].at("role") == "label");
    CHECK(t[1].at("em_mm").get<double>() == doctest::Approx(12.7));  // 51 / 4.03 = 12.66
    CHECK(t[1].at("fg") == "#FFFFFF");
    CHECK(t[1].at("bg") == "#0A3D8F");

    // keys in a stable order, so audit files diff cleanly
    std::vector<std::string> keys;
    for (const auto& [k, v] : j.items()) keys.push_back(k);
    CHECK(keys == std::vector<std::string>{"screen", "language", "large_text", "display", "widgets", "texts", "spoken"});

    // and the record round-trips through text, as the audit files do
    const auto again = nlohmann::ordered_json::parse(j.dump());
    CHECK(check_audit(again) == check_audit(j));
}

TEST_CASE("layout collisions: text off the screen, into a button, or over other text") {
    SUBCASE("a label inside its button is fine") {
        FrameLog log = clean_frame();
        log.texts.push_back(text("签到", TextRole::Label, 12.5, kColours.on_primary, kColours.primary));
        log.texts.back().rect = Rect{mm(20), mm(45), mm(30), mm(18)};  // inside 签到 (10,40 60x28)
        CHECK(violations(log).empty());
    }
    SUBCASE("a paragraph running into a button") {
        FrameLog log = clean_frame();
        log.texts.push_back(text("请到服务台登记，工作人员会帮您办理。", TextRole::Label, 12.5));
        log.texts.back().rect = Rect{mm(10), mm(60), mm(150), mm(18)};  // crosses 签到 and 返回
        const auto v = violations(log);
        REQUIRE_FALSE(v.empty());
        CHECK(mentions(all(v), "runs into '签到'"));
    }
    SUBCASE("text cut by the bottom of the screen") {
        FrameLog log = clean_frame();
        log.texts.push_back(text("第三行", TextRole::Body, 8.5));
        log.texts.back().rect = Rect{mm(300), mm(260), mm(40), mm(15)};  // the screen is 270 mm tall
        CHECK(mentions(all(violations(log)), "'第三行' runs off the screen"));
    }
    SUBCASE("two texts over each other") {
        FrameLog log = clean_frame();
        log.texts.push_back(text("甲", TextRole::Body, 8.5));
        log.texts.back().rect = log.texts[0].rect;
        log.texts.back().rect.x += mm(10);
        CHECK(mentions(all(violations(log)), "drawn over each other"));
    }
}
