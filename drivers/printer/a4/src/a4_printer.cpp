// A4 printing through CUPS with libcups.
//
// Index
//   [SECTION] Plumbing      SIGPIPE guard, server address, connections, timeouts
//   [SECTION] Errors        IPP and transport failures to stable codes
//   [SECTION] Queries       Get-Job-Attributes, Get-Printer-Attributes
//   [SECTION] A4Printer     submit, state, wait, cancel, check, health
//
// Every call opens its own http_t (httpConnect2 with a bounded connect) and
// gives it a timeout callback that gives up, so no read or write waits on a
// silent server for longer than the call allows.
#include "drivers/printer/a4_printer.hpp"

#include <cups/cups.h>
#include <cups/http.h>
#include <cups/ipp.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <mutex>

namespace drivers::a4 {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// ---------------------------------------------------------------------------
// [SECTION] Plumbing
// ---------------------------------------------------------------------------

// libcups writes to sockets with send(..., 0): a server that has gone away
// would raise SIGPIPE and kill the process. A driver may not change the
// process's signal handlers, so SIGPIPE is blocked on this thread for the
// call, and one raised by the call is taken off the queue before unblocking.
class SigpipeGuard {
public:
    SigpipeGuard() {
        sigemptyset(&pipe_);
        sigaddset(&pipe_, SIGPIPE);
        sigset_t pending;
        sigpending(&pending);
        was_pending_ = sigismember(&pending, SIGPIPE) == 1;
        pthread_sigmask(SIG_BLOCK, &pipe_, &old_);
    }
    ~SigpipeGuard() {
        if (!was_pending_) {
            sigset_t pending;
            sigpending(&pending);
            if (sigismember(&pending, SIGPIPE) == 1) {
                const timespec zero{0, 0};
                while (sigtimedwait(&pipe_, nullptr, &zero) < 0 && errno == EINTR) {
                }
            }
        }
        pthread_sigmask(SIG_SETMASK, &old_, nullptr);
    }
    SigpipeGuard(const SigpipeGuard&) = delete;
    SigpipeGuard& operator=(const SigpipeGuard&) = delete;

private:
    sigset_t pipe_{};
    sigset_t old_{};
    bool was_pending_ = false;
};

struct Endpoint {
    std::string host;  // a host name, an address, or a domain socket's path
    int port = 631;
    std::string display;
};

Expected<Endpoint> parse_server(const std::string& configured) {
    std::string s = configured;
    if (s.empty()) {
        const char* def = cupsServer();  // CUPS_SERVER, client.conf, else the local cupsd
        s = def != nullptr ? def : "localhost";
    }
    Endpoint e;
    e.port = ippPort();
    e.display = s;
    if (!s.empty() && s[0] == '/') {
        e.host = s;
        return e;
    }
    std::string port;
    if (!s.empty() && s[0] == '[') {
        const auto close = s.find(']');
        if (close == std::string::npos)
            return DriverError{"a4.bad_server", "the print server address \"" + s + "\" is not valid"};
        e.host = s.substr(1, close - 1);
        if (close + 1 < s.size()) {
            if (s[close + 1] != ':')
                return DriverError{"a4.bad_server", "the print server address \"" + s + "\" is not valid"};
            port = s.substr(close + 2);
        }
    } else if (std::count(s.begin(), s.end(), ':') == 1) {
        const auto colon = s.find(':');
        e.host = s.substr(0, colon);
        port = s.substr(colon + 1);
    } else {
        e.host = s;
    }
    if (!port.empty()) {
        const bool digits =
            port.size() <= 5 && std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; });
        const int n = digits ? std::stoi(port) : 0;
        if (n < 1 || n > 65535)
            return DriverError{"a4.bad_server", "the print server address \"" + s + "\" has no valid port"};
        e.port = n;
    }
    if (e.host.empty()) return DriverError{"a4.bad_server", "the print server address \"" + s + "\" is not valid"};
    return e;
}

bool valid_queue(const std::string& q) {
    if (q.empty() || q.size() > 127) return false;
    return std::none_of(q.begin(), q.end(), [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return u <= 0x20 || u == 0x7f || c == '/' || c == '#' || c == '\\' || c == '\'' || c == '"';
    });
}

struct HttpClose {
    void operator()(http_t* h) const { httpClose(h); }
};
struct IppDelete {
    void operator()(ipp_t* i) const { ippDelete(i); }
};
using IppPtr = std::unique_ptr<ipp_t, IppDelete>;

