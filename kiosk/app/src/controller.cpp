#include "kiosk/app/controller.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <ctime>
#include <tuple>

#include "kiosk/core/greeting.hpp"
#include "kiosk/core/id_number.hpp"
#include "status_words.hpp"

namespace kiosk::app {

using std::chrono::seconds;

core::CheckInPurpose purpose_for(SiteType t) {
    switch (t) {
        case SiteType::Hall: return core::CheckInPurpose::Visit;
        case SiteType::Canteen: return core::CheckInPurpose::Meal;
        case SiteType::DayCare: return core::CheckInPurpose::DayCare;
    }
    return core::CheckInPurpose::Visit;
}

ui::LocalTime to_local(core::UtcTime t) {
    const std::time_t secs = std::chrono::system_clock::to_time_t(std::chrono::time_point_cast<seconds>(t));
    std::tm tm{};
    localtime_r(&secs, &tm);
    return {core::CivilDate{tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday}, tm.tm_wday, tm.tm_hour, tm.tm_min};
}

std::string hh_mm(const ui::LocalTime& t) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "%02d:%02d", t.hour, t.minute);
    return buf;
}

namespace {
const char* job_state_key(std::string_view state) {
    if (state == "waiting") return "job_state.waiting";
    if (state == "printing") return "job_state.printing";
    if (state == "printed") return "job_state.printed";
    if (state == "cancelled") return "job_state.cancelled";
    return "job_state.failed";
}

ui::DeviceStateView state_view(drivers::DeviceState s) {
    switch (s) {
        case drivers::DeviceState::Absent: return ui::DeviceStateView::Absent;
        case drivers::DeviceState::Ready: return ui::DeviceStateView::Ready;
        case drivers::DeviceState::Degraded: return ui::DeviceStateView::Degraded;
        case drivers::DeviceState::Fault: return ui::DeviceStateView::Fault;
    }
    return ui::DeviceStateView::Fault;
}

ui::SpeechLanguage speech(ui::Language l) {
    return l == ui::Language::English ? ui::SpeechLanguage::English : ui::SpeechLanguage::Chinese;
}
}  // namespace

Controller::Controller(const Config& config, Stores stores, KioskClock& clock, ui::Audio* audio, DeviceHub* devices,
                       Canteen* canteen)
    : config_(config),
      stores_(stores),
      clock_(clock),
      audio_(audio),
      devices_(devices),
      session_(core::SessionTimeouts{seconds{config.session.idle_timeout_s}, seconds{config.session.countdown_s}}),
      rules_{seconds{config.check_in.repeat_window_s}},
      language_(ui::language_from_code(config.ui.language)),
      large_text_(config.ui.large_text),
      canteen_(canteen) {
    i18n_.set_language(language_);
}

std::vector<ui::Service> Controller::services() const {
    // Only what works so far; a resident never meets a button that does nothing.
    if (is_canteen()) return {ui::Service::Order, ui::Service::CheckIn, ui::Service::Notices};
    return {ui::Service::CheckIn, ui::Service::Notices};
}

std::vector<ui::NoticeHeadline> Controller::headlines() const {
    std::vector<ui::NoticeHeadline> out;
    auto list = stores_.notices.list();
    if (!list) {
        spdlog::error("notices: {}", list.error().message);
        return out;
    }
    for (const auto& n : *list) out.push_back({n.id, n.title, n.kind, n.published});
    return out;
}

ui::IdleView Controller::idle_view() const { return {services(), headlines()}; }

