// The kiosk's screens: each draws its view-model and returns an intent.
//
// [SECTION] Names and labels
// [SECTION] Shared pieces: top bar, icons, button rows
// [SECTION] Screens: idle, check-in prompt, greeting, message, notices, notice
// [SECTION] Countdown overlay and the frame
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "kiosk/ui/text_layout.hpp"
#include "kiosk/ui/view.hpp"
#include "kiosk/ui/widgets.hpp"
#include "canteen_screens.hpp"
#include "screen_parts.hpp"

namespace kiosk::ui {

// ---------------------------------------------------------------------------
// [SECTION] Names and labels
// ---------------------------------------------------------------------------

const char* service_label_key(Service s) {
    switch (s) {
        case Service::CheckIn: return "service.check_in";
        case Service::Report: return "service.report";
        case Service::Notices: return "service.notices";
        case Service::Activities: return "service.activities";
        case Service::Volunteer: return "service.volunteer";
        case Service::Order: return "service.order";
        case Service::DayCareIn: return "service.day_care_in";
        case Service::DayCareOut: return "service.day_care_out";
    }
    return "service.check_in";
}

const char* screen_name(const ScreenView& s) {
    struct V {
        const char* operator()(const IdleView&) const { return "idle"; }
        const char* operator()(const CheckInPromptView&) const { return "check_in_prompt"; }
        const char* operator()(const GreetingView&) const { return "greeting"; }
        const char* operator()(const MessageView& m) const {
            switch (m.kind) {
                case MessageView::Kind::UnknownPerson: return "unknown_person";
                case MessageView::Kind::InvalidId: return "invalid_id";
                case MessageView::Kind::StoreError: return "store_error";
            }
            return "message";
        }
        const char* operator()(const NoticesView&) const { return "notices"; }
        const char* operator()(const NoticeView&) const { return "notice"; }
        const char* operator()(const StaffPinView&) const { return "staff_pin"; }
        const char* operator()(const StaffHomeView&) const { return "staff_home"; }
        const char* operator()(const StaffDevicesView&) const { return "staff_devices"; }
        const char* operator()(const StaffReceiptsView&) const { return "staff_receipts"; }
        const char* operator()(const StaffReceiptView&) const { return "staff_receipt"; }
        const char* operator()(const MenuView&) const { return "menu"; }
        const char* operator()(const QuoteView&) const { return "quote"; }
        const char* operator()(const OrderDoneView&) const { return "order_done"; }
        const char* operator()(const QrPayView&) const { return "qr_pay"; }
        const char* operator()(const StaffCountsView&) const { return "staff_counts"; }
        const char* operator()(const StaffOrdersView&) const { return "staff_orders"; }
        const char* operator()(const StaffOrderView&) const { return "staff_order"; }
        const char* operator()(const StaffDinersView&) const { return "staff_diners"; }
        const char* operator()(const StaffTopUpView&) const { return "staff_top_up"; }
        const char* operator()(const StaffMenuView&) const { return "staff_menu"; }
        const char* operator()(const StaffDeliveryView&) const { return "staff_delivery"; }
        const char* operator()(const DayCloseView&) const { return "day_close"; }
    };
    return std::visit(V{}, s);
}

namespace {

using namespace parts;

const char* notice_kind_key(core::NoticeKind k) {
    switch (k) {
        case core::NoticeKind::Policy: return "notice_kind.policy";
        case core::NoticeKind::AntiFraud: return "notice_kind.anti_fraud";
        case core::NoticeKind::Activity: return "notice_kind.activity";
        case core::NoticeKind::Health: return "notice_kind.health";
    }
    return "notice_kind.policy";
}

constexpr const char* kWeekdayKeys[] = {"weekday.0", "weekday.1", "weekday.2", "weekday.3",
                                        "weekday.4", "weekday.5", "weekday.6"};
constexpr const char* kMonthKeys[] = {"month.1", "month.2", "month.3", "month.4",  "month.5",  "month.6",
                                      "month.7", "month.8", "month.9", "month.10", "month.11", "month.12"};

std::string date_text(const Ui& ui, const LocalTime& t) {
    const int m = std::clamp(t.date.month, 1, 12);
    const std::string year = std::to_string(t.date.year), month = std::to_string(t.date.month),
                      day = std::to_string(t.date.day);
    return ui.i18n().format("date.format", {{"year", year},
                                            {"month", month},
                                            {"day", day},
                                            {"month_name", ui.tr(kMonthKeys[m - 1])},
                                            {"weekday", ui.tr(kWeekdayKeys[std::clamp(t.weekday, 0, 6)])}});
}

std::string clock_text(const LocalTime& t) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%02d:%02d", t.hour, t.minute);
    return buf;
}

std::string short_date(const core::CivilDate& d) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%02d-%02d", d.month, d.day);
    return buf;
}

