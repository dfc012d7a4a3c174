#pragma once
// Running the kiosk: the window, the event loop, scripted headless runs.
#include <optional>
#include <string>

#include "kiosk/app/config.hpp"

namespace kiosk::app {

struct RunOptions {
    bool headless = false;      // no display: SDL's offscreen (or dummy) driver, software renderer
    bool demo = false;          // demo roster, demo notices, simulated devices
    std::optional<std::string> script;  // run this script, then exit (0 = every line passed)
    std::string screenshots_dir;        // where `screenshot NAME` writes NAME.png
    std::optional<std::string> audit_file;  // JSON lines, one per screen visited
    bool report_first_frame = false;    // print first_frame_ns=<CLOCK_MONOTONIC> when presented
    bool exit_after_first_frame = false;
};

// Exit codes: 0 ok, 1 a script line failed, 3 start-up failed (message logged).
int run_kiosk(const Config& config, const RunOptions& options);

// The whole command line (kiosk, kiosk export, kiosk audit-check).
int main_entry(int argc, char** argv);

}  // namespace kiosk::app