std::vector<ui::DeviceRow> Controller::device_rows() const {
    std::vector<ui::DeviceRow> rows;
    if (devices_ == nullptr) return rows;
    for (const auto& r : devices_->report()) {
        ui::DeviceRow row;
        row.kind = r.kind;
        row.state = state_view(r.health.state);
        row.driver = r.health.device;
        row.status = r.health.status;
        row.status_key = status_key(r.health.code);
        row.last_error = r.health.last_error;
        if (r.health.last_event.time_since_epoch().count() != 0) {
            const auto t = to_local(std::chrono::time_point_cast<std::chrono::milliseconds>(r.health.last_event));
            row.last_event = hh_mm(t);
        }
        rows.push_back(std::move(row));
    }
    // What needs attention first: faults, then absent, then warnings, then the rest.
    auto rank = [](ui::DeviceStateView s) {
        switch (s) {
            case ui::DeviceStateView::Fault: return 0;
            case ui::DeviceStateView::Absent: return 1;
            case ui::DeviceStateView::Degraded: return 2;
            case ui::DeviceStateView::Ready: return 3;
        }
        return 3;
    };
    std::stable_sort(rows.begin(), rows.end(), [&](const auto& a, const auto& b) { return rank(a.state) < rank(b.state); });
    return rows;
}

ui::FrameView Controller::view() const {
    ui::FrameView v;
    v.top = {config_.site.name, to_local(clock_.now_utc()), staff_enabled()};
    v.screen = stack_.empty() ? ui::ScreenView{idle_view()} : stack_.back();
    const auto now = clock_.now_mono();
    // Screens whose content moves by itself are filled in fresh.
    if (auto* pin = std::get_if<ui::StaffPinView>(&v.screen)) {
        pin->entered = static_cast<int>(pin_input_.size());
        pin->length = static_cast<int>(config_.staff.pin.size());
        if (pin_locked_until_ && *pin_locked_until_ > now)
            pin->locked_seconds = static_cast<int>(std::chrono::ceil<std::chrono::seconds>(*pin_locked_until_ - now).count());
    }
    if (auto* d = std::get_if<ui::StaffDevicesView>(&v.screen)) d->devices = device_rows();
    if (auto* m = std::get_if<ui::MenuView>(&v.screen)) canteen_refresh(*m);
    if (auto* q = std::get_if<ui::QrPayView>(&v.screen)) {
        q->entered = static_cast<int>(pin_input_.size());
        q->length = static_cast<int>(config_.staff.pin.size());
        if (pin_locked_until_ && *pin_locked_until_ > now)
            q->locked_seconds = static_cast<int>(std::chrono::ceil<std::chrono::seconds>(*pin_locked_until_ - now).count());
    }
    if (auto* o = std::get_if<ui::OrderDoneView>(&v.screen); o != nullptr && o->print_job != 0)
        std::tie(o->print_note, o->print_note_error) = print_note(o->print_job);
    if (auto* g = std::get_if<ui::GreetingView>(&v.screen); g != nullptr && g->print_job != 0)
        std::tie(g->print_note, g->print_note_error) = print_note(g->print_job);
    if (auto* n = std::get_if<ui::NoticeView>(&v.screen); n != nullptr && n->print_job != 0)
        std::tie(n->print_note, n->print_note_error) = print_note(n->print_job);
    if (auto* r = std::get_if<ui::StaffReceiptsView>(&v.screen)) r->receipts = receipt_rows();
    if (auto* r = std::get_if<ui::StaffReceiptView>(&v.screen)) {
        for (const auto& row : receipt_rows())
            if (row.id == r->receipt.id) r->receipt = row;
    }
    if (session_.phase(now) == core::SessionTimer::Phase::Countdown) v.countdown = session_.countdown_left(now);
    return v;
}