// ---------------------------------------------------------------------------
// [SECTION] Shared pieces
// ---------------------------------------------------------------------------


std::optional<Intent> top_bar(const TopBarView& v, Ui& ui, Layout& out) {
    const Theme& t = ui.theme();
    const auto& c = t.colors;
    const float h = t.topbar_height();
    ui.fill({0, 0, ui.width(), h}, c.topbar);
    std::optional<Intent> intent;

    // Right to left: large-text toggle, language switch, clock.
    const float bh = t.small_button_height();
    const float by = (h - bh) / 2;
    const float pad = t.px(6);
    float right = ui.width() - t.margin();
    auto toggle = [&](const char* id, const std::string& label, Intent::Kind kind) {
        const float w = std::max(t.px(34), ui.measure(TextRole::Label, label) + 2 * pad);
        if (ui.button(id, label, {right - w, by, w, bh}, {WidgetKind::Toggle, TextRole::Label})) intent = Intent{kind};
        right -= w + t.gap();
    };
    toggle("large_text", ui.tr(t.large_text() ? "topbar.normal_text" : "topbar.large_text"),
           Intent::Kind::ToggleLargeText);
    toggle("language", ui.tr("topbar.switch_language"), Intent::Kind::ToggleLanguage);

    const std::string clock = clock_text(v.now);
    const float cw = ui.measure(TextRole::Label, clock);
    ui.text_in(TextRole::Label, clock, {right - cw, 0, cw, h}, Align::Left, c.on_topbar, c.topbar);
    right -= cw + t.gap();

    // The site name takes what is left; a smaller role before an ellipsis.
    const float room = right - t.margin();
    TextRole role = TextRole::Label;
    if (ui.measure(role, v.site_name) > room) role = TextRole::Body;
    const Rect name = ui.text_in(role, v.site_name, {t.margin(), 0, room, h}, Align::Left, c.on_topbar, c.topbar);
    // Staff mode: a 3 s press on the site name (elder-ux: staff entry may use a
    // hidden long press; residents never need it).
    if (v.staff_entry) {
        const float w = std::min(room - t.gap(), std::max(name.w, t.px(30)));
        if (ui.hold_area("staff_entry", v.site_name, {t.margin(), by, w, bh}, 3.0f)) intent = Intent{Intent::Kind::StaffEntry};
    }

    out = {t.margin(), h + t.px(5), ui.width() - 2 * t.margin(), ui.height() - t.margin()};
    return intent;
}


// ---------------------------------------------------------------------------
// [SECTION] Screens
// ---------------------------------------------------------------------------

std::optional<Intent> idle(const IdleView& v, const TopBarView& top, Ui& ui, Layout a) {
    const Theme& t = ui.theme();
    const auto& c = t.colors;
    std::optional<Intent> intent;

    ui.text(TextRole::Body, date_text(ui, top.now), a.x, a.y, c.text, c.background);
    float y = a.y + ui.line_height(TextRole::Body) + t.px(4);

    // The prompt: what to do, with a picture of the card. Both texts wrap
    // rather than being cut, and the panel grows to hold them.
    const float pad = t.px(6);
    const float icon_w = t.px(36);
    const float tx = a.x + t.px(8) + icon_w + t.px(8);
    const float tw = a.x + a.w - tx - pad;
    const float title_h = ui.paragraph_height(TextRole::Title, ui.tr("idle.prompt"), tw);
    const float hint_h = ui.paragraph_height(TextRole::Body, ui.tr("idle.hint"), tw);
    const float panel_h = std::max(title_h + hint_h, icon_w / 1.5f) + 2 * pad;
    const Rect panel{a.x, y, a.w, panel_h};
    ui.framed(panel, c.surface, c.border, t.px(0.8), t.radius());
    const float icon_h = icon_w / 1.5f;
    card_icon(ui, {panel.x + t.px(8), panel.y + (panel_h - icon_h) / 2, icon_w, icon_h});
    float ty = panel.y + pad;
    ty += ui.paragraph(TextRole::Title, ui.tr("idle.prompt"), tx, ty, tw, c.text, c.surface);
    ui.paragraph(TextRole::Body, ui.tr("idle.hint"), tx, ty, tw, c.text_muted, c.surface);
    y = panel.bottom() + t.gap();

    y += button_row(ui, service_buttons(ui, v.services), a.x, y, a.w, intent) + t.gap();

    // The notice strip: as many headlines as fit, each a tappable row.
    const float rh = row_height(ui);
    const float label_w = ui.measure(TextRole::Label, ui.tr("idle.notices")) + t.px(4);
    float ny = y;
    for (const auto& n : v.notices) {
        if (ny + rh > a.bottom) break;
        if (ny == y) ui.text_in(TextRole::Label, ui.tr("idle.notices"), {a.x, ny, label_w, rh}, Align::Left, c.text, c.background);
        const std::string id = "notice." + std::to_string(n.id);
        if (ui.list_item(id, n.title, ui.tr(notice_kind_key(n.kind)), {a.x + label_w, ny, a.w - label_w, rh}))
            intent = Intent{Intent::Kind::OpenNotice, n.id};
        ny += rh + t.px(4);
    }
    return intent;
}

