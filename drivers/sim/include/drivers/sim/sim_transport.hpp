#pragma once
// The simulated printer behind the same spool as a real one.
//
// A Transport for ReceiptPrinter whose "printer" is a SimPrinter: it answers
// real-time status requests (DLE EOT n) from the SimPrinter's paper state,
// collects a job's bytes between open() and close(), and on close() hands
// them to SimPrinter::print (raw bytes and a PNG preview on disk). So the
// demo and the tests exercise the real spool: out of paper -> the job waits
// with its reason -> paper back -> printed once.
//
// Contract: as Transport (escpos_transport.hpp); used by the printer's worker
// thread only. Never blocks beyond rendering the preview (~15 ms) in close().
#include <cstdint>
#include <deque>
#include <memory>
#include <vector>

#include "drivers/printer/escpos_transport.hpp"
#include "drivers/sim/sim_printer.hpp"

namespace drivers {

class SimTransport final : public escpos::Transport {
public:
    explicit SimTransport(std::shared_ptr<SimPrinter> printer) : printer_(std::move(printer)) {}

    [[nodiscard]] std::string name() const override { return "sim " + printer_->dir().string(); }
    [[nodiscard]] escpos::Readback readback() const override { return escpos::Readback::Required; }
    [[nodiscard]] bool is_open() const override { return open_; }
    Expected<void> open(std::chrono::milliseconds timeout, const io::Waker* waker) override;
    Expected<void> write(std::span<const std::uint8_t> bytes, std::chrono::milliseconds timeout,
                         const io::Waker* waker) override;
    Expected<std::size_t> read(std::span<std::uint8_t> into, std::chrono::milliseconds timeout,
                               const io::Waker* waker) override;
    void close() override;

    // The status byte a real printer would send for DLE EOT n, from the
    // simulated paper state (fixed bits 1 and 4 set).
    [[nodiscard]] static std::uint8_t status_byte(int n, bool paper, bool paper_low);

private:
    std::shared_ptr<SimPrinter> printer_;
    bool open_ = false;
    std::vector<std::uint8_t> job_;
    std::deque<std::uint8_t> replies_;
};

}  // namespace drivers
