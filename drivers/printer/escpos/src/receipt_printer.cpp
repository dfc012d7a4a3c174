// The printer worker and its job table. Index:
//   [impl]     state shared by the worker and the callers
//   [worker]   the loop: next job, attempt, backoff; idle status checks
//   [attempt]  one try at one job: open, status, send, confirm, close, mark
//   [public]   ReceiptPrinter's members
#include <algorithm>
#include <condition_variable>
#include <map>
#include <mutex>

#include "drivers/io/waker.hpp"
#include "drivers/printer/receipt_printer.hpp"
#include "spool.hpp"

namespace drivers::escpos {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;
using Wall = std::chrono::system_clock;
using detail::SpoolEntry;

const char* job_state_code(JobState s) {
    switch (s) {
        case JobState::Waiting: return "waiting";
        case JobState::Printing: return "printing";
        case JobState::Printed: return "printed";
        case JobState::Cancelled: return "cancelled";
        case JobState::Failed: return "failed";
    }
    return "waiting";
}

const char* wait_reason_code(WaitReason r) {
    switch (r) {
        case WaitReason::None: return "";
        case WaitReason::NotConnected: return "printer.not_connected";
        case WaitReason::Permission: return "printer.permission";
        case WaitReason::NoAnswer: return "printer.no_answer";
        case WaitReason::PaperOut: return "printer.paper_out";
        case WaitReason::CoverOpen: return "printer.cover_open";
        case WaitReason::Offline: return "printer.offline";
        case WaitReason::PrinterError: return "printer.error";
        case WaitReason::ConnectionLost: return "printer.connection_lost";
        case WaitReason::Spool: return "printer.spool";
    }
    return "";
}

namespace {

const char* reason_words(WaitReason r) {
    switch (r) {
        case WaitReason::None: return "ready";
        case WaitReason::NotConnected: return "not connected";
        case WaitReason::Permission: return "no permission to use the printer";
        case WaitReason::NoAnswer: return "not answering";
        case WaitReason::PaperOut: return "out of paper";
        case WaitReason::CoverOpen: return "cover open";
        case WaitReason::Offline: return "offline";
        case WaitReason::PrinterError: return "printer error";
        case WaitReason::ConnectionLost: return "connection lost";
        case WaitReason::Spool: return "cannot read the job from disk";
    }
    return "ready";
}

WaitReason reason_of(const DriverError& e, bool during_send) {
    if (e.code == "printer.permission") return WaitReason::Permission;
    if (e.code == "printer.no_answer") return WaitReason::NoAnswer;
    if (during_send) return WaitReason::ConnectionLost;
    return WaitReason::NotConnected;  // refused, unreachable, unplugged, config, io while opening
}

WaitReason reason_of(const PrinterStatus& s) {
    if (s.cover_open) return WaitReason::CoverOpen;
    if (s.paper_out) return WaitReason::PaperOut;
    if (s.error) return WaitReason::PrinterError;
    return WaitReason::Offline;
}

DeviceState state_for(WaitReason r) {
    switch (r) {
        case WaitReason::None: return DeviceState::Ready;
        case WaitReason::NotConnected:
        case WaitReason::Permission: return DeviceState::Absent;
        default: return DeviceState::Fault;
    }
}

}  // namespace

// [impl] ----------------------------------------------------------------------

struct ReceiptPrinter::Impl {
    Impl(std::unique_ptr<Transport> t, PrinterOptions o, detail::Spool s)
        : transport(std::move(t)), opt(std::move(o)), spool(std::move(s)), health("escpos " + transport->name()) {}

    std::unique_ptr<Transport> transport;  // the worker's alone
    PrinterOptions opt;
    std::mutex spool_mu;  // the spool's files and next id; never held with mu waiting on it
    detail::Spool spool;
    HealthCell health;
    io::Waker waker;

    mutable std::mutex mu;
    mutable std::condition_variable cv;
    std::map<JobId, JobInfo> jobs;
    bool stopping = false;
    bool kick = false;
    std::optional<PrinterStatus> last_status;

    enum class Outcome : std::uint8_t { Done, Wait, Stop };