std::optional<Intent> check_in_prompt(Ui& ui, Layout a) {
    const Theme& t = ui.theme();
    const auto& c = t.colors;
    std::optional<Intent> intent;
    ui.text(TextRole::Title, ui.tr("checkin_prompt.title"), a.x, a.y, c.text, c.background);
    float y = a.y + ui.line_height(TextRole::Title) + t.px(4);
    const float icon_h = t.px(36);
    card_icon(ui, {a.x + (a.w - icon_h * 1.5f) / 2, y, icon_h * 1.5f, icon_h});
    y += icon_h + t.px(5);
    y += ui.paragraph(TextRole::Label, ui.tr("checkin_prompt.body"), a.x, y, a.w, c.text, c.background, Align::Center);
    y += t.px(3);
    ui.paragraph(TextRole::Body, ui.tr("checkin_prompt.forgot"), a.x, y, a.w, c.text_muted, c.background, Align::Center);
    const float bh = t.button_height();
    button_row(ui, {{"back", ui.tr("common.back"), Intent{Intent::Kind::Back}, WidgetKind::Secondary}}, a.x,
               a.bottom - bh, a.w, intent);
    return intent;
}

std::optional<Intent> greeting(const GreetingView& v, Ui& ui, Layout a) {
    const Theme& t = ui.theme();
    const auto& c = t.colors;
    std::optional<Intent> intent;
    float y = a.y + t.px(4);

    const std::string hello = v.form.empty() ? ui.i18n().format("greeting.hello_plain", {{"name", v.name}})
                                             : ui.i18n().format("greeting.hello_form", {{"name", v.name}, {"form", v.form}});
    y += ui.paragraph(TextRole::Hero, hello, a.x, y, a.w, c.text, c.background, Align::Center);
    y += t.px(2);

    // "身份证号  130***********0024"
    const std::string& label = ui.tr("greeting.id_label");
    const float lw = ui.measure(TextRole::Body, label), gap = t.px(4);
    const float nw = ui.measure(TextRole::Label, v.masked_id);
    const float lx = a.x + (a.w - (lw + gap + nw)) / 2;
    const float lh = ui.line_height(TextRole::Label);
    ui.text_in(TextRole::Body, label, {lx, y, lw, lh}, Align::Left, c.text_muted, c.background);
    ui.text(TextRole::Label, v.masked_id, lx + lw + gap, y, c.text, c.background);
    y += lh + t.px(5);

    // The outcome in words, with an icon, on a coloured band (colour is never the only signal).
    const Rgb band = v.recorded ? c.success : c.primary;
    const Rgb on_band = v.recorded ? c.on_success : c.on_primary;
    const std::string outcome = ui.i18n().format(v.recorded ? "greeting.checked_in" : "greeting.already", {{"time", v.time}});
    const float th = ui.line_height(TextRole::Title);
    const float icon = th * 0.9f;
    const float room = a.w - icon - t.px(24);  // the text's share of a full-width band
    const float text_w = std::min(room, ui.measure(TextRole::Title, outcome));
    const float text_h = ui.paragraph_height(TextRole::Title, outcome, text_w);
    const float band_h = text_h + t.px(8);
    const float ow = text_w + icon + t.px(24);
    const Rect r{a.x + (a.w - ow) / 2, y, ow, band_h};
    ui.fill(r, band, t.radius());
    const Rect mark{r.x + t.px(7), r.y + (band_h - icon) / 2, icon, icon};
    if (v.recorded) check_icon(mark, on_band);
    else sign_icon(mark, on_band, band, true);
    ui.paragraph(TextRole::Title, outcome, mark.right() + t.px(10), r.y + t.px(4), text_w, on_band, band);

    if (!v.print_note.empty()) {
        const float ny = r.bottom() + t.px(4);
        ui.paragraph(TextRole::Label, v.print_note, a.x, ny, a.w, v.print_note_error ? c.danger : c.success, c.background,
                     Align::Center, 2);
    }

    auto buttons = service_buttons(ui, v.services);
    if (v.slip_button)
        buttons.push_back({"print_slip", ui.tr("greeting.print_slip"), Intent{Intent::Kind::PrintSlip}, WidgetKind::Secondary});
    buttons.push_back({"finish", ui.tr("greeting.finish"), Intent{Intent::Kind::Finish}, WidgetKind::Primary});
    for (auto& b : buttons)
        if (b.id != "finish") b.kind = WidgetKind::Secondary;
    const float bh = t.button_height();
    button_row(ui, buttons, a.x, a.bottom - bh, a.w, intent);
    return intent;
}

