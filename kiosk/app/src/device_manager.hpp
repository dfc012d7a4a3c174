#pragma once
// The devices configured in [devices.*], started, watched and reported.
//
// Owns the drivers: card readers deliver into the sink the app gives (from
// their own threads); the receipt printer's spool and worker print queued
// jobs; an A4 worker thread talks to CUPS; the hotplug monitor logs devices
// coming and going (every driver reopens a missing device by itself).
// Nothing here blocks the UI thread.
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "drivers/card/card_event.hpp"
#include "drivers/hotplug/monitor.hpp"
#include "drivers/printer/a4_document.hpp"
#include "drivers/printer/a4_printer.hpp"
#include "drivers/printer/receipt_printer.hpp"
#include "drivers/sim/sim_card_reader.hpp"
#include "drivers/sim/sim_printer.hpp"
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

    // Called (from device threads) whenever a job or a device changes: the
    // app wakes its loop to redraw staff screens. Set before start().
    void set_notify(std::function<void()> notify) { notify_ = std::move(notify); }

    // Creates and starts the configured drivers. Errors: settings a driver
    // refuses ("config.invalid"), a spool that cannot be opened ("devices.spool").
    Result<void> start(drivers::CardSink sink);
    void stop();

    [[nodiscard]] drivers::SimCardReader* sim_reader() { return sim_reader_; }
    // The simulated printer's paper (scripts, demo); false when there is none.
    bool set_sim_paper(bool present);

    // For `kiosk doctor`: waits until the job is printed or stuck waiting with
    // a reason; returns the words to show.
    [[nodiscard]] std::string wait_receipt(std::uint64_t id, std::chrono::seconds timeout) const;
    // For `kiosk doctor`: asks the devices that are only checked now and then
    // (the CUPS queue) for their state now. Blocks, bounded by their timeouts.
    void check_now();
    // For `kiosk doctor`: renders, submits and follows a test page to the end.
    Result<std::string> print_test_a4_and_wait(std::chrono::seconds timeout);

    [[nodiscard]] std::vector<DeviceReport> report() const override;
    [[nodiscard]] bool has_receipt_printer() const override { return receipt_printer_ != nullptr; }
    [[nodiscard]] bool has_a4_printer() const override { return a4_printer_ != nullptr; }
    Result<std::uint64_t> print_receipt(const print::Receipt& receipt, const std::string& label) override;
    [[nodiscard]] std::vector<ReceiptRecord> recent_receipts() const override;
    Result<std::uint64_t> reprint(std::uint64_t id) override;
    [[nodiscard]] Result<std::vector<std::uint8_t>> receipt_bytes(std::uint64_t id) const override;
    [[nodiscard]] int receipt_paper_dots() const override { return profile_.dots(); }
    Result<std::uint64_t> print_test_receipt() override;
    Result<void> print_test_a4() override;

private:
    struct Reader {
        ui::DeviceKind kind;
        std::unique_ptr<drivers::CardReader> driver;
        std::function<drivers::DeviceHealth()> health;
    };
    struct A4Job {
        drivers::a4::A4Notice notice;
        std::string title;
    };
    Result<void> add_readers(const drivers::CardSink& sink);
    Result<void> add_receipt_printer();
    Result<void> add_a4_printer();
    void a4_worker(const std::stop_token& stop);
    [[nodiscard]] drivers::a4::A4Notice test_notice() const;

    const Config& config_;
    bool demo_;
    std::function<void()> notify_;
    std::vector<Reader> readers_;
    drivers::SimCardReader* sim_reader_ = nullptr;  // owned by readers_
    drivers::HealthCell sim_reader_health_{"sim"};

    drivers::escpos::PrinterProfile profile_;
    std::shared_ptr<drivers::SimPrinter> sim_printer_;
    std::unique_ptr<drivers::escpos::ReceiptPrinter> receipt_printer_;

    std::unique_ptr<drivers::a4::A4Printer> a4_printer_;
    std::mutex a4_mu_;
    std::condition_variable_any a4_cv_;
    std::deque<A4Job> a4_queue_;
    drivers::HealthCell a4_jobs_{"A4 jobs"};
    std::jthread a4_thread_;

    drivers::hotplug::Monitor hotplug_;

    // Logs every change of a device's state, status or last error.
    void watch_health(const std::stop_token& stop);
    std::jthread health_thread_;
    std::mutex health_mu_;
    std::condition_variable_any health_cv_;
};

// [devices.printer] font: how much the printer's own font covers.
[[nodiscard]] drivers::escpos::FontCoverage font_coverage(const std::string& word);

}  // namespace kiosk::app
