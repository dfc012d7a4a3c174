#pragma once
// An A4 printer behind a CUPS queue ([devices.a4_printer] driver = "cups",
// queue = "..."): submits PDFs (a4_document.hpp) and follows each job to
// completion or a clear failure.
//
// Blocking and threads:
//   submit(), state(), wait(), cancel() and check() talk to the CUPS server
//   and block the calling thread. Call them from a worker thread, never from
//   the UI thread. Each call opens its own connection, so one A4Printer may
//   be used from several threads at once; health() never blocks.
//   Every network step is bounded: connecting by connect_timeout, and any
//   request by io_timeout (a server that stops answering, for instance a
//   frozen cupsd, fails the call with "a4.server_timeout"). A server that
//   goes away (cupsd killed) fails the call at once with "a4.server_lost".
//   wait() also returns by its own `timeout`. (libcups may retry a broken
//   connection once within a request; that retry has its own 30 s limit.)
//
// Errors (DriverError::code), all with a plain sentence for staff:
//   "a4.bad_queue"           the configured queue name is empty or malformed
//   "a4.bad_server"          the configured server address cannot be parsed
//   "a4.empty_document"      submit() with no bytes
//   "a4.server_unreachable"  no CUPS server at `server` (not running, wrong socket or host)
//   "a4.server_lost"         the server went away in the middle of a call
//   "a4.server_timeout"      the server stopped answering for io_timeout
//   "a4.queue_not_found"     the queue does not exist on that server (lpstat -p lists them)
//   "a4.queue_not_accepting" the queue rejects jobs (cupsaccept <queue>)
//   "a4.not_allowed"         the server refused us (authentication or policy)
//   "a4.format_unsupported"  the queue cannot take PDF
//   "a4.ipp"                 any other refusal; the message has CUPS's words
//   "a4.job_unknown"         state()/wait()/cancel(): no such job on the server
//   "a4.job_aborted"         wait(): the job was aborted (filter or printer
//                            failure); the message has the job's and printer's state messages
//   "a4.job_canceled"        wait(): somebody canceled the job
//   "a4.job_stopped"         wait(): CUPS stopped the job (a filter failed, the
//                            device could not be opened); it stays queued, not
//                            printing, until staff restart or cancel it
//   "a4.printer_stopped"     wait() timed out (or gave up, Until::FinishedOrStuck)
//                            while the printer is stopped: disabled, or stopped
//                            by an error; the job prints once it is enabled again
//   "a4.job_held"            wait(): as above, while the job is held (job-hold-until)
//   "a4.timeout"             wait() timed out while the job was pending or printing
//   "a4.wait_stopped"        wait(): the stop token was triggered
//
// The document text never appears in errors or health. The title passed to
// submit() becomes the CUPS job name, which cupsd writes to its own logs.
#include <chrono>
#include <cstdint>
#include <memory>
#include <span>
#include <stop_token>
#include <string>
#include <utility>
#include <vector>

#include "drivers/common/expected.hpp"
#include "drivers/common/health.hpp"

namespace drivers::a4 {

enum class JobState { Pending, Held, Processing, Stopped, Canceled, Aborted, Completed };

[[nodiscard]] const char* job_state_code(JobState s);  // "pending", "held", ..., "completed"

struct JobStatus {
    int job = 0;
    JobState state = JobState::Pending;
    std::string reasons;           // IPP job-state-reasons, comma-separated ("printer-stopped")
    std::string message;           // the job's state message from CUPS; may be empty
    bool printer_stopped = false;  // the queue is stopped (cupsdisable, or an error stopped it)
    bool printer_accepting = true;
    std::string printer_message;  // printer-state-message: the reason given to cupsdisable, a backend's words
    std::string printer_reasons;  // printer-state-reasons in plain words ("paused", "out of paper")

    [[nodiscard]] bool finished() const {
        return state == JobState::Canceled || state == JobState::Aborted || state == JobState::Completed;
    }
    // For staff: "job 12 is waiting: the printer is stopped (paper jam)".
    [[nodiscard]] std::string describe() const;
};

class A4Printer {
public:
    struct Options {
        std::string queue;  // the CUPS queue name
        // "" = the system's default server (CUPS_SERVER, client.conf, else
        // the local cupsd); "host", "host:port", "[::1]:631", or the path of
        // cupsd's domain socket ("/run/cups/cups.sock").
        std::string server;
        std::chrono::milliseconds connect_timeout{5000};
        std::chrono::milliseconds io_timeout{15000};   // a request or write making no progress this long fails
        std::chrono::milliseconds poll_interval{500};  // how often wait() asks
        // IPP job attributes sent with each job.
        std::vector<std::pair<std::string, std::string>> job_options{{"media", "iso_a4_210x297mm"}};
    };

    explicit A4Printer(Options options);
    ~A4Printer();
    A4Printer(const A4Printer&) = delete;
    A4Printer& operator=(const A4Printer&) = delete;

    // Sends one PDF as a new job (Create-Job, then Send-Document); returns
    // the CUPS job id as soon as the server has the whole document. The job
    // is canceled if sending fails half-way. `title` becomes the job name.
    Expected<int> submit(std::span<const std::uint8_t> pdf, const std::string& title);

    // The job's state now (Get-Job-Attributes), with the queue's state.
    Expected<JobStatus> state(int job);

    enum class Until {
        Finished,         // wait until completed, aborted, canceled or stopped, or `timeout`
        FinishedOrStuck,  // ... or return at once when the printer is stopped or the job held
    };
    // Follows the job every poll_interval. Returns the final status when the
    // job completed; an error otherwise (see the codes above). Returns within
    // `timeout` (+ up to 100 ms: each request is given the time left, at
    // least 100 ms, and never more than io_timeout). `stop` ends the wait
    // early from another thread (shutdown). The job itself is not touched.
    Expected<JobStatus> wait(int job, std::chrono::milliseconds timeout, Until until = Until::Finished,
                             std::stop_token stop = {});

    // Cancels a pending or printing job. A finished job is left alone (ok).
    Expected<void> cancel(int job);

    // Asks the server about the queue (blocks), updates and returns health:
    // Ready (idle or printing, accepting), Degraded (a warning such as toner
    // low), Fault (stopped, not accepting, or an error reason such as out of
    // paper), Absent (no server, or no such queue).
    DeviceHealth check();

    // The last known health; never blocks; any thread.
    [[nodiscard]] DeviceHealth health() const;

    [[nodiscard]] const Options& options() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace drivers::a4