std::optional<Intent> message(const MessageView& v, Ui& ui, Layout a) {
    const Theme& t = ui.theme();
    const auto& c = t.colors;
    std::optional<Intent> intent;
    const char* title = "unknown.title";
    const char* body = "unknown.body";
    switch (v.kind) {
        case MessageView::Kind::UnknownPerson: break;
        case MessageView::Kind::InvalidId:
            title = "invalid_id.title";
            body = "invalid_id.body";
            break;
        case MessageView::Kind::StoreError:
            title = "store_error.title";
            body = "store_error.body";
            break;
    }
    // Fit above the button: first without the icon, then with the
    // explanation in body size, rather than letting text run into 好的.
    const float bh = t.button_height();
    const float room = a.bottom - bh - t.gap() - a.y;
    const float text_w = a.w - t.px(20);
    const float title_h = ui.paragraph_height(TextRole::Title, ui.tr(title), a.w);
    TextRole body_role = TextRole::Label;
    float body_h = ui.paragraph_height(body_role, ui.tr(body), text_w);
    float icon = t.px(26);
    if (icon + t.px(10) + title_h + t.px(3) + body_h > room) icon = 0;
    if (title_h + t.px(3) + body_h > room) {
        body_role = TextRole::Body;
        body_h = ui.paragraph_height(body_role, ui.tr(body), text_w);
    }
    float y = a.y + (icon > 0 ? t.px(6) : 0);
    if (icon > 0) {
        sign_icon({a.x + (a.w - icon) / 2, y, icon, icon},
                  v.kind == MessageView::Kind::UnknownPerson ? c.primary : c.danger, c.on_primary,
                  v.kind == MessageView::Kind::UnknownPerson);
        y += icon + t.px(4);
    }
    y += ui.paragraph(TextRole::Title, ui.tr(title), a.x, y, a.w, c.text, c.background, Align::Center);
    y += t.px(3);
    ui.paragraph(body_role, ui.tr(body), a.x + t.px(10), y, text_w, c.text, c.background, Align::Center);
    // 好的 only dismisses the message: a resident who chose English or large
    // text keeps it until the session ends.
    button_row(ui, {{"ok", ui.tr("common.ok"), Intent{Intent::Kind::Back}, WidgetKind::Primary}}, a.x,
               a.bottom - bh, a.w, intent);
    return intent;
}

std::optional<Intent> notices(const NoticesView& v, Ui& ui, Layout a) {
    const Theme& t = ui.theme();
    const auto& c = t.colors;
    std::optional<Intent> intent;
    const float th = ui.line_height(TextRole::Title);
    ui.text(TextRole::Title, ui.tr("notices.title"), a.x, a.y, c.text, c.background);
    float y = a.y + th + t.px(3);
    const float bh = t.button_height();
    const float list_bottom = a.bottom - bh - t.gap();
    if (v.notices.empty()) ui.text(TextRole::Label, ui.tr("notices.empty"), a.x, y, c.text, c.background);

    const float rh = row_height(ui), step = rh + t.gap();
    const int per_page = std::max(1, static_cast<int>((list_bottom - y + t.gap()) / step));
    const int count = static_cast<int>(v.notices.size());
    const int pages = std::max(1, (count + per_page - 1) / per_page);
    const int page = std::clamp(v.page, 0, pages - 1);
    for (int i = page * per_page; i < std::min(count, (page + 1) * per_page); ++i) {
        const auto& n = v.notices[static_cast<std::size_t>(i)];
        const std::string right = ui.tr(notice_kind_key(n.kind)) + "  " + short_date(n.published);
        if (ui.list_item("notice." + std::to_string(n.id), n.title, right, {a.x, y, a.w, rh}))
            intent = Intent{Intent::Kind::OpenNotice, n.id};
        y += step;
    }
    page_label(ui, page, pages, {a.x, a.y, a.w, th});
    auto buttons = page_buttons(ui, page, pages);
    buttons.push_back({"back", ui.tr("common.back"), Intent{Intent::Kind::Back}, WidgetKind::Secondary});
    button_row(ui, buttons, a.x, a.bottom - bh, a.w, intent);
    return intent;
}

