#include "drivers/sim/sim_transport.hpp"

namespace drivers {

std::uint8_t SimTransport::status_byte(int n, bool paper, bool paper_low) {
    std::uint8_t b = 0x12;  // bits 1 and 4 are always set in a real-time status byte
    if (n == 2 && !paper) b |= 0x20;              // printing stopped at paper end
    if (n == 4 && paper_low) b |= 0x0C;           // paper near end
    if (n == 4 && !paper) b |= 0x0C | 0x60;       // paper end
    return b;
}

Expected<void> SimTransport::open(std::chrono::milliseconds, const io::Waker*) {
    open_ = true;
    job_.clear();
    replies_.clear();
    return {};
}

Expected<void> SimTransport::write(std::span<const std::uint8_t> bytes, std::chrono::milliseconds, const io::Waker*) {
    if (!open_) return DriverError{"printer.not_connected", "the simulated printer is not open"};
    // A status request on its own (the worker sends them separately) is
    // answered, not printed.
    if (bytes.size() == 3 && bytes[0] == 0x10 && bytes[1] == 0x04 && bytes[2] >= 1 && bytes[2] <= 4) {
        replies_.push_back(status_byte(bytes[2], printer_->paper(), printer_->paper_low()));
        return {};
    }
    job_.insert(job_.end(), bytes.begin(), bytes.end());
    return {};
}

Expected<std::size_t> SimTransport::read(std::span<std::uint8_t> into, std::chrono::milliseconds, const io::Waker*) {
    std::size_t n = 0;
    while (n < into.size() && !replies_.empty()) {
        into[n++] = replies_.front();
        replies_.pop_front();
    }
    return n;
}

void SimTransport::close() {
    if (open_ && !job_.empty()) {
        // What the paper shows; a failure here (paper ran out mid-job) is
        // seen by the worker's status check after the job.
        static_cast<void>(printer_->print(job_, "job"));
    }
    job_.clear();
    replies_.clear();
    open_ = false;
}

}  // namespace drivers