// One connection and its timeout flag (the callback's user data, so the
// address must stay put: connections live in unique_ptrs).
struct Conn {
    std::unique_ptr<http_t, HttpClose> http;
    bool timed_out = false;
    std::chrono::milliseconds budget{0};  // the time limit set by limit()
    [[nodiscard]] http_t* get() const { return http.get(); }
};

int give_up(http_t* /*http*/, void* data) {
    *static_cast<bool*>(data) = true;
    return 0;  // 0: do not keep waiting
}

void limit(Conn& c, std::chrono::milliseconds budget) {
    c.timed_out = false;
    c.budget = budget;
    httpSetTimeout(c.get(), static_cast<double>(budget.count()) / 1000.0, give_up, &c.timed_out);
}

std::string seconds(std::chrono::milliseconds d) {
    const auto ms = d.count();
    if (ms % 1000 == 0) return std::to_string(ms / 1000) + " s";
    return std::to_string(ms) + " ms";
}

// ---------------------------------------------------------------------------
// [SECTION] Errors
// ---------------------------------------------------------------------------

std::string last_cups_words() {
    const char* s = cupsLastErrorString();
    return s != nullptr && *s != '\0' ? s : ippErrorString(cupsLastError());
}

std::string plain_reason(std::string_view keyword) {
    std::string base(keyword);
    for (const char* suffix : {"-error", "-warning", "-report"}) {
        const std::string_view sv(suffix);
        if (base.size() > sv.size() && base.compare(base.size() - sv.size(), sv.size(), sv) == 0) {
            base.resize(base.size() - sv.size());
            break;
        }
    }
    static const std::pair<const char*, const char*> kWords[] = {
        {"media-empty", "out of paper"},
        {"media-needed", "out of paper"},
        {"media-jam", "paper jam"},
        {"media-low", "paper low"},
        {"toner-empty", "out of toner"},
        {"toner-low", "toner low"},
        {"marker-supply-empty", "out of toner or ink"},
        {"marker-supply-low", "toner or ink low"},
        {"cover-open", "cover open"},
        {"door-open", "door open"},
        {"interlock-open", "cover open"},
        {"offline", "printer offline"},
        {"paused", "stopped (disabled)"},
        {"connecting-to-device", "connecting to the printer"},
        {"spool-area-full", "the print server's disk is full"},
        {"shutdown", "shutting down"},
        {"cups-missing-filter", "a print filter is missing"},
        {"cups-insecure-filter", "a print filter has unsafe permissions"},
    };
    for (const auto& [k, w] : kWords)
        if (base == k) return w;
    return std::string(keyword);
}

enum class Severity { Info, Warning, Error };

Severity severity(std::string_view keyword) {
    auto ends = [&](std::string_view s) {
        return keyword.size() > s.size() && keyword.substr(keyword.size() - s.size()) == s;
    };
    if (ends("-report")) return Severity::Info;
    if (ends("-warning")) return Severity::Warning;
    static const std::string_view kInfo[] = {"none",
                                             "paused",
                                             "connecting-to-device",
                                             "cups-waiting-for-job-completed",
                                             "moving-to-paused",
                                             "processing-to-stop-point"};
    if (std::find(std::begin(kInfo), std::end(kInfo), keyword) != std::end(kInfo)) return Severity::Info;
    return Severity::Error;
}

}  // namespace

// ---------------------------------------------------------------------------
// [SECTION] A4Printer
// ---------------------------------------------------------------------------

struct A4Printer::Impl {
    Options opt;
    HealthCell cell;
    std::string where;  // "queue 'PDF' on /tmp/…/cups.sock"

    explicit Impl(Options o)
        : opt(std::move(o)),
          cell("cups queue '" + opt.queue + "' on " +
               (opt.server.empty() ? std::string("the default server") : opt.server)),
          where("queue '" + opt.queue + "' on " +
                (opt.server.empty() ? std::string("the default print server") : opt.server)) {}

    DriverError note(DriverError e) {
        cell.error(e.message);
        if (e.code == "a4.server_unreachable" || e.code == "a4.server_lost")
            cell.set(DeviceState::Absent, "print server not reachable");
        else if (e.code == "a4.server_timeout")
            cell.set(DeviceState::Fault, "print server not answering");
        else if (e.code == "a4.queue_not_found")
            cell.set(DeviceState::Absent, "no such print queue");
        else if (e.code == "a4.queue_not_accepting")
            cell.set(DeviceState::Fault, "not accepting jobs");
        return e;
    }