std::optional<Intent> notice(const NoticeView& v, Ui& ui, Layout a) {
    const Theme& t = ui.theme();
    const auto& c = t.colors;
    std::optional<Intent> intent;
    float y = a.y;
    y += ui.paragraph(TextRole::Title, v.notice.title, a.x, y, a.w, c.text, c.background);
    const std::string issued =
        ui.i18n().format("notices.issuer", {{"issuer", v.notice.issuer}, {"date", v.notice.published.iso()}});
    ui.text(TextRole::Body, issued, a.x, y, c.text_muted, c.background);
    y += ui.line_height(TextRole::Body) + t.px(3);

    // The body in pages: no scrolling gesture is ever needed.
    const float bh = t.button_height();
    const float body_bottom = a.bottom - bh - t.gap();
    const float lh = ui.line_height(TextRole::Body);
    const int per_page = std::max(1, static_cast<int>((body_bottom - y) / lh));
    const auto broken = break_lines(v.notice.body, a.w, [&](std::string_view p) { return ui.measure(TextRole::Body, p); });
    const int pages = std::max(1, (static_cast<int>(broken.size()) + per_page - 1) / per_page);
    const int page = std::clamp(v.page, 0, pages - 1);
    for (int i = page * per_page; i < std::min(static_cast<int>(broken.size()), (page + 1) * per_page); ++i) {
        ui.text(TextRole::Body, broken[static_cast<std::size_t>(i)], a.x, y, c.text, c.background);
        y += lh;
    }

    auto buttons = page_buttons(ui, page, pages);
    buttons.push_back({"read", ui.tr("notices.read_aloud"), Intent{Intent::Kind::ReadAloud}, WidgetKind::Primary});
    if (v.print_button)
        buttons.push_back({"print", ui.tr("notices.print"), Intent{Intent::Kind::PrintNotice}, WidgetKind::Secondary});
    buttons.push_back({"back", ui.tr("common.back"), Intent{Intent::Kind::Back}, WidgetKind::Secondary});
    button_row(ui, buttons, a.x, a.bottom - bh, a.w, intent);
    if (!v.print_note.empty()) {
        // Over the last body line: the outcome matters more than the page number.
        ui.fill({a.x, body_bottom - lh, a.w, lh}, c.background);
        ui.paragraph(TextRole::Body, v.print_note, a.x, body_bottom - lh, a.w, v.print_note_error ? c.danger : c.success,
                     c.background, Align::Left, 1);
    } else {
        page_label(ui, page, pages, {a.x, body_bottom - lh, a.w, lh});
    }
    return intent;
}

// ---------------------------------------------------------------------------
// [SECTION] Staff mode: PIN, home, devices
// ---------------------------------------------------------------------------

std::optional<Intent> staff_pin(const StaffPinView& v, Ui& ui, Layout a) {
    const Theme& t = ui.theme();
    const auto& c = t.colors;
    std::optional<Intent> intent;
    // One row: the title, the digits typed so far as dots, the outcome of the
    // last try, and 返回 — so the keys below can be full size.
    const float row_h = title_with_back(ui, "staff.pin_title", a, intent, Intent{Intent::Kind::StaffExit});
    const float bh = t.small_button_height();
    std::string dots;
    for (int i = 0; i < std::max(v.length, v.entered); ++i) dots += i < v.entered ? "●" : "○";
    const float dx = a.x + ui.measure(TextRole::Title, ui.tr("staff.pin_title")) + t.gap();
    const Rect dots_box = ui.text_in(TextRole::Label, dots, {dx, a.y, a.w, bh}, Align::Left, c.text, c.background);
    std::string note;
    if (v.locked_seconds > 0) note = ui.i18n().format("staff.pin_locked", {{"seconds", std::to_string(v.locked_seconds)}});
    else if (v.wrong) note = ui.tr("staff.pin_wrong");
    if (!note.empty()) {
        const float back_w = std::max(t.px(34), ui.measure(TextRole::Label, ui.tr("common.back")) + t.px(12));
        const float nx = dots_box.right() + t.gap();
        ui.text_in(TextRole::Body, note, {nx, a.y, a.x + a.w - back_w - t.gap() - nx, bh}, Align::Right, c.danger,
                   c.background);
    }
    const float y = a.y + row_h;

    keypad(ui, {a.x, y, a.w, a.bottom - y}, v.locked_seconds > 0, intent);
    return intent;
}

