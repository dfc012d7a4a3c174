#pragma once
// The session state machine: idle -> identified -> flow -> done -> idle.
//
// Receives card events, intents from the screens and the passage of time;
// decides what is recorded (through core's rules and the store) and what the
// screen shows (a FrameView). Runs on the main thread; never waits on a
// device. The store calls it makes are indexed look-ups and one fsynced
// commit per check-in, which must finish before the screen says "done".
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "drivers/card/card_event.hpp"
#include "kiosk/app/clock.hpp"
#include "kiosk/app/config.hpp"
#include "kiosk/app/devices.hpp"
#include "kiosk/core/check_in.hpp"
#include "kiosk/core/session.hpp"
#include "kiosk/app/canteen_config.hpp"
#include "kiosk/core/subsidy.hpp"
#include "kiosk/store/canteen.hpp"
#include "kiosk/store/facts.hpp"
#include "kiosk/store/notices.hpp"
#include "kiosk/store/roster.hpp"
#include "kiosk/ui/audio.hpp"
#include "kiosk/ui/i18n.hpp"
#include "kiosk/ui/view.hpp"

namespace kiosk::app {

struct Stores {
    store::RosterRepository& roster;
    store::FactStore& facts;
    store::NoticeRepository& notices;
};

// What the canteen flow needs (site type "canteen").
struct Canteen {
    store::CanteenStore& store;
    const core::PolicySet& policies;
    const MenuTemplate& menu;
};

class Controller {
public:
    // `devices` may be null (no devices at all); it must outlive the controller.
    Controller(const Config& config, Stores stores, KioskClock& clock, ui::Audio* audio, DeviceHub* devices = nullptr,
               Canteen* canteen = nullptr);

    // After the devices are up: prints pickup tickets that a power cut kept
    // from the printer (their orders were recorded).
    void resume();

    void on_card(const drivers::CardEvent& event);
    void on_intent(const ui::Intent& intent);
    // Any touch or key: the person is still there.
    void on_activity();
    // Applies timeouts; call on every loop iteration.
    void tick();

    [[nodiscard]] ui::FrameView view() const;
    // The next moment the view changes by itself (clock minute, countdown, timeout).
    [[nodiscard]] core::MonoTime next_change() const;
    // Bumped on every change of state: the frame must be redrawn.
    [[nodiscard]] std::uint64_t generation() const { return generation_; }

    [[nodiscard]] ui::Language language() const { return language_; }
    [[nodiscard]] bool large_text() const { return large_text_; }
    // What was spoken on entering the current screen (for the audit).
    [[nodiscard]] const std::string& prompt() const { return prompt_; }

