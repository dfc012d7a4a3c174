// A4 printing against a real, private cupsd (cups_fixture.hpp) with a PDF
// printer: jobs complete, and every way of failing is a clear, bounded error.
#include "drivers/printer/a4_printer.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <future>
#include <stop_token>
#include <thread>

#include "cups_fixture.hpp"
#include "drivers/printer/a4_document.hpp"
#include "pdf_tools.hpp"

using namespace std::chrono_literals;
using namespace drivers::a4;
using drivers::DeviceState;
using kiosk_test::PrivateCups;
using Clock = std::chrono::steady_clock;

namespace {

std::unique_ptr<PrivateCups> start_cups() {
    auto cups = PrivateCups::start();
    REQUIRE_MESSAGE(cups.ok(), (cups.ok() ? "" : cups.error().message));
    return std::move(*cups);
}

std::vector<std::uint8_t> notice_pdf() {
    auto pdf = render_pdf(kiosk_test::sample_notice());
    REQUIRE_MESSAGE(pdf.ok(), (pdf.ok() ? "" : pdf.error().message));
    return std::move(*pdf);
}

A4Printer::Options options_for(const PrivateCups& cups, const std::string& queue) {
    A4Printer::Options o;
    o.queue = queue;
    o.server = cups.socket_path();
    o.connect_timeout = 2s;
    o.io_timeout = 5s;
    o.poll_interval = 100ms;
    return o;
}

std::string error_text(const drivers::DriverError& e) { return e.code + ": " + e.message; }

template <typename T>
std::string why(const drivers::Expected<T>& r) {
    return r.ok() ? std::string() : error_text(r.error());
}

}  // namespace

TEST_CASE("cups: a notice is printed, the job completes and the printer's output is a PDF") {
    auto cups = start_cups();
    REQUIRE(cups->add_pdf_printer("PDF").ok());
    A4Printer printer(options_for(*cups, "PDF"));
    const auto pdf = notice_pdf();

    auto job = printer.submit(pdf, "关于端午节期间长者食堂暂停供餐的通知");
    REQUIRE_MESSAGE(job.ok(), (why(job) + cups->log_tail()));
    CHECK(*job > 0);
    auto done = printer.wait(*job, 60s);
    REQUIRE_MESSAGE(done.ok(), (why(done) + cups->log_tail()));
    CHECK(done->state == JobState::Completed);
    CHECK(done->job == *job);

    const std::string out = kiosk_test::read_file(cups->output_path("PDF"));
    REQUIRE(out.size() > 1000);
    CHECK(out.compare(0, 5, "%PDF-") == 0);
    // The printed file went through CUPS's pdftopdf; the text survives it.
    const std::string text = kiosk_test::squeeze(kiosk_test::pdf_text(cups->output_path("PDF")));
    CHECK(text.find(kiosk_test::squeeze(kiosk_test::sample_notice().title)) != std::string::npos);

    const auto h = printer.health();
    CHECK(h.state == DeviceState::Ready);
    CHECK(h.last_event.time_since_epoch().count() != 0);
    CHECK(h.last_error.empty());
}

TEST_CASE("cups: a job submitted over loopback TCP completes too") {
    auto cups = start_cups();
    REQUIRE(cups->add_pdf_printer("A4").ok());
    auto o = options_for(*cups, "A4");
    o.server = cups->tcp_server();
    A4Printer printer(o);
    auto job = printer.submit(notice_pdf(), "notice");
    REQUIRE_MESSAGE(job.ok(), (why(job) + cups->log_tail()));
    auto done = printer.wait(*job, 60s);
    REQUIRE_MESSAGE(done.ok(), (why(done) + cups->log_tail()));
    CHECK(kiosk_test::read_file(cups->output_path("A4")).compare(0, 5, "%PDF-") == 0);
}

// Debian's cupsd 2.4.2-3+deb12u10 dies starting a job whose document-name
// holds a space; a title with spaces must neither crash it nor stop the next job.
TEST_CASE("cups: a title with spaces prints, and the print server is still there for the next job") {
    auto cups = start_cups();
    REQUIRE(cups->add_pdf_printer("PDF").ok());
    A4Printer printer(options_for(*cups, "PDF"));
    for (const char* title : {"A4 打印测试页", "notice"}) {
        CAPTURE(title);
        auto job = printer.submit(notice_pdf(), title);
        REQUIRE_MESSAGE(job.ok(), (why(job) + cups->log_tail()));
        auto done = printer.wait(*job, 60s);
        REQUIRE_MESSAGE(done.ok(), (why(done) + cups->log_tail()));
        CHECK(done->state == JobState::Completed);
    }
    CHECK(kiosk_test::read_file(cups->output_path("PDF")).compare(0, 5, "%PDF-") == 0);
}