std::optional<Intent> staff_home(const StaffHomeView& v, Ui& ui, Layout a) {
    const Theme& t = ui.theme();
    const auto& c = t.colors;
    std::optional<Intent> intent;
    float y = a.y + title_with_back(ui, "staff.title", a, intent, Intent{Intent::Kind::StaffExit});
    if (!v.message.empty()) {
        y += ui.paragraph(TextRole::Label, v.message, a.x, y, a.w, v.message_is_error ? c.danger : c.success, c.background);
        y += t.px(3);
    }
    if (v.canteen) {
        // The canteen's daily work comes first; device care below it.
        using K = Intent::Kind;
        const std::vector<RowButton> canteen{
            {"counts", ui.tr("canteen_staff.counts"), Intent{K::StaffCounts}, WidgetKind::Primary},
            {"orders", ui.tr("canteen_staff.orders"), Intent{K::StaffOrders}, WidgetKind::Primary},
            {"assist", ui.tr("canteen_staff.assist"), Intent{K::StaffAssist}, WidgetKind::Primary},
            {"top_up", ui.tr("canteen_staff.top_up"), Intent{K::StaffTopUpStart}, WidgetKind::Primary},
            {"menu", ui.tr("canteen_staff.menu"), Intent{K::StaffMenu}, WidgetKind::Primary},
            {"reservations", ui.tr("canteen_staff.reservations"), Intent{K::StaffDelivery}, WidgetKind::Primary},
            {"day_close", ui.tr("canteen_staff.day_close"), Intent{K::StaffDayClose}, WidgetKind::Primary}};
        y += button_row(ui, canteen, a.x, y, a.w, intent) + t.px(6);
    }
    std::vector<RowButton> buttons{{"devices", ui.tr("staff.devices"), Intent{Intent::Kind::StaffDevices},
                                    v.canteen ? WidgetKind::Secondary : WidgetKind::Primary}};
    if (v.receipt_printer) {
        buttons.push_back({"receipts", ui.tr("staff.receipts"), Intent{Intent::Kind::StaffReceipts}, WidgetKind::Primary});
        buttons.push_back({"test_print", ui.tr("staff.test_print"), Intent{Intent::Kind::StaffTestPrint}, WidgetKind::Secondary});
    }
    if (v.a4_printer)
        buttons.push_back({"test_a4", ui.tr("staff.test_a4"), Intent{Intent::Kind::StaffTestA4}, WidgetKind::Secondary});
    buttons.push_back({"exit", ui.tr("staff.exit"), Intent{Intent::Kind::StaffExit}, WidgetKind::Secondary});
    button_row(ui, buttons, a.x, y, a.w, intent);
    return intent;
}

const char* device_name_key(DeviceKind k) {
    switch (k) {
        case DeviceKind::CardReader: return "device.card_reader";
        case DeviceKind::IdReader: return "device.id_reader";
        case DeviceKind::ReceiptPrinter: return "device.receipt_printer";
        case DeviceKind::A4Printer: return "device.a4_printer";
        case DeviceKind::Hotplug: return "device.hotplug";
        case DeviceKind::Storage: return "device.storage";
    }
    return "device.card_reader";
}

const char* device_state_key(DeviceStateView s) {
    switch (s) {
        case DeviceStateView::Absent: return "device_state.absent";
        case DeviceStateView::Ready: return "device_state.ready";
        case DeviceStateView::Degraded: return "device_state.degraded";
        case DeviceStateView::Fault: return "device_state.fault";
    }
    return "device_state.absent";
}

std::optional<Intent> staff_devices(const StaffDevicesView& v, Ui& ui, Layout a) {
    const Theme& t = ui.theme();
    const auto& c = t.colors;
    std::optional<Intent> intent;
    float y = a.y + title_with_back(ui, "staff.devices", a, intent, Intent{Intent::Kind::Back});
    const float bh = t.button_height();
    const float list_bottom = a.bottom - bh - t.gap();
    const float lh_label = ui.line_height(TextRole::Label), lh_body = ui.line_height(TextRole::Body);
    const float row_h = lh_label + 2 * lh_body + t.px(4);
    const int per_page = std::max(1, static_cast<int>((list_bottom - y) / row_h));
    const int count = static_cast<int>(v.devices.size());
    const int pages = std::max(1, (count + per_page - 1) / per_page);
    const int page = std::clamp(v.page, 0, pages - 1);
    for (int i = page * per_page; i < std::min(count, (page + 1) * per_page); ++i) {
        const auto& d = v.devices[static_cast<std::size_t>(i)];
        // The state in words, on a band whose colour repeats it.
        const Rgb band = d.state == DeviceStateView::Ready      ? c.success
                         : d.state == DeviceStateView::Degraded ? c.primary
                                                                : c.danger;
        const std::string& state = ui.tr(device_state_key(d.state));
        const float sw = ui.measure(TextRole::Label, state) + t.px(8);
        const Rect chip{a.x + a.w - sw, y, sw, lh_label};
        ui.fill(chip, band, t.radius());
        ui.text_in(TextRole::Label, state, chip, Align::Center, c.on_success, band);
        ui.text_in(TextRole::Label, ui.tr(device_name_key(d.kind)), {a.x, y, a.w - sw - t.gap(), lh_label}, Align::Left,
                   c.text, c.background);
        float ry = y + lh_label;
        std::string line = d.status_key.empty() ? d.status : ui.tr(d.status_key);
        if (!d.last_event.empty()) line += "  " + ui.i18n().format("staff.last_event", {{"time", d.last_event}});
        ui.paragraph(TextRole::Body, line, a.x, ry, a.w, c.text, c.background, Align::Left, 1);
        ry += lh_body;
        const std::string detail = d.last_error.empty() ? d.driver : d.last_error;
        ui.paragraph(TextRole::Body, detail, a.x, ry, a.w, d.last_error.empty() ? c.text_muted : c.danger, c.background,
                     Align::Left, 1);
        y += row_h;
    }
    // 返回 is at the top; the bottom row only pages.
    button_row(ui, page_buttons(ui, page, pages), a.x, a.bottom - bh, a.w, intent);
    return intent;
}