core::MonoTime Controller::next_change() const {
    const auto now_mono = clock_.now_mono();
    // The clock on screen shows minutes: wake at the next minute boundary.
    const auto utc = clock_.now_utc();
    const auto into_minute = utc.time_since_epoch() % std::chrono::minutes{1};
    core::MonoTime next = now_mono + (std::chrono::minutes{1} - into_minute);
    if (auto s = session_.next_change(now_mono); s && *s < next) next = *s;
    // Staff screens that show live state: once a second.
    const auto* greeting = stack_.empty() ? nullptr : std::get_if<ui::GreetingView>(&stack_.back());
    const auto* notice = stack_.empty() ? nullptr : std::get_if<ui::NoticeView>(&stack_.back());
    const auto* done = stack_.empty() ? nullptr : std::get_if<ui::OrderDoneView>(&stack_.back());
    const bool following_print = (greeting != nullptr && greeting->print_job != 0) ||
                                 (notice != nullptr && notice->print_job != 0) || (done != nullptr && done->print_job != 0);
    if (following_print) next = std::min(next, now_mono + std::chrono::seconds{1});
    if (!stack_.empty() && (std::holds_alternative<ui::StaffDevicesView>(stack_.back()) ||
                            std::holds_alternative<ui::StaffReceiptsView>(stack_.back()) ||
                            std::holds_alternative<ui::StaffReceiptView>(stack_.back()) ||
                            ((std::holds_alternative<ui::StaffPinView>(stack_.back()) ||
                              std::holds_alternative<ui::QrPayView>(stack_.back())) &&
                             pin_locked_until_)))
        next = std::min(next, now_mono + std::chrono::seconds{1});
    return next;
}

void Controller::say(std::string_view key, std::initializer_list<std::pair<std::string_view, std::string_view>> args) {
    prompt_ = i18n_.format(key, args);
    if (audio_ != nullptr) audio_->speak(prompt_, speech(language_));
}

void Controller::show(ui::ScreenView screen, bool replace_stack) {
    if (replace_stack) stack_.clear();
    stack_.push_back(std::move(screen));
    prompt_.clear();
    countdown_spoken_ = false;
    if (!session_.active()) session_.start(clock_.now_mono());
    changed();
}

void Controller::reset_to_idle() {
    // Every personal detail goes with the session: screens, prompt, and the
    // resident's own choices of language and text size.
    stack_.clear();
    stack_.shrink_to_fit();
    prompt_.clear();
    session_.stop();
    language_ = ui::language_from_code(config_.ui.language);
    large_text_ = config_.ui.large_text;
    i18n_.set_language(language_);
    pin_input_.clear();
    slip_.reset();
    diner_.reset();
    diner_name_.clear();
    staff_assisted_ = false;
    staff_order_ids_.clear();
    staff_order_id_.clear();
    staff_found_.clear();
    staff_found_.shrink_to_fit();
    top_up_for_.reset();
    staff_menu_items_.clear();
    staff_reservations_.clear();
    if (audio_ != nullptr) audio_->stop();
    changed();
}

void Controller::on_activity() {
    const bool was_counting = session_.phase(clock_.now_mono()) == core::SessionTimer::Phase::Countdown;
    session_.touch(clock_.now_mono());
    if (was_counting) changed();
}

void Controller::tick() {
    const auto now = clock_.now_mono();
    switch (session_.phase(now)) {
        case core::SessionTimer::Phase::Expired:
            spdlog::info("session: timed out, back to idle");
            reset_to_idle();
            break;
        case core::SessionTimer::Phase::Countdown:
            if (!countdown_spoken_) {
                countdown_spoken_ = true;
                if (audio_ != nullptr) audio_->cue(ui::Cue::Attention);
                say("voice.timeout");
            }
            break;
        case core::SessionTimer::Phase::Inactive:
        case core::SessionTimer::Phase::Active: break;
    }
}

void Controller::on_card(const drivers::CardEvent& e) {
    spdlog::info("card: {}", drivers::describe(e));
    session_.touch(clock_.now_mono());
    switch (e.kind) {
        case drivers::CardEvent::Kind::Card: identify_by_card(e.card); break;
        case drivers::CardEvent::Kind::IdCard: identify_by_id(e.id); break;
        case drivers::CardEvent::Kind::Error:
            // Reader faults are for staff (device health); the resident simply tries again.
            spdlog::warn("card reader {}: {}", e.reader, e.error);
            if (audio_ != nullptr) audio_->cue(ui::Cue::CardFailed);
            break;
    }
}