    Expected<void> check_queue() const {
        if (!valid_queue(opt.queue))
            return DriverError{"a4.bad_queue", "the A4 printer's queue name \"" + opt.queue +
                                                   "\" is empty or has characters CUPS does not allow"};
        return {};
    }

    Expected<std::unique_ptr<Conn>> connect(std::chrono::milliseconds budget) {
        auto ep = parse_server(opt.server);
        if (!ep) return ep.error();
        const int msec = static_cast<int>(std::clamp<std::chrono::milliseconds::rep>(budget.count(), 100, 600000));
        int cancel = 0;
        http_t* h = httpConnect2(ep->host.c_str(), ep->port, nullptr, AF_UNSPEC, cupsEncryption(), 1, msec, &cancel);
        if (h == nullptr) {
            // errno is not reliable here (libcups closes sockets after a
            // failed connect), so say what can be checked.
            std::string why;
            struct stat st {};
            if (ep->host[0] == '/')
                why = ::stat(ep->host.c_str(), &st) != 0 ? "there is no socket at that path"
                                                         : "nothing answers on that socket";
            else
                why = "no answer on port " + std::to_string(ep->port);
            return DriverError{"a4.server_unreachable", "cannot reach the print server at " + ep->display + ": " + why +
                                                            " (is cupsd running? is the server address right?)"};
        }
        auto c = std::make_unique<Conn>();
        c->http.reset(h);
        limit(*c, opt.io_timeout);
        return c;
    }

    // After a libcups call failed on `c`. `answered`: an IPP response came
    // back (its status says why); otherwise the connection failed, unless
    // libcups refused locally with a client error (HTTP 404 and the like).
    DriverError failure(const Conn& c, const std::string& doing, bool answered) const {
        const ipp_status_t st = cupsLastError();
        const std::string words = last_cups_words();
        if (c.timed_out)
            return DriverError{"a4.server_timeout", "the print server did not answer within " + seconds(c.budget) +
                                                        " while " + doing + " (" + where + ")"};
        const bool client_error = st >= IPP_STATUS_ERROR_BAD_REQUEST && st < IPP_STATUS_ERROR_INTERNAL;
        if ((!answered && !client_error) || st == IPP_STATUS_ERROR_SERVICE_UNAVAILABLE)
            return DriverError{"a4.server_lost", "lost the print server while " + doing + " (" + where + "): " + words};
        switch (st) {
            case IPP_STATUS_ERROR_NOT_FOUND:
                return DriverError{"a4.queue_not_found", "the print queue '" + opt.queue + "' does not exist on " +
                                                             (opt.server.empty() ? "this computer" : opt.server) +
                                                             " (lpstat -p lists the queues)"};
            case IPP_STATUS_ERROR_NOT_ACCEPTING_JOBS:
                return DriverError{"a4.queue_not_accepting", "the print queue '" + opt.queue +
                                                                 "' is not accepting jobs (cupsaccept " + opt.queue +
                                                                 "): " + words};
            case IPP_STATUS_ERROR_FORBIDDEN:
            case IPP_STATUS_ERROR_NOT_AUTHENTICATED:
            case IPP_STATUS_ERROR_NOT_AUTHORIZED:
            case IPP_STATUS_ERROR_CUPS_AUTHENTICATION_CANCELED:
                return DriverError{"a4.not_allowed",
                                   "the print server refused us while " + doing + " (" + where + "): " + words};
            case IPP_STATUS_ERROR_DOCUMENT_FORMAT_NOT_SUPPORTED:
                return DriverError{
                    "a4.format_unsupported",
                    "the print queue '" + opt.queue + "' cannot print PDF; set it up with a driver that takes PDF"};
            default:
                return DriverError{"a4.ipp", "the print server refused " + doing + " (" + where + "): " + words};
        }
    }

    // -----------------------------------------------------------------------
    // Queries
    // -----------------------------------------------------------------------

    std::string printer_uri() const {
        char uri[HTTP_MAX_URI];
        httpAssembleURIf(HTTP_URI_CODING_ALL, uri, sizeof uri, "ipp", nullptr, "localhost", ippPort(), "/printers/%s",
                         opt.queue.c_str());
        return uri;
    }

