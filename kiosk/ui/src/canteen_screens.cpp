// The canteen: from the card to the pickup number in three taps at most
// (a meal, then how to pay), with the three amounts large and in words.
#include "canteen_screens.hpp"
#include "shapes.hpp"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

namespace kiosk::ui {

using namespace parts;

const char* meal_period_key(core::MealPeriod p) {
    switch (p) {
        case core::MealPeriod::Breakfast: return "meal_period.breakfast";
        case core::MealPeriod::Lunch: return "meal_period.lunch";
        case core::MealPeriod::Dinner: return "meal_period.dinner";
    }
    return "meal_period.lunch";
}

const char* payment_method_key(core::PaymentMethod m) {
    switch (m) {
        case core::PaymentMethod::Cash: return "method.cash";
        case core::PaymentMethod::Balance: return "method.balance";
        case core::PaymentMethod::Qr: return "method.qr";
    }
    return "method.cash";
}

namespace {

// A plate seen from above, for menus without photos: a generated picture,
// distinct per meal, so tiles are told apart at a glance (never the only
// signal: the name is always printed).
void plate_picture(Rect r, const std::string& seed) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    unsigned h = 2166136261u;
    for (char c : seed) h = (h ^ static_cast<unsigned char>(c)) * 16777619u;
    const ImVec2 centre(r.cx(), r.cy());
    const float rad = std::min(r.w, r.h) * 0.45f;
    dl->AddRectFilled(ImVec2(r.x, r.y), ImVec2(r.right(), r.bottom()), IM_COL32(0xF3, 0xEC, 0xDC, 255));
    shapes::fill_disc(dl, centre, rad, IM_COL32(0xFF, 0xFF, 0xFF, 255));
    dl->AddCircle(centre, rad, IM_COL32(0xC9, 0xBE, 0xA8, 255), 48, rad * 0.04f);
    static const ImU32 kFoods[] = {IM_COL32(0xB8, 0x4A, 0x2E, 255), IM_COL32(0x4E, 0x8B, 0x3A, 255),
                                   IM_COL32(0xE8, 0xB9, 0x3C, 255), IM_COL32(0xD9, 0x6B, 0x3B, 255),
                                   IM_COL32(0x8C, 0x5A, 0x3C, 255), IM_COL32(0x3F, 0x7F, 0x5F, 255)};
    // Rice in the middle, three portions around it.
    shapes::fill_disc(dl, ImVec2(centre.x, centre.y), rad * 0.3f, IM_COL32(0xFA, 0xF6, 0xEA, 255));
    dl->AddCircle(ImVec2(centre.x, centre.y), rad * 0.3f, IM_COL32(0xE0, 0xD8, 0xC4, 255), 32, rad * 0.02f);
    for (int i = 0; i < 3; ++i) {
        const float a = static_cast<float>(i) * 2.094f + static_cast<float>(h % 7) * 0.3f;
        const ImVec2 p(centre.x + std::cos(a) * rad * 0.6f, centre.y + std::sin(a) * rad * 0.6f);
        shapes::fill_disc(dl, p, rad * 0.27f, kFoods[(h >> (4 * i)) % 6]);
    }
}

// A meal tile: picture, name, price, what is in it; 已售完 in words when sold out.
bool meal_tile(Ui& ui, const MealTile& m, Rect r, int index, bool one_line) {
    const Theme& t = ui.theme();
    const auto& c = t.colors;
    ImGui::SetCursorScreenPos(ImVec2(r.x, r.y));
    ImGui::PushID(index);
    const bool clicked = ImGui::InvisibleButton("##tile", ImVec2(r.w, r.h));
    const bool pressed = ImGui::IsItemActive();
    ImGui::PopID();
    const Rgb bg = pressed ? c.secondary_pressed : c.surface;
    ui.framed(r, bg, c.border, t.px(0.8), t.radius());
    const float pad = t.px(3);
    const float inner = r.w - 2 * pad;
    const float lh_title = ui.line_height(TextRole::Title), lh_body = ui.line_height(TextRole::Body);
    const std::string price = ui.i18n().format("canteen.yuan", {{"amount", m.price}});
    const float price_w = ui.measure(TextRole::Title, price);
    const float text_h = (one_line ? lh_title : 2 * lh_title) + lh_body;
    const bool dishes = r.h - 2 * pad - text_h >= t.px(18);  // room for the picture and what is in it
    const float pic_h = r.h - 2 * pad - (dishes ? text_h : text_h - lh_body) - t.px(1);
    const Rect pic{r.x + pad, r.y + pad, inner, std::max(0.0f, pic_h)};
    if (pic.h >= t.px(8)) {
        if (m.picture.texture != nullptr && m.picture.w > 0 && m.picture.h > 0) {
            // Cover the box, keeping the photo's proportions.
            const float scale = std::max(pic.w / static_cast<float>(m.picture.w), pic.h / static_cast<float>(m.picture.h));
            const float uw = pic.w / (static_cast<float>(m.picture.w) * scale);
            const float uh = pic.h / (static_cast<float>(m.picture.h) * scale);
            ImGui::GetWindowDrawList()->AddImage(m.picture.texture, ImVec2(pic.x, pic.y), ImVec2(pic.right(), pic.bottom()),
                                                 ImVec2((1 - uw) / 2, (1 - uh) / 2), ImVec2((1 + uw) / 2, (1 + uh) / 2));
        } else {
            plate_picture(pic, m.id);
        }
    }
    float y = pic.bottom() + t.px(1);
    if (one_line) {
        ui.text_in(TextRole::Title, m.name, {r.x + pad, y, inner - price_w - t.gap(), lh_title}, Align::Left, c.text, bg);
        ui.text_in(TextRole::Title, price, {r.x + pad, y, inner, lh_title}, Align::Right, c.text, bg);
        y += lh_title;
    } else {
        ui.text_fit(TextRole::Title, m.name, {r.x + pad, y, inner, lh_title}, Align::Left, c.text, bg);
        y += lh_title;
        ui.text_in(TextRole::Title, price, {r.x + pad, y, inner, lh_title}, Align::Right, c.text, bg);
        y += lh_title;
    }
    if (dishes) ui.text_fit(TextRole::Body, m.dishes, {r.x + pad, y, inner, lh_body}, Align::Left, c.text_muted, bg);
    if (m.sold_out) {
        // Grey is never the only signal: the words say it.
        ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(r.x, r.y), ImVec2(r.right(), r.bottom()), IM_COL32(255, 255, 255, 140),
                                                  t.radius());
        const std::string& so = ui.tr("canteen.sold_out");
        const float sw = ui.measure(TextRole::Title, so) + t.px(8);
        const Rect band{r.cx() - sw / 2, r.y + t.px(4), sw, lh_title};
        ui.fill(band, c.danger, t.radius());
        ui.text_in(TextRole::Title, so, band, Align::Center, c.on_danger, c.danger);
    } else if (m.left >= 0) {
        const std::string left = ui.i18n().format("canteen.left", {{"n", std::to_string(m.left)}});
        const float lw = ui.measure(TextRole::Body, left) + t.px(4);
        const Rect chip{r.right() - pad - lw, r.y + pad, lw, lh_body};
        ui.fill(chip, c.primary, t.radius());
        ui.text_in(TextRole::Body, left, chip, Align::Center, c.on_primary, c.primary);
    }
    ui.log().widgets.push_back({m.name, WidgetKind::ListItem, r});
    return clicked && !m.sold_out;
}