TEST_CASE("cups: a queue that does not exist is a clear error") {
    auto cups = start_cups();
    A4Printer printer(options_for(*cups, "NoSuchQueue"));
    auto job = printer.submit(notice_pdf(), "notice");
    REQUIRE_FALSE(job.ok());
    CHECK(job.error().code == "a4.queue_not_found");
    CHECK(job.error().message.find("NoSuchQueue") != std::string::npos);
    const auto h = printer.check();
    CHECK(h.state == DeviceState::Absent);
    CHECK(h.status == "no such print queue");
}

TEST_CASE("cups: no server at the configured address fails at once") {
    A4Printer::Options o;
    o.queue = "PDF";
    o.server = "/tmp/kiosk-no-such-cupsd.sock";
    A4Printer printer(o);
    const auto t0 = Clock::now();
    auto job = printer.submit(std::vector<std::uint8_t>{'%', 'P', 'D', 'F'}, "notice");
    REQUIRE_FALSE(job.ok());
    CHECK(job.error().code == "a4.server_unreachable");
    CHECK(job.error().message.find("/tmp/kiosk-no-such-cupsd.sock") != std::string::npos);
    CHECK(Clock::now() - t0 < 2s);
    CHECK(printer.check().state == DeviceState::Absent);
}

TEST_CASE("cups: bad queue names and server addresses are refused before connecting") {
    A4Printer::Options o;
    o.queue = "bad queue/name";
    A4Printer bad_queue(o);
    CHECK(bad_queue.submit(std::vector<std::uint8_t>{1}, "x").error().code == "a4.bad_queue");
    o.queue = "PDF";
    o.server = "localhost:99999";
    A4Printer bad_server(o);
    CHECK(bad_server.state(1).error().code == "a4.bad_server");
    o.server = "/tmp/kiosk-no-such-cupsd.sock";
    A4Printer empty(o);
    CHECK(empty.submit({}, "x").error().code == "a4.empty_document");
}

TEST_CASE("cups: a stopped printer keeps the job waiting with a plain reason, then prints when enabled") {
    auto cups = start_cups();
    REQUIRE(cups->add_pdf_printer("PDF").ok());
    REQUIRE(cups->disable("PDF", "paper jam in tray 1").ok());
    A4Printer printer(options_for(*cups, "PDF"));

    auto job = printer.submit(notice_pdf(), "notice");
    REQUIRE_MESSAGE(job.ok(), (why(job) + cups->log_tail()));

    // Following until the end gives up at the timeout, saying why.
    const auto t0 = Clock::now();
    auto waited = printer.wait(*job, 1500ms);
    const auto took = Clock::now() - t0;
    REQUIRE_FALSE(waited.ok());
    CHECK(waited.error().code == "a4.printer_stopped");
    CHECK(waited.error().message.find("paper jam in tray 1") != std::string::npos);
    CHECK(took >= 1400ms);
    CHECK(took < 3s);

    // Until::FinishedOrStuck says so at once.
    const auto t1 = Clock::now();
    auto stuck = printer.wait(*job, 30s, A4Printer::Until::FinishedOrStuck);
    REQUIRE_FALSE(stuck.ok());
    CHECK(stuck.error().code == "a4.printer_stopped");
    CHECK(Clock::now() - t1 < 2s);

    auto st = printer.state(*job);
    REQUIRE_MESSAGE(st.ok(), why(st));
    CHECK(st->state == JobState::Pending);
    CHECK(st->printer_stopped);
    CHECK(st->printer_message == "paper jam in tray 1");
    CHECK(st->describe().find("the printer is stopped (paper jam in tray 1)") != std::string::npos);
    const auto h = printer.check();
    CHECK(h.state == DeviceState::Fault);
    CHECK(h.status.find("paper jam in tray 1") != std::string::npos);

    REQUIRE(cups->enable("PDF").ok());
    auto done = printer.wait(*job, 60s);
    REQUIRE_MESSAGE(done.ok(), (why(done) + cups->log_tail()));
    CHECK(done->state == JobState::Completed);
    CHECK(kiosk_test::read_file(cups->output_path("PDF")).compare(0, 5, "%PDF-") == 0);
    CHECK(printer.check().state == DeviceState::Ready);
}

TEST_CASE("cups: a queue that rejects jobs is a clear error") {
    auto cups = start_cups();
    REQUIRE(cups->add_pdf_printer("PDF").ok());
    REQUIRE(cups->reject("PDF").ok());
    A4Printer printer(options_for(*cups, "PDF"));
    auto job = printer.submit(notice_pdf(), "notice");
    REQUIRE_FALSE(job.ok());
    CHECK(job.error().code == "a4.queue_not_accepting");
    const auto h = printer.check();
    CHECK(h.state == DeviceState::Fault);
    CHECK(h.status == "not accepting jobs");
}

