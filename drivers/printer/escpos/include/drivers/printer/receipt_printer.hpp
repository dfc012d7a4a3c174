#pragma once
// A receipt printer with a durable job spool: nothing lost, nothing twice.
//
//   auto transport = make_transport({.kind = "tcp", .address = "192.168.1.50"});
//   auto printer = ReceiptPrinter::start(std::move(*transport), {.spool_dir = "/var/lib/kiosk/spool/printer"});
//   auto id = (*printer)->submit(encode(receipt, profile), "pickup 0042");
//
// Guarantees:
//   * submit() writes the job to the spool directory (temp file, fsync,
//     rename, fsync of the directory) before it returns the id: an accepted
//     job survives a power cut.
//   * One worker thread per printer sends jobs in order. Before a job it asks
//     the printer's status (where the transport can read back); a printer that
//     is out of paper, open, offline, in error, not answering or not connected
//     keeps the job Waiting, with the reason, and is asked again with backoff
//     (retry_min doubling to retry_max; retry_now() skips the wait).
//   * After the bytes are written the worker asks again. Only when that status
//     is fine is the job "accepted": it is marked Printed on disk (fsync) and is
//     never sent again, not even after a restart.
//   * A job interrupted mid-send (connection reset, unplugged) or not confirmed
//     (paper ran out, no answer after the job) is sent again whole once the
//     printer is fine. So a partial receipt, or on printers that keep their
//     buffer through a paper change a second copy, may come out before the
//     reprint: the rule is that nothing is lost. A power cut between the
//     printer accepting a job and the Printed mark reaching disk also prints
//     it again.
//   * On start, unprinted jobs found on disk are resumed, oldest first.
//     Printed, cancelled and failed jobs are kept (bytes included) for
//     reprints: the newest `keep_finished`.
//   * Transports that cannot read back (Readback::None, or usblp answering
//     EINVAL / nothing) send and hope: written = printed. StatusCheck::Off
//     does the same on any transport (print servers that never answer).
//
// Threads: every public member may be called from any thread and returns
// promptly except submit(), reprint() and cancel() (disk write and fsync:
// milliseconds on an SSD, more on SD cards; not from the frame loop) and
// stop() (joins the worker: returns within about a second, whatever the
// printer does — unless a TCP printer is configured by host name and name
// look-up hangs; configure printers by address).
// Receipts contain personal data: job bytes are never copied into errors,
// health or JobInfo; `label` is shown to staff, so keep names out of it.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "drivers/common/expected.hpp"
#include "drivers/common/health.hpp"
#include "drivers/printer/escpos_status.hpp"
#include "drivers/printer/escpos_transport.hpp"