void Controller::identify_by_card(const std::string& card) {
    after_lookup(stores_.roster.find_by_card(card), core::CheckInMethod::Card);
}

void Controller::identify_by_id(const drivers::IdCardText& id) {
    // The reader checks what it can; a number it did not check is checked
    // here when the document carries a GB 11643 number (all but the old
    // foreign permanent resident card, whose 15 characters follow other rules).
    const bool gb11643 = id.document != drivers::IdDocument::ForeignPermanent;
    const bool invalid = id.id_number_check == drivers::IdCardText::NumberCheck::Invalid ||
                         (id.id_number_check == drivers::IdCardText::NumberCheck::NotChecked && gb11643 &&
                          core::validate_id_number(id.id_number).has_value());
    if (invalid) {
        spdlog::warn("id card: number fails the GB 11643 check; nothing recorded");
        refuse(ui::MessageView::Kind::InvalidId, "voice.invalid_id");
        return;
    }
    after_lookup(stores_.roster.find_by_id_number(core::normalize_id_number(id.id_number)), core::CheckInMethod::IdCard);
}

void Controller::after_lookup(const Result<std::optional<core::Resident>>& found, core::CheckInMethod method) {
    if (!found) {
        spdlog::error("roster: {}", found.error().message);
        refuse(ui::MessageView::Kind::StoreError, "voice.store_error");
    } else if (!*found) {
        refuse(ui::MessageView::Kind::UnknownPerson, "voice.unknown");
    } else {
        check_in(**found, method);
    }
}

void Controller::refuse(ui::MessageView::Kind kind, std::string_view voice_key) {
    if (audio_ != nullptr) audio_->cue(ui::Cue::CardFailed);
    show(ui::MessageView{kind}, true);
    say(voice_key);
}

void Controller::check_in(const core::Resident& r, core::CheckInMethod method) {
    const auto purpose = purpose_for(config_.site.type);
    const auto now = clock_.now_utc();
    auto last = stores_.facts.last_check_in(r.id, purpose);
    if (!last) {
        spdlog::error("check-in: {}", last.error().message);
        refuse(ui::MessageView::Kind::StoreError, "voice.store_error");
        return;
    }

    ui::GreetingView g;
    g.name = r.name;
    g.form = config_.greeting.form_for(r, to_local(now).date);
    g.masked_id = r.masked_id;
    for (auto s : services())
        if (s != ui::Service::CheckIn) g.services.push_back(s);

    if (core::decide_check_in(rules_, *last, now) == core::CheckInDecision::AlreadyCheckedIn) {
        g.recorded = false;
        g.time = hh_mm(to_local(**last));
        spdlog::info("check-in: resident {} already checked in; not recorded again", r.id);
    } else {
        auto fact = stores_.facts.record_check_in(core::CheckIn{r.id, r.masked_id, method, purpose}, now);
        if (!fact) {
            spdlog::error("check-in: {}", fact.error().message);
            refuse(ui::MessageView::Kind::StoreError, "voice.store_error");
            return;
        }
        g.recorded = true;
        g.time = hh_mm(to_local(now));
        spdlog::info("check-in: recorded seq {} for resident {} ({})", fact->seq, r.id, core::method_code(method));
        slip_ = print::CheckInSlip{r.name, r.masked_id, method, purpose, local_stamp(), fact->seq};
        const bool printer = devices_ != nullptr && devices_->has_receipt_printer();
        g.slip_button = printer && config_.check_in.slip == "ask";
        if (printer && config_.check_in.slip == "always") {
            auto [job, failed] = print(print::check_in_slip({config_.site.name, config_.terminal.id}, *slip_),
                                       "签到凭条 " + core::mask_name(r.name));
            g.print_job = job;
            g.print_note = failed;
            g.print_note_error = !failed.empty();
        }
    }
    if (audio_ != nullptr) audio_->cue(ui::Cue::CardOk);
    const std::string name = g.name, form = g.form;
    const bool recorded = g.recorded;
    if (is_canteen()) {
        // At a canteen the card opens the menu: the meal is what they came for.
        diner_name_ = form.empty() ? name : name + " " + form;
        canteen_start(&r);
        return;
    }
    show(std::move(g), true);
    say(recorded ? "voice.greeting" : "voice.already", {{"name", name}, {"form", form}});
}

