// Pieces several screens share: layout, icons, button rows, paging.
#include "screen_parts.hpp"
#include "shapes.hpp"

#include <imgui.h>

#include <algorithm>
#include <cmath>

namespace kiosk::ui::parts {

// A community card: rounded card with a chip and a contactless arc.
void card_icon(Ui& ui, Rect r) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const auto& c = ui.theme().colors;
    const float round = r.h * 0.12f;
    shapes::fill_rounded(dl, ImVec2(r.x, r.y), ImVec2(r.right(), r.bottom()), c.primary.imgui(), round);
    dl->AddRectFilled(ImVec2(r.x + r.w * 0.12f, r.y + r.h * 0.3f), ImVec2(r.x + r.w * 0.34f, r.y + r.h * 0.6f),
                      IM_COL32(0xF2, 0xC9, 0x4C, 255), r.h * 0.05f);
    const ImVec2 centre(r.x + r.w * 0.62f, r.y + r.h * 0.45f);
    for (int i = 1; i <= 3; ++i)
        dl->PathArcTo(centre, r.h * 0.1f * static_cast<float>(i), -0.9f, 0.9f, 16),
            dl->PathStroke(c.on_primary.imgui(), 0, r.h * 0.045f);
    dl->AddRectFilled(ImVec2(r.x + r.w * 0.12f, r.y + r.h * 0.75f), ImVec2(r.x + r.w * 0.88f, r.y + r.h * 0.82f),
                      c.on_primary.imgui(), r.h * 0.03f);
}

void check_icon(Rect r, Rgb colour) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 pts[3] = {ImVec2(r.x + r.w * 0.15f, r.y + r.h * 0.52f), ImVec2(r.x + r.w * 0.42f, r.y + r.h * 0.78f),
                           ImVec2(r.x + r.w * 0.86f, r.y + r.h * 0.24f)};
    dl->AddPolyline(pts, 3, colour.imgui(), 0, r.w * 0.13f);
}

// A circle with "!" (warning) or "i" (information).
void sign_icon(Rect r, Rgb disc, Rgb mark, bool info) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 ctr(r.cx(), r.cy());
    const float rad = std::min(r.w, r.h) / 2;
    shapes::fill_disc(dl, ctr, rad, disc.imgui());
    const float w = rad * 0.22f;
    if (info) {
        shapes::fill_disc(dl, ImVec2(ctr.x, ctr.y - rad * 0.45f), w * 0.75f, mark.imgui());
        dl->AddRectFilled(ImVec2(ctr.x - w / 2, ctr.y - rad * 0.18f), ImVec2(ctr.x + w / 2, ctr.y + rad * 0.6f),
                          mark.imgui());
    } else {
        dl->AddRectFilled(ImVec2(ctr.x - w / 2, ctr.y - rad * 0.6f), ImVec2(ctr.x + w / 2, ctr.y + rad * 0.2f),
                          mark.imgui());
        shapes::fill_disc(dl, ImVec2(ctr.x, ctr.y + rad * 0.48f), w * 0.75f, mark.imgui());
    }
}


// Buttons in one row (two when they do not fit), centred, each as wide as
// the row allows up to a comfortable maximum. Returns the height used.
namespace {

struct RowShape {
    int per_row = 1, rows = 0;
    float width = 0;  // of each button
};

// As many buttons a row as fit their longest label; each at most 110 mm
// wide unless a label needs more, never wider than its share of the row.
RowShape row_shape(Ui& ui, const std::vector<RowButton>& buttons, float w) {
    const Theme& t = ui.theme();
    const float gap = t.gap(), pad = t.px(6);
    float need = 0;
    for (const auto& b : buttons) need = std::max(need, ui.measure(TextRole::Label, b.label) + 2 * pad);
    const auto n = static_cast<int>(buttons.size());
    RowShape s;
    s.per_row = std::max(1, n);
    while (s.per_row > 1 && static_cast<float>(s.per_row) * need + static_cast<float>(s.per_row - 1) * gap > w) --s.per_row;
    s.rows = (n + s.per_row - 1) / s.per_row;
    const float share = (w - static_cast<float>(s.per_row - 1) * gap) / static_cast<float>(s.per_row);
    s.width = std::min(std::max(t.px(110), need), share);
    return s;
}

}  // namespace

float button_rows_height(Ui& ui, const std::vector<RowButton>& buttons, float w) {
    if (buttons.empty()) return 0;
    const Theme& t = ui.theme();
    const auto rows = static_cast<float>(row_shape(ui, buttons, w).rows);
    return rows * t.button_height() + (rows - 1) * t.gap();
}