namespace drivers::escpos {

using JobId = std::uint64_t;

enum class JobState : std::uint8_t {
    Waiting,    // not printed yet; `reason` says why it has not gone out (None: its turn is coming)
    Printing,   // being sent now
    Printed,    // accepted by the printer; never sent again
    Cancelled,  // staff cancelled it while it waited
    Failed,     // permanent: its spool file is damaged (reason printer.spool_corrupt)
};
[[nodiscard]] const char* job_state_code(JobState s);  // "waiting", "printing", "printed", "cancelled", "failed"

enum class WaitReason : std::uint8_t {
    None,
    NotConnected,    // refused, unreachable, unplugged
    Permission,      // the device file is not ours to open
    NoAnswer,        // the printer does not answer status requests
    PaperOut,
    CoverOpen,
    Offline,
    PrinterError,    // cutter jammed, head too hot, …
    ConnectionLost,  // the job was cut off mid-send or not confirmed: it will be sent again whole
    Spool,           // the job's spool file cannot be read now
};
// "printer.not_connected", "printer.permission", "printer.no_answer", "printer.paper_out",
// "printer.cover_open", "printer.offline", "printer.error", "printer.connection_lost",
// "printer.spool"; "" for None.
[[nodiscard]] const char* wait_reason_code(WaitReason r);

struct JobInfo {
    JobId id = 0;
    std::string label{};
    JobState state = JobState::Waiting;
    WaitReason reason = WaitReason::None;  // Waiting (and Failed: Spool)
    std::string detail{};  // plain words for staff: the last error ("cannot connect to 10.0.0.5:9100: refused")
    std::size_t size = 0;  // bytes
    int attempts = 0;      // sends started since this process started
    std::chrono::system_clock::time_point created{};
    std::chrono::system_clock::time_point updated{};  // last state or reason change
    std::chrono::system_clock::time_point printed{};  // Printed: when; else epoch
};

enum class StatusCheck : std::uint8_t {
    Auto,  // as the transport allows (Readback)
    Off,   // never ask: send and hope (print servers that do not answer DLE EOT)
};

struct PrinterOptions {
    std::filesystem::path spool_dir{};  // one directory per printer; created if missing
    std::size_t keep_finished = 50;   // printed/cancelled/failed jobs kept for reprints (at least 1)
    StatusCheck status_check = StatusCheck::Auto;
    std::chrono::milliseconds open_timeout{3000};
    std::chrono::milliseconds write_timeout{15000};
    std::chrono::milliseconds status_timeout{1500};  // per DLE EOT request
    std::chrono::milliseconds retry_min{500};
    std::chrono::milliseconds retry_max{5000};
    std::chrono::milliseconds idle_check{30000};  // status poll while idle, for health; 0: never
    // Called after a job changes state or reason, on the thread that changed
    // it (the worker; submit(), cancel() callers), without the printer's lock
    // held; must not block (post an event and return). May be empty.
    std::function<void(const JobInfo&)> on_change{};
};

class ReceiptPrinter {
public:
    // Reads the spool (unprinted jobs resume; leftovers of interrupted submits
    // are removed) and starts the worker. Errors: "printer.spool" (the
    // directory cannot be created or read).
    [[nodiscard]] static Expected<std::unique_ptr<ReceiptPrinter>> start(std::unique_ptr<Transport> transport,
                                                                          PrinterOptions options);
    ~ReceiptPrinter();  // stop()
    ReceiptPrinter(const ReceiptPrinter&) = delete;
    ReceiptPrinter& operator=(const ReceiptPrinter&) = delete;

    // Durably queues `bytes` (ESC/POS, usually from encode()). Errors:
    // "printer.spool" (disk full, read-only, removed), "printer.empty_job",
    // "printer.stopped" (after stop()).
    Expected<JobId> submit(std::span<const std::uint8_t> bytes, std::string label);
    // Queues a new copy of a kept job; its label gets " (reprint)". Errors:
    // "printer.no_such_job", and submit()'s.
    Expected<JobId> reprint(JobId id);
    // Cancels a Waiting job (not one being sent). Errors: "printer.no_such_job",
    // "printer.not_waiting".
    Expected<void> cancel(JobId id);
    // Skips the backoff: staff refilled the paper and pressed "print now".
    void retry_now();

    // Waiting and printing jobs, then kept finished ones; newest first.
    [[nodiscard]] std::vector<JobInfo> recent_jobs() const;
    [[nodiscard]] std::optional<JobInfo> job(JobId id) const;
    // A kept job's bytes (staff tools; tests). Errors: "printer.no_such_job", "printer.spool".
    [[nodiscard]] Expected<std::vector<std::uint8_t>> job_bytes(JobId id) const;
    // Blocks up to `timeout` until `pred(info)` holds for job `id`; false on
    // timeout or when the job is unknown. `pred` runs under the printer's
    // lock: it must not call the printer.
    bool wait_for(JobId id, const std::function<bool(const JobInfo&)>& pred, std::chrono::milliseconds timeout) const;

    // "escpos <transport name>", its state and plain words ("out of paper; 2
    // jobs waiting"); last_event is the last job printed.
    [[nodiscard]] DeviceHealth health() const;
    // The last status the printer gave (empty when it never answered).
    [[nodiscard]] std::optional<PrinterStatus> last_status() const;

    // Stops the worker; waiting jobs stay on disk for the next start.
    void stop();

private:
    struct Impl;
    explicit ReceiptPrinter(std::unique_ptr<Impl> impl);

    std::unique_ptr<Impl> impl_;
    std::thread worker_;
};

}  // namespace drivers::escpos
