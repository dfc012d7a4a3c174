// The canteen's staff screens: live counts, the day's orders with refunds
// and reprints, ordering or topping up for a diner found by name or phone,
// the day's menu, reservations and deliveries, and the day close.
//
// Staff are on their feet at a lunchtime counter: the same large targets
// as residents get, pages instead of scrolling, and money moved only by a
// second, separate tap.
#include <imgui.h>

#include <algorithm>
#include <string>

#include "canteen_screens.hpp"

namespace kiosk::ui {

using namespace parts;

namespace {

struct Paging {
    int first = 0, end = 0, page = 0, pages = 1;
};

Paging paginate(int count, int per_page, int page) {
    Paging p;
    per_page = std::max(1, per_page);
    p.pages = std::max(1, (count + per_page - 1) / per_page);
    p.page = std::clamp(page, 0, p.pages - 1);
    p.first = p.page * per_page;
    p.end = std::min(count, p.first + per_page);
    return p;
}

// A label on the left and its value on the right, on one line.
void label_value(Ui& ui, TextRole role, const std::string& label, const std::string& value, Rect r, Rgb fg) {
    const auto& c = ui.theme().colors;
    const float vw = ui.measure(role, value);
    ui.text_in(role, value, r, Align::Right, fg, c.background);
    ui.text_fit(role, label, {r.x, r.y, std::max(0.0f, r.w - vw - ui.theme().gap()), r.h}, Align::Left, fg, c.background);
}

// A line of words above the bottom buttons: an outcome or a problem.
void note_line(Ui& ui, const std::string& note, bool error, Layout a, float bottom) {
    if (note.empty()) return;
    const auto& c = ui.theme().colors;
    const float h = ui.paragraph_height(TextRole::Label, note, a.w);
    ui.paragraph(TextRole::Label, note, a.x, bottom - h, a.w, error ? c.danger : c.success, c.background);
}

std::string yuan(Ui& ui, const std::string& amount) { return ui.i18n().format("canteen.yuan", {{"amount", amount}}); }

}  // namespace

std::optional<Intent> staff_counts_screen(const StaffCountsView& v, Ui& ui, Layout a) {
    const Theme& t = ui.theme();
    const auto& c = t.colors;
    std::optional<Intent> intent;
    float y = a.y + title_text_with_back(ui, ui.i18n().format("canteen_staff.counts_title", {{"day", v.day}}), a, intent,
                                         Intent{Intent::Kind::Back});
    y += ui.paragraph(TextRole::Label,
                      ui.i18n().format("canteen_staff.counts_summary", {{"orders", std::to_string(v.orders)},
                                                                       {"takings", v.takings},
                                                                       {"subsidy", v.subsidy}}),
                      a.x, y, a.w, c.text, c.background);
    y += t.px(3);
    // Meals on the left, subsidy brackets on the right.
    const float gap = t.px(10);
    const float cw = (a.w - gap) / 2;
    const float lh = ui.line_height(TextRole::Label) + t.px(1);
    const float bottom = a.bottom;
    auto column = [&](float x, const char* heading, auto&& rows, int count) {
        float cy = y;
        ui.text_in(TextRole::Label, ui.tr(heading), {x, cy, cw, lh}, Align::Left, c.text_muted, c.background);
        cy += lh;
        ui.fill({x, cy - t.px(1), cw, t.px(0.5)}, c.border);
        const int fits = std::max(0, static_cast<int>((bottom - cy) / lh));
        const int shown = count > fits ? std::max(0, fits - 1) : count;
        for (int i = 0; i < shown; ++i) {
            rows(i, Rect{x, cy, cw, lh});
            cy += lh;
        }
        if (shown < count)
            ui.text_in(TextRole::Body, ui.i18n().format("canteen_staff.more", {{"n", std::to_string(count - shown)}}),
                       {x, cy, cw, lh}, Align::Left, c.text_muted, c.background);
    };
    column(a.x, "canteen_staff.by_meal",
           [&](int i, Rect r) {
               const auto& it = v.items[static_cast<std::size_t>(i)];
               const std::string sold =
                   it.limit > 0 ? ui.i18n().format("canteen_staff.sold_of", {{"sold", std::to_string(it.sold)},
                                                                            {"limit", std::to_string(it.limit)}})
                                : ui.i18n().format("canteen_staff.sold", {{"sold", std::to_string(it.sold)}});
               label_value(ui, TextRole::Label, it.period + " " + it.name, sold, r,
                           it.limit > 0 && it.sold >= it.limit ? c.danger : c.text);
           },
           static_cast<int>(v.items.size()));
    column(a.x + cw + gap, "canteen_staff.by_bracket",
           [&](int i, Rect r) {
               const auto& b = v.brackets[static_cast<std::size_t>(i)];
               const std::string label = b.label.empty() ? ui.tr("canteen_staff.no_subsidy") : b.label;
               label_value(ui, TextRole::Label, label,
                           ui.i18n().format("canteen_staff.bracket_value",
                                            {{"orders", std::to_string(b.orders)}, {"subsidy", b.subsidy}}),
                           r, c.text);
           },
           static_cast<int>(v.brackets.size()));
    return intent;
}

std::optional<Intent> staff_orders_screen(const StaffOrdersView& v, Ui& ui, Layout a) {
    const Theme& t = ui.theme();
    const auto& c = t.colors;
    std::optional<Intent> intent;
    float y = a.y + title_with_back(ui, "canteen_staff.orders", a, intent, Intent{Intent::Kind::Back});
    const float bh = t.button_height();
    if (v.orders.empty()) ui.text(TextRole::Label, ui.tr("canteen_staff.no_orders"), a.x, y, c.text, c.background);
    const float rh = row_height(ui), step = rh + t.px(3);
    const auto p = paginate(static_cast<int>(v.orders.size()),
                            static_cast<int>((a.bottom - bh - t.gap() - y + t.px(3)) / step), v.page);
    for (int i = p.first; i < p.end; ++i) {
        const auto& o = v.orders[static_cast<std::size_t>(i)];
        const std::string title = o.pickup_no + "  " + o.who + "  " + o.meal;
        const std::string right =
            (o.refunded ? ui.tr("canteen_staff.refunded")
                        : yuan(ui, o.pay) + " " + ui.tr(payment_method_key(o.method))) +
            "  " + o.time;
        if (ui.list_item("order." + o.pickup_no, title, right, {a.x, y, a.w, rh})) intent = Intent{Intent::Kind::OpenOrder, i};
        y += step;
    }
    button_row(ui, page_buttons(ui, p.page, p.pages), a.x, a.bottom - bh, a.w, intent);
    return intent;
}

std::optional<Intent> staff_order_screen(const StaffOrderView& v, Ui& ui, Layout a) {
    const Theme& t = ui.theme();
    const auto& c = t.colors;
    std::optional<Intent> intent;
    const auto& o = v.order;
    float y = a.y + title_text_with_back(ui, ui.i18n().format("canteen_staff.order_title", {{"pickup", o.pickup_no}}), a,
                                         intent, Intent{Intent::Kind::Back});
    auto line = [&](const std::string& s, Rgb fg) {
        y += ui.paragraph(TextRole::Label, s, a.x, y, a.w, fg, c.background);
    };
    line(o.who + "  " + o.meal + "  " + o.time, c.text);
    line(ui.i18n().format("canteen_staff.order_amounts", {{"price", v.price},
                                                         {"subsidy", v.subsidy},
                                                         {"pay", o.pay},
                                                         {"method", ui.tr(payment_method_key(o.method))}}),
         c.text);
    if (o.staff_assisted) line(ui.tr("canteen.staff_note"), c.text_muted);
    if (o.refunded) line(ui.tr("canteen_staff.refunded"), c.danger);
    y += t.px(2);

    const float bh = t.button_height();
    std::vector<RowButton> buttons;
    if (v.choosing && !o.refunded) {
        y += ui.paragraph(TextRole::Label, ui.tr("canteen_staff.refund_why"), a.x, y, a.w, c.text, c.background);
        y += t.px(2);
        for (std::size_t i = 0; i < v.reasons.size(); ++i)
            buttons.push_back({"reason." + std::to_string(i), v.reasons[i],
                               Intent{Intent::Kind::Refund, static_cast<std::int64_t>(i)}, WidgetKind::Secondary});
        buttons.push_back({"keep", ui.tr("canteen_staff.keep_order"), Intent{Intent::Kind::RefundStart}, WidgetKind::Secondary});
        button_row(ui, buttons, a.x, y, a.w, intent);
        return intent;
    }
    note_line(ui, v.note, v.note_error, a, a.bottom - bh - t.gap());
    buttons.push_back({"reprint", ui.tr("canteen_staff.reprint_ticket"), Intent{Intent::Kind::ReprintTicket}, WidgetKind::Primary});
    if (!o.refunded)
        buttons.push_back({"refund", ui.tr("canteen_staff.refund"), Intent{Intent::Kind::RefundStart}, WidgetKind::Secondary});
    button_row(ui, buttons, a.x, a.bottom - bh, a.w, intent);
    return intent;
}

std::optional<Intent> staff_diners_screen(const StaffDinersView& v, Ui& ui, Layout a) {
    const Theme& t = ui.theme();
    const auto& c = t.colors;
    std::optional<Intent> intent;
    const char* title = v.purpose == DinerPurpose::Order ? "canteen_staff.find_for_order" : "canteen_staff.find_for_top_up";
    float y = a.y + title_with_back(ui, title, a, intent, Intent{Intent::Kind::Back});
    const float bh = t.button_height();
    switch (v.mode) {
        case StaffDinersView::Mode::Surnames: {
            y += ui.paragraph(TextRole::Label, ui.tr("canteen_staff.pick_surname"), a.x, y, a.w, c.text, c.background);
            y += t.px(2);
            const float gap = t.px(4);
            // Keys as tall as any button: the Title-sized surname stays inside.
            const float kh = std::max(t.button_height(), ui.line_height(TextRole::Title) + t.px(2));
            const float kw = std::max(t.px(30), ui.measure(TextRole::Title, "王") + t.px(12));
            const float grid_bottom = a.bottom - bh - t.gap();
            const int cols = std::max(1, static_cast<int>((a.w + gap) / (kw + gap)));
            const int rows = std::max(1, static_cast<int>((grid_bottom - y + gap) / (kh + gap)));
            const auto p = paginate(static_cast<int>(v.surnames.size()), cols * rows, v.page);
            for (int i = p.first; i < p.end; ++i) {
                const int k = i - p.first;
                const Rect r{a.x + static_cast<float>(k % cols) * (kw + gap), y + static_cast<float>(k / cols) * (kh + gap), kw, kh};
                const auto& s = v.surnames[static_cast<std::size_t>(i)];
                if (ui.button("surname." + s, s, r, {WidgetKind::Secondary, TextRole::Title}))
                    intent = Intent{Intent::Kind::PickSurname, i};
            }
            auto buttons = page_buttons(ui, p.page, p.pages);
            buttons.push_back({"by_phone", ui.tr("canteen_staff.by_phone"), Intent{Intent::Kind::DinerByPhone}, WidgetKind::Primary});
            button_row(ui, buttons, a.x, a.bottom - bh, a.w, intent);
            break;
        }
        case StaffDinersView::Mode::Phone: {
            // The digits on the left, the keypad on the right.
            const float kw = std::min(a.w * 0.55f, t.px(190));
            const float lw = a.w - kw - t.gap();
            float ly = y;
            ly += ui.paragraph(TextRole::Label, ui.tr("canteen_staff.phone_prompt"), a.x, ly, lw, c.text, c.background);
            std::string shown;
            for (std::size_t i = 0; i < 4; ++i) {
                if (i > 0) shown += ' ';
                shown += i < v.phone_digits.size() ? std::string(1, v.phone_digits[i]) : std::string("_");
            }
            ui.text(TextRole::Hero, shown, a.x, ly + t.px(2), c.text, c.background);
            ly += ui.line_height(TextRole::Hero) + t.px(4);
            if (!v.note.empty()) ui.paragraph(TextRole::Label, v.note, a.x, ly, lw, c.danger, c.background);
            keypad(ui, {a.x + a.w - kw, y, kw, a.bottom - y}, false, intent);
            break;
        }
        case StaffDinersView::Mode::People: {
            y += ui.paragraph(TextRole::Label, v.heading, a.x, y, a.w, c.text_muted, c.background);
            if (v.diners.empty()) y += ui.paragraph(TextRole::Label, v.note, a.x, y, a.w, c.danger, c.background);
            const float rh = row_height(ui), step = rh + t.px(3);
            const auto p = paginate(static_cast<int>(v.diners.size()),
                                    static_cast<int>((a.bottom - bh - t.gap() - y + t.px(3)) / step), v.page);
            for (int i = p.first; i < p.end; ++i) {
                const auto& d = v.diners[static_cast<std::size_t>(i)];
                if (ui.list_item("diner." + std::to_string(i), d.name, d.detail, {a.x, y, a.w, rh}))
                    intent = Intent{Intent::Kind::PickDiner, i};
                y += step;
            }
            button_row(ui, page_buttons(ui, p.page, p.pages), a.x, a.bottom - bh, a.w, intent);
            break;
        }
    }
    return intent;
}

std::optional<Intent> staff_top_up_screen(const StaffTopUpView& v, Ui& ui, Layout a) {
    const Theme& t = ui.theme();
    const auto& c = t.colors;
    std::optional<Intent> intent;
    float y = a.y + title_with_back(ui, "canteen_staff.top_up", a, intent, Intent{Intent::Kind::Back});
    ui.text(TextRole::Title, v.name, a.x, y, c.text, c.background);
    y += ui.line_height(TextRole::Title);
    ui.text(TextRole::Hero, ui.i18n().format("canteen.balance", {{"amount", v.balance}}), a.x, y, c.text, c.background);
    y += ui.line_height(TextRole::Hero) + t.px(4);
    std::vector<RowButton> amounts;
    for (auto fen : v.amounts_fen)
        amounts.push_back({"amount." + std::to_string(fen / 100),
                           ui.i18n().format("canteen_staff.amount", {{"amount", std::to_string(fen / 100)}}),
                           Intent{Intent::Kind::TopUp, fen}, fen == v.pending ? WidgetKind::Primary : WidgetKind::Secondary});
    y += button_row(ui, amounts, a.x, y, a.w, intent) + t.gap();
    const float bh = t.button_height();
    if (v.pending > 0) {
        // The money is taken first; the second tap records it.
        const std::string amount = std::to_string(v.pending / 100) + "." + (v.pending % 100 < 10 ? "0" : "") +
                                   std::to_string(v.pending % 100);
        y += ui.paragraph(TextRole::Label, ui.i18n().format("canteen_staff.top_up_confirm_words", {{"amount", amount}, {"name", v.name}}),
                          a.x, y, a.w, c.text, c.background);
        button_row(ui, {{"confirm", ui.tr("canteen_staff.top_up_confirm"), Intent{Intent::Kind::TopUpConfirm}, WidgetKind::Primary}},
                   a.x, a.bottom - bh, a.w, intent);
        note_line(ui, v.note, v.note_error, a, a.bottom - bh - t.gap());
    } else {
        note_line(ui, v.note, v.note_error, a, a.bottom);
    }
    return intent;
}

std::optional<Intent> staff_menu_screen(const StaffMenuView& v, Ui& ui, Layout a) {
    const Theme& t = ui.theme();
    const auto& c = t.colors;
    std::optional<Intent> intent;
    float y = a.y + title_with_back(ui, "canteen_staff.menu", a, intent, Intent{Intent::Kind::Back});
    const float bh = t.button_height();
    if (v.periods.size() > 1) {
        std::vector<RowButton> periods;
        for (auto p : v.periods)
            periods.push_back({std::string("period.") + meal_period_key(p), ui.tr(meal_period_key(p)),
                               Intent{Intent::Kind::MenuPeriod, static_cast<std::int64_t>(p)},
                               p == v.period ? WidgetKind::Primary : WidgetKind::Secondary});
        y += button_row(ui, periods, a.x, y, a.w, intent) + t.gap();
    }
    if (v.items.empty()) ui.paragraph(TextRole::Label, ui.tr("canteen_staff.no_menu"), a.x, y, a.w, c.text, c.background);
    // Each row: the meal, its price with -/+, its portions with -/+.
    const float rh = std::max(row_height(ui), t.small_button_height());
    // The widest key's label on one line, with the button's own padding.
    const float key_w = std::max(t.px(26), ui.measure(TextRole::Label, "+0.50") + t.px(10));
    const float price_w = ui.measure(TextRole::Label, ui.i18n().format("canteen.yuan", {{"amount", "100.00"}})) + t.px(4);
    const float limit_w = ui.measure(TextRole::Label, ui.i18n().format("canteen_staff.limit_sold", {{"limit", "100"}, {"sold", "100"}})) + t.px(4);
    const float controls = 4 * key_w + price_w + limit_w + 5 * t.px(3);
    // On a narrow screen the meal's name goes on its own line above its keys.
    const bool stacked = a.w - controls - t.gap() < t.px(45);
    const float name_w = stacked ? a.w : a.w - controls - t.gap();
    const float name_h = stacked ? ui.line_height(TextRole::Label) : 0;
    const float step = name_h + rh + t.px(3);
    const auto p = paginate(static_cast<int>(v.items.size()),
                            static_cast<int>((a.bottom - bh - t.gap() - y + t.px(3)) / step), v.page);
    for (int i = p.first; i < p.end; ++i) {
        const auto& it = v.items[static_cast<std::size_t>(i)];
        float x = a.x;
        if (stacked) {
            ui.text_fit(TextRole::Label, it.name, {x, y, name_w, name_h}, Align::Left, c.text, c.background);
            y += name_h;
        } else {
            ui.text_fit(TextRole::Label, it.name, {x, y, name_w, rh}, Align::Left, c.text, c.background);
            x += name_w + t.gap();
        }
        auto key = [&](const char* label, int op) {
            const std::string id = "item" + std::to_string(i) + "." + std::to_string(op);
            if (ui.button(id, label, {x, y, key_w, rh}, {WidgetKind::Secondary, TextRole::Label}))
                intent = Intent{Intent::Kind::MenuAdjust, static_cast<std::int64_t>(i) * 4 + op};
            x += key_w + t.px(3);
        };
        key("-0.50", 0);
        ui.text_in(TextRole::Label, yuan(ui, it.price), {x, y, price_w, rh}, Align::Center, c.text, c.background);
        x += price_w + t.px(3);
        key("+0.50", 1);
        key("-5", 2);
        const std::string limit =
            it.limit > 0 ? ui.i18n().format("canteen_staff.limit_sold", {{"limit", std::to_string(it.limit)}, {"sold", std::to_string(it.sold)}})
                         : ui.i18n().format("canteen_staff.no_limit_sold", {{"sold", std::to_string(it.sold)}});
        ui.text_fit(TextRole::Label, limit, {x, y, limit_w, rh}, Align::Center,
                    it.limit > 0 && it.sold >= it.limit ? c.danger : c.text, c.background);
        x += limit_w + t.px(3);
        key("+5", 3);
        y += rh + t.px(3);
    }
    auto buttons = page_buttons(ui, p.page, p.pages);
    note_line(ui, v.note, false, a, a.bottom - (buttons.empty() ? 0 : bh + t.gap()));
    button_row(ui, buttons, a.x, a.bottom - bh, a.w, intent);
    return intent;
}

std::optional<Intent> staff_delivery_screen(const StaffDeliveryView& v, Ui& ui, Layout a) {
    const Theme& t = ui.theme();
    const auto& c = t.colors;
    std::optional<Intent> intent;
    float y = a.y + title_with_back(ui, "canteen_staff.reservations", a, intent, Intent{Intent::Kind::Back});
    const float bh = t.button_height();
    if (v.rows.empty()) ui.text(TextRole::Label, ui.tr("canteen_staff.no_reservations"), a.x, y, c.text, c.background);
    const bool selected = v.selected >= 0 && v.selected < static_cast<int>(v.rows.size());
    const float rh = row_height(ui), step = rh + t.px(3);
    float list_bottom = a.bottom - bh - t.gap();
    if (selected) list_bottom -= ui.line_height(TextRole::Label) + t.gap();
    if (!v.note.empty()) list_bottom -= ui.paragraph_height(TextRole::Label, v.note, a.w) + t.px(2);
    const auto p = paginate(static_cast<int>(v.rows.size()), static_cast<int>((list_bottom - y + t.px(3)) / step), v.page);
    for (int i = p.first; i < p.end; ++i) {
        const auto& r = v.rows[static_cast<std::size_t>(i)];
        const std::string title = r.day + r.period + "  " + r.name + "  " + r.meal;
        std::string right = r.fulfilled ? ui.tr("canteen_staff.fulfilled")
                            : r.delivery ? ui.i18n().format("canteen_staff.deliver_to", {{"address", r.address}})
                                         : ui.tr("canteen_staff.pickup");
        if (ui.list_item("reservation." + std::to_string(i), title, right, {a.x, y, a.w, rh}))
            intent = Intent{Intent::Kind::SelectReservation, i};
        if (i == v.selected) ui.outline({a.x, y, a.w, rh}, c.primary, t.px(1.2), t.radius());
        y += step;
    }
    // From the bottom up: the buttons, the chosen reservation, the note.
    float above = a.bottom - bh - t.gap();
    auto buttons = page_buttons(ui, p.page, p.pages);
    buttons.push_back({"print_delivery", ui.tr("canteen_staff.print_delivery"), Intent{Intent::Kind::PrintDelivery},
                       WidgetKind::Primary});
    if (selected) {
        const auto& r = v.rows[static_cast<std::size_t>(v.selected)];
        if (!r.fulfilled)
            buttons.push_back({"cancel_reservation", ui.tr("canteen_staff.cancel_reservation"),
                               Intent{Intent::Kind::CancelReservation}, WidgetKind::Secondary});
        const float lh = ui.line_height(TextRole::Label);
        ui.text_fit(TextRole::Label,
                    ui.i18n().format("canteen_staff.selected", {{"who", r.name + " " + r.day + r.period + " " + r.meal}}),
                    {a.x, above - lh, a.w, lh}, Align::Left, c.text, c.background);
        above -= lh + t.gap();
    }
    note_line(ui, v.note, v.note_error, a, above);
    button_row(ui, buttons, a.x, a.bottom - bh, a.w, intent);
    return intent;
}

std::optional<Intent> day_close_screen(const DayCloseView& v, Ui& ui, Layout a) {
    const Theme& t = ui.theme();
    const auto& c = t.colors;
    std::optional<Intent> intent;
    float y = a.y + title_text_with_back(ui, ui.i18n().format("canteen_staff.day_close_title", {{"day", v.day}}), a, intent,
                                         Intent{Intent::Kind::Back});
    const float bh = t.button_height();
    float bottom = a.bottom - bh - t.gap();
    if (!v.note.empty()) bottom -= ui.paragraph_height(TextRole::Label, v.note, a.w) + t.px(2);
    // Sections flow down columns, newspaper-like; what does not fit goes to the next page.
    const float gap = t.px(10);
    const int cols = a.w >= t.px(330) ? 3 : 2;
    const float cw = (a.w - static_cast<float>(cols - 1) * gap) / static_cast<float>(cols);
    const float lh = ui.line_height(TextRole::Body) + t.px(0.5f);
    const float hh = ui.line_height(TextRole::Label) + t.px(1);
    struct Placed {
        int page, col;
        float y;
    };
    std::vector<Placed> placed;
    int page = 0, col = 0;
    float cy = y;
    for (const auto& s : v.sections) {
        const float h = hh + static_cast<float>(s.lines.size()) * lh + t.px(3);
        if (cy + h > bottom && cy > y) {
            cy = y;
            if (++col == cols) {
                col = 0;
                ++page;
            }
        }
        placed.push_back({page, col, cy});
        cy += h;
    }
    const int pages = page + 1;
    const int shown = std::clamp(v.page, 0, pages - 1);
    for (std::size_t i = 0; i < v.sections.size(); ++i) {
        if (placed[i].page != shown) continue;
        const auto& s = v.sections[i];
        const float x = a.x + static_cast<float>(placed[i].col) * (cw + gap);
        float sy = placed[i].y;
        ui.text_fit(TextRole::Label, s.title, {x, sy, cw, hh}, Align::Left, c.text, c.background);
        sy += hh;
        ui.fill({x, sy - t.px(1), cw, t.px(0.5)}, c.border);
        for (const auto& [label, value] : s.lines) {
            if (sy + lh > bottom) break;  // a single section taller than the page
            label_value(ui, TextRole::Body, label, value, {x, sy, cw, lh}, c.text);
            sy += lh;
        }
    }
    note_line(ui, v.note, v.note_error, a, a.bottom - bh - t.gap());
    auto buttons = page_buttons(ui, shown, pages);
    if (v.printer)
        buttons.push_back({"print_day_close", ui.tr("canteen_staff.print_day_close"), Intent{Intent::Kind::PrintDayClose},
                           WidgetKind::Primary});
    buttons.push_back({"export_day_close", ui.tr("canteen_staff.export_day_close"), Intent{Intent::Kind::ExportDayClose},
                       WidgetKind::Primary});
    button_row(ui, buttons, a.x, a.bottom - bh, a.w, intent);
    return intent;
}

}  // namespace kiosk::ui
