#include "device_manager.hpp"

#include <spdlog/spdlog.h>

#include "drivers/card/card_number.hpp"
#include "drivers/ga467/ga467_reader.hpp"
#include "drivers/hid/hid_card_reader.hpp"
#include "drivers/pcsc/pcsc_card_reader.hpp"

namespace kiosk::app {

DeviceManager::DeviceManager(const Config& config, bool demo) : config_(config), demo_(demo) {}

DeviceManager::~DeviceManager() { stop(); }

Result<void> DeviceManager::add_readers(const drivers::CardSink& sink) {
    const auto& d = config_.devices;
    const bool sim = demo_ || d.card_reader.driver == "sim" || d.id_reader.driver == "sim";
    if (sim) {
        // One simulated reader stands for both: scripts and F1-F4 tap cards and place ID cards.
        auto reader = std::make_unique<drivers::SimCardReader>();
        sim_reader_ = reader.get();
        sim_reader_health_.set(drivers::DeviceState::Ready, "simulated reader: cards come from scripts and F1-F4");
        auto health = [this] { return sim_reader_health_.get(); };
        readers_.push_back({ui::DeviceKind::CardReader, std::move(reader), health});
    }
    if (!demo_ && d.card_reader.driver == "hid") {
        auto format = drivers::parse_card_format(d.card_reader.format);
        if (!format) return Error{"config.invalid", "[devices.card_reader] " + format.error().message};
        drivers::hid::HidReaderConfig c;
        c.path = d.card_reader.path;
        c.format = *format;
        auto reader = std::make_unique<drivers::hid::HidCardReader>(c);
        auto* raw = reader.get();
        readers_.push_back({ui::DeviceKind::CardReader, std::move(reader), [raw] { return raw->health(); }});
    }
    if (!demo_ && d.card_reader.driver == "pcsc") {
        drivers::pcsc::PcscReaderConfig c;
        c.reader = d.card_reader.reader;
        auto reader = std::make_unique<drivers::pcsc::PcscCardReader>(c);
        auto* raw = reader.get();
        readers_.push_back({ui::DeviceKind::CardReader, std::move(reader), [raw] { return raw->health(); }});
    }
    if (!demo_ && d.id_reader.driver == "ga467") {
        drivers::ga467::Options o;
        o.path = d.id_reader.path;
        o.baud = d.id_reader.baud;
        if (auto v = drivers::ga467::validate(o); !v) return Error{"config.invalid", "[devices.id_reader] " + v.error().message};
        auto reader = std::make_unique<drivers::ga467::Ga467Reader>(o);
        auto* raw = reader.get();
        readers_.push_back({ui::DeviceKind::IdReader, std::move(reader), [raw] { return raw->health(); }});
    }
    for (auto& r : readers_) r.driver->start(sink);
    return {};
}

Result<void> DeviceManager::start(drivers::CardSink sink) {
    if (auto r = check_devices(config_); !r && !demo_) return r;
    const auto& d = config_.devices;
    auto unsupported = [](const char* section, const std::string& driver) -> Result<void> {
        return Error{"devices.unsupported", std::string("[devices.") + section + "] driver = \"" + driver +
                                                "\" is not available in this version yet; use \"sim\" or \"none\""};
    };
    if (!demo_) {
        if (d.printer.driver != "sim" && d.printer.driver != "none") return unsupported("printer", d.printer.driver);
        if (d.a4_printer.driver != "none") return unsupported("a4_printer", d.a4_printer.driver);
    }
    if (auto r = add_readers(sink); !r) return r;
    hotplug_.start([](const drivers::hotplug::DeviceChange& c) {
        // The drivers look for a missing device every second on their own;
        // the log shows staff what the system saw.
        spdlog::info("hotplug: {} {} {}", c.subsystem, drivers::hotplug::action_name(c.action), c.devnode);
    });
    return {};
}

void DeviceManager::stop() {
    hotplug_.stop();
    for (auto& r : readers_) r.driver->stop();
}

std::vector<DeviceReport> DeviceManager::report() const {
    std::vector<DeviceReport> out;
    for (const auto& r : readers_) {
        out.push_back({r.kind, r.health()});
        // The simulated reader also stands in for the ID card reader.
        if (r.driver.get() == sim_reader_) out.push_back({ui::DeviceKind::IdReader, r.health()});
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
