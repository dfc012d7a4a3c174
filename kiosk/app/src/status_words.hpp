#pragma once
// Drivers describe their state with stable codes ("printer.paper_out"); the
// screens show catalog words for the ones they know.
#include <string_view>

namespace kiosk::app {

// The catalog key for a driver status code, or "" when the screens should
// show the driver's own words.
[[nodiscard]] const char* status_key(std::string_view code);

}  // namespace kiosk::app
