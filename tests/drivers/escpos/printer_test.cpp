// The job spool and the printer worker against the fake network printer:
// nothing lost, nothing twice.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "drivers/printer/escpos_decode.hpp"
#include "drivers/printer/escpos_encode.hpp"
#include "drivers/printer/receipt_printer.hpp"
#include "fake_printer.hpp"

using namespace drivers::escpos;
using namespace std::chrono_literals;
using escpos_test::FakeNetworkPrinter;
namespace fs = std::filesystem;

namespace {

struct TempDir {
    fs::path path;
    TempDir() {
        char tmpl[] = "/tmp/escpos-spool-XXXXXX";
        REQUIRE(mkdtemp(tmpl) != nullptr);
        path = tmpl;
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
};

PrinterOptions fast(const fs::path& dir) {
    PrinterOptions o;
    o.spool_dir = dir;
    o.open_timeout = 1000ms;
    o.write_timeout = 2000ms;
    o.status_timeout = 200ms;
    o.retry_min = 20ms;
    o.retry_max = 100ms;
    o.idle_check = 0ms;
    return o;
}

std::unique_ptr<ReceiptPrinter> start(const FakeNetworkPrinter& fake, PrinterOptions o) {
    auto p = ReceiptPrinter::start(tcp_transport("127.0.0.1", fake.port()), std::move(o));
    REQUIRE_MESSAGE(p.ok(), (p.ok() ? "" : p.error().message));
    return std::move(*p);
}

// A ticket whose text ends with a marker unique to it, so the fake's
// recording says how many complete copies arrived.
std::vector<std::uint8_t> ticket(const std::string& marker, int padding_lines = 0) {
    Receipt r;
    r.text("幸福里社区长者食堂", {.align = Align::Centre, .bold = true});
    for (int i = 0; i < padding_lines; ++i) r.text("第" + std::to_string(i) + "行 padding line for a longer job");
    r.row("应付", "10.00元").qr("ORDER-" + marker).text(marker).cut();
    return encode(r, PrinterProfile{});
}

// Complete copies of the ticket: its marker line (the QR data holds the
// marker too, but not followed by a line feed).
std::size_t copies(const FakeNetworkPrinter& fake, const std::string& marker) { return fake.count(marker + "\n"); }

bool is_state(const ReceiptPrinter& p, JobId id, JobState s, std::chrono::milliseconds timeout = 5s) {
    return p.wait_for(id, [&](const JobInfo& j) { return j.state == s; }, timeout);
}
bool is_waiting(const ReceiptPrinter& p, JobId id, WaitReason r, std::chrono::milliseconds timeout = 5s) {
    return p.wait_for(id, [&](const JobInfo& j) { return j.state == JobState::Waiting && j.reason == r; }, timeout);
}

}  // namespace

TEST_CASE("printer: a job is spooled, printed once, and the socket closed") {
    FakeNetworkPrinter fake;
    TempDir dir;
    auto p = start(fake, fast(dir.path));
    const auto bytes = ticket("JOB-A-END");
    auto id = p->submit(bytes, "pickup 0042");
    REQUIRE(id.ok());
    CHECK(fs::exists(dir.path / "00000000000000000001.job"));  // on disk before submit returned
    REQUIRE(is_state(*p, *id, JobState::Printed));
    CHECK(copies(fake, "JOB-A-END") == 1);
    REQUIRE(fake.wait_until([&] { auto c = fake.connections(); return !c.empty() && !c.back().open; }, 3s));
    for (const auto& c : fake.connections()) {
        CHECK(c.eof);  // every connection was closed by us, politely
        CHECK_FALSE(c.open);
    }
    // The job arrived whole: it decodes to the ticket with its QR code and cut.
    const auto jobs = fake.jobs();
    const auto d = decode_text(jobs.back());
    CHECK(d.problems.empty());
    CHECK(d.contains("幸福里社区长者食堂"));
    CHECK(d.has_cut());
    REQUIRE(d.qr_codes.size() == 1);
    CHECK(d.qr_codes[0].data == "ORDER-JOB-A-END");

    const auto info = p->job(*id);
    REQUIRE(info);
    CHECK(info->label == "pickup 0042");
    CHECK(info->attempts == 1);
    CHECK(info->size == bytes.size());
    CHECK(info->printed >= info->created);
    CHECK(p->health().state == drivers::DeviceState::Ready);
    CHECK(p->health().last_event.time_since_epoch().count() > 0);
    CHECK(p->health().device == "escpos tcp " + fake.address());
}

TEST_CASE("printer: paper out holds the job with the reason, a refill prints it exactly once") {
    FakeNetworkPrinter fake;
    fake.set_paper_out(true);
    TempDir dir;
    auto p = start(fake, fast(dir.path));
    auto id = p->submit(ticket("JOB-PAPER-END"), "pickup 0001");
    REQUIRE(id.ok());
    REQUIRE(is_waiting(*p, *id, WaitReason::PaperOut));
    const auto info = p->job(*id);
    CHECK(std::string(wait_reason_code(info->reason)) == "printer.paper_out");
    CHECK(info->detail.find("out of paper") != std::string::npos);
    CHECK(p->health().state == drivers::DeviceState::Fault);
    CHECK(p->health().status.find("out of paper") != std::string::npos);
    CHECK(p->health().status.find("1 job waiting") != std::string::npos);
    // It keeps asking, and keeps the job to itself.
    REQUIRE(fake.wait_until([&] { return fake.connection_count() >= 3; }, 3s));
    CHECK(copies(fake, "JOB-PAPER-END") == 0);
    CHECK(p->job(*id)->state == JobState::Waiting);

    fake.set_paper_out(false);
    REQUIRE(is_state(*p, *id, JobState::Printed));
    std::this_thread::sleep_for(200ms);  // time enough for a wrong second copy to show
    CHECK(copies(fake, "JOB-PAPER-END") == 1);
    CHECK(p->health().state == drivers::DeviceState::Ready);
}

TEST_CASE("printer: cover open and printer errors hold the job too") {
    FakeNetworkPrinter fake;
    fake.set_cover_open(true);
    TempDir dir;
    auto p = start(fake, fast(dir.path));
    auto id = p->submit(ticket("JOB-COVER-END"), "pickup 0002");
    REQUIRE(id.ok());
    REQUIRE(is_waiting(*p, *id, WaitReason::CoverOpen));
    fake.set_cover_open(false);
    fake.set_error(true);
    REQUIRE(is_waiting(*p, *id, WaitReason::PrinterError));
    CHECK(p->job(*id)->detail.find("cutter") != std::string::npos);
    fake.set_error(false);
    REQUIRE(is_state(*p, *id, JobState::Printed));
    CHECK(copies(fake, "JOB-COVER-END") == 1);
}

TEST_CASE("printer: a connection reset mid-job is retried whole, nothing lost") {
    FakeNetworkPrinter fake;
    fake.reset_next_after(300);
    TempDir dir;
    auto p = start(fake, fast(dir.path));
    const auto bytes = ticket("JOB-RESET-END", 60);
    REQUIRE(bytes.size() > 2000);
    auto id = p->submit(bytes, "pickup 0003");
    REQUIRE(id.ok());
    REQUIRE(is_state(*p, *id, JobState::Printed));
    const auto conns = fake.connections();
    REQUIRE(conns.size() >= 2);
    CHECK(conns[0].reset);
    CHECK(copies(fake, "JOB-RESET-END") == 1);  // the cut-off copy never reached its end
    CHECK(p->job(*id)->attempts == 2);
    // The copy that printed is the whole job.
    const auto jobs = fake.jobs();
    CHECK(std::count(jobs.begin(), jobs.end(), bytes) == 1);
}

TEST_CASE("printer: a printer that never answers status holds the job, bounded, and stops promptly") {
    FakeNetworkPrinter fake;
    fake.set_answers_status(false);
    TempDir dir;
    auto o = fast(dir.path);
    o.status_timeout = 300ms;
    auto p = start(fake, o);
    auto id = p->submit(ticket("JOB-SILENT-END"), "pickup 0004");
    REQUIRE(id.ok());
    REQUIRE(is_waiting(*p, *id, WaitReason::NoAnswer, 3s));
    CHECK(p->health().state == drivers::DeviceState::Fault);
    CHECK(p->health().status.find("not answering") != std::string::npos);
    CHECK(copies(fake, "JOB-SILENT-END") == 0);
    const auto t0 = std::chrono::steady_clock::now();
    p->stop();
    CHECK(std::chrono::steady_clock::now() - t0 < 1500ms);
    CHECK(p->job(*id)->state == JobState::Waiting);  // still on disk for the next start
}

TEST_CASE("printer: with status checks off, a silent printer still gets the job") {
    FakeNetworkPrinter fake;
    fake.set_answers_status(false);
    TempDir dir;
    auto o = fast(dir.path);
    o.status_check = StatusCheck::Off;
    auto p = start(fake, o);
    auto id = p->submit(ticket("JOB-OFF-END"), "pickup 0005");
    REQUIRE(id.ok());
    REQUIRE(is_state(*p, *id, JobState::Printed));
    CHECK(copies(fake, "JOB-OFF-END") == 1);
    CHECK(fake.status_requests() == 0);
}

TEST_CASE("printer: unplugged means waiting not connected, then printed when it is back") {
    FakeNetworkPrinter fake;
    fake.set_refusing(true);
    TempDir dir;
    auto p = start(fake, fast(dir.path));
    auto id = p->submit(ticket("JOB-PLUG-END"), "pickup 0006");
    REQUIRE(id.ok());
    REQUIRE(is_waiting(*p, *id, WaitReason::NotConnected));
    CHECK(std::string(wait_reason_code(WaitReason::NotConnected)) == "printer.not_connected");
    CHECK(p->job(*id)->detail.find("refused") != std::string::npos);
    CHECK(p->health().state == drivers::DeviceState::Absent);
    fake.set_refusing(false);
    p->retry_now();
    REQUIRE(is_state(*p, *id, JobState::Printed));
    CHECK(copies(fake, "JOB-PLUG-END") == 1);
}

TEST_CASE("printer: unprinted jobs on disk are printed once after a restart, in order") {
    FakeNetworkPrinter fake;
    TempDir dir;
    JobId first = 0, second = 0;
    {
        fake.set_refusing(true);
        auto p = start(fake, fast(dir.path));
        first = *p->submit(ticket("JOB-R1-END"), "pickup 0007");
        second = *p->submit(ticket("JOB-R2-END"), "pickup 0008");
        REQUIRE(is_waiting(*p, first, WaitReason::NotConnected));
        p->stop();  // the power goes; the jobs are on disk
        fake.set_refusing(false);
    }
    auto p = start(fake, fast(dir.path));
    REQUIRE(is_state(*p, second, JobState::Printed));
    CHECK(p->job(first)->state == JobState::Printed);
    CHECK(copies(fake, "JOB-R1-END") == 1);
    CHECK(copies(fake, "JOB-R2-END") == 1);
    // In order: the first job's connection came before the second's.
    const auto conns = fake.connections();
    int at1 = -1, at2 = -1;
    for (std::size_t i = 0; i < conns.size(); ++i) {
        const std::string s(conns[i].bytes.begin(), conns[i].bytes.end());
        if (s.find("JOB-R1-END") != std::string::npos) at1 = static_cast<int>(i);
        if (s.find("JOB-R2-END") != std::string::npos) at2 = static_cast<int>(i);
    }
    CHECK(at1 >= 0);
    CHECK(at1 < at2);
    // Next id continues after the old ones.
    auto third = p->submit(ticket("JOB-R3-END"), "pickup 0009");
    REQUIRE(third.ok());
    CHECK(*third == second + 1);
}

TEST_CASE("printer: printed jobs are not sent again after a restart") {
    FakeNetworkPrinter fake;
    TempDir dir;
    JobId id = 0;
    {
        auto p = start(fake, fast(dir.path));
        id = *p->submit(ticket("JOB-ONCE-END"), "pickup 0010");
        REQUIRE(is_state(*p, id, JobState::Printed));
    }
    CHECK(fs::exists(dir.path / "00000000000000000001.done"));
    auto p = start(fake, fast(dir.path));
    const auto info = p->job(id);
    REQUIRE(info);
    CHECK(info->state == JobState::Printed);
    CHECK(info->label == "pickup 0010");
    // Give a wrong resend every chance to happen.
    auto probe = p->submit(ticket("JOB-PROBE-END"), "probe");
    REQUIRE(probe.ok());
    REQUIRE(is_state(*p, *probe, JobState::Printed));
    CHECK(copies(fake, "JOB-ONCE-END") == 1);
}

TEST_CASE("printer: the last jobs are kept for reprints, newest first") {
    FakeNetworkPrinter fake;
    TempDir dir;
    auto o = fast(dir.path);
    o.keep_finished = 3;
    auto p = start(fake, o);
    std::vector<JobId> ids;
    for (int i = 0; i < 5; ++i) {
        auto id = p->submit(ticket("JOB-K" + std::to_string(i) + "-END"), "ticket " + std::to_string(i));
        REQUIRE(id.ok());
        REQUIRE(is_state(*p, *id, JobState::Printed));
        ids.push_back(*id);
    }
    // One connection per job (and its status checks), each closed by us.
    REQUIRE(fake.wait_until([&] { auto c = fake.connections(); return c.size() >= 5 && !c.back().open; }, 3s));
    for (const auto& c : fake.connections()) CHECK(c.eof);
    const auto recent = p->recent_jobs();
    REQUIRE(recent.size() == 3);
    CHECK(recent[0].id == ids[4]);
    CHECK(recent[2].id == ids[2]);
    CHECK_FALSE(p->job(ids[0]));
    CHECK_FALSE(fs::exists(dir.path / "00000000000000000001.job"));
    CHECK(p->job_bytes(ids[3]).value() == ticket("JOB-K3-END"));
    auto missing = p->job_bytes(ids[0]);
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.error().code == "printer.no_such_job");

