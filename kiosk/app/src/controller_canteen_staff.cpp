// The canteen's staff tools, behind the staff PIN: live counts, the day's
// orders with refunds and reprints, ordering or topping up for a diner who
// has no card with them, the day's menu, reservations and the delivery list,
// and the day close (日结).
//
// Every intent is checked against the screen on top: a tap meant for one
// staff screen never acts on another, and none acts outside staff mode.
// Money moves only on a second, separate tap (退款 then a reason; an amount
// then 已收款，确认充值).
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>

#include "day_close_report.hpp"
#include "kiosk/app/controller.hpp"
#include "kiosk/core/money.hpp"
#include "kiosk/print/templates.hpp"

namespace kiosk::app {

namespace {

using ui::Intent;
using K = ui::Intent::Kind;

// Refund reasons: the code goes into the meal_refund fact, the words on screen.
struct Reason {
    const char* code;
    const char* key;
};
constexpr Reason kReasons[] = {
    {"wrong_order", "canteen_staff.reason_wrong_order"},   {"meal_problem", "canteen_staff.reason_meal_problem"},
    {"not_collected", "canteen_staff.reason_not_collected"}, {"duplicate", "canteen_staff.reason_duplicate"},
    {"other", "canteen_staff.reason_other"},
};

constexpr core::Fen kPriceStep = 50;  // 0.50 元
constexpr int kLimitStep = 5;
constexpr std::size_t kMaxFound = 60;  // people listed for one surname or phone tail

std::string yuan(core::Fen fen) { return core::format_yuan(fen); }

template <class V>
V* top_as(std::vector<ui::ScreenView>& stack) {
    return stack.empty() ? nullptr : std::get_if<V>(&stack.back());
}

}  // namespace

std::string Controller::staff_who(const std::optional<core::RosterId>& resident) {
    if (!resident) return i18n_.tr("canteen_staff.guest");
    auto r = stores_.roster.find_by_id(*resident);
    if (!r || !*r) return "#" + std::to_string(*resident);
    return core::mask_name((*r)->name);
}

ui::OrderRow Controller::staff_order_row(const store::StoredOrder& o) {
    ui::OrderRow row;
    row.pickup_no = o.pickup_no;
    row.who = staff_who(o.order.resident);
    row.meal = o.order.items.empty() ? std::string() : o.order.items.front().name;
    row.pay = yuan(o.order.pay);
    row.method = o.order.method;
    row.time = hh_mm(to_local(o.fact.at));
    row.refunded = o.refunded;
    row.staff_assisted = o.order.staff_assisted;
    return row;
}

ui::StaffCountsView Controller::staff_counts() {
    ui::StaffCountsView v;
    const auto today = local_today();
    v.day = today.iso();
    auto dc = canteen_->store.day_close(today);
    if (!dc) {
        spdlog::error("canteen: counts: {}", dc.error().message);
        return v;
    }
    v.orders = dc->orders;
    v.takings = yuan(dc->takings);
    v.subsidy = yuan(dc->subsidy);
    for (const auto& w : canteen_->menu.periods) {
        auto menu = canteen_->store.menu(today, w.period);
        auto sold = canteen_->store.sold(today, w.period);
        if (!menu || !*menu || !sold) continue;
        for (const auto& item : (*menu)->items) {
            const auto it = sold->find(item.id);
            v.items.push_back({i18n_.tr(ui::meal_period_key(w.period)), item.name, it == sold->end() ? 0 : it->second,
                               item.daily_limit});
        }
    }
    for (const auto& [label, cf] : dc->by_bracket)
        if (!label.empty()) v.brackets.push_back({label, cf.count, yuan(cf.fen)});
    if (const auto it = dc->by_bracket.find(""); it != dc->by_bracket.end())
        v.brackets.push_back({"", it->second.count, yuan(it->second.fen)});
    return v;
}

ui::StaffOrdersView Controller::staff_orders(int page) {
    ui::StaffOrdersView v;
    v.page = page;
    staff_order_ids_.clear();
    auto orders = canteen_->store.orders(local_today());
    if (!orders) {
        spdlog::error("canteen: orders: {}", orders.error().message);
        return v;
    }
    for (const auto& o : *orders) {
        v.orders.push_back(staff_order_row(o));
        staff_order_ids_.push_back(o.fact.id);
    }
    return v;
}

std::optional<ui::StaffOrderView> Controller::staff_order(const std::string& fact_id) {
    auto o = canteen_->store.order(fact_id);
    if (!o || !*o) return std::nullopt;
    ui::StaffOrderView v;
    v.order = staff_order_row(**o);
    v.price = yuan((*o)->order.price);
    v.subsidy = yuan((*o)->order.subsidy);
    for (const auto& r : kReasons) v.reasons.push_back(i18n_.tr(r.key));
    return v;
}

void Controller::staff_refund(std::size_t reason) {
    auto* v = top_as<ui::StaffOrderView>(stack_);
    if (v == nullptr || !v->choosing || reason >= std::size(kReasons)) return;
    auto o = canteen_->store.order(staff_order_id_);
    auto done = canteen_->store.refund(staff_order_id_, kReasons[reason].code, clock_.now_utc());
    if (!done || !o || !*o) {
        spdlog::warn("canteen: refund of pickup {} not recorded: {}", v->order.pickup_no,
                     done ? std::string("order gone") : done.error().code);
        v->choosing = false;
        v->note = i18n_.tr("canteen_staff.refund_failed");
        v->note_error = true;
        changed();
        return;
    }
    spdlog::info("canteen: order pickup {} refunded ({}), seq {}", v->order.pickup_no, kReasons[reason].code, done->seq);
    const auto& order = (*o)->order;
    if (auto fresh = staff_order(staff_order_id_)) *v = std::move(*fresh);
    v->note = i18n_.format("canteen_staff.refund_done", {{"pay", yuan(order.pay)},
                                                         {"method", i18n_.tr(ui::payment_method_key(order.method))},
                                                         {"subsidy", yuan(order.subsidy)}});
    v->note_error = false;
    changed();
}

void Controller::staff_reprint() {
    auto* v = top_as<ui::StaffOrderView>(stack_);
    if (v == nullptr) return;
    auto o = canteen_->store.order(staff_order_id_);
    if (!o || !*o) return;
    if ((*o)->refunded) {
        v->note = i18n_.tr("canteen_staff.no_reprint_refunded");
        v->note_error = true;
    } else if (devices_ == nullptr || !devices_->has_receipt_printer()) {
        v->note = i18n_.tr("print.failed");
        v->note_error = true;
    } else {
        const auto before = (*o)->ticket_job;
        print_ticket(**o);
        auto after = canteen_->store.order(staff_order_id_);
        const bool sent = after && *after && (*after)->ticket_job != before;
        v->note = sent ? i18n_.tr("canteen_staff.reprint_sent") : i18n_.tr("print.failed");
        v->note_error = !sent;
    }
    changed();
}

ui::StaffDinersView Controller::staff_diners(ui::DinerPurpose purpose) {
    ui::StaffDinersView v;
    v.purpose = purpose;
    staff_found_.clear();
    auto s = stores_.roster.surnames();
    if (!s) {
        spdlog::error("canteen: surnames: {}", s.error().message);
    } else {
        for (const auto& x : *s) v.surnames.push_back(x.text);
    }
    if (v.surnames.empty()) v.mode = ui::StaffDinersView::Mode::Phone;
    return v;
}

void Controller::staff_list_found(ui::StaffDinersView& v, Result<std::vector<core::Resident>> found, std::string heading) {
    staff_found_.clear();
    v.diners.clear();
    v.page = 0;
    v.mode = ui::StaffDinersView::Mode::People;
    v.heading = std::move(heading);
    v.note.clear();
    if (!found) {
        spdlog::error("canteen: roster search: {}", found.error().message);
        v.note = i18n_.tr("canteen_staff.nobody");
        return;
    }
    const auto today = local_today();
    for (auto& r : *found) {
        std::string detail = r.address.zh();
        if (!r.phone.empty()) detail += (detail.empty() ? "" : " · ") + print::mask_phone(r.phone);
        const int age = core::age_on(r.birth, today);
        std::string name = r.name + "  " + i18n_.format("canteen_staff.age", {{"age", std::to_string(age)}});
        v.diners.push_back({std::move(name), std::move(detail)});
        staff_found_.push_back(std::move(r));
    }
    if (v.diners.empty()) v.note = i18n_.tr("canteen_staff.nobody");
}

void Controller::staff_pick_diner(std::size_t index) {
    auto* v = top_as<ui::StaffDinersView>(stack_);
    if (v == nullptr || index >= staff_found_.size()) return;
    const core::Resident r = staff_found_[index];
    if (v->purpose == ui::DinerPurpose::TopUp) {
        top_up_for_ = r;
        ui::StaffTopUpView t;
        t.name = r.name;
        auto b = canteen_->store.balance(r.id);
        t.balance = yuan(b ? *b : 0);
        show(std::move(t), false);
        return;
    }
    // Ordering for them: the check-in is recorded as made by staff, and the
    // order carries the staff-assisted flag. The menu opens above this list.
    staff_assisted_ = true;
    check_in(r, core::CheckInMethod::Staff);
}

void Controller::staff_top_up() {
    auto* v = top_as<ui::StaffTopUpView>(stack_);
    if (v == nullptr || v->pending <= 0 || !top_up_for_) return;
    const core::Fen amount = v->pending;
    auto fact = canteen_->store.top_up(top_up_for_->id, amount, clock_.now_utc());
    if (!fact) {
        spdlog::warn("canteen: top-up not recorded: {}", fact.error().code);
        v->note = i18n_.tr("canteen_staff.top_up_failed");
        v->note_error = true;
        changed();
        return;
    }
    auto balance = canteen_->store.balance(top_up_for_->id);
    const core::Fen now_balance = balance ? *balance : 0;
    spdlog::info("canteen: top-up of {} fen recorded, seq {}", amount, fact->seq);
    v->pending = 0;
    v->balance = yuan(now_balance);
    v->note = i18n_.format("canteen_staff.top_up_done", {{"amount", yuan(amount)}, {"balance", yuan(now_balance)}});
    v->note_error = false;
    if (devices_ != nullptr && devices_->has_receipt_printer()) {
        const print::TopUpReceipt receipt{top_up_for_->name, amount, now_balance, local_stamp(), fact->seq};
        auto [job, failed] = print(print::top_up_receipt({config_.site.name, config_.terminal.id}, receipt),
                                   "充值 " + core::mask_name(top_up_for_->name));
        if (job == 0) v->note += "  " + failed;
    }
    changed();
}

ui::StaffMenuView Controller::staff_menu(std::optional<core::MealPeriod> period) {
    ui::StaffMenuView v;
    const auto& periods = canteen_->menu.periods;
    for (const auto& w : periods) v.periods.push_back(w.period);
    if (!period) {
        // The meal being served, else the next one today, else the first.
        period = core::period_at(periods, local_minute());
        if (!period)
            for (const auto& w : periods)
                if (w.start_minute > local_minute()) {
                    period = w.period;
                    break;
                }
        if (!period && !periods.empty()) period = periods.front().period;
    }
    if (!period) return v;
    v.period = *period;
    staff_menu_items_.clear();
    const auto today = local_today();
    auto menu = canteen_->store.ensure_menu(canteen_->menu.for_day(today, *period));
    auto sold = canteen_->store.sold(today, *period);
    if (!menu || !sold) {
        spdlog::error("canteen: menu: {}", !menu ? menu.error().message : sold.error().message);
        return v;
    }
    for (const auto& item : menu->items) {
        const auto it = sold->find(item.id);
        v.items.push_back({item.name, yuan(item.price), item.daily_limit, it == sold->end() ? 0 : it->second});
        staff_menu_items_.push_back(item.id);
    }
    return v;
}

void Controller::staff_menu_adjust(std::int64_t arg) {
    auto* v = top_as<ui::StaffMenuView>(stack_);
    if (v == nullptr || arg < 0) return;
    const auto index = static_cast<std::size_t>(arg / 4);
    const int op = static_cast<int>(arg % 4);
    if (index >= staff_menu_items_.size()) return;
    const auto today = local_today();
    const auto& id = staff_menu_items_[index];
    auto menu = canteen_->store.menu(today, v->period);
    auto sold_map = canteen_->store.sold(today, v->period);
    const core::MenuItem* item = menu && *menu ? (*menu)->find(id) : nullptr;
    if (item == nullptr || !sold_map) return;
    const int sold = sold_map->count(id) != 0 ? sold_map->at(id) : 0;
    Result<void> r;
    if (op == 0 || op == 1) {
        const core::Fen price = op == 0 ? std::max(kPriceStep, item->price - kPriceStep) : item->price + kPriceStep;
        r = canteen_->store.set_price(today, v->period, id, price);
    } else {
        // No limit: −5 stops the sales where they are, +5 allows five more.
        // A limit never goes below what is sold.
        const int limit = item->daily_limit;
        int next = 0;
        if (op == 2) next = limit == 0 ? sold : std::max(sold, limit - kLimitStep);
        else next = limit == 0 ? sold + kLimitStep : limit + kLimitStep;
        r = canteen_->store.set_limit(today, v->period, id, next);
    }
    if (!r) {
        spdlog::error("canteen: menu change: {}", r.error().message);
        return;
    }
    const int page = v->page;
    *v = staff_menu(v->period);
    v->page = page;
    const auto& shown = v->items[index];
    v->note = i18n_.format("canteen_staff.menu_changed",
                           {{"meal", shown.name},
                            {"price", shown.price},
                            {"limit", shown.limit > 0 ? i18n_.format("canteen_staff.portions", {{"n", std::to_string(shown.limit)}})
                                                      : i18n_.tr("canteen_staff.unlimited")}});
    spdlog::info("canteen: menu {} now {} fen, limit {}", id, shown.price, shown.limit);
    changed();
}

ui::StaffDeliveryView Controller::staff_delivery() {
    ui::StaffDeliveryView v;
    staff_reservations_.clear();
    const auto today = local_today();
    for (const auto day : {today, core::add_days(today, 1)}) {
        auto list = canteen_->store.reservations(day);
        if (!list) {
            spdlog::error("canteen: reservations: {}", list.error().message);
            continue;
        }
        for (auto& r : *list) {
            if (r.state == store::Reservation::State::Cancelled) continue;
            ui::StaffDeliveryView::Row row;
            row.day = i18n_.tr(day == today ? "canteen_staff.today" : "canteen_staff.tomorrow");
            row.period = i18n_.tr(ui::meal_period_key(r.period));
            auto who = stores_.roster.find_by_id(r.resident);
            if (who && *who) {
                row.name = (*who)->name;
                row.address = (*who)->address.zh();
            }
            row.meal = r.item_id;
            if (auto menu = canteen_->store.menu(r.day, r.period); menu && *menu)
                if (const auto* item = (*menu)->find(r.item_id)) row.meal = item->name;
            row.delivery = r.delivery;
            row.fulfilled = r.state == store::Reservation::State::Fulfilled;
            v.rows.push_back(std::move(row));
            staff_reservations_.push_back(std::move(r));
        }
    }
    return v;
}

void Controller::staff_cancel_reservation() {
    auto* v = top_as<ui::StaffDeliveryView>(stack_);
    if (v == nullptr || v->selected < 0 || static_cast<std::size_t>(v->selected) >= staff_reservations_.size()) return;
    const auto& r = staff_reservations_[static_cast<std::size_t>(v->selected)];
    const auto& row = v->rows[static_cast<std::size_t>(v->selected)];
    const std::string who = row.name + " " + row.day + row.period;
    auto done = canteen_->store.cancel_reservation(r.fact_id, clock_.now_utc());
    const int page = v->page;
    if (!done) {
        spdlog::warn("canteen: reservation not cancelled: {}", done.error().code);
        v->note = i18n_.tr("canteen_staff.refund_failed");
        v->note_error = true;
        changed();
        return;
    }
    spdlog::info("canteen: reservation cancelled, seq {}", done->seq);
    *v = staff_delivery();
    v->page = page;
    v->note = i18n_.format("canteen_staff.cancelled", {{"who", who}});
    changed();
}

// Today's delivery reservations become orders now (priced by the policy in
// force, staff-assisted, flagged delivery), then the list is printed: one
// stop a meal, with the roster address. Those already made into orders are
// listed again with their pickup numbers, so the list can be reprinted.
void Controller::staff_print_delivery() {
    auto* v = top_as<ui::StaffDeliveryView>(stack_);
    if (v == nullptr) return;
    const auto today = local_today();
    auto list = canteen_->store.reservations(today);
    if (!list) return;
    print::DeliveryList paper{today, {}, local_stamp()};
    std::vector<std::string> problems;
    for (const auto& r : *list) {
        if (!r.delivery || r.state == store::Reservation::State::Cancelled) continue;
        auto who = stores_.roster.find_by_id(r.resident);
        if (!who || !*who) continue;
        const core::Resident& resident = **who;
        std::optional<store::StoredOrder> order;
        if (r.state == store::Reservation::State::Fulfilled) {
            if (auto o = canteen_->store.order(r.order_fact_id); o && *o && !(*o)->refunded) order = **o;
        } else {
            auto menu = canteen_->store.ensure_menu(canteen_->menu.for_day(today, r.period));
            const core::MenuItem* item = menu ? menu->find(r.item_id) : nullptr;
            if (item == nullptr) continue;
            auto made = record_meal(&resident, today, r.period, *item, r.method, true, true);
            if (!made) {
                spdlog::warn("canteen: delivery order not recorded: {}", made.error().code);
                problems.push_back(core::mask_name(resident.name));
                continue;
            }
            static_cast<void>(canteen_->store.fulfil(r.fact_id, made->fact.id));
            order = std::move(*made);
        }
        if (!order) continue;
        const auto& line = order->order.items.front();
        paper.stops.push_back({order->pickup_no, std::string(core::meal_period_zh(r.period)), line.name,
                               resident.name, resident.address.zh(), resident.phone, order->order.pay,
                               std::string(core::payment_method_zh(order->order.method))});
    }
    const int page = v->page;
    *v = staff_delivery();
    v->page = page;
    if (paper.stops.empty()) {
        v->note = i18n_.tr("canteen_staff.no_delivery");
    } else {
        auto [job, failed] = print(print::delivery_list({config_.site.name, config_.terminal.id}, paper), "送餐名单");
        v->note = job != 0 ? i18n_.format("canteen_staff.delivery_printed", {{"n", std::to_string(paper.stops.size())}})
                           : failed;
        v->note_error = job == 0;
    }
    if (!problems.empty()) {
        std::string names;
        for (const auto& n : problems) names += (names.empty() ? "" : "、") + n;
        v->note += "  " + i18n_.format("canteen_staff.delivery_failed", {{"names", names}});
        v->note_error = true;
    }
    changed();
}

ui::DayCloseView Controller::staff_day_close() {
    ui::DayCloseView v;
    const auto today = local_today();
    v.day = today.iso();
    v.printer = devices_ != nullptr && devices_->has_receipt_printer();
    auto dc = canteen_->store.day_close(today);
    if (!dc) {
        spdlog::error("canteen: day close: {}", dc.error().message);
        v.note = i18n_.tr("canteen.order_failed");
        v.note_error = true;
        return v;
    }
    for (auto& s : screen_sections(*dc)) v.sections.push_back({std::move(s.title), std::move(s.lines)});
    return v;
}

void Controller::staff_day_close_out(bool to_printer) {
    auto* v = top_as<ui::DayCloseView>(stack_);
    if (v == nullptr) return;
    const auto today = local_today();
    auto dc = canteen_->store.day_close(today);
    if (!dc) return;
    if (to_printer) {
        auto [job, failed] = print(print::daily_settlement({config_.site.name, config_.terminal.id}, settlement(*dc, local_stamp())),
                                   "日结 " + today.iso());
        v->note = job != 0 ? i18n_.tr("canteen_staff.day_close_printed") : failed;
        v->note_error = job == 0;
    } else {
        const std::filesystem::path dir = config_.canteen.export_dir.empty()
                                              ? std::filesystem::path(config_.data.dir) / "exports"
                                              : std::filesystem::path(config_.canteen.export_dir);
        auto files = export_day_close(*dc, config_.site.name, config_.terminal.id, dir, local_stamp());
        if (files) {
            spdlog::info("canteen: day close {} exported to {}", today.iso(), dir.string());
            v->note = i18n_.format("canteen_staff.exported", {{"dir", dir.string()}});
            v->note_error = false;
        } else {
            spdlog::error("canteen: day close export: {}", files.error().message);
            v->note = i18n_.format("canteen_staff.export_failed", {{"reason", files.error().message}});
            v->note_error = true;
        }
    }
    changed();
}

bool Controller::canteen_staff_intent(const Intent& intent) {
    if (!is_canteen()) return false;
    const bool staff_mode =
        !stack_.empty() && std::visit(
                               [](const auto& s) {
                                   using T = std::decay_t<decltype(s)>;
                                   return std::is_same_v<T, ui::StaffHomeView> || std::is_same_v<T, ui::StaffCountsView> ||
                                          std::is_same_v<T, ui::StaffOrdersView> || std::is_same_v<T, ui::StaffOrderView> ||
                                          std::is_same_v<T, ui::StaffDinersView> || std::is_same_v<T, ui::StaffTopUpView> ||
                                          std::is_same_v<T, ui::StaffMenuView> || std::is_same_v<T, ui::StaffDeliveryView> ||
                                          std::is_same_v<T, ui::DayCloseView>;
                               },
                               stack_.back());
    // Staff-assisted orders end back in the staff tools, not at the idle
    // screen, whether the order was made or not.
    if (intent.kind == K::Finish && staff_assisted_ &&
        (top_as<ui::OrderDoneView>(stack_) != nullptr || top_as<ui::MenuView>(stack_) != nullptr)) {
        staff_assisted_ = false;
        diner_.reset();
        diner_name_.clear();
        show(staff_home_view(), true);
        return true;
    }
    if (!staff_mode) return false;
    auto* home = top_as<ui::StaffHomeView>(stack_);
    switch (intent.kind) {
        case K::StaffCounts:
            if (home != nullptr) show(staff_counts(), false);
            return true;
        case K::StaffOrders:
            if (home != nullptr) show(staff_orders(0), false);
            return true;
        case K::OpenOrder: {
            if (top_as<ui::StaffOrdersView>(stack_) == nullptr || intent.arg < 0 ||
                static_cast<std::size_t>(intent.arg) >= staff_order_ids_.size())
                return true;
            staff_order_id_ = staff_order_ids_[static_cast<std::size_t>(intent.arg)];
            if (auto v = staff_order(staff_order_id_)) show(std::move(*v), false);
            return true;
        }
        case K::RefundStart:
            if (auto* v = top_as<ui::StaffOrderView>(stack_); v != nullptr && !v->order.refunded) {
                v->choosing = !v->choosing;
                v->note.clear();
                changed();
            }
            return true;
        case K::Refund:
            if (intent.arg >= 0) staff_refund(static_cast<std::size_t>(intent.arg));
            return true;
        case K::ReprintTicket: staff_reprint(); return true;
        case K::StaffAssist:
        case K::StaffTopUpStart:
            if (home != nullptr)
                show(staff_diners(intent.kind == K::StaffAssist ? ui::DinerPurpose::Order : ui::DinerPurpose::TopUp), false);
            return true;
        case K::DinerByPhone:
            if (auto* v = top_as<ui::StaffDinersView>(stack_)) {
                v->mode = ui::StaffDinersView::Mode::Phone;
                v->phone_digits.clear();
                v->note.clear();
                changed();
            }
            return true;
        case K::PickSurname:
            if (auto* v = top_as<ui::StaffDinersView>(stack_);
                v != nullptr && intent.arg >= 0 && static_cast<std::size_t>(intent.arg) < v->surnames.size()) {
                const std::string s = v->surnames[static_cast<std::size_t>(intent.arg)];
                // A new screen, so 返回 goes back to the surnames.
                ui::StaffDinersView people = *v;
                staff_list_found(people, stores_.roster.find_by_name_prefix(s, kMaxFound),
                                 i18n_.format("canteen_staff.surname_heading", {{"surname", s}}));
                show(std::move(people), false);
            }
            return true;
        case K::PinDigit:
        case K::PinDelete:
        case K::PinEnter: {
            auto* v = top_as<ui::StaffDinersView>(stack_);
            if (v == nullptr || v->mode != ui::StaffDinersView::Mode::Phone) return false;
            if (intent.kind == K::PinDigit && v->phone_digits.size() < 4)
                v->phone_digits += static_cast<char>('0' + std::clamp<std::int64_t>(intent.arg, 0, 9));
            if (intent.kind == K::PinDelete && !v->phone_digits.empty()) v->phone_digits.pop_back();
            v->note.clear();
            if (v->phone_digits.size() == 4) {
                ui::StaffDinersView people = *v;
                const std::string digits = v->phone_digits;
                v->phone_digits.clear();
                staff_list_found(people, stores_.roster.find_by_phone_tail(digits, kMaxFound),
                                 i18n_.format("canteen_staff.phone_heading", {{"digits", digits}}));
                show(std::move(people), false);
                return true;
            }
            changed();
            return true;
        }
        case K::PickDiner:
            if (intent.arg >= 0) staff_pick_diner(static_cast<std::size_t>(intent.arg));
            return true;
        case K::TopUp:
            if (auto* v = top_as<ui::StaffTopUpView>(stack_);
                v != nullptr && std::find(v->amounts_fen.begin(), v->amounts_fen.end(), intent.arg) != v->amounts_fen.end()) {
                v->pending = v->pending == intent.arg ? 0 : intent.arg;
                v->note.clear();
                changed();
            }
            return true;
        case K::TopUpConfirm: staff_top_up(); return true;
        case K::StaffMenu:
            if (home != nullptr) show(staff_menu(std::nullopt), false);
            return true;
        case K::MenuPeriod:
            if (auto* v = top_as<ui::StaffMenuView>(stack_)) {
                const auto p = static_cast<core::MealPeriod>(intent.arg);
                if (std::find(v->periods.begin(), v->periods.end(), p) != v->periods.end()) {
                    *v = staff_menu(p);
                    changed();
                }
            }
            return true;
        case K::MenuAdjust: staff_menu_adjust(intent.arg); return true;
        case K::StaffDelivery:
            if (home != nullptr) show(staff_delivery(), false);
            return true;
        case K::SelectReservation:
            if (auto* v = top_as<ui::StaffDeliveryView>(stack_);
                v != nullptr && intent.arg >= 0 && intent.arg < static_cast<std::int64_t>(v->rows.size())) {
                v->selected = v->selected == intent.arg ? -1 : static_cast<int>(intent.arg);
                v->note.clear();
                changed();
            }
            return true;
        case K::CancelReservation: staff_cancel_reservation(); return true;
        case K::PrintDelivery: staff_print_delivery(); return true;
        case K::StaffDayClose:
            if (home != nullptr) show(staff_day_close(), false);
            return true;
        case K::PrintDayClose:
        case K::ExportDayClose: staff_day_close_out(intent.kind == K::PrintDayClose); return true;
        case K::Page: {
            const int page = static_cast<int>(intent.arg);
            if (auto* v = top_as<ui::StaffOrdersView>(stack_)) v->page = page;
            else if (auto* d = top_as<ui::StaffDinersView>(stack_)) d->page = page;
            else if (auto* m = top_as<ui::StaffMenuView>(stack_)) m->page = page;
            else if (auto* r = top_as<ui::StaffDeliveryView>(stack_)) r->page = page;
            else if (auto* c = top_as<ui::DayCloseView>(stack_)) c->page = page;
            else return false;
            changed();
            return true;
        }
        case K::Back:
            // Back from one order to the list: the list shows what changed.
            if (top_as<ui::StaffOrderView>(stack_) != nullptr && stack_.size() >= 2) {
                stack_.pop_back();
                if (auto* list = top_as<ui::StaffOrdersView>(stack_)) *list = staff_orders(list->page);
                changed();
                return true;
            }
            return false;
        default: return false;
    }
}

}  // namespace kiosk::app