    std::optional<JobId> first_waiting() const {  // mu held
        for (const auto& [id, j] : jobs)
            if (j.state == JobState::Waiting) return id;
        return std::nullopt;
    }
    std::size_t waiting_count() const {  // mu held
        return static_cast<std::size_t>(std::count_if(jobs.begin(), jobs.end(), [](const auto& kv) {
            return kv.second.state == JobState::Waiting || kv.second.state == JobState::Printing;
        }));
    }

    // Applies `change` to job `id` under the lock; the changed job, if it changed.
    template <typename F>
    std::optional<JobInfo> apply(JobId id, F change) {
        std::lock_guard lock(mu);
        auto it = jobs.find(id);
        if (it == jobs.end()) return std::nullopt;
        JobInfo before = it->second;
        change(it->second);
        JobInfo& j = it->second;
        if (j.state == before.state && j.reason == before.reason && j.detail == before.detail) return std::nullopt;
        j.updated = Wall::now();
        return j;
    }
    // Wakes waiters and tells the observer. Health is set before this, so
    // whoever sees the job change also sees the health that goes with it.
    void publish(const std::optional<JobInfo>& changed) {
        cv.notify_all();
        if (changed && opt.on_change) opt.on_change(*changed);
    }
    template <typename F>
    void update(JobId id, F change) {
        publish(apply(id, change));
    }

    void set_health(WaitReason r, const std::string& words) { set_health(state_for(r), words, wait_reason_code(r)); }
    void set_health(DeviceState state, const std::string& words, const std::string& code = {}) {
        std::size_t waiting = 0;
        {
            std::lock_guard lock(mu);
            waiting = waiting_count();
        }
        std::string status = words;
        if (waiting > 0) status += "; " + std::to_string(waiting) + (waiting == 1 ? " job waiting" : " jobs waiting");
        health.set(state, status, code);
    }
    void set_health_ok(const std::optional<PrinterStatus>& s) {
        if (s && s->paper_near_end)
            set_health(DeviceState::Degraded, "paper nearly out", "printer.paper_near_end");
        else
            set_health(DeviceState::Ready, s ? "ready" : "ready (this printer does not report its status)", "printer.ready");
    }

    Outcome wait(JobId id, WaitReason r, const std::string& detail) {
        transport->close();
        const auto changed = apply(id, [&](JobInfo& j) {
            if (j.state == JobState::Cancelled) return;
            j.state = JobState::Waiting;
            j.reason = r;
            j.detail = detail;
        });
        set_health(r, reason_words(r));
        health.error(detail);
        publish(changed);
        return Outcome::Wait;
    }

    Outcome stopped(JobId id) {
        transport->close();
        update(id, [](JobInfo& j) {
            if (j.state == JobState::Printing) j.state = JobState::Waiting;
        });
        return Outcome::Stop;
    }

    void prune() {
        std::vector<JobId> drop;
        {
            std::lock_guard lock(mu);
            std::vector<JobId> finished;
            for (const auto& [id, j] : jobs)
                if (j.state == JobState::Printed || j.state == JobState::Cancelled || j.state == JobState::Failed)
                    finished.push_back(id);
            const std::size_t keep = std::max<std::size_t>(opt.keep_finished, 1);
            if (finished.size() > keep) drop.assign(finished.begin(), finished.end() - static_cast<std::ptrdiff_t>(keep));
            for (const auto id : drop) jobs.erase(id);
        }
        std::lock_guard lock(spool_mu);
        for (const auto id : drop) spool.remove(id);
    }

