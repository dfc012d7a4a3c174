#include "kiosk/ui/audit.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace kiosk::ui {

namespace {

const char* kind_name(WidgetKind k) {
    switch (k) {
        case WidgetKind::Primary: return "primary";
        case WidgetKind::Secondary: return "secondary";
        case WidgetKind::Toggle: return "toggle";
        case WidgetKind::ListItem: return "list_item";
        case WidgetKind::Hidden: return "hidden";
    }
    return "secondary";
}

std::string hex(Rgb c) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "#%02X%02X%02X", c.r, c.g, c.b);
    return buf;
}

double round1(double v) { return std::round(v * 10) / 10; }
double round2(double v) { return std::round(v * 100) / 100; }

std::string fmt(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", v);
    return buf;
}

struct Box {
    double x, y, w, h;
    [[nodiscard]] double right() const { return x + w; }
    [[nodiscard]] double bottom() const { return y + h; }
};

Box box(const nlohmann::ordered_json& j) {
    return {j.at("x_mm").get<double>(), j.at("y_mm").get<double>(), j.at("w_mm").get<double>(), j.at("h_mm").get<double>()};
}

// Overlap in mm along each axis (0 when apart or just touching).
double overlap(double a0, double a1, double b0, double b1) { return std::max(0.0, std::min(a1, b1) - std::max(a0, b0)); }

// Rounding to 0.1 mm makes touching boxes look like they overlap by a hair.
constexpr double kSlack = 0.3;

bool collide(const Box& a, const Box& b) {
    return overlap(a.x, a.right(), b.x, b.right()) > kSlack && overlap(a.y, a.bottom(), b.y, b.bottom()) > kSlack;
}

bool inside(const Box& in, const Box& out) {
    return in.x >= out.x - kSlack && in.y >= out.y - kSlack && in.right() <= out.right() + kSlack &&
           in.bottom() <= out.bottom() + kSlack;
}

double floor_for(const std::string& role, const Floors& f) {
    if (role == "hero" || role == "giant") return f.hero_em_mm;
    if (role == "label" || role == "title") return f.label_em_mm;
    return f.body_em_mm;
}

}  // namespace

nlohmann::ordered_json audit_record(const FrameLog& log, const Theme& theme, const AuditContext& ctx) {
    nlohmann::ordered_json j;
    j["screen"] = log.screen;
    j["language"] = std::string(language_code(ctx.language));
    j["large_text"] = theme.large_text();
    j["display"] = {{"width_px", ctx.width_px},
                    {"height_px", ctx.height_px},
                    {"px_per_mm", round2(theme.px_per_mm())},
                    {"width_mm", round1(theme.mm(static_cast<float>(ctx.width_px)))},
                    {"height_mm", round1(theme.mm(static_cast<float>(ctx.height_px)))}};
    auto mm = [&](float px) { return round1(theme.mm(px)); };
    nlohmann::ordered_json widgets = nlohmann::ordered_json::array();
    for (const auto& w : log.widgets)
        widgets.push_back({{"label", w.label},
                           {"kind", kind_name(w.kind)},
                           {"x_mm", mm(w.rect.x)},
                           {"y_mm", mm(w.rect.y)},
                           {"w_mm", mm(w.rect.w)},
                           {"h_mm", mm(w.rect.h)}});
    j["widgets"] = widgets;
    nlohmann::ordered_json texts = nlohmann::ordered_json::array();
    for (const auto& t : log.texts)
        texts.push_back({{"text", t.text},
                         {"role", text_role_name(t.role)},
                         {"em_mm", round1(t.em_px / theme.px_per_mm())},
                         {"fg", hex(t.fg)},
                         {"bg", hex(t.bg)},
                         {"contrast", round1(contrast_ratio(t.fg, t.bg))},
                         {"x_mm", mm(t.rect.x)},
                         {"y_mm", mm(t.rect.y)},
                         {"w_mm", mm(t.rect.w)},
                         {"h_mm", mm(t.rect.h)}});
    j["texts"] = texts;
    j["spoken"] = log.spoken;
    return j;
}