std::string Controller::local_stamp() const {
    const auto t = to_local(clock_.now_utc());
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d", t.date.year, t.date.month, t.date.day, t.hour, t.minute);
    return buf;
}

std::pair<std::uint64_t, std::string> Controller::print(const print::Receipt& receipt, const std::string& label) {
    if (devices_ == nullptr) return {0, i18n_.tr("print.failed")};
    auto id = devices_->print_receipt(receipt, label);
    if (!id) {
        spdlog::error("print: {}", id.error().message);
        return {0, i18n_.tr("print.failed")};
    }
    return {*id, {}};
}

std::pair<std::string, bool> Controller::print_note(std::uint64_t job) const {
    if (devices_ == nullptr) return {};
    const auto receipts = devices_->recent_receipts();
    // The spool prints in order: a job held up (out of paper, cover open)
    // holds up every job queued behind it, for the same reason.
    const ReceiptRecord* blocked = nullptr;
    for (const auto& r : receipts)
        if (r.state == "waiting" && !r.reason.empty()) blocked = &r;
    for (const auto& r : receipts) {
        if (r.id != job) continue;
        if (r.state == "printed") return {i18n_.tr("print.sent"), false};
        if (r.state == "waiting" && blocked != nullptr) {
            // Queued durably; say why it cannot print now and that it will.
            const char* key = status_key(blocked->reason);
            const std::string reason = *key != '\0' ? i18n_.tr(key) : blocked->detail;
            return {i18n_.format("print.waiting", {{"reason", reason}}), true};
        }
        if (r.state == "waiting" || r.state == "printing") return {i18n_.tr("print.printing"), false};
        return {i18n_.tr("print.failed"), true};
    }
    return {i18n_.tr("print.failed"), true};
}

std::vector<ui::ReceiptRow> Controller::receipt_rows() const {
    std::vector<ui::ReceiptRow> rows;
    if (devices_ == nullptr) return rows;
    for (const auto& r : devices_->recent_receipts()) {
        ui::ReceiptRow row;
        row.id = r.id;
        row.label = r.label;
        row.state_key = job_state_key(r.state);
        row.reason_key = status_key(r.reason);
        row.time = hh_mm(to_local(std::chrono::time_point_cast<std::chrono::milliseconds>(r.created)));
        rows.push_back(std::move(row));
    }
    return rows;
}

ui::StaffHomeView Controller::staff_home_view() const {
    ui::StaffHomeView home;
    home.receipt_printer = devices_ != nullptr && devices_->has_receipt_printer();
    home.a4_printer = devices_ != nullptr && devices_->has_a4_printer();
    home.canteen = is_canteen();
    return home;
}

void Controller::pin_entered() {
    const auto now = clock_.now_mono();
    const bool right = !config_.staff.pin.empty() && pin_input_ == config_.staff.pin;
    pin_input_.clear();
    if (right) {
        pin_failures_ = 0;
        spdlog::info("staff: signed in");
        show(staff_home_view(), true);
        return;
    }
    spdlog::warn("staff: wrong PIN");
    auto& pin = std::get<ui::StaffPinView>(stack_.back());
    pin.wrong = true;
    note_wrong_pin(now);
    changed();
}

void Controller::note_wrong_pin(core::MonoTime now) {
    // Five wrong tries, at sign-in or confirming a QR payment, lock both
    // keypads for a minute: guessing takes days.
    if (++pin_failures_ >= 5) {
        pin_locked_until_ = now + std::chrono::seconds{60};
        pin_failures_ = 0;
    }
}

bool Controller::pin_locked() const { return pin_locked_until_ && *pin_locked_until_ > clock_.now_mono(); }