    auto again = p->reprint(ids[4]);
    REQUIRE(again.ok());
    REQUIRE(is_state(*p, *again, JobState::Printed));
    CHECK(p->job(*again)->label == "ticket 4 (reprint)");
    CHECK(copies(fake, "JOB-K4-END") == 2);
}

TEST_CASE("printer: a cancelled job is never printed") {
    FakeNetworkPrinter fake;
    fake.set_paper_out(true);
    TempDir dir;
    std::vector<JobInfo> changes;
    std::mutex mu;
    auto o = fast(dir.path);
    o.on_change = [&](const JobInfo& j) {
        std::lock_guard lock(mu);
        changes.push_back(j);
    };
    auto p = start(fake, o);
    auto id = p->submit(ticket("JOB-CANCEL-END"), "pickup 0011");
    REQUIRE(id.ok());
    REQUIRE(is_waiting(*p, *id, WaitReason::PaperOut));
    REQUIRE(p->cancel(*id).ok());
    CHECK(p->job(*id)->state == JobState::Cancelled);
    auto twice = p->cancel(*id);
    REQUIRE_FALSE(twice.ok());
    CHECK(twice.error().code == "printer.not_waiting");
    fake.set_paper_out(false);
    auto next = p->submit(ticket("JOB-AFTER-END"), "pickup 0012");
    REQUIRE(next.ok());
    REQUIRE(is_state(*p, *next, JobState::Printed));
    CHECK(copies(fake, "JOB-CANCEL-END") == 0);
    {
        std::lock_guard lock(mu);
        REQUIRE(changes.size() >= 3);
        CHECK(changes.front().state == JobState::Waiting);
        CHECK(std::any_of(changes.begin(), changes.end(), [](const JobInfo& j) { return j.reason == WaitReason::PaperOut; }));
    }
    // A restart keeps it cancelled.
    p.reset();
    auto q = start(fake, fast(dir.path));
    CHECK(q->job(*id)->state == JobState::Cancelled);
}

