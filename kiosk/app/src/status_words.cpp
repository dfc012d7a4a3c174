#include "status_words.hpp"

namespace kiosk::app {

namespace {
struct StatusWords {
    std::string_view code;
    const char* key;
};
constexpr StatusWords kStatusWords[] = {
    {"printer.ready", "device_status.printer_ready"},
    {"printer.paper_out", "device_status.paper_out"},
    {"printer.paper_near_end", "device_status.paper_near_end"},
    {"printer.cover_open", "device_status.cover_open"},
    {"printer.offline", "device_status.offline"},
    {"printer.not_connected", "device_status.not_connected"},
    {"printer.no_answer", "device_status.no_answer"},
    {"printer.error", "device_status.printer_error"},
    {"printer.connection_lost", "device_status.connection_lost"},
    {"printer.permission", "device_status.permission"},
    {"printer.spool", "device_status.spool"},
};
}  // namespace

const char* status_key(std::string_view code) {
    for (const auto& w : kStatusWords)
        if (w.code == code) return w.key;
    return "";
}

}  // namespace kiosk::app
