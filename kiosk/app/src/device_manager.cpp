#include "device_manager.hpp"

#include <spdlog/spdlog.h>

namespace kiosk::app {

DeviceManager::DeviceManager(const Config& config, bool demo) : config_(config), demo_(demo) {}

DeviceManager::~DeviceManager() { stop(); }

Result<void> DeviceManager::start(drivers::CardSink sink) {
    if (auto r = check_devices(config_); !r && !demo_) return r;
    const auto& d = config_.devices;
    auto unsupported = [](const char* section, const std::string& driver) -> Result<void> {
        return Error{"devices.unsupported", std::string("[devices.") + section + "] driver = \"" + driver +
                                                "\" is not available in this version yet; use \"sim\" or \"none\""};
    };
    const bool sim_cards = demo_ || d.card_reader.driver == "sim" || d.id_reader.driver == "sim";
    if (!demo_) {
        if (d.card_reader.driver != "sim" && d.card_reader.driver != "none")
            return unsupported("card_reader", d.card_reader.driver);
        if (d.id_reader.driver != "sim" && d.id_reader.driver != "none") return unsupported("id_reader", d.id_reader.driver);
        if (d.printer.driver != "sim" && d.printer.driver != "none") return unsupported("printer", d.printer.driver);
        if (d.a4_printer.driver != "none") return unsupported("a4_printer", d.a4_printer.driver);
    }
    if (sim_cards) {
        sim_reader_ = std::make_unique<drivers::SimCardReader>();
        sim_reader_->start(std::move(sink));
        sim_reader_health_.set(drivers::DeviceState::Ready, "simulated reader: cards come from scripts and F1-F4");
    }
    hotplug_.start([](const drivers::hotplug::DeviceChange& c) {
        spdlog::info("hotplug: {} {} {}", c.subsystem, drivers::hotplug::action_name(c.action), c.devnode);
    });
    return {};
}

void DeviceManager::stop() {
    hotplug_.stop();
    if (sim_reader_) sim_reader_->stop();
}

std::vector<DeviceReport> DeviceManager::report() const {
    std::vector<DeviceReport> out;
    if (sim_reader_) {
        out.push_back({ui::DeviceKind::CardReader, sim_reader_health_.get()});
        out.push_back({ui::DeviceKind::IdReader, sim_reader_health_.get()});
    }
    out.push_back({ui::DeviceKind::Hotplug, hotplug_.health()});
    return out;
}

bool DeviceManager::has_receipt_printer() const { return false; }
bool DeviceManager::has_a4_printer() const { return false; }

Result<void> DeviceManager::print_test_receipt() {
    return Error{"devices.no_printer", "no receipt printer is configured"};
}

Result<void> DeviceManager::print_test_a4() { return Error{"devices.no_printer", "no A4 printer is configured"}; }

}  // namespace kiosk::app
