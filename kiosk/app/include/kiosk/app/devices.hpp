#pragma once
// The kiosk's devices as the controller sees them: health for staff mode,
// and printing. DeviceManager (src/device_manager.*) implements it over the
// drivers configured in [devices.*].
#include <string>
#include <vector>

#include "drivers/common/health.hpp"
#include "kiosk/core/result.hpp"
#include "kiosk/ui/view.hpp"

namespace kiosk::app {

struct DeviceReport {
    ui::DeviceKind kind;
    drivers::DeviceHealth health;
};

class DeviceHub {
public:
    virtual ~DeviceHub() = default;
    // Every configured device, in a fixed order. Any thread.
    [[nodiscard]] virtual std::vector<DeviceReport> report() const = 0;
    [[nodiscard]] virtual bool has_receipt_printer() const = 0;
    [[nodiscard]] virtual bool has_a4_printer() const = 0;
    // Hands a test receipt (Chinese text, a QR code, a cut) to the printer;
    // never waits for paper. Error: why it could not even be queued.
    virtual Result<void> print_test_receipt() = 0;
    virtual Result<void> print_test_a4() = 0;
};

}  // namespace kiosk::app