// Three amounts, each on its own line, the number as large as a name.
float amount_row(Ui& ui, const std::string& label, const std::string& amount, const std::string& note, float x, float y,
                 float w, Rgb fg, bool strong) {
    const Theme& t = ui.theme();
    const auto& c = t.colors;
    const float hh = ui.line_height(TextRole::Hero);
    const std::string yuan = ui.i18n().format("canteen.yuan", {{"amount", amount}});
    ui.text_in(TextRole::Title, label, {x, y, w * 0.3f, hh}, Align::Left, fg, c.background);
    const Rect num = ui.text_in(TextRole::Hero, yuan, {x, y, w, hh}, Align::Right, fg, c.background);
    if (!note.empty()) {
        const float nx = x + w * 0.3f;
        ui.text_in(TextRole::Body, note, {nx, y, num.x - nx - t.px(4), hh}, Align::Left, c.text_muted, c.background);
    }
    if (strong) ui.fill({x, y + hh, w, t.px(0.8)}, c.text);
    return hh;
}

}  // namespace

std::optional<Intent> menu_screen(const MenuView& v, Ui& ui, Layout a) {
    const Theme& t = ui.theme();
    const auto& c = t.colors;
    std::optional<Intent> intent;
    const std::string& period = ui.tr(meal_period_key(v.period));
    // Between meals nothing is served today: the title says so (not "今天午餐"
    // with no lunch under it); tomorrow's meals can still be reserved.
    const bool closed = !v.serving && v.mode == MenuMode::Today;
    const std::string title =
        closed ? ui.tr("canteen.not_serving")
               : ui.i18n().format(v.mode == MenuMode::Today ? "canteen.menu_today" : "canteen.menu_tomorrow",
                                  {{"period", period}});
    const float th = ui.line_height(TextRole::Title);
    ui.text(TextRole::Title, title, a.x, a.y, c.text, c.background);
    // Who is ordering, and their balance, on the title's line.
    std::string who;
    if (!v.diner.empty()) who = ui.i18n().format("canteen.hello", {{"name", v.diner}});
    if (!v.balance.empty()) who += (who.empty() ? "" : "  ") + ui.i18n().format("canteen.balance", {{"amount", v.balance}});
    const float tw = ui.measure(TextRole::Title, title) + t.gap();
    if (!who.empty()) ui.text_in(TextRole::Label, who, {a.x + tw, a.y, a.w - tw, th}, Align::Right, c.text, c.background);
    float y = a.y + th + t.px(2);
    std::string note;
    if (v.staff_assisted) note = ui.tr("canteen.staff_note");
    if (v.guest) note = ui.tr("canteen.guest_note");
    if (!v.reserved.empty()) note = v.reserved;
    if (!v.notice.empty()) note = v.notice;
    if (!note.empty())
        y += ui.paragraph(TextRole::Body, note, a.x, y, a.w, v.guest || !v.notice.empty() ? c.danger : c.text, c.background) +
             t.px(2);

    const float bh = t.button_height();
    const float grid_bottom = a.bottom - bh - t.gap();
    std::vector<RowButton> buttons;
    if (!v.serving) {
        if (!closed)
            y += ui.paragraph(TextRole::Title, ui.tr("canteen.not_serving"), a.x, y, a.w, c.text, c.background, Align::Center);
        if (!v.next_time.empty())
            ui.paragraph(TextRole::Title, v.next_time, a.x, y + t.px(8), a.w, c.text, c.background, Align::Center);
    } else {
        // Tiles as large as the page allows: a few meals get big tiles, many
        // meals get pages of tiles at least 70 x 60 mm; no scrolling.
        const float gap = t.gap();
        const float area_h = grid_bottom - y;
        const int max_cols = std::max(1, static_cast<int>((a.w + gap) / (t.px(70) + gap)));
        const int max_rows = std::max(1, static_cast<int>((area_h + gap) / (t.px(60) + gap)));
        const int count = static_cast<int>(v.tiles.size());
        const int per_page = max_cols * max_rows;
        int cols = std::min(std::max(count, 1), max_cols);
        int rows = std::min(max_rows, (std::min(count, per_page) + cols - 1) / cols);
        rows = std::max(rows, 1);
        const float tile_w = (a.w - static_cast<float>(cols - 1) * gap) / static_cast<float>(cols);
        const float tile_h = std::min((area_h - static_cast<float>(rows - 1) * gap) / static_cast<float>(rows),
                                      std::max(t.px(60), tile_w * 0.85f));
        const int pages = std::max(1, (count + per_page - 1) / per_page);
        const int page = std::clamp(v.page, 0, pages - 1);
        // One layout for every tile on the page: name and price on one line
        // only if that fits every tile.
        const float inner = tile_w - 2 * t.px(3);
        bool one_line = true;
        for (int i = page * per_page; i < std::min(count, (page + 1) * per_page); ++i) {
            const auto& m = v.tiles[static_cast<std::size_t>(i)];
            const std::string price = ui.i18n().format("canteen.yuan", {{"amount", m.price}});
            if (ui.measure(TextRole::Title, m.name) + t.gap() + ui.measure(TextRole::Title, price) > inner) one_line = false;
        }
        for (int i = page * per_page; i < std::min(count, (page + 1) * per_page); ++i) {
            const int k = i - page * per_page;
            const Rect r{a.x + static_cast<float>(k % cols) * (tile_w + gap), y + static_cast<float>(k / cols) * (tile_h + gap),
                         tile_w, tile_h};
            if (meal_tile(ui, v.tiles[static_cast<std::size_t>(i)], r, i, one_line)) intent = Intent{Intent::Kind::PickMeal, i};
        }
        buttons = page_buttons(ui, page, pages);
    }
    if (v.can_reserve)
        buttons.push_back({"reserve", ui.tr(v.mode == MenuMode::Today ? "canteen.reserve_tomorrow" : "canteen.order_today"),
                           Intent{v.mode == MenuMode::Today ? Intent::Kind::ReserveTomorrow : Intent::Kind::OrderToday},
                           WidgetKind::Secondary});
    buttons.push_back({"finish", ui.tr("greeting.finish"), Intent{Intent::Kind::Finish}, WidgetKind::Secondary});
    button_row(ui, buttons, a.x, a.bottom - bh, a.w, intent);
    return intent;
}

