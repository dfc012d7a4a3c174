#include "drivers/hotplug/monitor.hpp"

#include <libudev.h>
#include <poll.h>

#include <algorithm>
#include <filesystem>

namespace drivers::hotplug {

namespace {
constexpr const char* kSubsystems[] = {"tty", "input", "usbmisc", "usb"};

DeviceChange::Action action_of(const char* a) {
    const std::string s = a != nullptr ? a : "";
    if (s == "add") return DeviceChange::Action::Added;
    if (s == "remove") return DeviceChange::Action::Removed;
    return DeviceChange::Action::Changed;
}
}  // namespace

const char* action_name(DeviceChange::Action a) {
    switch (a) {
        case DeviceChange::Action::Added: return "added";
        case DeviceChange::Action::Removed: return "removed";
        case DeviceChange::Action::Changed: return "changed";
    }
    return "changed";
}

bool concerns(const DeviceChange& c, const std::string& configured) {
    if (configured.empty()) return false;
    if (c.devnode == configured) return true;
    if (std::find(c.links.begin(), c.links.end(), configured) != c.links.end()) return true;
    if (c.action == DeviceChange::Action::Removed || c.devnode.empty()) return false;
    std::error_code ec;
    const auto resolved = std::filesystem::canonical(configured, ec);
    return !ec && resolved == std::filesystem::path(c.devnode);
}

struct Monitor::Udev {
    udev* ctx = nullptr;
    udev_monitor* mon = nullptr;
    ~Udev() {
        if (mon != nullptr) udev_monitor_unref(mon);
        if (ctx != nullptr) udev_unref(ctx);
    }
};

Monitor::Monitor() = default;

Monitor::~Monitor() { stop(); }

void Monitor::start(Callback callback) {
    stop();
    callback_ = std::move(callback);
    udev_ = std::make_unique<Udev>();
    udev_->ctx = udev_new();
    if (udev_->ctx != nullptr) udev_->mon = udev_monitor_new_from_netlink(udev_->ctx, "udev");
    if (udev_->mon != nullptr) {
        for (const char* s : kSubsystems) udev_monitor_filter_add_match_subsystem_devtype(udev_->mon, s, nullptr);
        if (udev_monitor_enable_receiving(udev_->mon) < 0) {
            udev_monitor_unref(udev_->mon);
            udev_->mon = nullptr;
        }
    }
    if (udev_->mon == nullptr) {
        health_.set(DeviceState::Absent, "udev is not available: devices are re-detected by retrying every second");
        return;
    }
    health_.set(DeviceState::Ready, "listening for devices being plugged and unplugged");
    thread_ = std::thread([this] { run(); });
}

void Monitor::stop() {
    waker_.wake();
    if (thread_.joinable()) thread_.join();
    waker_.clear();
    udev_.reset();
}

void Monitor::run() {
    const int fd = udev_monitor_get_fd(udev_->mon);
    for (;;) {
        pollfd fds[2] = {{fd, POLLIN, 0}, {waker_.fd(), POLLIN, 0}};
        if (poll(fds, 2, -1) < 0) continue;
        if ((fds[1].revents & POLLIN) != 0) return;
        if ((fds[0].revents & POLLIN) == 0) continue;
        udev_device* dev = udev_monitor_receive_device(udev_->mon);
        if (dev == nullptr) continue;
        DeviceChange change;
        change.action = action_of(udev_device_get_action(dev));
        if (const char* s = udev_device_get_subsystem(dev)) change.subsystem = s;
        if (const char* n = udev_device_get_devnode(dev)) change.devnode = n;
        for (auto* l = udev_device_get_devlinks_list_entry(dev); l != nullptr; l = udev_list_entry_get_next(l))
            change.links.emplace_back(udev_list_entry_get_name(l));
        udev_device_unref(dev);
        health_.event();
        if (callback_) callback_(change);
    }
}

}  // namespace drivers::hotplug
