#pragma once
// Hotplug: readers and printers come and go without a restart.
//
// Every driver already reopens its device on its own when it disappears and
// retries until it is back. The monitor makes that prompt: it listens to
// udev (libudev, the "udev" netlink source), and for each device added or
// removed in the subsystems readers and printers live in (tty, input,
// usbmisc, usb) it tells the caller, who pokes the driver concerned.
//
// Contract:
//   start(): opens the udev monitor and starts one thread; returns at once.
//     Without udev (a container, no udevd) the monitor reports it in health
//     and the drivers fall back on their own retries: nothing breaks.
//   The callback runs on the monitor's thread; keep it short.
//   stop(): prompt (a Waker); no callback after it returns. Idempotent.
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "drivers/common/health.hpp"
#include "drivers/io/waker.hpp"

namespace drivers::hotplug {

struct DeviceChange {
    enum class Action { Added, Removed, Changed };
    Action action = Action::Added;
    std::string subsystem;           // "tty", "input", "usbmisc", ...
    std::string devnode;             // "/dev/ttyUSB0"; may be empty for parent devices
    std::vector<std::string> links;  // "/dev/serial/by-id/usb-…", "/dev/input/by-id/…"
};

// Whether a change concerns the device a driver was configured with: the
// configured path is the node itself, one of its links, or (for a link that
// still exists) resolves to it. Removals match on node and links only, since
// the link is gone by then.
[[nodiscard]] bool concerns(const DeviceChange& change, const std::string& configured_path);

[[nodiscard]] const char* action_name(DeviceChange::Action a);

class Monitor {
public:
    using Callback = std::function<void(const DeviceChange&)>;
    Monitor();
    ~Monitor();
    Monitor(const Monitor&) = delete;
    Monitor& operator=(const Monitor&) = delete;

    void start(Callback callback);
    void stop();
    [[nodiscard]] DeviceHealth health() const { return health_.get(); }

private:
    void run();
    struct Udev;
    std::unique_ptr<Udev> udev_;
    Callback callback_;
    io::Waker waker_;
    HealthCell health_{"udev hotplug"};
    std::thread thread_;
};

}  // namespace drivers::hotplug