std::optional<Intent> quote_screen(const QuoteView& v, Ui& ui, Layout a) {
    const Theme& t = ui.theme();
    const auto& c = t.colors;
    std::optional<Intent> intent;

    // Each way of paying is itself the confirmation: one tap more.
    std::vector<RowButton> buttons;
    const bool reserve = v.mode == MenuMode::Tomorrow;
    for (auto m : v.methods) {
        const char* key = m == core::PaymentMethod::Cash      ? (reserve ? "canteen.reserve_cash" : "canteen.pay_cash")
                          : m == core::PaymentMethod::Balance ? (reserve ? "canteen.reserve_balance" : "canteen.pay_balance")
                                                              : "canteen.pay_qr";
        buttons.push_back({payment_method_key(m), ui.tr(key), Intent{Intent::Kind::Pay, static_cast<std::int64_t>(m)},
                           WidgetKind::Primary});
    }
    if (v.delivery_offered)
        buttons.push_back({"delivery", ui.tr(v.delivery ? "canteen.delivery_on" : "canteen.delivery"),
                           Intent{Intent::Kind::ToggleDelivery}, WidgetKind::Secondary});
    buttons.push_back({"back", ui.tr("canteen.choose_another"), Intent{Intent::Kind::Back}, WidgetKind::Secondary});
    // The buttons sit at the bottom and are never pushed off the screen:
    // what is above them takes the most compact layout that fits.
    const float buttons_h = button_rows_height(ui, buttons, a.w);
    const float buttons_y = a.bottom - buttons_h;
    const float room = buttons_y - t.px(3) - a.y;

    // A plain warning before paying: the subsidy was used this period, or no card.
    std::string warning;
    if (v.already_subsidised)
        warning = ui.i18n().format("canteen.already_subsidised", {{"period", ui.tr(meal_period_key(v.period))}});
    else if (v.guest)
        warning = ui.tr("canteen.guest_full_price");
    if (!v.problem.empty()) warning = v.problem;

    const float th = ui.line_height(TextRole::Title);
    const float nw = ui.measure(TextRole::Title, v.meal.name) + t.gap();
    const float band_pad = t.px(4);
    auto band_h = [&](float width) { return ui.paragraph_height(TextRole::Label, warning, width - 2 * band_pad) + band_pad; };
    // Header: the meal's name (and what is in it), then the warning in its own
    // band; or the warning beside the name; or, when nothing else fits, the
    // warning alone.
    enum class Header { Separate, Beside, WarningOnly };
    // With no warning, "WarningOnly" is no header at all: on a short page
    // (large text, two rows of buttons) the meal's name joins 原价 instead.
    auto header_h = [&](Header h) {
        if (warning.empty()) return h == Header::WarningOnly ? 0.0f : th + t.px(2);
        switch (h) {
            case Header::Separate: return th + t.px(2) + band_h(a.w) + t.px(2);
            case Header::Beside: return std::max(th, band_h(a.w - nw)) + t.px(2);
            case Header::WarningOnly: return band_h(a.w) + t.px(2);
        }
        return 0.0f;
    };
    // 原价 / 补贴 / 应付: one a line, right-aligned like a bill; or side by
    // side, each label above its number, when the lines do not fit.
    const std::string amounts[3] = {v.price, v.subsidy, v.pay};
    std::string labels[3] = {ui.tr("canteen.price"), ui.tr("canteen.subsidy"), ui.tr("canteen.pay")};
    const float hh = ui.line_height(TextRole::Hero);
    const float stacked_h = 3 * hh + t.px(1);
    const float across_h = th + hh + t.px(1);
    const float col_w = (a.w - 2 * t.gap()) / 3;
    bool across_fits = true;
    for (const auto& amount : amounts)
        if (ui.measure(TextRole::Hero, ui.i18n().format("canteen.yuan", {{"amount", amount}})) > col_w - t.px(4))
            across_fits = false;
    struct Choice {
        Header header;
        bool across;
    };
    std::vector<Choice> choices{{Header::Separate, false}, {Header::Beside, false}};
    if (across_fits) {
        choices.push_back({Header::Separate, true});
        choices.push_back({Header::Beside, true});
        choices.push_back({Header::WarningOnly, true});
    }
    if (!warning.empty()) choices.push_back({Header::WarningOnly, false});
    Choice pick = choices.front();
    float best = 1e9f;
    for (const auto& ch : choices) {
        const float need = header_h(ch.header) + (ch.across ? across_h : stacked_h);
        if (need <= room) {
            pick = ch;
            break;
        }
        if (need < best) {
            best = need;
            pick = ch;
        }
    }

    // Without a line of its own, the meal's name goes before 原价 when it fits there.
    if (pick.header == Header::WarningOnly && pick.across) {
        const std::string named = v.meal.name + " " + labels[0];
        if (ui.measure(TextRole::Title, named) <= col_w) labels[0] = named;
    }

    float y = a.y;
    if (pick.header != Header::WarningOnly) {
        ui.text(TextRole::Title, v.meal.name, a.x, y, c.text, c.background);
        if (warning.empty() || pick.header == Header::Separate)
            ui.text_fit(TextRole::Body, v.meal.dishes, {a.x + nw, y, a.w - nw, th}, Align::Left, c.text_muted, c.background);
    }
    if (!warning.empty()) {
        const float bx = pick.header == Header::Beside ? a.x + nw : a.x;
        const float by = pick.header == Header::Separate ? y + th + t.px(2) : y;
        const float bw = a.x + a.w - bx;
        const float bh = band_h(bw);
        ui.fill({bx, by, bw, bh}, c.danger, t.radius());
        ui.paragraph(TextRole::Label, warning, bx + band_pad, by + band_pad / 2, bw - 2 * band_pad, c.on_danger, c.danger);
    }
    y += header_h(pick.header);
    // The amounts in the middle of the room left above the buttons.
    const float block_h = pick.across ? across_h : stacked_h;
    y += std::max(0.0f, (buttons_y - t.px(3) - y - block_h) / 2);
    if (pick.across) {
        for (int i = 0; i < 3; ++i) {
            const float cx = a.x + static_cast<float>(i) * (col_w + t.gap());
            ui.text_in(TextRole::Title, labels[i], {cx, y, col_w, th}, Align::Center, c.text, c.background);
            if (i == 1 && !v.bracket.empty()) {
                // The bracket beside its label when there is room.
                const float lw = ui.measure(TextRole::Title, labels[i]);
                const float nw2 = ui.measure(TextRole::Body, v.bracket);
                if (lw + t.gap() + nw2 <= col_w) {
                    ui.text_in(TextRole::Body, v.bracket, {cx + (col_w + lw) / 2 + t.px(2), y, nw2, th}, Align::Left,
                               c.text_muted, c.background);
                }
            }
            ui.text_in(TextRole::Hero, ui.i18n().format("canteen.yuan", {{"amount", amounts[i]}}), {cx, y + th, col_w, hh},
                       Align::Center, c.text, c.background);
        }
        // 应付 is what matters: a rule under it.
        const float px0 = a.x + 2 * (col_w + t.gap());
        ui.fill({px0, y + th + hh, col_w, t.px(0.8)}, c.text);
    } else {
        const float w = std::min(a.w, t.px(220));
        const float x = a.x + (a.w - w) / 2;
        y += amount_row(ui, labels[0], amounts[0], "", x, y, w, c.text, false);
        y += amount_row(ui, labels[1], amounts[1], v.bracket, x, y, w, c.text, true);
        y += t.px(1);
        amount_row(ui, labels[2], amounts[2], "", x, y, w, c.text, false);
    }
    button_row(ui, buttons, a.x, buttons_y, a.w, intent);
    return intent;
}

