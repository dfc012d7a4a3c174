#pragma once
// The kiosk's devices as the controller sees them: health for staff mode,
// and printing. DeviceManager (src/device_manager.*) implements it over the
// drivers configured in [devices.*]. Every call returns at once: printing is
// queued (on disk, for receipts) and done by the printers' own threads.
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "drivers/common/health.hpp"
#include "kiosk/core/result.hpp"
#include "kiosk/print/templates.hpp"
#include "kiosk/ui/view.hpp"

namespace kiosk::app {

struct DeviceReport {
    ui::DeviceKind kind;
    drivers::DeviceHealth health;
};

// A receipt job as staff see it.
struct ReceiptRecord {
    std::uint64_t id = 0;
    std::string label;   // "签到凭条 张*兰": masked, as stored in the spool
    std::string state;   // "waiting" | "printing" | "printed" | "cancelled" | "failed"
    std::string reason;  // while waiting: "paper_out", "cover_open", "not_connected", ... ("" when none)
    std::string detail;  // the driver's own words about the last problem
    std::chrono::system_clock::time_point created{};
    std::chrono::system_clock::time_point printed{};
};

class DeviceHub {
public:
    virtual ~DeviceHub() = default;
    // Every configured device, in a fixed order. Any thread.
    [[nodiscard]] virtual std::vector<DeviceReport> report() const = 0;
    [[nodiscard]] virtual bool has_receipt_printer() const = 0;
    [[nodiscard]] virtual bool has_a4_printer() const = 0;

    // Queues a receipt; it is on disk when this returns and prints once the
    // printer can. Error: why it could not even be queued (no printer, disk).
    virtual Result<std::uint64_t> print_receipt(const print::Receipt& receipt, const std::string& label) = 0;
    // Newest first: waiting and printing jobs, then the last printed ones.
    [[nodiscard]] virtual std::vector<ReceiptRecord> recent_receipts() const = 0;
    virtual Result<std::uint64_t> reprint(std::uint64_t id) = 0;
    // The job's bytes, for its preview.
    [[nodiscard]] virtual Result<std::vector<std::uint8_t>> receipt_bytes(std::uint64_t id) const = 0;
    // Paper width in printer dots (384 or 576), for previews.
    [[nodiscard]] virtual int receipt_paper_dots() const = 0;

    // A test receipt (Chinese text, a rare character, a QR code, a cut).
    virtual Result<std::uint64_t> print_test_receipt() = 0;
    // A test A4 notice, sent to CUPS by a worker thread.
    virtual Result<void> print_test_a4() = 0;
};

}  // namespace kiosk::app