    struct Queue {
        ipp_pstate_t state = IPP_PSTATE_IDLE;
        bool accepting = true;
        std::string message;
        std::vector<std::string> reasons;  // IPP keywords
    };

    Expected<Queue> query_queue(Conn& c) {
        ipp_t* req = ippNewRequest(IPP_OP_GET_PRINTER_ATTRIBUTES);
        const std::string uri = printer_uri();
        ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", nullptr, uri.c_str());
        ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_NAME, "requesting-user-name", nullptr, cupsUser());
        static const char* const kAttrs[] = {"printer-state", "printer-state-message", "printer-state-reasons",
                                             "printer-is-accepting-jobs"};
        ippAddStrings(req, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes", 4, nullptr, kAttrs);
        IppPtr resp(cupsDoRequest(c.get(), req, "/"));  // frees req
        if (!resp || cupsLastError() > IPP_STATUS_OK_CONFLICTING)
            return failure(c, "asking about the queue", resp != nullptr);
        Queue q;
        if (ipp_attribute_t* a = ippFindAttribute(resp.get(), "printer-state", IPP_TAG_ENUM))
            q.state = static_cast<ipp_pstate_t>(ippGetInteger(a, 0));
        if (ipp_attribute_t* a = ippFindAttribute(resp.get(), "printer-is-accepting-jobs", IPP_TAG_BOOLEAN))
            q.accepting = ippGetBoolean(a, 0) != 0;
        if (ipp_attribute_t* a = ippFindAttribute(resp.get(), "printer-state-message", IPP_TAG_TEXT))
            if (const char* s = ippGetString(a, 0, nullptr)) q.message = s;
        if (ipp_attribute_t* a = ippFindAttribute(resp.get(), "printer-state-reasons", IPP_TAG_KEYWORD))
            for (int i = 0; i < ippGetCount(a); ++i)
                if (const char* s = ippGetString(a, i, nullptr); s != nullptr && std::strcmp(s, "none") != 0)
                    q.reasons.emplace_back(s);
        return q;
    }