TEST_CASE("cups: a document the printer's filters cannot read stops the job with the reason") {
    auto cups = start_cups();
    REQUIRE(cups->add_pdf_printer("PDF").ok());
    A4Printer printer(options_for(*cups, "PDF"));
    const std::string junk = "%PDF-1.5\nthis is not really a PDF\n";
    auto job = printer.submit(std::vector<std::uint8_t>(junk.begin(), junk.end()), "broken");
    REQUIRE_MESSAGE(job.ok(), (why(job) + cups->log_tail()));
    // CUPS stops (not aborts) a job whose filter failed: it would sit in the
    // queue for ever, so wait() says so at once instead of timing out.
    const auto t0 = Clock::now();
    auto done = printer.wait(*job, 60s);
    REQUIRE_FALSE(done.ok());
    INFO(error_text(done.error()));
    CHECK(Clock::now() - t0 < 20s);
    CHECK(done.error().code == "a4.job_stopped");
    CHECK(done.error().message.find("job " + std::to_string(*job) + " was stopped") != std::string::npos);
    // pdftopdf's complaint, passed on as the printer's state message.
    CHECK(done.error().message.find("the printer says: ") != std::string::npos);
    auto st = printer.state(*job);
    REQUIRE(st.ok());
    CHECK(st->state == JobState::Stopped);
}

TEST_CASE("cups: a canceled job is reported as canceled") {
    auto cups = start_cups();
    REQUIRE(cups->add_pdf_printer("PDF").ok());
    REQUIRE(cups->disable("PDF", "held for the test").ok());
    A4Printer printer(options_for(*cups, "PDF"));
    auto job = printer.submit(notice_pdf(), "notice");
    REQUIRE_MESSAGE(job.ok(), why(job));
    REQUIRE_MESSAGE(printer.cancel(*job).ok(), cups->log_tail());
    auto done = printer.wait(*job, 10s);
    REQUIRE_FALSE(done.ok());
    CHECK(done.error().code == "a4.job_canceled");
    CHECK(printer.cancel(*job).ok());  // already finished: nothing to do
    CHECK(printer.state(99999).error().code == "a4.job_unknown");
}

TEST_CASE("cups: cupsd killed in the middle of a wait is a clear error, not a hang") {
    auto cups = start_cups();
    REQUIRE(cups->add_pdf_printer("PDF").ok());
    REQUIRE(cups->disable("PDF", "waiting for the test").ok());  // the job stays queued
    A4Printer printer(options_for(*cups, "PDF"));
    auto job = printer.submit(notice_pdf(), "notice");
    REQUIRE_MESSAGE(job.ok(), why(job));

    auto waiting = std::async(std::launch::async, [&] { return printer.wait(*job, 60s); });
    std::this_thread::sleep_for(500ms);
    const auto killed_at = Clock::now();
    cups->kill_now();
    REQUIRE(waiting.wait_for(10s) == std::future_status::ready);
    auto r = waiting.get();
    CHECK(Clock::now() - killed_at < 3s);
    REQUIRE_FALSE(r.ok());
    INFO(error_text(r.error()));
    CHECK(r.error().code == "a4.server_lost");
    CHECK(printer.health().state == DeviceState::Absent);

    // And later calls fail at once.
    auto st = printer.state(*job);
    REQUIRE_FALSE(st.ok());
    CHECK(st.error().code == "a4.server_unreachable");
}

TEST_CASE("cups: a frozen cupsd makes each call time out instead of hanging") {
    auto cups = start_cups();
    REQUIRE(cups->add_pdf_printer("PDF").ok());
    REQUIRE(cups->disable("PDF", "waiting for the test").ok());
    auto o = options_for(*cups, "PDF");
    o.io_timeout = 1s;
    A4Printer printer(o);
    auto job = printer.submit(notice_pdf(), "notice");
    REQUIRE_MESSAGE(job.ok(), why(job));

    cups->freeze();
    const auto t0 = Clock::now();
    auto st = printer.state(*job);
    REQUIRE_FALSE(st.ok());
    CHECK(st.error().code == "a4.server_timeout");
    CHECK(Clock::now() - t0 < 4s);

    const auto t1 = Clock::now();
    auto waited = printer.wait(*job, 30s);
    REQUIRE_FALSE(waited.ok());
    CHECK(waited.error().code == "a4.server_timeout");
    CHECK(Clock::now() - t1 < 4s);

    const auto t2 = Clock::now();
    auto again = printer.submit(notice_pdf(), "notice");
    REQUIRE_FALSE(again.ok());
    CHECK(again.error().code == "a4.server_timeout");
    CHECK(Clock::now() - t2 < 6s);
    cups->thaw();
}

TEST_CASE("cups: a wait can be stopped from another thread") {
    auto cups = start_cups();
    REQUIRE(cups->add_pdf_printer("PDF").ok());
    REQUIRE(cups->disable("PDF", "waiting for the test").ok());
    A4Printer printer(options_for(*cups, "PDF"));
    auto job = printer.submit(notice_pdf(), "notice");
    REQUIRE_MESSAGE(job.ok(), why(job));
    std::stop_source stop;
    auto waiting = std::async(std::launch::async,
                              [&] { return printer.wait(*job, 60s, A4Printer::Until::Finished, stop.get_token()); });
    std::this_thread::sleep_for(300ms);
    stop.request_stop();
    REQUIRE(waiting.wait_for(3s) == std::future_status::ready);
    auto r = waiting.get();
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "a4.wait_stopped");
}