TEST_CASE("printer: leftovers of an interrupted submit vanish, a damaged job fails for good") {
    TempDir dir;
    {  // a power cut in the middle of a submit, and a job file damaged on disk
        std::ofstream(dir.path / "00000000000000000003.job.tmp") << "half a job";
        std::ofstream(dir.path / "00000000000000000002.job") << "ESCPOS-JOB 1\ncreated 1\nlabel x\nsize 5\ncrc32 00000000\n\nhello";
        std::ofstream(dir.path / "00000000000000000001.job") << "garbage";
    }
    FakeNetworkPrinter fake;
    auto p = start(fake, fast(dir.path));
    CHECK_FALSE(fs::exists(dir.path / "00000000000000000003.job.tmp"));
    CHECK(p->job(1)->state == JobState::Failed);
    REQUIRE(is_state(*p, 2, JobState::Failed));  // its checksum is wrong
    CHECK(p->job(2)->reason == WaitReason::Spool);
    auto id = p->submit(ticket("JOB-NEXT-END"), "pickup 0013");
    REQUIRE(id.ok());
    CHECK(*id == 3);
    REQUIRE(is_state(*p, *id, JobState::Printed));
    CHECK(fake.count("hello") == 0);
    CHECK(copies(fake, "JOB-NEXT-END") == 1);

    auto empty = p->submit({}, "nothing");
    REQUIRE_FALSE(empty.ok());
    CHECK(empty.error().code == "printer.empty_job");
    p->stop();
    auto late = p->submit(ticket("JOB-LATE-END"), "late");
    REQUIRE_FALSE(late.ok());
    CHECK(late.error().code == "printer.stopped");
}