    Expected<JobStatus> query_job(Conn& c, int job) {
        ipp_t* req = ippNewRequest(IPP_OP_GET_JOB_ATTRIBUTES);
        char uri[HTTP_MAX_URI];
        httpAssembleURIf(HTTP_URI_CODING_ALL, uri, sizeof uri, "ipp", nullptr, "localhost", ippPort(), "/jobs/%d", job);
        ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_URI, "job-uri", nullptr, uri);
        ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_NAME, "requesting-user-name", nullptr, cupsUser());
        static const char* const kAttrs[] = {"job-state", "job-state-reasons", "job-state-message"};
        ippAddStrings(req, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes", 3, nullptr, kAttrs);
        IppPtr resp(cupsDoRequest(c.get(), req, "/"));
        if (!resp || cupsLastError() > IPP_STATUS_OK_CONFLICTING) {
            if (cupsLastError() == IPP_STATUS_ERROR_NOT_FOUND && !c.timed_out)
                return DriverError{"a4.job_unknown",
                                   "the print server has no job " + std::to_string(job) + " (" + where + ")"};
            return failure(c, "asking about job " + std::to_string(job), resp != nullptr);
        }
        JobStatus s;
        s.job = job;
        ipp_jstate_t st = IPP_JSTATE_PENDING;
        if (ipp_attribute_t* a = ippFindAttribute(resp.get(), "job-state", IPP_TAG_ENUM))
            st = static_cast<ipp_jstate_t>(ippGetInteger(a, 0));
        switch (st) {
            case IPP_JSTATE_HELD:
                s.state = JobState::Held;
                break;
            case IPP_JSTATE_PROCESSING:
                s.state = JobState::Processing;
                break;
            case IPP_JSTATE_STOPPED:
                s.state = JobState::Stopped;
                break;
            case IPP_JSTATE_CANCELED:
                s.state = JobState::Canceled;
                break;
            case IPP_JSTATE_ABORTED:
                s.state = JobState::Aborted;
                break;
            case IPP_JSTATE_COMPLETED:
                s.state = JobState::Completed;
                break;
            default:
                s.state = JobState::Pending;
                break;
        }
        if (ipp_attribute_t* a = ippFindAttribute(resp.get(), "job-state-reasons", IPP_TAG_KEYWORD))
            for (int i = 0; i < ippGetCount(a); ++i)
                if (const char* r = ippGetString(a, i, nullptr)) {
                    if (!s.reasons.empty()) s.reasons += ",";
                    s.reasons += r;
                }
        if (ipp_attribute_t* a = ippFindAttribute(resp.get(), "job-state-message", IPP_TAG_TEXT))
            if (const char* m = ippGetString(a, 0, nullptr)) s.message = m;

        auto q = query_queue(c);
        if (!q) return q.error();
        apply(*q);
        s.printer_stopped = q->state == IPP_PSTATE_STOPPED;
        s.printer_accepting = q->accepting;
        s.printer_message = q->message;
        for (const auto& r : q->reasons) {
            if (!s.printer_reasons.empty()) s.printer_reasons += ", ";
            s.printer_reasons += plain_reason(r);
        }
        return s;
    }

    // Health from what the server says about the queue.
    void apply(const Queue& q) {
        std::string worst_error, worst_warning;
        for (const auto& r : q.reasons) {
            const Severity sev = severity(r);
            if (sev == Severity::Error && worst_error.empty()) worst_error = plain_reason(r);
            if (sev == Severity::Warning && worst_warning.empty()) worst_warning = plain_reason(r);
        }
        auto with_message = [&](std::string s) {
            if (!q.message.empty()) s += ": " + q.message;
            return s;
        };
        if (q.state == IPP_PSTATE_STOPPED)
            cell.set(DeviceState::Fault, with_message(worst_error.empty() ? "stopped" : "stopped, " + worst_error));
        else if (!q.accepting)
            cell.set(DeviceState::Fault, "not accepting jobs");
        else if (!worst_error.empty())
            cell.set(DeviceState::Fault, with_message(worst_error));
        else if (!worst_warning.empty())
            cell.set(DeviceState::Degraded, worst_warning);
        else
            cell.set(DeviceState::Ready, q.state == IPP_PSTATE_PROCESSING ? "printing" : "ready");
    }

    DriverError finished_error(const JobStatus& s) {
        std::string why;
        auto add = [&why](const std::string& part) {
            if (part.empty()) return;
            if (!why.empty()) why += "; ";
            why += part;
        };
        add(s.message);
        if (!s.printer_message.empty() && s.printer_message != s.message) add("the printer says: " + s.printer_message);
        if (why.empty()) add(s.reasons);
        if (s.state == JobState::Stopped)
            return DriverError{"a4.job_stopped", "job " + std::to_string(s.job) + " was stopped on " + where +
                                                     (why.empty() ? std::string() : ": " + why) +
                                                     "; it will not print unless restarted (lp -i " +
                                                     std::to_string(s.job) + " -H restart) or canceled"};
        if (s.state == JobState::Canceled)
            return DriverError{"a4.job_canceled", "job " + std::to_string(s.job) + " was canceled" +
                                                      (why.empty() ? std::string() : " (" + why + ")")};
        return DriverError{"a4.job_aborted", "job " + std::to_string(s.job) + " failed and was aborted on " + where +
                                                 (why.empty() ? std::string() : ": " + why)};
    }

    DriverError stuck_error(const JobStatus& s, bool timed_out, std::chrono::milliseconds timeout) const {
        const std::string after = timed_out ? " after " + seconds(timeout) : std::string();
        if (s.printer_stopped) {
            std::string why = s.printer_message.empty() ? s.printer_reasons : s.printer_message;
            return DriverError{"a4.printer_stopped",
                               "job " + std::to_string(s.job) + " is still waiting" + after + ": the printer (" +
                                   where + ") is stopped" + (why.empty() ? std::string() : " (" + why + ")") +
                                   "; it prints once the printer is enabled again (cupsenable " + opt.queue + ")"};
        }
        if (s.state == JobState::Held)
            return DriverError{"a4.job_held", "job " + std::to_string(s.job) + " is " + job_state_code(s.state) +
                                                  after + " (" + s.reasons + ")" +
                                                  (s.message.empty() ? std::string() : ": " + s.message)};
        return DriverError{"a4.timeout", "job " + std::to_string(s.job) + " is still " + job_state_code(s.state) +
                                             after + " on " + where +
                                             (s.message.empty() ? std::string() : " (" + s.message + ")")};
    }

    void cancel_quietly(int job) {
        auto c = connect(opt.connect_timeout);
        if (!c) return;
        limit(**c, std::min<std::chrono::milliseconds>(opt.io_timeout, 5s));
        (void)cupsCancelJob2((*c)->get(), opt.queue.c_str(), job, 0);
    }
};

