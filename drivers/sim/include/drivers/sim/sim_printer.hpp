#pragma once
// The simulated receipt printer (`[devices.printer] driver = "sim"`), for the
// demo, the tests and staff mode.
//
// It "prints" a job by keeping it: each job's raw ESC/POS bytes and a PNG
// preview of the paper (render_preview, escpos_preview.hpp) go to one folder:
//   <dir>/<UTC time>-<seq>.bin    the bytes exactly as received (fsync'd)
//   <dir>/<UTC time>-<seq>.png    the preview
//   <dir>/<UTC time>-<seq>.label  the caller's label (UTF-8), for recent()
// e.g. 20240601T093015123Z-000042.bin. Only the newest `keep_jobs` jobs are
// kept; older ones are deleted after each print. Jobs already in the folder
// (from an earlier run) are listed by recent() and numbering continues after
// them.
//
// It keeps no spool: a job it cannot take is refused, never held (the real
// spool lives in drivers/printer/escpos). The simulated paper states are set
// by tests and the demo:
//   paper out  print() fails with printer.paper_out and writes nothing
//   paper low  jobs print; health is Degraded ("paper low")
//
// Threads: every member may be called from any thread; one mutex serialises
// them, so a print() holds up recent() for its duration. print() blocks for
// the rendering and the disk writes (tens of milliseconds for a receipt):
// call it from the printer's worker thread, never from the frame loop.
// Receipts hold personal data: no error or health text contains receipt text
// or labels.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include "drivers/common/expected.hpp"
#include "drivers/common/health.hpp"
#include "drivers/sim/escpos_preview.hpp"

namespace drivers {

struct PrintJobRecord {
    std::uint64_t seq = 0;  // increasing, also across restarts in the same folder
    std::string label;
    std::chrono::system_clock::time_point at{};  // when printed (millisecond precision)
    std::filesystem::path bin;                   // the raw bytes
    std::filesystem::path png;                   // the preview; empty when it could not be made
    std::size_t bytes = 0;
    bool preview_truncated = false;  // the job was longer than the preview's height cap
    std::string preview_error;       // error code when there is no preview ("preview.font"); else empty
};

struct SimPrinterOptions {
    std::filesystem::path dir;    // the kiosk passes <data dir>/sim-printer; created on first print
    int paper_dots = 384;         // 384 (58 mm) or 576 (80 mm)
    std::size_t keep_jobs = 50;   // at least 1
    PreviewOptions preview = {};  // its paper_dots is replaced by the one above
};

class SimPrinter {
public:
    explicit SimPrinter(std::filesystem::path dir, int paper_dots = 384);
    explicit SimPrinter(SimPrinterOptions options);

    // Keeps one job: writes the .label, the .bin (fsync'd, with its folder)
    // and the .png, then deletes jobs beyond keep_jobs.
    // The preview is a by-product: when it cannot be made (a missing font),
    // the job still counts as printed, the record has an empty png and the
    // error code in preview_error, and health turns Degraded.
    // Errors (nothing is kept):
    //   printer.paper_out  set_paper(false) was called
    //   printer.write      the folder or a file cannot be written (the
    //                      message names the path and the system's reason)
    [[nodiscard]] Expected<PrintJobRecord> print(std::span<const std::uint8_t> bytes, std::string label);

    // The newest jobs first, at most n. Never fails: what is listed is what
    // this printer wrote or found in its folder when it was made.
    [[nodiscard]] std::vector<PrintJobRecord> recent(std::size_t n) const;

    void set_paper(bool present);
    void set_paper_low(bool low);
    [[nodiscard]] bool paper() const;
    [[nodiscard]] bool paper_low() const;

    // Ready; Degraded when paper is low or previews fail; Fault when paper is
    // out or the folder cannot be written.
    [[nodiscard]] DeviceHealth health() const { return health_.get(); }

    [[nodiscard]] const std::filesystem::path& dir() const { return opt_.dir; }
    [[nodiscard]] int paper_dots() const { return opt_.paper_dots; }

private:
    void scan();
    void prune();
    void refresh_health();

    SimPrinterOptions opt_;
    mutable std::mutex mu_;
    std::vector<PrintJobRecord> jobs_;  // oldest first
    std::uint64_t next_seq_ = 1;
    bool paper_ = true;
    bool paper_low_ = false;
    bool write_failed_ = false;
    bool preview_failed_ = false;
    HealthCell health_;
};

}  // namespace drivers