std::string receipt_status(Ui& ui, const ReceiptRow& r) {
    std::string out = ui.tr(r.state_key);
    if (!r.reason_key.empty()) out += "：" + ui.tr(r.reason_key);
    return out;
}

std::optional<Intent> staff_receipts(const StaffReceiptsView& v, Ui& ui, Layout a) {
    const Theme& t = ui.theme();
    const auto& c = t.colors;
    std::optional<Intent> intent;
    float y = a.y + title_with_back(ui, "staff.receipts", a, intent, Intent{Intent::Kind::Back});
    const float bh = t.button_height();
    const float list_bottom = a.bottom - bh - t.gap();
    if (v.receipts.empty()) ui.text(TextRole::Label, ui.tr("staff.no_receipts"), a.x, y, c.text, c.background);
    const float rh = row_height(ui), step = rh + t.gap();
    const int per_page = std::max(1, static_cast<int>((list_bottom - y + t.gap()) / step));
    const int count = static_cast<int>(v.receipts.size());
    const int pages = std::max(1, (count + per_page - 1) / per_page);
    const int page = std::clamp(v.page, 0, pages - 1);
    for (int i = page * per_page; i < std::min(count, (page + 1) * per_page); ++i) {
        const auto& r = v.receipts[static_cast<std::size_t>(i)];
        const std::string right = receipt_status(ui, r) + "  " + r.time;
        if (ui.list_item("receipt." + std::to_string(r.id), r.label, right, {a.x, y, a.w, rh}))
            intent = Intent{Intent::Kind::OpenReceipt, static_cast<std::int64_t>(r.id)};
        y += step;
    }
    button_row(ui, page_buttons(ui, page, pages), a.x, a.bottom - bh, a.w, intent);
    return intent;
}

std::optional<Intent> staff_receipt(const StaffReceiptView& v, Ui& ui, Layout a) {
    const Theme& t = ui.theme();
    const auto& c = t.colors;
    std::optional<Intent> intent;
    const float top = a.y + title_with_back(ui, "staff.receipts", a, intent, Intent{Intent::Kind::Back});
    // The paper on the left, as large as the height allows; words and 重新打印 on the right.
    const float room_h = a.bottom - top;
    float pw = 0;
    if (v.preview != nullptr && v.preview_w > 0 && v.preview_h > 0) {
        const float scale = std::min(room_h / static_cast<float>(v.preview_h), (a.w * 0.45f) / static_cast<float>(v.preview_w));
        pw = static_cast<float>(v.preview_w) * scale;
        const float ph = static_cast<float>(v.preview_h) * scale;
        ui.fill({a.x - t.px(1), top - t.px(1), pw + t.px(2), ph + t.px(2)}, c.border);
        ui.image(v.preview, {a.x, top, pw, ph});
    } else {
        pw = t.px(60);
        ui.paragraph(TextRole::Body, ui.tr("staff.no_preview"), a.x, top, pw, c.text_muted, c.background);
    }
    const float x = a.x + pw + t.gap();
    const float w = a.x + a.w - x;
    float y = top;
    y += ui.paragraph(TextRole::Label, v.receipt.label, x, y, w, c.text, c.background);
    y += ui.paragraph(TextRole::Body, receipt_status(ui, v.receipt), x, y, w, c.text, c.background);
    y += ui.paragraph(TextRole::Body, ui.i18n().format("staff.receipt_time", {{"time", v.receipt.time}}), x, y, w,
                      c.text_muted, c.background);
    if (!v.note.empty()) y += ui.paragraph(TextRole::Body, v.note, x, y, w, c.success, c.background);
    const float bw = std::min(w, t.px(80));
    if (ui.button("reprint", ui.tr("staff.reprint"), {x, a.bottom - t.button_height(), bw, t.button_height()}))
        intent = Intent{Intent::Kind::Reprint, static_cast<std::int64_t>(v.receipt.id)};
    return intent;
}

// ---------------------------------------------------------------------------
// [SECTION] Countdown overlay and the frame
// ---------------------------------------------------------------------------