float button_row(Ui& ui, const std::vector<RowButton>& buttons, float x, float y, float w,
                 std::optional<Intent>& intent) {
    if (buttons.empty()) return 0;
    const Theme& t = ui.theme();
    const float gap = t.gap(), h = t.button_height();
    const auto shape = row_shape(ui, buttons, w);
    const auto n = static_cast<int>(buttons.size());
    for (int row = 0; row < shape.rows; ++row) {
        const int in_row = std::min(shape.per_row, n - row * shape.per_row);
        const float row_w = static_cast<float>(in_row) * shape.width + static_cast<float>(in_row - 1) * gap;
        float bx = x + (w - row_w) / 2;
        const float by = y + static_cast<float>(row) * (h + gap);
        for (int i = 0; i < in_row; ++i) {
            const auto& b = buttons[static_cast<std::size_t>(row * shape.per_row + i)];
            if (ui.button(b.id, b.label, {bx, by, shape.width, h}, {b.kind, TextRole::Label})) intent = b.intent;
            bx += shape.width + gap;
        }
    }
    return button_rows_height(ui, buttons, w);
}

std::vector<RowButton> service_buttons(Ui& ui, const std::vector<Service>& services) {
    std::vector<RowButton> out;
    for (Service s : services)
        out.push_back({service_label_key(s), ui.tr(service_label_key(s)),
                       Intent{Intent::Kind::OpenService, static_cast<std::int64_t>(s)}, WidgetKind::Primary});
    return out;
}

float row_height(const Ui& ui) { return std::max(ui.theme().px(18), ui.line_height(TextRole::Label) + ui.theme().px(4)); }
// Previous / next page buttons (no scrolling gesture is ever needed), then the others.
std::vector<RowButton> page_buttons(Ui& ui, int page, int pages) {
    std::vector<RowButton> out;
    if (pages <= 1) return out;
    if (page > 0)
        out.push_back({"prev", ui.tr("common.prev_page"), Intent{Intent::Kind::Page, page - 1}, WidgetKind::Secondary});
    if (page + 1 < pages)
        out.push_back({"next", ui.tr("common.next_page"), Intent{Intent::Kind::Page, page + 1}, WidgetKind::Secondary});
    return out;
}

void page_label(Ui& ui, int page, int pages, Rect where) {
    if (pages <= 1) return;
    const auto& c = ui.theme().colors;
    const std::string p =
        ui.i18n().format("notices.page", {{"page", std::to_string(page + 1)}, {"pages", std::to_string(pages)}});
    ui.text_in(TextRole::Body, p, where, Align::Right, c.text_muted, c.background);
}

// A title on the left and a 返回 button on the right of one row.
float title_with_back(Ui& ui, const char* title_key, Layout a, std::optional<Intent>& intent, Intent back) {
    return title_text_with_back(ui, ui.tr(title_key), a, intent, back);
}

float title_text_with_back(Ui& ui, std::string_view title, Layout a, std::optional<Intent>& intent, Intent back) {
    const Theme& t = ui.theme();
    const auto& c = t.colors;
    const float bh = t.small_button_height();
    const std::string& label = ui.tr("common.back");
    const float bw = std::max(t.px(34), ui.measure(TextRole::Label, label) + t.px(12));
    if (ui.button("back", label, {a.x + a.w - bw, a.y, bw, bh}, {WidgetKind::Secondary, TextRole::Label})) intent = back;
    ui.text_fit(TextRole::Title, title, {a.x, a.y, a.w - bw - t.gap(), bh}, Align::Left, c.text, c.background);
    return bh + t.px(4);
}

void keypad(Ui& ui, Rect area, bool locked, std::optional<Intent>& intent) {
    const Theme& t = ui.theme();
    // 1-9, then 删除 0 确定: keys as large as the space allows.
    const float gap = t.px(4);
    const float key_h = std::min(t.px(28), (area.h - 3 * gap) / 4);
    const float key_w = std::min(t.px(70), (area.w - 2 * gap) / 3);
    const float x0 = area.x + (area.w - (3 * key_w + 2 * gap)) / 2;
    const float y = area.y;
    for (int row = 0; row < 4; ++row) {
        for (int col = 0; col < 3; ++col) {
            const Rect r{x0 + static_cast<float>(col) * (key_w + gap), y + static_cast<float>(row) * (key_h + gap), key_w, key_h};
            if (row < 3) {
                const int digit = row * 3 + col + 1;
                const std::string d = std::to_string(digit);
                if (ui.button("digit" + d, d, r, {WidgetKind::Secondary, TextRole::Label}) && !locked)
                    intent = Intent{Intent::Kind::PinDigit, digit};
            } else if (col == 0) {
                if (ui.button("delete", ui.tr("staff.pin_delete"), r, {WidgetKind::Secondary, TextRole::Label}))
                    intent = Intent{Intent::Kind::PinDelete};
            } else if (col == 1) {
                if (ui.button("digit0", "0", r, {WidgetKind::Secondary, TextRole::Label}) && !locked)
                    intent = Intent{Intent::Kind::PinDigit, 0};
            } else {
                if (ui.button("enter", ui.tr("staff.pin_enter"), r, {WidgetKind::Primary, TextRole::Label}) && !locked)
                    intent = Intent{Intent::Kind::PinEnter};
            }
        }
    }
}

}  // namespace kiosk::ui::parts
