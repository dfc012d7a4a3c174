#include "kiosk/ui/widgets.hpp"

#include <imgui.h>

#include <cfloat>
#include <cmath>

#include "kiosk/ui/text_layout.hpp"
#include "shapes.hpp"

namespace kiosk::ui {

namespace {
constexpr ImGuiWindowFlags kLayerFlags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                         ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoSavedSettings |
                                         ImGuiWindowFlags_NoNav | ImGuiWindowFlags_NoScrollWithMouse |
                                         ImGuiWindowFlags_NoBackground;

ImVec2 v2(float x, float y) { return ImVec2(std::round(x), std::round(y)); }
}  // namespace

void Ui::begin_root(float width, float height) {
    width_ = width;
    height_ = height;
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(ImVec2(width, height));
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
    ImGui::PushStyleVar(ImGuiStyleVar_WindowBorderSize, 0);
    ImGui::PushStyleVar(ImGuiStyleVar_WindowRounding, 0);
    ImGui::Begin("##root", nullptr, kLayerFlags | ImGuiWindowFlags_NoBringToFrontOnFocus);
    dl_ = ImGui::GetWindowDrawList();
    // No background quad: the renderer clears to the background colour, and a
    // full-screen triangle pair costs milliseconds in the software renderer.
}

void Ui::end_root() {
    ImGui::End();
    ImGui::PopStyleVar(3);
    dl_ = nullptr;
}

void Ui::begin_overlay() {
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(ImVec2(width_, height_));
    ImGui::SetNextWindowFocus();
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
    ImGui::PushStyleVar(ImGuiStyleVar_WindowBorderSize, 0);
    ImGui::Begin("##overlay", nullptr, kLayerFlags);
    dl_ = ImGui::GetWindowDrawList();
}

void Ui::end_overlay() {
    ImGui::End();
    ImGui::PopStyleVar(2);
    dl_ = nullptr;
}

void Ui::fill(Rect r, Rgb c, float rounding) {
    shapes::fill_rounded(dl_, v2(r.x, r.y), v2(r.right(), r.bottom()), c.imgui(), rounding);
}

void Ui::framed(Rect r, Rgb fill, Rgb border, float thickness, float rounding) {
    shapes::fill_rounded(dl_, v2(r.x, r.y), v2(r.right(), r.bottom()), fill.imgui(), rounding, false);
    outline(r, border, thickness, rounding);
}

void Ui::image(void* texture, Rect r) {
    dl_->AddImage(texture, v2(r.x, r.y), v2(r.right(), r.bottom()));
}

void Ui::outline(Rect r, Rgb c, float thickness, float rounding) {
    shapes::outline_rounded(dl_, v2(r.x, r.y), v2(r.right(), r.bottom()), c.imgui(), rounding, thickness);
}

void Ui::veil() { dl_->AddRectFilled(ImVec2(0, 0), ImVec2(width_, height_), IM_COL32(0, 0, 0, 150)); }

float Ui::line_height(TextRole role) const {
    const ImFont* f = fonts_.font(role);
    return f != nullptr ? f->FontSize : fonts_.size_px(role);
}

float Ui::measure(TextRole role, std::string_view text) {
    fonts_.require(role, text);
    const ImFont* f = fonts_.font(role);
    if (f == nullptr) return 0;
    const auto d = fonts_.display(text);
    return f->CalcTextSizeA(f->FontSize, FLT_MAX, 0, d.data(), d.data() + d.size()).x;
}

Rect Ui::text(TextRole role, std::string_view text, float x, float y, Rgb fg, Rgb bg) {
    fonts_.require(role, text);
    ImFont* f = fonts_.font(role);
    Rect r{x, y, measure(role, text), line_height(role)};
    if (f != nullptr) {
        const auto d = fonts_.display(text);
        // Ideographs sit slightly low in the ascent-descent box; lift them to the optical centre.
        const float lift = 0.04f * fonts_.em_px(role);
        // Each role has its own atlas texture.
        dl_->PushTextureID(f->ContainerAtlas->TexID);
        dl_->AddText(f, f->FontSize, v2(x, y - lift), fg.imgui(), d.data(), d.data() + d.size());
        dl_->PopTextureID();
    }
    log_.texts.push_back({std::string(text), role, static_cast<int>(fonts_.em_px(role)), fg, bg, r});
    return r;
}

Rect Ui::text_in(TextRole role, std::string_view s, Rect box, Align align, Rgb fg, Rgb bg) {
    const float w = measure(role, s);
    const float h = line_height(role);
    float x = box.x;
    if (align == Align::Center) x = box.x + (box.w - w) / 2;
    if (align == Align::Right) x = box.right() - w;
    return text(role, s, x, box.y + (box.h - h) / 2, fg, bg);
}

float Ui::paragraph(TextRole role, std::string_view s, float x, float y, float width, Rgb fg, Rgb bg, Align align,
                    int max_lines) {
    fonts_.require(role, s);
    const auto lines = break_lines(s, width, [&](std::string_view piece) { return measure(role, piece); });
    const float lh = line_height(role);
    float cy = y;
    int n = 0;
    for (const auto& line : lines) {
        if (max_lines > 0 && n == max_lines) break;
        float lx = x;
        if (align != Align::Left) {
            const float w = measure(role, line);
            lx = align == Align::Center ? x + (width - w) / 2 : x + width - w;
        }
        text(role, line, lx, cy, fg, bg);
        cy += lh;
        ++n;
    }
    return cy - y;
}

Rect Ui::text_fit(TextRole role, std::string_view s, Rect box, Align align, Rgb fg, Rgb bg) {
    if (measure(role, s) <= box.w) return text_in(role, s, box, align, fg, bg);
    const auto lines = break_lines(s, box.w - measure(role, "…"), [&](std::string_view p) { return measure(role, p); });
    const std::string shown = lines.empty() ? std::string("…") : std::string(lines.front()) + "…";
    return text_in(role, shown, box, align, fg, bg);
}

float Ui::paragraph_height(TextRole role, std::string_view s, float width) {
    fonts_.require(role, s);
    const auto lines = break_lines(s, width, [&](std::string_view piece) { return measure(role, piece); });
    return static_cast<float>(lines.size()) * line_height(role);
}

bool Ui::button(std::string_view id, std::string_view label, Rect r, ButtonStyle style) {
    ImGui::SetCursorScreenPos(ImVec2(r.x, r.y));
    ImGui::PushID(id.data(), id.data() + id.size());
    const bool clicked = ImGui::InvisibleButton("##button", ImVec2(r.w, r.h));
    const bool pressed = ImGui::IsItemActive();
    ImGui::PopID();

    const auto& c = theme_.colors;
    Rgb bg = c.primary, fg = c.on_primary;
    switch (style.kind) {
        case WidgetKind::Primary:
            bg = pressed ? c.primary_pressed : c.primary;
            fg = c.on_primary;
            break;
        case WidgetKind::Secondary:
        case WidgetKind::ListItem:
        case WidgetKind::Hidden:  // (hold areas draw nothing; a button is never hidden)
        case WidgetKind::Toggle:  // on the top bar: white keycap, blue text
            bg = pressed ? c.secondary_pressed : c.secondary;
            fg = c.on_secondary;
            break;
    }
    if (style.kind == WidgetKind::Primary)
        fill(r, bg, theme_.radius());
    else
        framed(r, bg, c.border, theme_.px(0.8), theme_.radius());

    const float pad = theme_.px(3);
    if (measure(style.role, label) <= r.w - 2 * pad) {
        text_in(style.role, label, r, Align::Center, fg, bg);
    } else {
        // Two lines rather than a clipped label.
        const float lh = line_height(style.role);
        const auto lines = break_lines(label, r.w - 2 * pad, [&](std::string_view p) { return measure(style.role, p); });
        float y = r.y + (r.h - lh * static_cast<float>(lines.size())) / 2;
        for (const auto& line : lines) {
            text_in(style.role, line, {r.x, y, r.w, lh}, Align::Center, fg, bg);
            y += lh;
        }
    }
    log_.widgets.push_back({std::string(label), style.kind, r});
    return clicked;
}

bool Ui::hold_area(std::string_view id, std::string_view label, Rect r, float seconds) {
    ImGui::SetCursorScreenPos(ImVec2(r.x, r.y));
    ImGui::PushID(id.data(), id.data() + id.size());
    ImGui::InvisibleButton("##hold", ImVec2(r.w, r.h));
    const bool held = ImGui::IsItemActive();
    ImGui::PopID();
    const float was = ImGui::GetIO().MouseDownDurationPrev[0];
    const float now = ImGui::GetIO().MouseDownDuration[0];
    log_.widgets.push_back({std::string(label), WidgetKind::Hidden, r});
    return held && was < seconds && now >= seconds;
}

bool Ui::list_item(std::string_view id, std::string_view title, std::string_view right, Rect r) {
    ImGui::SetCursorScreenPos(ImVec2(r.x, r.y));
    ImGui::PushID(id.data(), id.data() + id.size());
    const bool clicked = ImGui::InvisibleButton("##item", ImVec2(r.w, r.h));
    const bool pressed = ImGui::IsItemActive();
    ImGui::PopID();
    const auto& c = theme_.colors;
    const Rgb bg = pressed ? c.secondary_pressed : c.surface;
    framed(r, bg, c.border, theme_.px(0.6), theme_.radius());
    const float pad = theme_.px(5);
    float right_w = 0;
    if (!right.empty()) {
        right_w = measure(TextRole::Body, right) + pad;
        text_in(TextRole::Body, right, {r.x, r.y, r.w - pad, r.h}, Align::Right, c.text_muted, bg);
    }
    // Titles longer than the row are cut at a character boundary with an ellipsis.
    text_fit(TextRole::Label, title, {r.x + pad, r.y, r.w - 2 * pad - right_w, r.h}, Align::Left, c.text, bg);
    log_.widgets.push_back({std::string(title), WidgetKind::ListItem, r});
    return clicked;
}

}  // namespace kiosk::ui
