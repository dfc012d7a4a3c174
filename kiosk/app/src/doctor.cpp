#include "doctor.hpp"

#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <optional>
#include <thread>

#include "device_manager.hpp"
#include "kiosk/core/id_number.hpp"
#include "kiosk/store/database.hpp"
#include "kiosk/store/facts.hpp"

namespace kiosk::app {

namespace {

const char* kind_name(ui::DeviceKind k) {
    switch (k) {
        case ui::DeviceKind::CardReader: return "card reader";
        case ui::DeviceKind::IdReader: return "ID card reader";
        case ui::DeviceKind::ReceiptPrinter: return "receipt printer";
        case ui::DeviceKind::A4Printer: return "A4 printer";
        case ui::DeviceKind::Hotplug: return "hotplug";
        case ui::DeviceKind::Storage: return "storage";
    }
    return "device";
}

std::string mask_card(const std::string& card) {
    if (card.size() <= 4) return std::string(card.size(), '*');
    return card.substr(0, 2) + std::string(card.size() - 4, '*') + card.substr(card.size() - 2);
}

void print_storage(const Config& config) {
    const auto file = std::filesystem::path(config.data.dir) / "kiosk.db";
    std::error_code ec;
    if (!std::filesystem::exists(file, ec)) {
        std::printf("  %-16s %-8s %s\n", "storage", "absent", ("no database yet at " + file.string() +
                                                               " (it is created at the first start)").c_str());
        return;
    }
    auto db = store::Database::open(file);
    if (!db) {
        std::printf("  %-16s %-8s %s\n", "storage", "fault", db.error().message.c_str());
        return;
    }
    store::FactStore facts(**db, config.terminal.id);
    const auto pending = facts.pending_count();
    std::printf("  %-16s %-8s %s, schema %d, %lld record(s) not yet delivered to the county\n", "storage", "ready",
                file.c_str(), (*db)->schema_version(), pending ? static_cast<long long>(*pending) : -1LL);
}

bool print_devices(const DeviceManager& devices) {
    bool all_ready = true;
    for (const auto& r : devices.report()) {
        const auto& h = r.health;
        std::printf("  %-16s %-8s %s\n", kind_name(r.kind), drivers::device_state_code(h.state), h.status.c_str());
        std::printf("  %-16s %-8s %s\n", "", "", h.device.c_str());
        if (!h.last_error.empty()) std::printf("  %-16s %-8s last error: %s\n", "", "", h.last_error.c_str());
        if (h.state != drivers::DeviceState::Ready && r.kind != ui::DeviceKind::Hotplug) all_ready = false;
    }
    return all_ready;
}

struct OneCard {
    std::mutex mu;
    std::condition_variable cv;
    std::optional<drivers::CardEvent> event;
};

void describe_card(const drivers::CardEvent& e) {
    switch (e.kind) {
        case drivers::CardEvent::Kind::Card:
            std::printf("card from %s: number %s (%zu characters)\n", e.reader.c_str(), mask_card(e.card).c_str(),
                        e.card.size());
            break;
        case drivers::CardEvent::Kind::IdCard: {
            const auto& id = e.id;
            const bool valid = !core::validate_id_number(id.id_number).has_value();
            std::printf("ID card from %s: %s, gender %s, number %s (%s), valid until %s\n", e.reader.c_str(),
                        core::mask_name(id.name).c_str(), id.gender.c_str(), core::mask_id_number(id.id_number).c_str(),
                        valid ? "check digit right" : "check digit WRONG", id.valid_to.c_str());
            break;
        }
        case drivers::CardEvent::Kind::Error:
            std::printf("the reader %s could not read the card: %s\n", e.reader.c_str(), e.error.c_str());
            break;
    }
}

}  // namespace

int run_doctor(const Config& config, const DoctorOptions& o) {
    std::printf("kiosk doctor: terminal %s (%s), data in %s\n", config.terminal.id.c_str(),
                std::string(site_type_code(config.site.type)).c_str(), config.data.dir.c_str());
    OneCard card;
    DeviceManager devices(config, false);
    if (auto r = devices.start([&](drivers::CardEvent e) {
            std::lock_guard lock(card.mu);
            if (!card.event) card.event = std::move(e);
            card.cv.notify_all();
        });
        !r) {
        std::printf("cannot start the devices: %s\n", r.error().message.c_str());
        return 2;
    }
    // Give the drivers a moment to find their devices.
    std::this_thread::sleep_for(std::chrono::milliseconds{1500});
    devices.check_now();
    bool ok = print_devices(devices);
    print_storage(config);

    if (o.read_card) {
        std::printf("\nwaiting up to %d s for a card or an ID card...\n", o.wait_s);
        std::fflush(stdout);
        std::unique_lock lock(card.mu);
        if (card.cv.wait_for(lock, std::chrono::seconds{o.wait_s}, [&] { return card.event.has_value(); })) {
            describe_card(*card.event);
            ok = ok && card.event->kind != drivers::CardEvent::Kind::Error;
        } else {
            std::printf("no card was read in %d s\n", o.wait_s);
            ok = false;
        }
    }
    if (o.print_test) {
        auto id = devices.print_test_receipt();
        if (!id) {
            std::printf("\ntest receipt: %s\n", id.error().message.c_str());
            ok = false;
        } else {
            std::printf("\ntest receipt queued (job %llu); waiting up to %d s...\n", static_cast<unsigned long long>(*id),
                        o.wait_s);
            std::fflush(stdout);
            const auto outcome = devices.wait_receipt(*id, std::chrono::seconds{o.wait_s});
            std::printf("test receipt: %s\n", outcome.c_str());
            ok = ok && outcome == "printed";
        }
    }
    if (o.print_a4_test) {
        std::printf("\nA4 test page: sending to CUPS, waiting up to %d s...\n", o.wait_s);
        std::fflush(stdout);
        auto r = devices.print_test_a4_and_wait(std::chrono::seconds{o.wait_s});
        std::printf("A4 test page: %s\n", r ? r->c_str() : r.error().message.c_str());
        ok = ok && r.ok();
    }
    devices.stop();
    return ok ? 0 : 1;
}

}  // namespace kiosk::app