std::vector<std::string> check_audit(const nlohmann::ordered_json& r, const Floors& f) {
    std::vector<std::string> out;
    const std::string screen = r.value("screen", "?") + (r.value("large_text", false) ? " (large text)" : "") + " [" +
                               r.value("language", "?") + "]";
    const auto& widgets = r.at("widgets");
    for (const auto& w : widgets) {
        const std::string label = w.at("label").get<std::string>();
        const double wm = w.at("w_mm").get<double>(), hm = w.at("h_mm").get<double>();
        if (wm < f.target_mm || hm < f.target_mm)
            out.push_back(screen + ": '" + label + "' is " + fmt(wm) + " x " + fmt(hm) + " mm; every tappable must be at least " +
                          fmt(f.target_mm) + " x " + fmt(f.target_mm) + " mm");
        if (w.at("kind") == "primary" && hm < f.primary_height_mm)
            out.push_back(screen + ": primary button '" + label + "' is " + fmt(hm) + " mm tall; primary actions need " +
                          fmt(f.primary_height_mm) + " mm");
    }
    for (std::size_t i = 0; i < widgets.size(); ++i) {
        for (std::size_t k = i + 1; k < widgets.size(); ++k) {
            const auto& a = widgets[i];
            const auto& b = widgets[k];
            const double ax = a.at("x_mm"), ay = a.at("y_mm"), aw = a.at("w_mm"), ah = a.at("h_mm");
            const double bx = b.at("x_mm"), by = b.at("y_mm"), bw = b.at("w_mm"), bh = b.at("h_mm");
            const double dx = std::max({0.0, bx - (ax + aw), ax - (bx + bw)});
            const double dy = std::max({0.0, by - (ay + ah), ay - (by + bh)});
            const double gap = std::max(dx, dy);
            // 0.05 mm of slack for rounding to one decimal
            if (gap + 0.05 < f.gap_mm)
                out.push_back(screen + ": '" + a.at("label").get<std::string>() + "' and '" +
                              b.at("label").get<std::string>() + "' are " + fmt(gap) + " mm apart; targets need " +
                              fmt(f.gap_mm) + " mm between them");
        }
    }
    // Layout collisions: text cut by the screen edge, text running into a
    // button it does not belong to, two texts drawn over each other.
    const auto& texts = r.at("texts");
    const auto& display = r.at("display");
    const Box screen_box{0, 0, display.value("width_mm", 0.0), display.value("height_mm", 0.0)};
    const bool screen_known = screen_box.w > 0 && screen_box.h > 0;
    for (std::size_t i = 0; i < texts.size(); ++i) {
        const auto& t = texts[i];
        if (!t.contains("x_mm")) continue;
        const Box tb = box(t);
        const std::string text = t.at("text").get<std::string>();
        if (screen_known && !inside(tb, screen_box)) out.push_back(screen + ": text '" + text + "' runs off the screen");
        for (const auto& w : widgets) {
            const Box wb = box(w);
            if (collide(tb, wb) && !inside(tb, wb))
                out.push_back(screen + ": text '" + text + "' runs into '" + w.at("label").get<std::string>() + "'");
        }
        for (std::size_t k = i + 1; k < texts.size(); ++k) {
            if (!texts[k].contains("x_mm")) continue;
            if (collide(tb, box(texts[k])))
                out.push_back(screen + ": texts '" + text + "' and '" + texts[k].at("text").get<std::string>() +
                              "' are drawn over each other");
        }
    }
    for (const auto& t : texts) {
        const std::string text = t.at("text").get<std::string>();
        const std::string role = t.at("role").get<std::string>();
        const double em = t.at("em_mm").get<double>();
        if (em + 0.05 < floor_for(role, f))
            out.push_back(screen + ": " + role + " text '" + text + "' is " + fmt(em) + " mm; the floor is " +
                          fmt(floor_for(role, f)) + " mm");
        const double contrast = t.at("contrast").get<double>();
        if (contrast < f.contrast)
            out.push_back(screen + ": text '" + text + "' has contrast " + fmt(contrast) + ":1 (" +
                          t.at("fg").get<std::string>() + " on " + t.at("bg").get<std::string>() + "); the floor is " +
                          fmt(f.contrast) + ":1");
    }
    return out;
}

}  // namespace kiosk::ui
