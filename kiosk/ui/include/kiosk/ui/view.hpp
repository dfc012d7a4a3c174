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

using ScreenView = std::variant<IdleView, CheckInPromptView, GreetingView, MessageView, NoticesView, NoticeView,
                                StaffPinView, StaffHomeView, StaffDevicesView, StaffReceiptsView, StaffReceiptView>;

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
    };
    Kind kind;
    std::int64_t arg = 0;
    bool operator==(const Intent&) const = default;
};

class Ui;
// Draws the whole frame (top bar, screen, countdown overlay).
[[nodiscard]] std::optional<Intent> draw_frame(const FrameView& view, Ui& ui);

}  // namespace kiosk::ui
