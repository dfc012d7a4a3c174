#include "drivers/common/health.hpp"

namespace drivers {

const char* device_state_code(DeviceState s) {
    switch (s) {
        case DeviceState::Absent: return "absent";
        case DeviceState::Ready: return "ready";
        case DeviceState::Degraded: return "degraded";
        case DeviceState::Fault: return "fault";
    }
    return "absent";
}

}  // namespace drivers