const char* job_state_code(JobState s) {
    switch (s) {
        case JobState::Pending:
            return "pending";
        case JobState::Held:
            return "held";
        case JobState::Processing:
            return "processing";
        case JobState::Stopped:
            return "stopped";
        case JobState::Canceled:
            return "canceled";
        case JobState::Aborted:
            return "aborted";
        case JobState::Completed:
            return "completed";
    }
    return "unknown";
}

std::string JobStatus::describe() const {
    std::string s = "job " + std::to_string(job) + " is ";
    switch (state) {
        case JobState::Pending:
            s += printer_stopped ? "waiting" : "waiting its turn";
            break;
        case JobState::Processing:
            s += "printing";
            break;
        default:
            s += job_state_code(state);
            break;
    }
    if (printer_stopped) {
        s += ": the printer is stopped";
        const std::string& why = printer_message.empty() ? printer_reasons : printer_message;
        if (!why.empty()) s += " (" + why + ")";
    } else if (!message.empty()) {
        s += ": " + message;
    }
    return s;
}

A4Printer::A4Printer(Options options) : impl_(std::make_unique<Impl>(std::move(options))) {}
A4Printer::~A4Printer() = default;

const A4Printer::Options& A4Printer::options() const { return impl_->opt; }

DeviceHealth A4Printer::health() const { return impl_->cell.get(); }

Expected<int> A4Printer::submit(std::span<const std::uint8_t> pdf, const std::string& title) {
    Impl& m = *impl_;
    if (auto ok = m.check_queue(); !ok) return m.note(ok.error());
    if (pdf.empty()) return m.note(DriverError{"a4.empty_document", "there is no document to print (0 bytes)"});
    SigpipeGuard guard;
    auto conn = m.connect(m.opt.connect_timeout);
    if (!conn) return m.note(conn.error());
    Conn& c = **conn;

    // Create-Job by hand rather than cupsCreateJob(): that one looks the
    // queue up as a destination and may open further connections of its own
    // (cupsCopyDestInfo), to the address the server advertises, without our
    // time limits.
    const std::string name = title.empty() ? std::string("notice") : title;
    const std::string resource = "/printers/" + m.opt.queue;
    ipp_t* req = ippNewRequest(IPP_OP_CREATE_JOB);
    const std::string uri = m.printer_uri();
    ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", nullptr, uri.c_str());
    ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_NAME, "requesting-user-name", nullptr, cupsUser());
    ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_NAME, "job-name", nullptr, name.c_str());
    cups_option_t* options = nullptr;
    int n = 0;
    for (const auto& [k, v] : m.opt.job_options) n = cupsAddOption(k.c_str(), v.c_str(), n, &options);
    cupsEncodeOptions2(req, n, options, IPP_TAG_OPERATION);
    cupsEncodeOptions2(req, n, options, IPP_TAG_JOB);
    cupsFreeOptions(n, options);
    IppPtr created(cupsDoRequest(c.get(), req, resource.c_str()));  // frees req
    if (!created || cupsLastError() > IPP_STATUS_OK_CONFLICTING)
        return m.note(m.failure(c, "creating a job", created != nullptr));
    ipp_attribute_t* id = ippFindAttribute(created.get(), "job-id", IPP_TAG_INTEGER);
    const int job = id != nullptr ? ippGetInteger(id, 0) : 0;
    if (job <= 0)
        return m.note(DriverError{"a4.ipp", "the print server created a job without a job id (" + m.where + ")"});

    auto abandon = [&](const std::string& doing) {
        DriverError e = m.failure(c, doing, false);
        m.cancel_quietly(job);
        return m.note(std::move(e));
    };
    // No document-name: the job-name already carries the title, and Debian's
    // cupsd 2.4.2-3+deb12u10 crashes when starting a job whose document-name
    // holds a space (found by the doctor's "A4 打印测试页").
    if (cupsStartDocument(c.get(), m.opt.queue.c_str(), job, nullptr, CUPS_FORMAT_PDF, 1) != HTTP_STATUS_CONTINUE)
        return abandon("starting to send job " + std::to_string(job));
    constexpr std::size_t kChunk = 64 * 1024;
    for (std::size_t at = 0; at < pdf.size(); at += kChunk) {
        const std::size_t len = std::min(kChunk, pdf.size() - at);
        if (cupsWriteRequestData(c.get(), reinterpret_cast<const char*>(pdf.data() + at), len) != HTTP_STATUS_CONTINUE)
            return abandon("sending job " + std::to_string(job));
    }
    if (cupsFinishDocument(c.get(), m.opt.queue.c_str()) > IPP_STATUS_OK_CONFLICTING)
        return abandon("finishing job " + std::to_string(job));
    return job;
}