std::optional<Intent> countdown(int seconds, Ui& ui) {
    const Theme& t = ui.theme();
    const auto& c = t.colors;
    std::optional<Intent> intent;
    ui.begin_overlay();
    ui.veil();
    // Any tap on the veil also counts as "still here".
    ImGui::SetCursorScreenPos(ImVec2(0, 0));
    if (ImGui::InvisibleButton("##veil", ImVec2(ui.width(), ui.height()))) intent = Intent{Intent::Kind::Continue};
    const float w = std::min(ui.width() - 2 * t.margin(), t.px(200));
    const float th = ui.line_height(TextRole::Title), hh = ui.line_height(TextRole::Hero);
    const float h = t.px(8) + th + hh + t.px(6) + t.button_height() + t.px(10);
    const Rect panel{(ui.width() - w) / 2, (ui.height() - h) / 2, w, h};
    ui.fill(panel, c.surface, t.radius());
    float y = panel.y + t.px(6);
    ui.text_in(TextRole::Title, ui.tr("timeout.title"), {panel.x, y, w, th}, Align::Center, c.text, c.surface);
    y += th;
    ui.text_in(TextRole::Hero, ui.i18n().format("timeout.body", {{"seconds", std::to_string(seconds)}}),
               {panel.x, y, w, hh}, Align::Center, c.text, c.surface);
    y += hh + t.px(6);
    const float bw = std::min(w - t.px(20), t.px(120));
    if (ui.button("continue", ui.tr("timeout.continue"), {panel.x + (w - bw) / 2, y, bw, t.button_height()}))
        intent = Intent{Intent::Kind::Continue};
    ui.end_overlay();
    return intent;
}

}  // namespace

std::optional<Intent> draw_frame(const FrameView& view, Ui& ui) {
    ui.log().screen = screen_name(view.screen);
    Layout area{};
    std::optional<Intent> intent = top_bar(view.top, ui, area);
    struct Draw {
        Ui& ui;
        const FrameView& view;
        Layout a;
        std::optional<Intent> operator()(const IdleView& v) const { return idle(v, view.top, ui, a); }
        std::optional<Intent> operator()(const CheckInPromptView&) const { return check_in_prompt(ui, a); }
        std::optional<Intent> operator()(const GreetingView& v) const { return greeting(v, ui, a); }
        std::optional<Intent> operator()(const MessageView& v) const { return message(v, ui, a); }
        std::optional<Intent> operator()(const NoticesView& v) const { return notices(v, ui, a); }
        std::optional<Intent> operator()(const NoticeView& v) const { return notice(v, ui, a); }
        std::optional<Intent> operator()(const StaffPinView& v) const { return staff_pin(v, ui, a); }
        std::optional<Intent> operator()(const StaffHomeView& v) const { return staff_home(v, ui, a); }
        std::optional<Intent> operator()(const StaffDevicesView& v) const { return staff_devices(v, ui, a); }
        std::optional<Intent> operator()(const StaffReceiptsView& v) const { return staff_receipts(v, ui, a); }
        std::optional<Intent> operator()(const StaffReceiptView& v) const { return staff_receipt(v, ui, a); }
        std::optional<Intent> operator()(const MenuView& v) const { return menu_screen(v, ui, a); }
        std::optional<Intent> operator()(const QuoteView& v) const { return quote_screen(v, ui, a); }
        std::optional<Intent> operator()(const OrderDoneView& v) const { return order_done_screen(v, ui, a); }
        std::optional<Intent> operator()(const QrPayView& v) const { return qr_pay_screen(v, ui, a); }
        std::optional<Intent> operator()(const StaffCountsView& v) const { return staff_counts_screen(v, ui, a); }
        std::optional<Intent> operator()(const StaffOrdersView& v) const { return staff_orders_screen(v, ui, a); }
        std::optional<Intent> operator()(const StaffOrderView& v) const { return staff_order_screen(v, ui, a); }
        std::optional<Intent> operator()(const StaffDinersView& v) const { return staff_diners_screen(v, ui, a); }
        std::optional<Intent> operator()(const StaffTopUpView& v) const { return staff_top_up_screen(v, ui, a); }
        std::optional<Intent> operator()(const StaffMenuView& v) const { return staff_menu_screen(v, ui, a); }
        std::optional<Intent> operator()(const StaffDeliveryView& v) const { return staff_delivery_screen(v, ui, a); }
        std::optional<Intent> operator()(const DayCloseView& v) const { return day_close_screen(v, ui, a); }
    };
    if (auto i = std::visit(Draw{ui, view, area}, view.screen)) intent = i;
    if (view.countdown) {
        // Under the veil nothing reacts and the text is dimmed: what the screen
        // offers now is the overlay alone.
        ui.log().screen += "+countdown";
        ui.log().widgets.clear();
        ui.log().texts.clear();
        intent = countdown(*view.countdown, ui);
    }
    return intent;
}

}  // namespace kiosk::ui
