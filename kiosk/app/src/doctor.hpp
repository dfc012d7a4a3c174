#pragma once
// kiosk doctor: the configured devices and their state, and hands-on checks
// (read one card, print a test receipt, print a test A4 page).
#include "kiosk/app/config.hpp"

namespace kiosk::app {

struct DoctorOptions {
    bool read_card = false;
    bool print_test = false;
    bool print_a4_test = false;
    int wait_s = 60;  // how long --read-card waits for a card, and printing for the job
};

// Exit code: 0 when every configured device is ready and every check passed.
int run_doctor(const Config& config, const DoctorOptions& options);

}  // namespace kiosk::app