TEST_CASE("printer: a file printer sends and hopes") {
    TempDir dir;
    const auto out = dir.path / "printer.bin";
    auto p = ReceiptPrinter::start(file_transport(out.string()), fast(dir.path / "spool"));
    REQUIRE(p.ok());
    const auto bytes = ticket("JOB-FILE-END");
    auto id = (*p)->submit(bytes, "pickup 0014");
    REQUIRE(id.ok());
    REQUIRE(is_state(**p, *id, JobState::Printed));
    std::ifstream in(out, std::ios::binary);
    const std::vector<std::uint8_t> got((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    CHECK(got == bytes);
    CHECK((*p)->health().state == drivers::DeviceState::Ready);
    CHECK_FALSE((*p)->last_status());
}

TEST_CASE("printer: the idle check keeps health current without jobs") {
    FakeNetworkPrinter fake;
    fake.set_paper_near_end(true);
    TempDir dir;
    auto o = fast(dir.path);
    o.idle_check = 50ms;
    auto p = start(fake, o);
    REQUIRE(fake.wait_until([&] { return p->health().state == drivers::DeviceState::Degraded; }, 3s));
    CHECK(p->health().status == "paper nearly out");
    fake.set_paper_out(true);
    REQUIRE(fake.wait_until([&] { return p->health().state == drivers::DeviceState::Fault; }, 3s));
    REQUIRE(p->last_status());
    CHECK(p->last_status()->paper_out);
    const auto h = p->health();
    CHECK(h.status.find("JOB") == std::string::npos);
}

TEST_CASE("printer: errors and health never carry receipt text") {
    FakeNetworkPrinter fake;
    fake.set_refusing(true);
    TempDir dir;
    auto p = start(fake, fast(dir.path));
    Receipt r;
    r.text("张桂兰 身份证 110101194001011234").cut();
    auto id = p->submit(encode(r, PrinterProfile{}), "pickup 0015");
    REQUIRE(id.ok());
    REQUIRE(is_waiting(*p, *id, WaitReason::NotConnected));
    const auto h = p->health();
    for (const std::string& s : {h.status, h.last_error, h.device, p->job(*id)->detail}) {
        CHECK(s.find("张桂兰") == std::string::npos);
        CHECK(s.find("110101") == std::string::npos);
    }
}