    Outcome attempt(JobId id);
    void idle_probe();
    void run();
};

// [attempt] -------------------------------------------------------------------

ReceiptPrinter::Impl::Outcome ReceiptPrinter::Impl::attempt(JobId id) {
    Expected<std::vector<std::uint8_t>> bytes = [&] {
        std::lock_guard lock(spool_mu);
        return spool.read(id);
    }();
    if (!bytes) {
        if (bytes.error().code != "printer.spool_corrupt") return wait(id, WaitReason::Spool, bytes.error().message);
        {
            std::lock_guard lock(spool_mu);
            (void)spool.finish(id, SpoolEntry::End::Failed, Wall::now());
        }
        update(id, [&](JobInfo& j) {
            j.state = JobState::Failed;
            j.reason = WaitReason::Spool;
            j.detail = bytes.error().message;
        });
        health.error(bytes.error().message);
        return Outcome::Done;
    }

    Transport& t = *transport;
    if (auto o = t.open(opt.open_timeout, &waker); !o) {
        if (o.error().code == "printer.interrupted") return stopped(id);
        return wait(id, reason_of(o.error(), false), o.error().message);
    }

    bool check = opt.status_check == StatusCheck::Auto && t.readback() != Readback::None;
    if (check) {
        auto st = query_status(t, opt.status_timeout, &waker);
        if (!st) {
            const auto& e = st.error();
            if (e.code == "printer.interrupted") return stopped(id);
            const bool unavailable = e.code == "printer.status_unavailable" ||
                                     (e.code == "printer.no_answer" && t.readback() == Readback::BestEffort);
            if (!unavailable) return wait(id, reason_of(e, false), e.message);
            check = false;  // usblp without a way back: send and hope
            set_health_ok(std::nullopt);
        } else {
            {
                std::lock_guard lock(mu);
                last_status = *st;
            }
            if (!st->can_print()) return wait(id, reason_of(*st), describe(*st));
        }
    }

    bool cancelled = false;
    update(id, [&](JobInfo& j) {
        if (j.state != JobState::Waiting) {
            cancelled = true;
            return;
        }
        j.state = JobState::Printing;
        j.reason = WaitReason::None;
        j.detail.clear();
        ++j.attempts;
    });
    if (cancelled) {
        t.close();
        return Outcome::Done;
    }

    if (auto w = t.write(*bytes, opt.write_timeout, &waker); !w) {
        if (w.error().code == "printer.interrupted") return stopped(id);
        return wait(id, reason_of(w.error(), true),
                    w.error().message + "; the job was cut off and will be printed again whole");
    }
    if (check) {
        // The printer is busy printing the job: give it longer to answer.
        auto st = query_status(t, opt.status_timeout * 2, &waker);
        if (!st) {
            if (st.error().code == "printer.interrupted") return stopped(id);
            return wait(id, WaitReason::ConnectionLost,
                        "the printer did not confirm the job (" + st.error().message + "); it will be printed again");
        }
        {
            std::lock_guard lock(mu);
            last_status = *st;
        }
        if (!st->can_print())
            return wait(id, reason_of(*st), describe(*st) + "; the job will be printed again");
    }
    t.close();  // before the mark: the printer sees the end of the job at once

    const auto now = Wall::now();
    Expected<void> marked = [&] {
        std::lock_guard lock(spool_mu);
        return spool.finish(id, SpoolEntry::End::Printed, now);
    }();
    const auto changed = apply(id, [&](JobInfo& j) {
        j.state = JobState::Printed;
        j.reason = WaitReason::None;
        j.detail.clear();
        j.printed = now;
    });
    health.event();
    if (!marked)  // printed, and never sent again by this process; a restart would print it again
        health.error("job " + std::to_string(id) + " printed but could not be recorded: " + marked.error().message);
    std::optional<PrinterStatus> status;
    if (check) {
        std::lock_guard lock(mu);
        status = last_status;
    }
    set_health_ok(status);
    prune();
    publish(changed);
    return Outcome::Done;
}

// [worker] --------------------------------------------------------------------

void ReceiptPrinter::Impl::idle_probe() {
    Transport& t = *transport;
    if (opt.status_check == StatusCheck::Off || t.readback() == Readback::None) return;
    if (auto o = t.open(opt.open_timeout, &waker); !o) {
        if (o.error().code == "printer.interrupted") return;
        set_health(reason_of(o.error(), false), reason_words(reason_of(o.error(), false)));
        health.error(o.error().message);
        return;
    }
    auto st = query_status(t, opt.status_timeout, &waker);
    t.close();
    if (!st) {
        const auto& e = st.error();
        if (e.code == "printer.interrupted") return;
        if (e.code == "printer.status_unavailable" || (e.code == "printer.no_answer" && t.readback() == Readback::BestEffort)) {
            set_health_ok(std::nullopt);
            return;
        }
        set_health(reason_of(e, false), reason_words(reason_of(e, false)));
        health.error(e.message);
        return;
    }
    {
        std::lock_guard lock(mu);
        last_status = *st;
    }
    if (st->can_print())
        set_health_ok(*st);
    else
        set_health(reason_of(*st), describe(*st));
}

void ReceiptPrinter::Impl::run() {
    milliseconds backoff = std::max(opt.retry_min, milliseconds(1));
    const bool idle_checks = opt.idle_check.count() > 0;
    auto next_probe = Clock::now();  // a first look at once, so health is right from the start
    for (;;) {
        std::optional<JobId> next;
        bool probe = false;
        {
            std::unique_lock lock(mu);
            if (stopping) return;
            next = first_waiting();
            if (!next) {
                auto ready = [&] { return stopping || kick || first_waiting().has_value(); };
                if (idle_checks)
                    cv.wait_until(lock, next_probe, ready);
                else
                    cv.wait(lock, ready);
                if (stopping) return;
                const bool kicked = std::exchange(kick, false);
                next = first_waiting();
                probe = !next && idle_checks && (kicked || Clock::now() >= next_probe);
            }
        }
        if (probe) {
            idle_probe();
            next_probe = Clock::now() + opt.idle_check;
            continue;
        }
        if (!next) continue;
        const Outcome o = attempt(*next);
        if (o == Outcome::Stop) return;
        if (o == Outcome::Done) {
            backoff = std::max(opt.retry_min, milliseconds(1));
            next_probe = Clock::now() + opt.idle_check;
            continue;
        }
        std::unique_lock lock(mu);
        cv.wait_for(lock, backoff, [&] { return stopping || kick; });
        if (std::exchange(kick, false)) backoff = std::max(opt.retry_min, milliseconds(1));
        else backoff = std::min(backoff * 2, std::max(opt.retry_max, opt.retry_min));
    }
}

// [public] ----------------------------------------------------------------------

ReceiptPrinter::ReceiptPrinter(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {
    worker_ = std::thread([this] { impl_->run(); });
}

ReceiptPrinter::~ReceiptPrinter() { stop(); }

Expected<std::unique_ptr<ReceiptPrinter>> ReceiptPrinter::start(std::unique_ptr<Transport> transport,
                                                                PrinterOptions options) {
    if (!transport) return DriverError{"printer.config", "no transport for the receipt printer"};
    if (options.spool_dir.empty()) return DriverError{"printer.spool", "no spool directory for the receipt printer"};
    auto spool = detail::Spool::open(options.spool_dir);
    if (!spool) return spool.error();
    auto impl = std::make_unique<Impl>(std::move(transport), std::move(options), std::move(*spool));
    for (const auto& e : impl->spool.entries()) {
        JobInfo j;
        j.id = e.id;
        j.label = e.label;
        j.size = e.size;
        j.created = e.created;
        j.updated = Wall::now();
        switch (e.end) {
            case SpoolEntry::End::None: j.state = JobState::Waiting; break;
            case SpoolEntry::End::Printed:
                j.state = JobState::Printed;
                j.printed = e.ended;
                break;
            case SpoolEntry::End::Cancelled: j.state = JobState::Cancelled; break;
            case SpoolEntry::End::Failed: j.state = JobState::Failed; break;
        }
        if (e.damaged && e.end == SpoolEntry::End::None) {
            j.state = JobState::Failed;
            j.reason = WaitReason::Spool;
            j.detail = "the job's spool file is damaged";
            (void)impl->spool.finish(e.id, SpoolEntry::End::Failed, Wall::now());
        }
        impl->jobs.emplace(j.id, std::move(j));
    }
    if (impl->opt.status_check == StatusCheck::Off || impl->transport->readback() == Readback::None)
        impl->set_health_ok(std::nullopt);  // nothing to ask: as ready as we can tell
    else
        impl->health.set(DeviceState::Absent, "not checked yet");
    impl->prune();
    return std::unique_ptr<ReceiptPrinter>(new ReceiptPrinter(std::move(impl)));
}

Expected<JobId> ReceiptPrinter::submit(std::span<const std::uint8_t> bytes, std::string label) {
    if (bytes.empty()) return DriverError{"printer.empty_job", "an empty job was not queued"};
    {
        std::lock_guard lock(impl_->mu);
        if (impl_->stopping) return DriverError{"printer.stopped", "the printer has been stopped"};
    }
    const auto now = Wall::now();
    Expected<SpoolEntry> added = [&] {
        std::lock_guard lock(impl_->spool_mu);
        return impl_->spool.add(bytes, label, now);
    }();
    if (!added) return added.error();
    JobInfo j;
    j.id = added->id;
    j.label = added->label;
    j.size = bytes.size();
    j.created = now;
    j.updated = now;
    {
        std::lock_guard lock(impl_->mu);
        impl_->jobs.emplace(j.id, j);
    }
    impl_->cv.notify_all();
    if (impl_->opt.on_change) impl_->opt.on_change(j);
    return j.id;
}

Expected<JobId> ReceiptPrinter::reprint(JobId id) {
    std::string label;
    {
        std::lock_guard lock(impl_->mu);
        auto it = impl_->jobs.find(id);
        if (it == impl_->jobs.end()) return DriverError{"printer.no_such_job", "job " + std::to_string(id) + " is not kept"};
        label = it->second.label;
    }
    auto bytes = job_bytes(id);
    if (!bytes) return bytes.error();
    return submit(*bytes, label + " (reprint)");
}

Expected<void> ReceiptPrinter::cancel(JobId id) {
    {
        std::lock_guard lock(impl_->mu);
        auto it = impl_->jobs.find(id);
        if (it == impl_->jobs.end()) return DriverError{"printer.no_such_job", "job " + std::to_string(id) + " is not kept"};
        if (it->second.state != JobState::Waiting)
            return DriverError{"printer.not_waiting", std::string("job ") + std::to_string(id) + " is " +
                                                          job_state_code(it->second.state) + ", not waiting"};
        it->second.state = JobState::Cancelled;  // the worker checks before it sends
    }
    Expected<void> marked = [&] {
        std::lock_guard lock(impl_->spool_mu);
        return impl_->spool.finish(id, SpoolEntry::End::Cancelled, Wall::now());
    }();
    impl_->update(id, [](JobInfo& j) { j.reason = WaitReason::None; j.detail = "cancelled by staff"; });
    impl_->prune();
    return marked;
}

void ReceiptPrinter::retry_now() {
    {
        std::lock_guard lock(impl_->mu);
        impl_->kick = true;
    }
    impl_->cv.notify_all();
}

std::vector<JobInfo> ReceiptPrinter::recent_jobs() const {
    std::lock_guard lock(impl_->mu);
    std::vector<JobInfo> out;
    out.reserve(impl_->jobs.size());
    for (auto it = impl_->jobs.rbegin(); it != impl_->jobs.rend(); ++it) out.push_back(it->second);
    return out;
}

std::optional<JobInfo> ReceiptPrinter::job(JobId id) const {
    std::lock_guard lock(impl_->mu);
    auto it = impl_->jobs.find(id);
    if (it == impl_->jobs.end()) return std::nullopt;
    return it->second;
}

Expected<std::vector<std::uint8_t>> ReceiptPrinter::job_bytes(JobId id) const {
    {
        std::lock_guard lock(impl_->mu);
        if (impl_->jobs.find(id) == impl_->jobs.end())
            return DriverError{"printer.no_such_job", "job " + std::to_string(id) + " is not kept"};
    }
    std::lock_guard lock(impl_->spool_mu);
    return impl_->spool.read(id);
}

bool ReceiptPrinter::wait_for(JobId id, const std::function<bool(const JobInfo&)>& pred, milliseconds timeout) const {
    std::unique_lock lock(impl_->mu);
    return impl_->cv.wait_for(lock, timeout, [&] {
        auto it = impl_->jobs.find(id);
        return it != impl_->jobs.end() && pred(it->second);
    });
}

DeviceHealth ReceiptPrinter::health() const { return impl_->health.get(); }

std::optional<PrinterStatus> ReceiptPrinter::last_status() const {
    std::lock_guard lock(impl_->mu);
    return impl_->last_status;
}

void ReceiptPrinter::stop() {
    {
        std::lock_guard lock(impl_->mu);
        impl_->stopping = true;
    }
    impl_->waker.wake();
    impl_->cv.notify_all();
    if (worker_.joinable()) worker_.join();
}

}  // namespace drivers::escpos
