// The canteen flow: card -> menu -> a meal (the three amounts) -> a way to
// pay (which confirms) -> the pickup number and the ticket. At most three
// taps from the card. Reservations for tomorrow; QR payments confirmed by
// staff; a diner who already had a subsidised meal this period is told so
// before paying.
#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdio>
#include <optional>
#include <string_view>

#include "kiosk/app/controller.hpp"
#include "kiosk/core/money.hpp"
#include "kiosk/print/templates.hpp"

namespace kiosk::app {

namespace {

using ui::Intent;
using K = ui::Intent::Kind;

std::string yuan(core::Fen fen) { return core::format_yuan(fen); }

// A ticket the printer already holds for `o` (queued, printing or printed):
// the power went after the ticket was queued but before the order was told
// its job, so printing it again would print it twice. The ticket's QR code
// carries the order's id; where QR codes are printed as pictures, its label
// ("取餐号 0042 张*兰") queued after the order was recorded tells.
std::optional<std::uint64_t> queued_ticket(const DeviceHub& devices, const store::StoredOrder& o) {
    const std::string label = "取餐号 " + o.pickup_no;
    for (const auto& r : devices.recent_receipts()) {
        if (r.state != "waiting" && r.state != "printing" && r.state != "printed") continue;
        if (r.label != label && r.label.rfind(label + " ", 0) != 0) continue;
        if (auto bytes = devices.receipt_bytes(r.id); bytes) {
            const std::string_view text(reinterpret_cast<const char*>(bytes->data()), bytes->size());
            if (text.find(o.fact.id) != std::string_view::npos) return r.id;
        }
        if (r.created + std::chrono::minutes{1} >= o.fact.at) return r.id;
    }
    return std::nullopt;
}

}  // namespace

core::CivilDate Controller::local_today() const { return to_local(clock_.now_utc()).date; }

int Controller::local_minute() const {
    const auto t = to_local(clock_.now_utc());
    return t.hour * 60 + t.minute;
}

core::SubsidyQuote Controller::canteen_quote(core::MealPeriod period, core::CivilDate day, core::Fen price) const {
    const core::Resident* r = diner_ ? &*diner_ : nullptr;
    return core::quote_subsidy(canteen_->policies, r, day, period, price, canteen_->store);
}

ui::MenuView Controller::canteen_menu(ui::MenuMode mode) const {
    ui::MenuView v;
    v.mode = mode;
    v.diner = diner_name_;
    v.guest = !diner_.has_value();
    v.staff_assisted = staff_assisted_;
    canteen_refresh(v);
    return v;
}

// Fills in what moves: the period being served, sold portions, the balance.
void Controller::canteen_refresh(ui::MenuView& v) const {
    const auto& periods = canteen_->menu.periods;
    const int minute = local_minute();
    const auto today = local_today();
    auto serving = core::period_at(periods, minute);
    core::CivilDate day = today;
    if (v.mode == ui::MenuMode::Tomorrow) {
        day = core::add_days(today, 1);
        // Tomorrow's same period as now, or the next one today would serve.
        if (!serving) {
            for (const auto& w : periods)
                if (w.start_minute > minute) {
                    serving = w.period;
                    break;
                }
        }
        if (!serving && !periods.empty()) serving = periods.front().period;
        v.serving = serving.has_value();
    } else {
        v.serving = serving.has_value();
        if (!serving) {
            // The next window today, else tomorrow's first.
            const core::PeriodWindow* next = nullptr;
            for (const auto& w : periods)
                if (w.start_minute > minute && (next == nullptr || w.start_minute < next->start_minute)) next = &w;
            if (next == nullptr && !periods.empty()) next = &periods.front();
            if (next != nullptr)
                v.next_time = i18n_.format("canteen.next_serving",
                                           {{"time", hhmm(next->start_minute)}, {"period", i18n_.tr(ui::meal_period_key(next->period))}});
        }
    }
    v.tiles.clear();
    if (serving) {
        v.period = *serving;
        auto stored = canteen_->store.ensure_menu(canteen_->menu.for_day(day, *serving));
        auto sold = canteen_->store.sold(day, *serving);
        if (!stored || !sold) {
            spdlog::error("canteen: {}", !stored ? stored.error().message : sold.error().message);
        } else {
            for (const auto& item : stored->items) {
                ui::MealTile t;
                t.id = item.id;
                t.name = item.name;
                t.dishes = item.dishes;
                t.price = yuan(item.price);
                t.photo = item.photo;
                if (item.daily_limit > 0) {
                    const auto it = sold->find(item.id);
                    const int left = item.daily_limit - (it == sold->end() ? 0 : it->second);
                    t.sold_out = left <= 0;
                    if (!t.sold_out && left <= 10) t.left = left;
                }
                v.tiles.push_back(std::move(t));
            }
        }
    }
    if (diner_ && config_.canteen.balance) {
        if (auto b = canteen_->store.balance(diner_->id); b && *b > 0) v.balance = yuan(*b);
    }
    v.can_reserve = diner_.has_value() && config_.canteen.reservations;
    v.reserved.clear();
    if (diner_ && serving) {
        if (auto r = canteen_->store.open_reservation(diner_->id, core::add_days(today, 1), *serving); r && *r) {
            const auto menu = canteen_->store.menu((*r)->day, (*r)->period);
            std::string meal = (*r)->item_id;
            if (menu && *menu)
                if (const auto* item = (*menu)->find((*r)->item_id)) meal = item->name;
            v.reserved = i18n_.format("canteen.reserved", {{"period", i18n_.tr(ui::meal_period_key((*r)->period))}, {"meal", meal}});
        }
    }
}

void Controller::canteen_start(const core::Resident* diner) {
    if (diner != nullptr) diner_ = *diner;
    std::string notice;
    if (canteen_fulfil_reservation(notice)) return;
    auto menu = canteen_menu(ui::MenuMode::Today);
    menu.notice = notice;
    show(std::move(menu), true);
    if (!notice.empty()) {
        if (audio_ != nullptr) audio_->cue(ui::Cue::Attention);
        prompt_ = notice;
        if (audio_ != nullptr)
            audio_->speak(prompt_, language_ == ui::Language::English ? ui::SpeechLanguage::English
                                                                      : ui::SpeechLanguage::Chinese);
    } else if (diner_) {
        say("voice.menu", {{"name", diner_name_}});
    }
}

// A diner with a reservation for now just checks in: the order is made and
// the ticket printed at once.
// A reserved meal sold out in the meantime (a reservation holds no portion)
// sends the diner to the menu with `notice` saying so; a balance that no
// longer covers it is paid in cash at the window instead.
bool Controller::canteen_fulfil_reservation(std::string& notice) {
    if (!diner_) return false;
    const auto period = core::period_at(canteen_->menu.periods, local_minute());
    if (!period) return false;
    const auto today = local_today();
    auto r = canteen_->store.open_reservation(diner_->id, today, *period);
    if (!r || !*r) return false;
    const auto& res = **r;
    // One meal a period from a reservation, never a second one unasked: a
    // diner who already has an order this period (another meal chosen while
    // this one was sold out, or a power cut before the reservation was marked
    // fulfilled) has the reservation settled by it, and sees the menu.
    auto orders = canteen_->store.orders(today);
    if (!orders) return false;
    for (const auto& o : *orders)
        if (!o.refunded && o.order.resident == diner_->id && o.order.period == *period) {
            spdlog::info("canteen: resident {} already has order {} this period; reservation settled by it", diner_->id,
                         o.pickup_no);
            static_cast<void>(canteen_->store.fulfil(res.fact_id, o.fact.id));
            return false;
        }
    auto menu = canteen_->store.ensure_menu(canteen_->menu.for_day(today, *period));
    if (!menu) return false;
    const auto* item = menu->find(res.item_id);
    if (item == nullptr) return false;
    if (item->daily_limit > 0) {
        auto sold = canteen_->store.sold(today, *period);
        const auto it = sold ? sold->find(item->id) : std::map<std::string, int>::const_iterator{};
        if (!sold || (it != sold->end() && it->second >= item->daily_limit)) {
            notice = i18n_.format("canteen.reserved_sold_out", {{"meal", item->name}});
            return false;
        }
    }
    auto method = res.method;
    if (method == core::PaymentMethod::Balance) {
        const auto q = canteen_quote(*period, today, item->price);
        if (auto b = canteen_->store.balance(diner_->id); !b || *b < q.pay) method = core::PaymentMethod::Cash;
    }
    ui::QuoteView q;
    q.meal.id = item->id;
    q.meal.name = item->name;
    q.period = *period;
    q.delivery = res.delivery;
    canteen_order(q, method, res.fact_id);
    return true;
}

void Controller::canteen_pay(core::PaymentMethod method) {
    auto* q = std::get_if<ui::QuoteView>(&stack_.back());
    if (q == nullptr) return;
    if (q->mode == ui::MenuMode::Tomorrow) {
        canteen_reserve(*q, method);
        return;
    }
    if (method == core::PaymentMethod::Qr) {
        // The diner pays on their phone; staff confirm with the PIN.
        pin_input_.clear();
        show(ui::QrPayView{q->meal.name, q->pay, 0, static_cast<int>(config_.staff.pin.size()), false}, false);
        return;
    }
    canteen_order(*q, method, std::nullopt);
}

void Controller::canteen_order(const ui::QuoteView& quote, core::PaymentMethod method,
                               std::optional<std::string> reservation) {
    const auto today = local_today();
    auto menu = canteen_->store.menu(today, quote.period);
    const core::MenuItem* item = menu && *menu ? (*menu)->find(quote.meal.id) : nullptr;
    if (item == nullptr) {
        refuse(ui::MessageView::Kind::StoreError, "voice.store_error");
        return;
    }
    // Priced again now: the policy in force at the moment of ordering prices it.
    auto stored = record_meal(diner_ ? &*diner_ : nullptr, today, quote.period, *item, method, quote.delivery,
                              staff_assisted_);
    if (!stored) {
        const auto& e = stored.error();
        spdlog::warn("canteen: order not recorded: {}", e.code);
        // Back to the three amounts with the reason, before any money moved.
        auto* qv = stack_.empty() ? nullptr : std::get_if<ui::QuoteView>(&stack_.back());
        if (auto* qr = stack_.empty() ? nullptr : std::get_if<ui::QrPayView>(&stack_.back()); qr != nullptr) {
            stack_.pop_back();
            qv = stack_.empty() ? nullptr : std::get_if<ui::QuoteView>(&stack_.back());
        }
        if (qv != nullptr) {
            qv->problem = e.code == "canteen.sold_out"      ? i18n_.format("canteen.sold_out_now", {{"meal", item->name}})
                          : e.code == "canteen.balance_low" ? i18n_.tr("canteen.balance_short")
                                                            : i18n_.tr("canteen.order_failed");
            if (audio_ != nullptr) audio_->cue(ui::Cue::CardFailed);
            prompt_ = qv->problem;
            if (audio_ != nullptr) audio_->speak(prompt_, language_ == ui::Language::English ? ui::SpeechLanguage::English
                                                                                            : ui::SpeechLanguage::Chinese);
            changed();
        } else {
            refuse(ui::MessageView::Kind::StoreError, "voice.store_error");
        }
        return;
    }
    if (reservation) static_cast<void>(canteen_->store.fulfil(*reservation, stored->fact.id));
    const core::MealOrder& order = stored->order;
    spdlog::info("canteen: order seq {} pickup {} ({} fen, subsidy {} fen, {})", stored->fact.seq, stored->pickup_no,
                 order.pay, order.subsidy, core::payment_method_code(method));

    ui::OrderDoneView done;
    done.pickup_no = stored->pickup_no;
    done.meal = item->name;
    done.pay = yuan(order.pay);
    done.method = method;
    done.period = quote.period;
    done.delivery = order.delivery;
    done.from_reservation = reservation.has_value();
    if (method == core::PaymentMethod::Balance)
        if (auto b = canteen_->store.balance(*order.resident)) done.balance_left = yuan(*b);
    print_ticket(*stored);
    if (auto o = canteen_->store.order(stored->fact.id); o && *o) done.print_job = (*o)->ticket_job;
    if (done.print_job == 0 && devices_ != nullptr && devices_->has_receipt_printer()) {
        // Not even queued: say so, rather than "take your ticket" in red.
        done.print_note = i18n_.tr("print.failed");
        done.print_note_error = true;
    }
    if (audio_ != nullptr) audio_->cue(ui::Cue::CardOk);
    show(std::move(done), true);
    std::string spaced;  // "0 0 4 2": read out digit by digit
    for (char ch : stored->pickup_no) {
        if (!spaced.empty()) spaced += ' ';
        spaced += ch;
    }
    say("voice.pickup", {{"number", spaced}});
}

Result<store::StoredOrder> Controller::record_meal(const core::Resident* diner, core::CivilDate day,
                                                  core::MealPeriod period, const core::MenuItem& item,
                                                  core::PaymentMethod method, bool delivery, bool staff_assisted) {
    const auto q = core::quote_subsidy(canteen_->policies, diner, day, period, item.price, canteen_->store);
    core::MealOrder order;
    if (diner != nullptr) {
        order.resident = diner->id;
        order.masked_id = diner->masked_id;
    }
    order.day = day;
    order.period = period;
    order.items = {{item.id, item.name, 1, item.price}};
    order.price = q.price;
    order.subsidy = q.subsidy;
    order.pay = q.pay;
    order.method = method;
    order.policy = q.policy;
    order.bracket = q.bracket;
    order.categories = q.categories;
    order.staff_assisted = staff_assisted;
    order.delivery = delivery;
    return canteen_->store.record_order(order, clock_.now_utc());
}

void Controller::canteen_reserve(const ui::QuoteView& quote, core::PaymentMethod method) {
    const auto day = core::add_days(local_today(), 1);
    auto r = canteen_->store.reserve(diner_->id, day, quote.period, quote.meal.id, method, quote.delivery, clock_.now_utc());
    if (!r) {
        if (auto* qv = std::get_if<ui::QuoteView>(&stack_.back())) {
            qv->problem = i18n_.tr("canteen.order_failed");
            // One a period: say which meal is reserved already, not "go to the window".
            if (r.error().code == "canteen.already_reserved")
                if (auto open = canteen_->store.open_reservation(diner_->id, day, quote.period); open && *open) {
                    std::string meal = (*open)->item_id;
                    if (auto m = canteen_->store.menu(day, quote.period); m && *m)
                        if (const auto* it = (*m)->find((*open)->item_id)) meal = it->name;
                    qv->problem = i18n_.format("canteen.reserved",
                                               {{"period", i18n_.tr(ui::meal_period_key(quote.period))}, {"meal", meal}});
                }
            changed();
        }
        return;
    }
    ui::OrderDoneView done;
    done.mode = ui::MenuMode::Tomorrow;
    done.meal = quote.meal.name;
    done.period = quote.period;
    done.delivery = quote.delivery;
    done.method = method;
    show(std::move(done), true);
    say("voice.reserved");
}

void Controller::print_ticket(const store::StoredOrder& o) {
    if (devices_ == nullptr || !devices_->has_receipt_printer()) return;
    const auto local = to_local(o.fact.at);
    char at[32];
    std::snprintf(at, sizeof at, "%04d-%02d-%02d %02d:%02d", local.date.year, local.date.month, local.date.day, local.hour,
                  local.minute);
    std::string name;
    if (o.order.resident)
        if (auto r = stores_.roster.find_by_id(*o.order.resident); r && *r) name = (*r)->name;
    const auto& line = o.order.items.front();
    const print::PickupTicket t{o.pickup_no, line.name, line.quantity, o.order.price, o.order.subsidy, o.order.pay,
                                std::string(core::payment_method_zh(o.order.method)), name, at, o.fact.id};
    auto job = devices_->print_receipt(print::pickup_ticket({config_.site.name, config_.terminal.id}, t),
                                       "取餐号 " + o.pickup_no + (name.empty() ? "" : " " + core::mask_name(name)));
    if (!job) {
        spdlog::error("canteen: ticket {} not queued: {}", o.pickup_no, job.error().message);
        return;
    }
    static_cast<void>(canteen_->store.set_ticket_job(o.fact.id, *job));
}

void Controller::resume() {
    if (!is_canteen()) return;
    // Orders recorded but whose ticket never reached the printer (a power cut
    // in between): their tickets print now, once.
    auto missing = canteen_->store.orders_without_ticket(local_today());
    if (!missing) return;
    for (const auto& o : *missing) {
        if (devices_ != nullptr && devices_->has_receipt_printer())
            if (const auto job = queued_ticket(*devices_, o)) {
                spdlog::info("canteen: the ticket of order {} was queued before the restart (job {})", o.pickup_no, *job);
                static_cast<void>(canteen_->store.set_ticket_job(o.fact.id, *job));
                continue;
            }
        spdlog::info("canteen: printing the ticket of order {} after a restart", o.pickup_no);
        print_ticket(o);
    }
}

bool Controller::canteen_intent(const Intent& intent) {
    if (!is_canteen()) return false;
    auto* top = stack_.empty() ? nullptr : &stack_.back();
    switch (intent.kind) {
        case K::OpenService:
            if (static_cast<ui::Service>(intent.arg) != ui::Service::Order) return false;
            // Without a card: a guest at full price.
            diner_.reset();
            diner_name_.clear();
            show(canteen_menu(ui::MenuMode::Today), true);
            return true;
        case K::PickMeal: {
            auto* m = top != nullptr ? std::get_if<ui::MenuView>(top) : nullptr;
            if (m == nullptr) return true;
            ui::MenuView menu = *m;
            canteen_refresh(menu);
            if (intent.arg < 0 || intent.arg >= static_cast<std::int64_t>(menu.tiles.size())) return true;
            const auto& tile = menu.tiles[static_cast<std::size_t>(intent.arg)];
            if (tile.sold_out) return true;
            const core::CivilDate day = menu.mode == ui::MenuMode::Today ? local_today() : core::add_days(local_today(), 1);
            auto stored = canteen_->store.menu(day, menu.period);
            const core::MenuItem* item = stored && *stored ? (*stored)->find(tile.id) : nullptr;
            if (item == nullptr) return true;
            const auto q = canteen_quote(menu.period, day, item->price);
            ui::QuoteView v;
            v.meal = tile;
            v.mode = menu.mode;
            v.period = menu.period;
            v.price = yuan(q.price);
            v.subsidy = yuan(q.subsidy);
            v.pay = yuan(q.pay);
            v.bracket = q.bracket;
            v.already_subsidised = q.already_subsidised;
            v.guest = !diner_.has_value();
            if (config_.canteen.cash) v.methods.push_back(core::PaymentMethod::Cash);
            if (config_.canteen.balance && diner_) {
                const auto b = canteen_->store.balance(diner_->id);
                if (b && *b > 0) v.balance = yuan(*b);
                // Reservations debit on the day; today the balance must cover it now.
                if (b && (*b >= q.pay || menu.mode == ui::MenuMode::Tomorrow)) v.methods.push_back(core::PaymentMethod::Balance);
            }
            if (config_.canteen.qr && menu.mode == ui::MenuMode::Today && !config_.staff.pin.empty())
                v.methods.push_back(core::PaymentMethod::Qr);
            v.delivery_offered = menu.mode == ui::MenuMode::Tomorrow && config_.canteen.delivery;
            const std::string meal = v.meal.name, price = v.price, subsidy = v.subsidy, pay = v.pay;
            const bool full = q.subsidy == 0;
            show(std::move(v), false);
            if (q.already_subsidised) {
                if (audio_ != nullptr) audio_->cue(ui::Cue::Attention);
                say("canteen.already_subsidised", {{"period", i18n_.tr(ui::meal_period_key(menu.period))}});
            } else if (full) {
                say("voice.quote_full", {{"meal", meal}, {"pay", pay}});
            } else {
                say("voice.quote", {{"meal", meal}, {"price", price}, {"subsidy", subsidy}, {"pay", pay}});
            }
            return true;
        }
        case K::Pay:
            if (top != nullptr && std::holds_alternative<ui::QuoteView>(*top))
                canteen_pay(static_cast<core::PaymentMethod>(intent.arg));
            return true;
        case K::ToggleDelivery:
            if (auto* q = top != nullptr ? std::get_if<ui::QuoteView>(top) : nullptr) {
                q->delivery = !q->delivery;
                changed();
            }
            return true;
        case K::ReserveTomorrow:
        case K::OrderToday:
            if (top != nullptr && std::holds_alternative<ui::MenuView>(*top)) {
                stack_.back() = canteen_menu(intent.kind == K::ReserveTomorrow ? ui::MenuMode::Tomorrow : ui::MenuMode::Today);
                changed();
            }
            return true;
        case K::PinDigit:
        case K::PinDelete:
        case K::PinEnter: {
            auto* qr = top != nullptr ? std::get_if<ui::QrPayView>(top) : nullptr;
            if (qr == nullptr) return false;  // the staff sign-in keypad
            if (pin_locked()) {
                pin_input_.clear();
                changed();
                return true;
            }
            if (intent.kind == K::PinDigit && pin_input_.size() < 8) pin_input_ += static_cast<char>('0' + intent.arg);
            if (intent.kind == K::PinDelete && !pin_input_.empty()) pin_input_.pop_back();
            if (intent.kind == K::PinEnter) {
                const bool right = pin_input_ == config_.staff.pin;
                pin_input_.clear();
                if (!right) {
                    spdlog::warn("canteen: wrong PIN confirming a QR payment");
                    qr->wrong = true;
                    note_wrong_pin(clock_.now_mono());
                } else {
                    pin_failures_ = 0;
                    stack_.pop_back();  // back to the quote the QR payment confirms
                    if (auto* q = std::get_if<ui::QuoteView>(&stack_.back())) {
                        const ui::QuoteView quote = *q;
                        canteen_order(quote, core::PaymentMethod::Qr, std::nullopt);
                    }
                    return true;
                }
            }
            changed();
            return true;
        }
        case K::Page:
            if (auto* m = top != nullptr ? std::get_if<ui::MenuView>(top) : nullptr) {
                m->page = static_cast<int>(intent.arg);
                changed();
                return true;
            }
            return false;
        default: return false;
    }
}

}  // namespace kiosk::app
