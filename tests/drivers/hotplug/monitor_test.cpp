#include <doctest/doctest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>

#include "drivers/hotplug/monitor.hpp"

using drivers::hotplug::concerns;
using drivers::hotplug::DeviceChange;
using Action = DeviceChange::Action;

TEST_CASE("hotplug: a change concerns the device configured by node or by-id link") {
    DeviceChange c{Action::Added, "tty", "/dev/ttyUSB1", {"/dev/serial/by-id/usb-1a86_USB_Serial-if00-port0"}};
    CHECK(concerns(c, "/dev/ttyUSB1"));
    CHECK(concerns(c, "/dev/serial/by-id/usb-1a86_USB_Serial-if00-port0"));
    CHECK_FALSE(concerns(c, "/dev/ttyUSB0"));
    CHECK_FALSE(concerns(c, "/dev/serial/by-id/usb-other-if00-port0"));
    CHECK_FALSE(concerns(c, ""));
}

TEST_CASE("hotplug: a configured symlink that resolves to the new node matches an addition") {
    const auto dir = std::filesystem::temp_directory_path() / ("hotplug-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir);
    const auto node = dir / "ttyFAKE0";
    std::ofstream(node) << "";
    const auto link = dir / "by-id-reader";
    std::filesystem::create_symlink(node, link);
    DeviceChange added{Action::Added, "tty", node.string(), {}};
    CHECK(concerns(added, link.string()));
    DeviceChange removed{Action::Removed, "tty", node.string(), {}};
    CHECK_FALSE(concerns(removed, link.string()));  // after removal the link proves nothing
    CHECK(concerns(removed, node.string()));
    std::filesystem::remove_all(dir);
}

TEST_CASE("hotplug: the monitor starts and stops promptly, with or without udev") {
    drivers::hotplug::Monitor m;
    m.start([](const DeviceChange&) {});
    const auto h = m.health();
    // Containers have no udevd: then the monitor says so and drivers retry on their own.
    CHECK((h.state == drivers::DeviceState::Ready || h.state == drivers::DeviceState::Absent));
    CHECK_FALSE(h.status.empty());
    const auto t0 = std::chrono::steady_clock::now();
    m.stop();
    CHECK(std::chrono::steady_clock::now() - t0 < std::chrono::seconds{2});
    m.stop();  // idempotent
}