void Controller::staff_intent(const ui::Intent& intent) {
    using K = ui::Intent::Kind;
    auto* pin = stack_.empty() ? nullptr : std::get_if<ui::StaffPinView>(&stack_.back());
    auto* home = stack_.empty() ? nullptr : std::get_if<ui::StaffHomeView>(&stack_.back());
    const bool locked = pin_locked_until_ && *pin_locked_until_ > clock_.now_mono();
    switch (intent.kind) {
        case K::StaffEntry:
            if (!staff_enabled()) break;
            pin_input_.clear();
            if (audio_ != nullptr) audio_->stop();
            show(ui::StaffPinView{}, true);
            break;
        case K::PinDigit:
            if (pin == nullptr || locked || pin_input_.size() >= 8) break;
            pin_input_ += static_cast<char>('0' + intent.arg);
            pin->wrong = false;
            changed();
            break;
        case K::PinDelete:
            if (pin == nullptr || pin_input_.empty()) break;
            pin_input_.pop_back();
            changed();
            break;
        case K::PinEnter:
            if (pin != nullptr && !locked) pin_entered();
            break;
        case K::StaffDevices:
            if (home != nullptr) show(ui::StaffDevicesView{}, false);
            break;
        case K::StaffTestPrint:
        case K::StaffTestA4: {
            if (home == nullptr || devices_ == nullptr) break;
            const bool a4 = intent.kind == K::StaffTestA4;
            std::optional<Error> failed;
            if (a4) {
                if (auto r = devices_->print_test_a4(); !r) failed = r.error();
            } else {
                if (auto r = devices_->print_test_receipt(); !r) failed = r.error();
            }
            home->message_is_error = failed.has_value();
            home->message = failed ? i18n_.format("staff.print_failed", {{"reason", failed->message}})
                                   : i18n_.tr(a4 ? "staff.test_a4_sent" : "staff.test_print_sent");
            changed();
            break;
        }
        case K::StaffReceipts:
            if (home != nullptr) show(ui::StaffReceiptsView{}, false);
            break;
        case K::OpenReceipt: {
            ui::StaffReceiptView view;
            view.receipt.id = static_cast<std::uint64_t>(intent.arg);
            show(std::move(view), false);
            break;
        }
        case K::Reprint: {
            auto* r = stack_.empty() ? nullptr : std::get_if<ui::StaffReceiptView>(&stack_.back());
            if (r == nullptr || devices_ == nullptr) break;
            auto again = devices_->reprint(static_cast<std::uint64_t>(intent.arg));
            r->note = again ? i18n_.tr("staff.reprint_sent") : i18n_.format("staff.print_failed", {{"reason", again.error().message}});
            changed();
            break;
        }
        case K::StaffExit: reset_to_idle(); break;
        default: break;
    }
}

