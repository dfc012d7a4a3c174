#pragma once
// The devices configured in [devices.*], started, watched and reported.
//
// Owns the drivers: card readers deliver into the sink the app gives (from
// their own threads); printers queue jobs on their own threads; the hotplug
// monitor pokes a driver whose device came back. Nothing here runs on the UI
// thread except the calls the DeviceHub interface documents.
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "drivers/card/card_event.hpp"
#include "drivers/hotplug/monitor.hpp"
#include "drivers/sim/sim_card_reader.hpp"
#include "kiosk/app/config.hpp"
#include "kiosk/app/devices.hpp"

namespace kiosk::app {

class DeviceManager final : public DeviceHub {
public:
    // `demo`: every device is the simulated one, whatever the config says.
    DeviceManager(const Config& config, bool demo);
    ~DeviceManager() override;
    DeviceManager(const DeviceManager&) = delete;
    DeviceManager& operator=(const DeviceManager&) = delete;

    // Creates and starts the configured drivers. Errors: a driver this build
    // lacks, or settings it refuses ("devices.unsupported", "config.invalid").
    Result<void> start(drivers::CardSink sink);
    void stop();

    [[nodiscard]] drivers::SimCardReader* sim_reader() { return sim_reader_; }

    [[nodiscard]] std::vector<DeviceReport> report() const override;
    [[nodiscard]] bool has_receipt_printer() const override;
    [[nodiscard]] bool has_a4_printer() const override;
    Result<void> print_test_receipt() override;
    Result<void> print_test_a4() override;

private:
    struct Reader {
        ui::DeviceKind kind;
        std::unique_ptr<drivers::CardReader> driver;
        std::function<drivers::DeviceHealth()> health;
    };
    Result<void> add_readers(const drivers::CardSink& sink);

    const Config& config_;
    bool demo_;
    std::vector<Reader> readers_;
    drivers::SimCardReader* sim_reader_ = nullptr;  // owned by readers_
    drivers::HealthCell sim_reader_health_{"sim"};
    drivers::hotplug::Monitor hotplug_;
};

}  // namespace kiosk::app
