#pragma once
// Kiosk configuration (TOML).
//
// Layers, each overriding the one before key by key (a file that sets one
// key changes only that key; an array is replaced whole):
//   1. config/kiosk.toml, compiled into the binary: every key with its default
//   2. /etc/kiosk/kiosk.toml, when present
//   3. --config FILE, when given
// Command-line options (--data-dir, --fullscreen) are applied last, by the caller.
//
// Every layer is checked against one schema. An unknown section or key, a
// wrong type, a value out of range or not among the allowed words stops
// start-up with the file, the line and a plain sentence, e.g.
//   /etc/kiosk/kiosk.toml:12: unknown key 'idle_timout_s' in [session]; did you mean 'idle_timeout_s'?
#include <string>
#include <string_view>
#include <vector>

#include "kiosk/core/greeting.hpp"
#include "kiosk/core/result.hpp"

namespace kiosk::app {

enum class SiteType { Hall, Canteen, DayCare };
[[nodiscard]] std::string_view site_type_code(SiteType t);  // "hall", "canteen", "daycare"

struct TerminalConfig {
    std::string id;  // [terminal] id: lower-case letters, digits and '-'; names the terminal in every record
};

struct SiteConfig {
    std::string name;        // [site] name: shown on the idle screen
    SiteType type = SiteType::Hall;
    std::string community;   // [site] community
    std::string time_zone;   // [site] time_zone: an IANA zone present in /usr/share/zoneinfo
};

struct DisplayConfig {
    double width_mm = 0;     // [display] physical size of the visible area
    double height_mm = 0;
    bool fullscreen = true;  // production default; `make run` passes --windowed
    int window_width = 0;    // windowed (development) and headless render size
    int window_height = 0;
};

struct UiConfig {
    std::string language;    // "zh-CN" | "en"
    bool large_text = false;
    std::string font;        // a TrueType/OpenType file or collection
    int font_index = 0;      // face in the collection (Noto Sans CJK SC = 2)
};

struct VoiceConfig {
    bool enabled = true;     // speak prompts, confirmations and errors
    bool sounds = true;      // tones for card read OK / failed
    int volume = 80;         // 0..100
    int rate = 150;          // words per minute, 80..300
};

struct SessionConfig {
    int idle_timeout_s = 60;  // untouched this long -> countdown
    int countdown_s = 10;
};

struct CheckInConfig {
    int repeat_window_s = 600;  // a second check-in for the same purpose inside this is not recorded again
    std::string slip;           // "never" | "ask" (a 打印凭条 button) | "always": a printed check-in slip
};

struct DataConfig {
    std::string dir;  // database, secret key, printed jobs
};

struct LogConfig {
    std::string level;  // "trace" | "debug" | "info" | "warn" | "error"
};

// [canteen]: elder canteens (site type "canteen").
struct CanteenConfig {
    std::string menu;      // a menu file; "" = the built-in demo menu (config/menu/demo.toml)
    std::string policies;  // a folder of subsidy policy files (*.toml); "" = the built-in demo policy
    bool cash = true;      // payment methods offered
    bool balance = true;   // prepaid balance (staff top up)
    bool qr = true;        // an external QR payment, confirmed by staff
    bool reservations = true;  // order tomorrow's meal at the terminal
    bool delivery = true;      // 送餐上门 with a reservation
    std::string export_dir;    // where 日结 CSV and PDF files go; "" = <data dir>/exports
};

struct StaffConfig {
    std::string pin;  // 4-8 digits; staff mode opens after a long press on the site name and this PIN
};

// [devices.card_reader]: community cards and QR codes.
struct CardReaderConfig {
    std::string driver;  // "none" | "sim" | "hid" | "pcsc"
    std::string path;    // hid: /dev/input/by-id/...-event-kbd
    std::string format;  // hid: "dec10" | "dec10-reversed" | "hex" | "hex-reversed" | "raw"
    std::string reader;  // pcsc: the reader's name, or "" for the first one
};

// [devices.id_reader]: resident ID cards.
struct IdReaderConfig {
    std::string driver;  // "none" | "sim" | "ga467"
    std::string path;    // ga467: /dev/serial/by-id/... (a by-id path survives re-plugging)
    int baud = 115200;
};

// [devices.printer]: the receipt printer.
struct PrinterConfig {
    std::string driver;     // "none" | "sim" | "escpos"
    std::string transport;  // escpos: "usb" | "tcp" | "serial" | "file"
    std::string path;       // usb: /dev/usb/lp0, serial: /dev/serial/by-id/..., file: a file
    std::string address;    // tcp: host or host:port (9100 by default)
    int baud = 9600;        // serial
    int width_mm = 58;      // 58 (32 columns) or 80 (48 columns)
    bool native_qr = true;  // false: QR codes are printed as images (printers without GS ( k)
    std::string font;       // "gb2312" | "gbk" | "gb18030" | "gb18030-all": what the printer's own font covers
};

// [devices.a4_printer]: A4 notices and reports through CUPS.
struct A4PrinterConfig {
    std::string driver;  // "none" | "cups"
    std::string queue;   // the CUPS queue
    std::string server;  // "" for the system's CUPS, or host[:port] / a socket path
};

struct DevicesConfig {
    CardReaderConfig card_reader;
    IdReaderConfig id_reader;
    PrinterConfig printer;
    A4PrinterConfig a4_printer;
};

struct Config {
    TerminalConfig terminal;
    SiteConfig site;
    DisplayConfig display;
    UiConfig ui;
    VoiceConfig voice;
    SessionConfig session;
    CheckInConfig check_in;
    core::GreetingPolicy greeting;  // [greeting] use_forms, forms = [{min_age, female, male}, ...]
    DataConfig data;
    LogConfig log;
    StaffConfig staff;
    CanteenConfig canteen;
    DevicesConfig devices;
};

// Checks that hang together across keys (a driver and what it needs); the
// message names the section and says what to add. Code "config.invalid".
[[nodiscard]] Result<void> check_devices(const Config& config);

// One layer's text and the name used in messages (a path, or "<defaults>").
struct ConfigSource {
    std::string name;
    std::string text;
};

// The compiled-in defaults (config/kiosk.toml).
[[nodiscard]] ConfigSource default_config_source();

// Parses and checks each layer, merges them in order and converts the result.
// Error code "config.invalid"; the message names the source, the line and the
// mistake, in one sentence.
[[nodiscard]] Result<Config> load_config(const std::vector<ConfigSource>& layers);

// Reads a file into a ConfigSource; an error if it cannot be read.
[[nodiscard]] Result<ConfigSource> read_config_file(const std::string& path);

}  // namespace kiosk::app