void Controller::on_intent(const ui::Intent& intent) {
    using K = ui::Intent::Kind;
    session_.touch(clock_.now_mono());
    if (canteen_staff_intent(intent) || canteen_intent(intent)) return;
    switch (intent.kind) {
        case K::StaffEntry:
        case K::PinDigit:
        case K::PinDelete:
        case K::PinEnter:
        case K::StaffDevices:
        case K::StaffTestPrint:
        case K::StaffTestA4:
        case K::StaffReceipts:
        case K::OpenReceipt:
        case K::Reprint:
        case K::StaffExit:
        case K::StaffCounts:
        case K::StaffOrders:
        case K::OpenOrder:
        case K::RefundStart:
        case K::Refund:
        case K::ReprintTicket:
        case K::StaffAssist:
        case K::StaffTopUpStart:
        case K::DinerByPhone:
        case K::PickSurname:
        case K::PickDiner:
        case K::TopUp:
        case K::TopUpConfirm:
        case K::StaffMenu:
        case K::MenuPeriod:
        case K::MenuAdjust:
        case K::StaffDelivery:
        case K::SelectReservation:
        case K::CancelReservation:
        case K::PrintDelivery:
        case K::StaffDayClose:
        case K::PrintDayClose:
        case K::ExportDayClose: staff_intent(intent); break;
        case K::PickMeal:
        case K::Pay:
        case K::ToggleDelivery:
        case K::ReserveTomorrow:
        case K::OrderToday: break;  // canteen screens only (canteen_intent)
        case K::PrintSlip:
            if (!stack_.empty() && slip_)
                if (auto* g = std::get_if<ui::GreetingView>(&stack_.back())) {
                    auto [job, failed] = print(print::check_in_slip({config_.site.name, config_.terminal.id}, *slip_),
                                               "签到凭条 " + core::mask_name(slip_->name));
                    g->print_job = job;
                    g->print_note = failed;
                    g->print_note_error = !failed.empty();
                    g->slip_button = false;  // one slip per check-in
                    changed();
                }
            break;
        case K::PrintNotice:
            if (!stack_.empty())
                if (auto* n = std::get_if<ui::NoticeView>(&stack_.back())) {
                    auto [job, failed] = print(print::notice({config_.site.name, config_.terminal.id}, n->notice),
                                               "通知 " + n->notice.title);
                    n->print_job = job;
                    n->print_note = failed;
                    n->print_note_error = !failed.empty();
                    n->print_button = false;  // an anxious second tap must not print twice
                    changed();
                }
            break;
        case K::OpenService:
            switch (static_cast<ui::Service>(intent.arg)) {
                case ui::Service::CheckIn:
                    show(ui::CheckInPromptView{}, false);
                    say("voice.checkin_prompt");
                    break;
                case ui::Service::Notices: show(ui::NoticesView{headlines()}, false); break;
                default: spdlog::warn("intent: service {} is not available here", intent.arg); break;
            }
            break;
        case K::OpenNotice: {
            auto list = stores_.notices.list();
            if (!list) break;
            const bool printer = devices_ != nullptr && devices_->has_receipt_printer();
            for (const auto& n : *list)
                if (n.id == intent.arg) show(ui::NoticeView{n, 0, printer, 0, {}, false}, false);
            break;
        }
        case K::Page:
            if (stack_.empty()) break;
            if (auto* n = std::get_if<ui::NoticeView>(&stack_.back())) n->page = static_cast<int>(intent.arg);
            if (auto* l = std::get_if<ui::NoticesView>(&stack_.back())) l->page = static_cast<int>(intent.arg);
            if (auto* d = std::get_if<ui::StaffDevicesView>(&stack_.back())) d->page = static_cast<int>(intent.arg);
            changed();
            break;
        case K::ReadAloud:
            if (!stack_.empty())
                if (const auto* n = std::get_if<ui::NoticeView>(&stack_.back())) {
                    prompt_ = n->notice.title + "。" + n->notice.body;
                    if (audio_ != nullptr) audio_->speak(prompt_, ui::SpeechLanguage::Chinese);
                    changed();
                }
            break;
        case K::Back:
            if (!stack_.empty()) stack_.pop_back();
            if (audio_ != nullptr) audio_->stop();
            prompt_.clear();
            if (stack_.empty() && language_ == ui::language_from_code(config_.ui.language) &&
                large_text_ == config_.ui.large_text)
                session_.stop();
            changed();
            break;
        case K::Finish: reset_to_idle(); break;
        case K::ToggleLanguage:
            language_ = language_ == ui::Language::Chinese ? ui::Language::English : ui::Language::Chinese;
            i18n_.set_language(language_);
            if (!session_.active()) session_.start(clock_.now_mono());
            changed();
            break;
        case K::ToggleLargeText:
            large_text_ = !large_text_;
            if (!session_.active()) session_.start(clock_.now_mono());
            changed();
            break;
        case K::Continue:
            countdown_spoken_ = false;
            changed();
            break;
    }
}

}  // namespace kiosk::app