    // Services of this site type that work (idle screen buttons).
    [[nodiscard]] std::vector<ui::Service> services() const;

private:
    void identify_by_card(const std::string& card);
    void identify_by_id(const drivers::IdCardText& id);
    void after_lookup(const Result<std::optional<core::Resident>>& found, core::CheckInMethod method);
    void refuse(ui::MessageView::Kind kind, std::string_view voice_key);
    void check_in(const core::Resident& r, core::CheckInMethod method);
    void show(ui::ScreenView screen, bool replace_stack);
    void reset_to_idle();
    void say(std::string_view key, std::initializer_list<std::pair<std::string_view, std::string_view>> args = {});
    void changed() { ++generation_; }
    void staff_intent(const ui::Intent& intent);
    // ---- canteen (controller_canteen.cpp) ----
    [[nodiscard]] bool is_canteen() const { return canteen_ != nullptr && config_.site.type == SiteType::Canteen; }
    void canteen_start(const core::Resident* diner);
    bool canteen_intent(const ui::Intent& intent);
    void canteen_refresh(ui::MenuView& menu) const;
    [[nodiscard]] ui::MenuView canteen_menu(ui::MenuMode mode) const;
    [[nodiscard]] core::SubsidyQuote canteen_quote(core::MealPeriod period, core::CivilDate day, core::Fen price) const;
    void canteen_pay(core::PaymentMethod method);
    void canteen_order(const ui::QuoteView& quote, core::PaymentMethod method, std::optional<std::string> reservation);
    void canteen_reserve(const ui::QuoteView& quote, core::PaymentMethod method);
    bool canteen_fulfil_reservation(std::string& notice);
    void print_ticket(const store::StoredOrder& order);
    // Prices `item` for `diner` (nullptr: a guest) by the policy in force and
    // records the order with its outbox fact.
    Result<store::StoredOrder> record_meal(const core::Resident* diner, core::CivilDate day, core::MealPeriod period,
                                           const core::MenuItem& item, core::PaymentMethod method, bool delivery,
                                           bool staff_assisted);
    // ---- canteen staff tools (controller_canteen_staff.cpp) ----
    bool canteen_staff_intent(const ui::Intent& intent);
    [[nodiscard]] ui::StaffHomeView staff_home_view() const;
    [[nodiscard]] std::string staff_who(const std::optional<core::RosterId>& resident);
    [[nodiscard]] ui::OrderRow staff_order_row(const store::StoredOrder& order);
    [[nodiscard]] ui::StaffCountsView staff_counts();
    [[nodiscard]] ui::StaffOrdersView staff_orders(int page);
    [[nodiscard]] std::optional<ui::StaffOrderView> staff_order(const std::string& fact_id);
    void staff_refund(std::size_t reason);
    void staff_reprint();
    [[nodiscard]] ui::StaffDinersView staff_diners(ui::DinerPurpose purpose);
    void staff_list_found(ui::StaffDinersView& view, Result<std::vector<core::Resident>> found, std::string heading);
    void staff_pick_diner(std::size_t index);
    void staff_top_up();
    [[nodiscard]] ui::StaffMenuView staff_menu(std::optional<core::MealPeriod> period);
    void staff_menu_adjust(std::int64_t arg);
    [[nodiscard]] ui::StaffDeliveryView staff_delivery();
    void staff_cancel_reservation();
    void staff_print_delivery();
    [[nodiscard]] ui::DayCloseView staff_day_close();
    void staff_day_close_out(bool to_printer);
    [[nodiscard]] core::CivilDate local_today() const;
    [[nodiscard]] int local_minute() const;
    // Queues a receipt: its job id, or 0 with the words to show.
    std::pair<std::uint64_t, std::string> print(const print::Receipt& receipt, const std::string& label);
    // What became of a print job, in words, and whether it is a problem.
    [[nodiscard]] std::pair<std::string, bool> print_note(std::uint64_t job) const;
    [[nodiscard]] std::vector<ui::ReceiptRow> receipt_rows() const;
    [[nodiscard]] std::string local_stamp() const;
    void pin_entered();
    void note_wrong_pin(core::MonoTime now);
    [[nodiscard]] bool pin_locked() const;
    [[nodiscard]] ui::IdleView idle_view() const;
    [[nodiscard]] std::vector<ui::DeviceRow> device_rows() const;
    [[nodiscard]] bool staff_enabled() const { return !config_.staff.pin.empty(); }
    [[nodiscard]] std::vector<ui::NoticeHeadline> headlines() const;

    const Config& config_;
    Stores stores_;
    KioskClock& clock_;
    ui::Audio* audio_;
    DeviceHub* devices_;
    ui::I18n i18n_;  // for spoken prompts and staff messages
    core::SessionTimer session_;
    core::CheckInRules rules_;

    std::vector<ui::ScreenView> stack_;  // empty: idle
    ui::Language language_;
    bool large_text_;
    std::string prompt_;
    std::uint64_t generation_ = 1;
    bool countdown_spoken_ = false;

    Canteen* canteen_;
    // The diner being served (a resident, or nobody: a guest at full price).
    std::optional<core::Resident> diner_;
    std::string diner_name_;  // with the form of address
    bool staff_assisted_ = false;

    // What the staff screens' rows stand for (their ids), and whom they act on.
    std::vector<std::string> staff_order_ids_;  // StaffOrdersView rows
    std::string staff_order_id_;                // the StaffOrderView's order
    std::vector<core::Resident> staff_found_;   // StaffDinersView people
    std::optional<core::Resident> top_up_for_;
    std::vector<std::string> staff_menu_items_;  // StaffMenuView rows
    std::vector<store::Reservation> staff_reservations_;  // StaffDeliveryView rows

    // The last check-in, for 打印凭条; cleared with the session.
    std::optional<print::CheckInSlip> slip_;

    // Staff mode: what was typed, and the lock after repeated wrong PINs.
    std::string pin_input_;
    int pin_failures_ = 0;
    std::optional<core::MonoTime> pin_locked_until_;
};

// The check-in purpose a site type records.
[[nodiscard]] core::CheckInPurpose purpose_for(SiteType t);

// Local wall-clock time in the process time zone (set from [site] time_zone).
[[nodiscard]] ui::LocalTime to_local(core::UtcTime t);
[[nodiscard]] std::string hh_mm(const ui::LocalTime& t);  // "09:05"

}  // namespace kiosk::app