std::optional<Intent> order_done_screen(const OrderDoneView& v, Ui& ui, Layout a) {
    const Theme& t = ui.theme();
    const auto& c = t.colors;
    std::optional<Intent> intent;
    float y = a.y;
    const std::string& period = ui.tr(meal_period_key(v.period));
    if (v.mode == MenuMode::Tomorrow) {
        y += ui.paragraph(TextRole::Hero, ui.i18n().format("canteen.reserved_done", {{"period", period}, {"meal", v.meal}}),
                          a.x, y, a.w, c.text, c.background, Align::Center);
        y += t.px(4);
        ui.paragraph(TextRole::Label, ui.tr(v.delivery ? "canteen.reserved_delivery" : "canteen.reserved_pickup"), a.x, y,
                     a.w, c.text, c.background, Align::Center);
    } else {
        const std::string& title = ui.tr("canteen.pickup_title");
        const float th = ui.line_height(TextRole::Title);
        const float gh = ui.line_height(TextRole::Giant);
        const float gw = ui.measure(TextRole::Giant, v.pickup_no) + t.px(16);
        std::string paid = (v.from_reservation
                                ? ui.tr("canteen.from_reservation") + (ui.i18n().language() == Language::English ? ": " : "：")
                                : std::string()) + v.meal + "  " +
                           ui.i18n().format("canteen.paid", {{"amount", v.pay}, {"method", ui.tr(payment_method_key(v.method))}});
        if (!v.balance_left.empty()) paid += "  " + ui.i18n().format("canteen.balance_left", {{"amount", v.balance_left}});
        const std::string hint = v.print_note.empty() ? ui.tr("canteen.take_ticket") : v.print_note;
        const Rgb hint_fg = v.print_note_error ? c.danger : c.text;
        auto words_h = [&](float w) {
            return ui.paragraph_height(TextRole::Label, paid, w) + ui.paragraph_height(TextRole::Label, hint, w);
        };
        const float room = a.bottom - t.button_height() - t.px(3) - a.y;
        const float tw = ui.measure(TextRole::Title, title);
        // 取餐号 above the number; or beside it; or, on a short page, the
        // number on the right and the words in a column on its left.
        const float col_w = a.w - gw - t.gap();
        if (th + gh + t.px(3) + words_h(a.w) <= room || tw + t.gap() + gw > a.w) {
            ui.text_in(TextRole::Title, title, {a.x, y, a.w, th}, Align::Center, c.text, c.background);
            const Rect band{a.x + (a.w - gw) / 2, y + th, gw, gh};
            ui.fill(band, c.success, t.radius());
            ui.text_in(TextRole::Giant, v.pickup_no, band, Align::Center, c.on_success, c.success);
            y = band.bottom() + t.px(3);
            y += ui.paragraph(TextRole::Label, paid, a.x, y, a.w, c.text, c.background, Align::Center);
            ui.paragraph(TextRole::Label, hint, a.x, y, a.w, hint_fg, c.background, Align::Center);
        } else if (gh + t.px(3) + words_h(a.w) <= room || col_w < t.px(60)) {
            const float x0 = a.x + (a.w - (tw + t.gap() + gw)) / 2;
            ui.text_in(TextRole::Title, title, {x0, y, tw, gh}, Align::Left, c.text, c.background);
            const Rect band{x0 + tw + t.gap(), y, gw, gh};
            ui.fill(band, c.success, t.radius());
            ui.text_in(TextRole::Giant, v.pickup_no, band, Align::Center, c.on_success, c.success);
            y = band.bottom() + t.px(3);
            y += ui.paragraph(TextRole::Label, paid, a.x, y, a.w, c.text, c.background, Align::Center);
            ui.paragraph(TextRole::Label, hint, a.x, y, a.w, hint_fg, c.background, Align::Center);
        } else {
            const Rect band{a.x + a.w - gw, y, gw, gh};
            ui.fill(band, c.success, t.radius());
            ui.text_in(TextRole::Giant, v.pickup_no, band, Align::Center, c.on_success, c.success);
            ui.text(TextRole::Title, title, a.x, y, c.text, c.background);
            float cy = y + th + t.px(2);
            cy += ui.paragraph(TextRole::Label, paid, a.x, cy, col_w, c.text, c.background);
            ui.paragraph(TextRole::Label, hint, a.x, cy, col_w, hint_fg, c.background);
        }
    }
    const float bh = t.button_height();
    button_row(ui, {{"finish", ui.tr("greeting.finish"), Intent{Intent::Kind::Finish}, WidgetKind::Primary}}, a.x,
               a.bottom - bh, a.w, intent);
    return intent;
}