Expected<JobStatus> A4Printer::state(int job) {
    Impl& m = *impl_;
    if (auto ok = m.check_queue(); !ok) return m.note(ok.error());
    SigpipeGuard guard;
    auto conn = m.connect(m.opt.connect_timeout);
    if (!conn) return m.note(conn.error());
    auto s = m.query_job(**conn, job);
    if (!s) return m.note(s.error());
    return s;
}

Expected<JobStatus> A4Printer::wait(int job, std::chrono::milliseconds timeout, Until until, std::stop_token stop) {
    Impl& m = *impl_;
    if (auto ok = m.check_queue(); !ok) return m.note(ok.error());
    SigpipeGuard guard;
    const auto deadline = Clock::now() + timeout;
    auto budget = [&] {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        return std::clamp<std::chrono::milliseconds>(left, 100ms, std::max(m.opt.io_timeout, 100ms));
    };
    std::unique_ptr<Conn> conn;
    std::mutex mu;
    std::condition_variable_any cv;
    for (;;) {
        if (!conn) {
            auto c = m.connect(std::min(m.opt.connect_timeout, budget()));
            if (!c) return m.note(c.error());
            conn = std::move(*c);
        }
        limit(*conn, budget());
        auto s = m.query_job(*conn, job);
        if (!s) return m.note(s.error());
        const JobStatus& st = *s;
        if (st.state == JobState::Completed) {
            m.cell.event();
            return s;
        }
        if (st.finished() || st.state == JobState::Stopped) return m.note(m.finished_error(st));
        const bool stuck = st.printer_stopped || st.state == JobState::Held;
        if (until == Until::FinishedOrStuck && stuck) return m.note(m.stuck_error(st, false, timeout));
        const auto now = Clock::now();
        if (now >= deadline) return m.note(m.stuck_error(st, true, timeout));
        const auto nap = std::min<Clock::duration>(m.opt.poll_interval, deadline - now);
        std::unique_lock lock(mu);
        cv.wait_for(lock, stop, nap, [] { return false; });
        if (stop.stop_requested())
            return DriverError{"a4.wait_stopped", "stopped following job " + std::to_string(job) + " (shutting down)"};
    }
}

Expected<void> A4Printer::cancel(int job) {
    Impl& m = *impl_;
    if (auto ok = m.check_queue(); !ok) return m.note(ok.error());
    SigpipeGuard guard;
    auto conn = m.connect(m.opt.connect_timeout);
    if (!conn) return m.note(conn.error());
    Conn& c = **conn;
    const ipp_status_t st = cupsCancelJob2(c.get(), m.opt.queue.c_str(), job, 0);
    if (st <= IPP_STATUS_OK_CONFLICTING) return {};
    // Canceling a finished job is refused with not-possible: it is finished, which is what the caller wants.
    if (st == IPP_STATUS_ERROR_NOT_POSSIBLE) return {};
    if (st == IPP_STATUS_ERROR_NOT_FOUND && !c.timed_out)
        return DriverError{"a4.job_unknown",
                           "the print server has no job " + std::to_string(job) + " (" + m.where + ")"};
    return m.note(m.failure(c, "canceling job " + std::to_string(job), st < IPP_STATUS_ERROR_INTERNAL));
}

DeviceHealth A4Printer::check() {
    Impl& m = *impl_;
    if (auto ok = m.check_queue(); !ok) {
        m.cell.set(DeviceState::Absent, "no valid queue configured");
        m.cell.error(ok.error().message);
        return m.cell.get();
    }
    SigpipeGuard guard;
    auto conn = m.connect(m.opt.connect_timeout);
    if (!conn) {
        (void)m.note(conn.error());
        return m.cell.get();
    }
    auto q = m.query_queue(**conn);
    if (!q)
        (void)m.note(q.error());
    else
        m.apply(*q);
    return m.cell.get();
}

}  // namespace drivers::a4
