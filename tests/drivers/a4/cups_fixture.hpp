#pragma once
// A private CUPS server in a temporary directory, for the A4 tests and for
// `kiosk doctor --print-a4-test`.
//
// PrivateCups::start() creates /tmp/kiosk-cups-XXXXXX with its own ServerRoot
// (cupsd.conf, cups-files.conf), spool, cache, state, temp and log
// directories, picks a free loopback port, and runs
//     /usr/sbin/cupsd -f -c <dir>/etc/cupsd.conf -s <dir>/etc/cups-files.conf
// as a child. cupsd listens only on 127.0.0.1:<port> and <dir>/cups.sock;
// browsing, sharing, the web interface and the printcap are off or kept
// inside <dir>. The access policy lets anyone on those two sockets do
// anything: it is loopback only and lives as long as the fixture. Nothing
// under /etc/cups, /run/cups, /var/spool/cups or /var/cache/cups is read or
// written, and a system cupsd, if any, is left alone. cupsd reads only its
// programs (/usr/lib/cups) and data (/usr/share/cups).
//
// Printers: add_pdf_printer(name) adds a queue whose device is
// file://<dir>/out/<name>.pdf with a small PPD whose one filter is
// cups-filters' pdftopdf. A job therefore runs through CUPS's real filter
// chain and lands as a PDF file in the temporary directory (each job of a
// queue overwrites the previous file). Not the cups-pdf backend: its
// configuration path is compiled in (/etc/cups/cups-pdf.conf, or
// /etc/cups/cups-pdf-<name>.conf) and it writes to the job owner's home
// (${HOME}/PDF, /root/PDF for root) through Ghostscript; pointing it at the
// temporary directory would mean editing /etc/cups.
//
// Root (CI) and ordinary users both work: as root cupsd runs its filters
// as "lp", so the temporary directory is world-traversable (0755); as
// another user cupsd runs everything as that user.
//
// The destructor stops cupsd (SIGTERM, then SIGKILL after 5 s) and removes
// the directory. If the process that started it dies, the kernel kills
// cupsd (PR_SET_PDEATHSIG), so no private cupsd outlives a crashed test.
// Methods block (they run cupsd's command-line tools); one thread at a time.
#include <sys/types.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "drivers/common/expected.hpp"

namespace kiosk_test {

struct CommandResult {
    int exit_code = -1;      // the exit status; -1 if it was killed or never ran
    bool timed_out = false;  // killed after `timeout`
    std::string output;      // stdout and stderr together
};

// Runs argv[0] (looked up in PATH) with `argv`, waits at most `timeout`.
CommandResult run_command(const std::vector<std::string>& argv,
                          std::chrono::milliseconds timeout = std::chrono::seconds(30));

class PrivateCups {
public:
    struct Options {
        std::string cupsd = "/usr/sbin/cupsd";
        std::chrono::milliseconds start_timeout{20000};
        std::string log_level = "debug";  // cupsd's LogLevel, for log_tail() when a test fails
    };

    static drivers::Expected<std::unique_ptr<PrivateCups>> start(const Options& options);
    static drivers::Expected<std::unique_ptr<PrivateCups>> start() { return start(Options{}); }
    ~PrivateCups();
    PrivateCups(const PrivateCups&) = delete;
    PrivateCups& operator=(const PrivateCups&) = delete;

    [[nodiscard]] const std::string& dir() const { return dir_; }
    // Use as A4Printer::Options::server (the domain socket) ...
    [[nodiscard]] const std::string& socket_path() const { return socket_; }
    // ... or this ("127.0.0.1:<port>").
    [[nodiscard]] std::string tcp_server() const { return "127.0.0.1:" + std::to_string(port_); }
    [[nodiscard]] int port() const { return port_; }
    [[nodiscard]] pid_t pid() const { return pid_; }

    // Adds an enabled, accepting queue printing to output_path(name).
    drivers::Expected<void> add_pdf_printer(const std::string& name);
    [[nodiscard]] std::string output_path(const std::string& name) const;

    // cupsdisable -r <reason> / cupsenable: the printer stops / starts; jobs wait.
    drivers::Expected<void> disable(const std::string& name, const std::string& reason);
    drivers::Expected<void> enable(const std::string& name);
    // cupsreject / cupsaccept: the queue refuses / takes new jobs.
    drivers::Expected<void> reject(const std::string& name);

    void kill_now();  // SIGKILL: cupsd dies as in a crash
    void freeze();    // SIGSTOP: cupsd stops answering but keeps its sockets
    void thaw();      // SIGCONT
    [[nodiscard]] bool running();

    // The end of cupsd's error_log, for a failing test's message.
    [[nodiscard]] std::string log_tail(std::size_t max_bytes = 6000) const;

private:
    PrivateCups() = default;
    drivers::Expected<void> tool(const std::vector<std::string>& argv);
    void stop();

    std::string dir_;
    std::string socket_;
    int port_ = 0;
    pid_t pid_ = -1;
};

}  // namespace kiosk_test