std::optional<Intent> qr_pay_screen(const QrPayView& v, Ui& ui, Layout a) {
    const Theme& t = ui.theme();
    const auto& c = t.colors;
    std::optional<Intent> intent;
    const float row = title_with_back(ui, "canteen.qr_title", a, intent, Intent{Intent::Kind::Back});
    float y = a.y + row;
    // Instructions on the left, the staff keypad on the right.
    const float kw = std::min(a.w * 0.55f, t.px(190));
    const float lw = a.w - kw - t.gap();
    y += ui.paragraph(TextRole::Label, ui.i18n().format("canteen.qr_body", {{"amount", v.pay}}), a.x, y, lw, c.text,
                      c.background);
    std::string dots;
    for (int i = 0; i < std::max(v.length, v.entered); ++i) dots += i < v.entered ? "●" : "○";
    y += t.px(3);
    ui.text(TextRole::Label, dots, a.x, y, c.text, c.background);
    if (v.locked_seconds > 0)
        ui.paragraph(TextRole::Body, ui.i18n().format("staff.pin_locked", {{"seconds", std::to_string(v.locked_seconds)}}),
                     a.x, y + ui.line_height(TextRole::Label), lw, c.danger, c.background);
    else if (v.wrong)
        ui.paragraph(TextRole::Body, ui.tr("canteen.qr_wrong"), a.x, y + ui.line_height(TextRole::Label), lw, c.danger,
                     c.background);
    keypad(ui, {a.x + a.w - kw, a.y + row, kw, a.bottom - (a.y + row)}, false, intent);
    return intent;
}

}  // namespace kiosk::ui
