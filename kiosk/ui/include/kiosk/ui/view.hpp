#pragma once
// View-models the screens render, and the intents they return.
//
// A screen is a function of its view-model: it draws, records what it drew,
// and returns at most one intent per frame. It never calls the store, a
// device or the network; the app turns intents into actions.
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "kiosk/core/civil_date.hpp"
#include "kiosk/core/meal.hpp"
#include "kiosk/core/notice.hpp"

namespace kiosk::ui {

// Every service a site type may offer; the app lists only those that work.
enum class Service : std::uint8_t { CheckIn, Report, Notices, Activities, Volunteer, Order, DayCareIn, DayCareOut };
[[nodiscard]] const char* service_label_key(Service s);

struct LocalTime {
    core::CivilDate date;
    int weekday = 0;  // 0 = Sunday
    int hour = 0;
    int minute = 0;
};

struct TopBarView {
    std::string site_name;
    LocalTime now;
    bool staff_entry = false;  // a long press on the site name opens staff mode
};

struct NoticeHeadline {
    std::int64_t id = 0;
    std::string title;
    core::NoticeKind kind = core::NoticeKind::Policy;
    core::CivilDate published;
};

struct IdleView {
    std::vector<Service> services;
    std::vector<NoticeHeadline> notices;
};

struct CheckInPromptView {};

struct GreetingView {
    std::string name;       // full name
    std::string form;       // 奶奶 / 爷爷 / ... or empty
    std::string masked_id;  // 130***********0024
    bool recorded = true;   // false: already checked in within the repeat window
    std::string time;       // HH:MM of the (earlier) check-in, local
    std::vector<Service> services;
    bool slip_button = false;  // 打印凭条 ([check_in] slip = "ask")
    std::uint64_t print_job = 0;  // the slip's print job, followed until it is out
    std::string print_note;       // what became of it, in words (filled in by the app)
    bool print_note_error = false;
};

struct MessageView {
    enum class Kind { UnknownPerson, InvalidId, StoreError };
    Kind kind = Kind::UnknownPerson;
};

struct NoticesView {
    std::vector<NoticeHeadline> notices;
    int page = 0;  // the app keeps the page; the screen clamps it
};

struct NoticeView {
    core::Notice notice;
    int page = 0;  // the app keeps the page; the screen clamps it
    bool print_button = false;
    std::uint64_t print_job = 0;
    std::string print_note;
    bool print_note_error = false;
};

// ---- staff mode ----------------------------------------------------------

struct StaffPinView {
    int entered = 0;          // digits typed so far (shown as dots)
    int length = 4;           // digits in the PIN
    bool wrong = false;       // the last attempt failed
    int locked_seconds = 0;   // > 0: too many attempts, wait
};

struct StaffHomeView {
    bool receipt_printer = false;  // a receipt printer is configured
    bool a4_printer = false;       // an A4 printer is configured
    bool canteen = false;          // the canteen's staff tools
    std::string message;           // the outcome of the last action, already in words
    bool message_is_error = false;
};

enum class DeviceKind : std::uint8_t { CardReader, IdReader, ReceiptPrinter, A4Printer, Hotplug, Storage };
enum class DeviceStateView : std::uint8_t { Absent, Ready, Degraded, Fault };

struct DeviceRow {
    DeviceKind kind = DeviceKind::CardReader;
    DeviceStateView state = DeviceStateView::Absent;
    std::string driver;      // "ga467 /dev/serial/by-id/…", "sim"
    std::string status_key;  // a catalog key for the status, or "" to show `status` as it is
    std::string status;      // the driver's own words
    std::string last_error;  // the driver's own words; may be empty
    std::string last_event;  // local "HH:MM" or "" when none yet
};

struct StaffDevicesView {
    std::vector<DeviceRow> devices;
    int page = 0;
};

struct ReceiptRow {
    std::uint64_t id = 0;
    std::string label;      // as stored: masked names only
    std::string state_key;  // job_state.*
    std::string reason_key; // device_status.* while waiting, or ""
    std::string time;       // local HH:MM it was queued
};

struct StaffReceiptsView {
    std::vector<ReceiptRow> receipts;
    int page = 0;
};

struct StaffReceiptView {
    ReceiptRow receipt;
    void* preview = nullptr;  // a renderer texture the app provides; null: no picture
    int preview_w = 0, preview_h = 0;
    std::string note;
};

// ---- canteen ---------------------------------------------------------------

// A picture the app supplies (a renderer texture), or none.
struct Picture {
    void* texture = nullptr;
    int w = 0, h = 0;
};

struct MealTile {
    std::string id;
    std::string name;     // 套餐A
    std::string dishes;   // 红烧肉、炒青菜、米饭、紫菜汤
    std::string price;    // "15.00"
    bool sold_out = false;
    int left = -1;        // portions left when only a few remain, else -1
    std::string photo;    // an image file, for the app to load
    Picture picture;      // filled in by the app
};

enum class MenuMode : std::uint8_t { Today, Tomorrow };

// Catalog keys: "meal_period.lunch", "method.cash".
[[nodiscard]] const char* meal_period_key(core::MealPeriod p);
[[nodiscard]] const char* payment_method_key(core::PaymentMethod m);

struct MenuView {
    std::string diner;        // "张桂兰 奶奶" (or the plain name); "" for a guest
    bool guest = false;       // not identified: full price, no subsidy
    bool staff_assisted = false;  // staff ordering for a diner without a card
    MenuMode mode = MenuMode::Today;
    core::MealPeriod period = core::MealPeriod::Lunch;
    bool serving = true;      // false: no meal is served now
    std::string next_time;    // when serving is false: "10:30 午餐"
    std::vector<MealTile> tiles;
    std::string balance;      // "50.00", or "" when none
    bool can_reserve = false; // 预订明天
    std::string reserved;     // words about a reservation already made, or ""
    std::string notice;       // why today's reservation could not be served, or ""
    int page = 0;
};

struct QuoteView {
    MealTile meal;
    MenuMode mode = MenuMode::Today;
    core::MealPeriod period = core::MealPeriod::Lunch;
    std::string price, subsidy, pay;  // "15.00", "5.00", "10.00"
    std::string bracket;              // "80岁以上", or ""
    bool already_subsidised = false;  // told plainly: this one is full price
    bool guest = false;
    std::vector<core::PaymentMethod> methods;  // offered (balance only when it covers the price)
    std::string balance;                       // "50.00" when the diner has one, else ""
    bool delivery_offered = false;             // 送餐上门 (reservations)
    bool delivery = false;
    std::string problem;                       // e.g. 已售完 after a race, or the balance ran short
};

struct OrderDoneView {
    std::string pickup_no;  // "0042"; "" for a reservation
    std::string meal;
    std::string pay;        // "10.00"
    core::PaymentMethod method = core::PaymentMethod::Cash;
    MenuMode mode = MenuMode::Today;
    core::MealPeriod period = core::MealPeriod::Lunch;
    bool delivery = false;
    bool from_reservation = false;  // made at check-in from yesterday's reservation
    std::string balance_left;     // after a balance payment
    std::uint64_t print_job = 0;  // the pickup ticket
    std::string print_note;
    bool print_note_error = false;
};

// An external QR payment: the diner pays with a phone, staff confirm with the PIN.
struct QrPayView {
    std::string meal;
    std::string pay;
    int entered = 0;  // PIN digits typed
    int length = 4;
    bool wrong = false;
    int locked_seconds = 0;  // > 0: too many wrong PINs (here or at sign-in), wait
};

// ---- canteen staff ---------------------------------------------------------

// 今日订单: live counts per meal and per subsidy bracket.
struct StaffCountsView {
    struct Item {
        std::string period;  // 午餐
        std::string name;    // 套餐A
        int sold = 0;
        int limit = 0;       // 0: no limit
    };
    struct Bracket {
        std::string label;   // 80岁以上 ("" shows as 无补贴)
        std::int64_t orders = 0;
        std::string subsidy; // "125.00"
    };
    std::string day;         // "2026-11-25"
    std::vector<Item> items;
    std::vector<Bracket> brackets;
    std::int64_t orders = 0;
    std::string takings, subsidy;
};

struct OrderRow {
    std::string pickup_no;
    std::string who;        // masked name, or 访客 (guest)
    std::string meal;
    std::string pay;        // "10.00"
    core::PaymentMethod method = core::PaymentMethod::Cash;
    std::string time;       // HH:MM
    bool refunded = false;
    bool staff_assisted = false;
};

struct StaffOrdersView {
    std::vector<OrderRow> orders;  // today, newest first
    int page = 0;
};

// One order: reprint its ticket, or refund it with a reason.
struct StaffOrderView {
    OrderRow order;
    std::string price, subsidy;
    std::vector<std::string> reasons;  // the fixed refund reasons to choose from
    bool choosing = false;             // 退款 tapped: the reasons are shown
    std::string note;                  // outcome, in words
    bool note_error = false;
};

enum class DinerPurpose : std::uint8_t { Order, TopUp };

// Finding a diner without a card: by surname then the person, or by the last
// digits of their phone number.
struct StaffDinersView {
    DinerPurpose purpose = DinerPurpose::Order;
    enum class Mode : std::uint8_t { Surnames, Phone, People } mode = Mode::Surnames;
    std::vector<std::string> surnames;  // Surnames: the roster's, most common first
    std::string phone_digits;           // Phone: typed so far (at most 4)
    std::string heading;                // People: "王" or "尾号 0024"
    struct Diner {
        std::string name;     // staff see full names to find the person
        std::string detail;   // 3号楼 2单元 401 · 139****0024
    };
    std::vector<Diner> diners;
    std::string note;         // e.g. nobody found
    int page = 0;
};

struct StaffTopUpView {
    std::string name;
    std::string balance;  // "50.00"
    std::vector<std::int64_t> amounts_fen{1000, 2000, 5000, 10000};
    std::int64_t pending = 0;  // chosen, waiting for 确认: money needs two taps
    std::string note;
    bool note_error = false;
};

// The day's menu: price and portions, by tapping − and +.
struct StaffMenuView {
    struct Item {
        std::string name;
        std::string price;  // "15.00"
        int limit = 0;
        int sold = 0;
    };
    core::MealPeriod period = core::MealPeriod::Lunch;
    std::vector<core::MealPeriod> periods;  // the ones staff can switch to
    std::vector<Item> items;
    std::string note;
    int page = 0;
};

// 预订与送餐: today's and tomorrow's reservations; delivery ones carry the
// roster address. A row can be cancelled (with a second tap to confirm).
struct StaffDeliveryView {
    struct Row {
        std::string day;      // 今天 / 明天
        std::string period;   // 午餐
        std::string name;     // full name: the courier needs it
        std::string address;  // 佳禾小区一区 3号楼 2单元 401, when delivered
        std::string meal;
        bool delivery = false;
        bool fulfilled = false;
    };
    std::vector<Row> rows;
    int selected = -1;        // a row tapped: 取消预订 is offered for it
    std::string note;
    bool note_error = false;
    int page = 0;
};

// 日结: the day's figures, printed and exported.
struct DayCloseView {
    std::string day;
    struct Section {
        std::string title;                                       // 按支付方式
        std::vector<std::pair<std::string, std::string>> lines;  // label, value (already in words)
    };
    std::vector<Section> sections;
    bool printer = false;  // 打印日结 offered
    std::string note;
    bool note_error = false;
    int page = 0;
};

using ScreenView = std::variant<IdleView, CheckInPromptView, GreetingView, MessageView, NoticesView, NoticeView,
                                StaffPinView, StaffHomeView, StaffDevicesView, StaffReceiptsView, StaffReceiptView,
                                MenuView, QuoteView, OrderDoneView, QrPayView, StaffCountsView, StaffOrdersView,
                                StaffOrderView, StaffDinersView, StaffTopUpView, StaffMenuView, StaffDeliveryView,
                                DayCloseView>;

struct FrameView {
    TopBarView top;
    ScreenView screen;
    std::optional<int> countdown;  // seconds left before the session ends
};

// A short stable name for logs, audits and tests: "idle", "greeting", ...
[[nodiscard]] const char* screen_name(const ScreenView& s);

struct Intent {
    enum class Kind {
        OpenService,      // arg: Service
        OpenNotice,       // arg: notice id
        Back,             // to the previous screen
        Finish,           // end the session, back to idle
        ToggleLanguage,
        ToggleLargeText,
        Continue,         // dismiss the countdown
        ReadAloud,        // speak the open notice
        Page,             // arg: page number
        StaffEntry,       // the hidden long press on the site name
        PinDigit,         // arg: 0..9
        PinDelete,
        PinEnter,
        StaffDevices,
        StaffTestPrint,
        StaffTestA4,
        StaffExit,
        PrintSlip,
        PrintNotice,
        StaffReceipts,
        OpenReceipt,      // arg: job id
        Reprint,          // arg: job id
        // canteen
        PickMeal,         // arg: the tile's index
        Pay,              // arg: core::PaymentMethod
        ToggleDelivery,
        ReserveTomorrow,
        OrderToday,
        // canteen staff (indexes refer to the rows of the screen shown)
        StaffCounts,
        StaffOrders,
        OpenOrder,        // arg: row index
        RefundStart,
        Refund,           // arg: reason index
        ReprintTicket,
        StaffAssist,      // order for a diner without a card
        StaffTopUpStart,
        DinerByPhone,     // the diner picker switches to phone digits
        PickSurname,      // arg: index
        PickDiner,        // arg: index
        TopUp,            // arg: fen (chosen, not yet done)
        TopUpConfirm,
        StaffMenu,
        MenuPeriod,       // arg: core::MealPeriod
        MenuAdjust,       // arg: item index * 4 + (0 price -0.50, 1 price +0.50, 2 limit -5, 3 limit +5)
        StaffDelivery,
        SelectReservation,  // arg: row index
        CancelReservation,
        PrintDelivery,
        StaffDayClose,
        PrintDayClose,
        ExportDayClose,
    };
    Kind kind;
    std::int64_t arg = 0;
    bool operator==(const Intent&) const = default;
};

class Ui;
// Draws the whole frame (top bar, screen, countdown overlay).
[[nodiscard]] std::optional<Intent> draw_frame(const FrameView& view, Ui& ui);

}  // namespace kiosk::ui
