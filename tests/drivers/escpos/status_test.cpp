// Status replies (DLE EOT n), automatic status packets, and asking a printer
// for its status through a scripted transport.
#include <doctest/doctest.h>

#include <chrono>
#include <deque>
#include <thread>
#include <vector>

#include "drivers/printer/escpos_status.hpp"
#include "drivers/printer/escpos_transport.hpp"

using namespace drivers::escpos;
using namespace std::chrono_literals;

namespace {

PrinterStatus reply(StatusQuery n, std::uint8_t b) {
    PrinterStatus s;
    REQUIRE(apply_status_reply(n, b, s).ok());
    return s;
}

// A transport whose printer answers from a script, in memory.
class ScriptedTransport final : public Transport {
public:
    std::deque<std::uint8_t> inbox;            // bytes the printer has sent
    std::vector<std::uint8_t> sent;            // bytes we wrote
    std::uint8_t answers[5] = {0x12, 0x12, 0x12, 0x12, 0x12};
    bool answer = true;
    std::vector<std::uint8_t> before_reply;    // noise sent before each reply

    std::string name() const override { return "scripted"; }
    Readback readback() const override { return Readback::Required; }
    bool is_open() const override { return true; }
    drivers::Expected<void> open(std::chrono::milliseconds, const drivers::io::Waker*) override { return {}; }
    drivers::Expected<void> write(std::span<const std::uint8_t> b, std::chrono::milliseconds,
                                  const drivers::io::Waker*) override {
        sent.insert(sent.end(), b.begin(), b.end());
        if (answer && b.size() == 3 && b[0] == 0x10 && b[1] == 0x04 && b[2] >= 1 && b[2] <= 4) {
            inbox.insert(inbox.end(), before_reply.begin(), before_reply.end());
            inbox.push_back(answers[b[2]]);
        }
        return {};
    }
    drivers::Expected<std::size_t> read(std::span<std::uint8_t> into, std::chrono::milliseconds timeout,
                                        const drivers::io::Waker*) override {
        if (inbox.empty()) {
            std::this_thread::sleep_for(std::min(timeout, 20ms));
            return std::size_t{0};
        }
        std::size_t n = 0;
        while (n < into.size() && !inbox.empty()) {
            into[n++] = inbox.front();
            inbox.pop_front();
        }
        return n;
    }
    void close() override {}
};

}  // namespace

TEST_CASE("status: the request bytes") {
    CHECK(status_request(StatusQuery::Printer) == std::array<std::uint8_t, 3>{0x10, 0x04, 0x01});
    CHECK(status_request(StatusQuery::PaperSensor) == std::array<std::uint8_t, 3>{0x10, 0x04, 0x04});
}

TEST_CASE("status: printer status n=1, each bit") {
    CHECK(reply(StatusQuery::Printer, 0x12) == PrinterStatus{});
    CHECK(reply(StatusQuery::Printer, 0x1A).offline);
    CHECK(reply(StatusQuery::Printer, 0x32).waiting_online_recovery);
    CHECK(reply(StatusQuery::Printer, 0x52).feed_button);
    CHECK(reply(StatusQuery::Printer, 0x16) == PrinterStatus{});  // bit 2: the drawer pin, not our business
    CHECK(reply(StatusQuery::Printer, 0x12).can_print());
    CHECK_FALSE(reply(StatusQuery::Printer, 0x1A).can_print());
}

TEST_CASE("status: offline cause n=2, each bit") {
    CHECK(reply(StatusQuery::OfflineCause, 0x16).cover_open);
    CHECK(reply(StatusQuery::OfflineCause, 0x1A).feed_button);
    CHECK(reply(StatusQuery::OfflineCause, 0x32).paper_out);
    CHECK(reply(StatusQuery::OfflineCause, 0x52).error);
    const auto none = reply(StatusQuery::OfflineCause, 0x12);
    CHECK_FALSE(none.cover_open);
    CHECK_FALSE(none.paper_out);
    CHECK_FALSE(none.error);
}

TEST_CASE("status: error cause n=3, each bit") {
    const auto mech = reply(StatusQuery::ErrorCause, 0x16);
    CHECK(mech.mechanical_error);
    CHECK(mech.error);
    CHECK(reply(StatusQuery::ErrorCause, 0x1A).autocutter_error);
    CHECK(reply(StatusQuery::ErrorCause, 0x32).unrecoverable_error);
    CHECK(reply(StatusQuery::ErrorCause, 0x52).auto_recoverable_error);
    CHECK_FALSE(reply(StatusQuery::ErrorCause, 0x12).error);
}

TEST_CASE("status: paper sensor n=4, either bit of a pair") {
    CHECK(reply(StatusQuery::PaperSensor, 0x1E).paper_near_end);
    CHECK(reply(StatusQuery::PaperSensor, 0x16).paper_near_end);
    CHECK(reply(StatusQuery::PaperSensor, 0x1A).paper_near_end);
    CHECK(reply(StatusQuery::PaperSensor, 0x72).paper_out);
    CHECK(reply(StatusQuery::PaperSensor, 0x32).paper_out);
    CHECK(reply(StatusQuery::PaperSensor, 0x52).paper_out);
    const auto ok = reply(StatusQuery::PaperSensor, 0x12);
    CHECK_FALSE(ok.paper_out);
    CHECK_FALSE(ok.paper_near_end);
    CHECK(reply(StatusQuery::PaperSensor, 0x1E).can_print());  // near end still prints
    CHECK_FALSE(reply(StatusQuery::PaperSensor, 0x72).can_print());
}

TEST_CASE("status: bytes with wrong fixed bits are rejected and change nothing") {
    int valid = 0;
    for (int b = 0; b < 256; ++b) {
        PrinterStatus s;
        s.paper_near_end = true;
        const auto r = apply_status_reply(StatusQuery::PaperSensor, static_cast<std::uint8_t>(b), s);
        const bool fixed_ok = (b & 0x93) == 0x12;
        CHECK(r.ok() == fixed_ok);
        if (!r.ok()) {
            CHECK(r.error().code == "printer.bad_status");
            CHECK(s.paper_near_end);  // untouched
        }
        valid += r.ok() ? 1 : 0;
    }
    CHECK(valid == 16);
    PrinterStatus s;
    CHECK_FALSE(apply_status_reply(StatusQuery::Printer, 0x13, s).ok());  // XOFF
    CHECK_FALSE(apply_status_reply(StatusQuery::Printer, 0x00, s).ok());
    CHECK_FALSE(apply_status_reply(StatusQuery::Printer, 0xFF, s).ok());
    CHECK_FALSE(apply_status_reply(static_cast<StatusQuery>(9), 0x12, s).ok());
}

TEST_CASE("status: automatic status packets are parsed and told apart from replies") {
    const std::uint8_t paper_out[] = {0x10, 0x00, 0x0C, 0x00};
    auto s = parse_auto_status(paper_out);
    REQUIRE(s);
    CHECK(s->paper_out);
    const std::uint8_t cover[] = {0x38, 0x08, 0x03, 0x00};
    s = parse_auto_status(cover);
    REQUIRE(s);
    CHECK(s->cover_open);
    CHECK(s->offline);
    CHECK(s->autocutter_error);
    CHECK(s->error);
    CHECK(s->paper_near_end);
    CHECK_FALSE(s->paper_out);
    const std::uint8_t bad[] = {0x12, 0x00, 0x00, 0x00};
    CHECK_FALSE(parse_auto_status(bad));
    const std::uint8_t bad_tail[] = {0x10, 0x10, 0x00, 0x00};
    CHECK_FALSE(parse_auto_status(bad_tail));

    StatusStream stream;
    const std::uint8_t bytes[] = {0x11, 0x10, 0x00, 0x0C, 0x00, 0x12, 0xFF, 0x1A, 0x10, 0x00, 0x1E};
    const auto items = stream.feed(bytes);
    REQUIRE(items.size() == 4);
    CHECK(items[0].kind == StatusStream::Item::Kind::AutoStatus);
    CHECK(items[0].status.paper_out);
    CHECK(items[1].kind == StatusStream::Item::Kind::Reply);
    CHECK(items[1].reply == 0x12);
    CHECK(items[2].reply == 0x1A);
    // 0x10 0x00 started a packet that 0x1E (bit 4 set) cut short: 0x1E is a reply.
    CHECK(items[3].kind == StatusStream::Item::Kind::Reply);
    CHECK(items[3].reply == 0x1E);
    CHECK(stream.dropped() == 4);  // 0x11, 0xFF, and the cut-short packet's two bytes

    // A packet split across reads is still one packet.
    StatusStream split;
    const std::uint8_t a[] = {0x10, 0x00};
    const std::uint8_t b[] = {0x0C, 0x00};
    CHECK(split.feed(a).empty());
    CHECK(split.feed(b).size() == 1);
}

TEST_CASE("status: problems have stable codes and plain words") {
    CHECK(status_problems(PrinterStatus{}).empty());
    CHECK(describe(PrinterStatus{}) == "ready");
    PrinterStatus s;
    s.paper_out = true;
    s.offline = true;
    auto p = status_problems(s);
    REQUIRE(p.size() == 1);
    CHECK(p[0].code == "printer.paper_out");
    s.cover_open = true;
    p = status_problems(s);
    REQUIRE(p.size() == 2);
    CHECK(p[0].code == "printer.cover_open");
    PrinterStatus offline;
    offline.offline = true;
    CHECK(status_problems(offline)[0].code == "printer.offline");
    PrinterStatus cutter;
    cutter.error = cutter.autocutter_error = true;
    CHECK(status_problems(cutter)[0].code == "printer.error");
    CHECK(describe(cutter).find("cutter") != std::string::npos);
    PrinterStatus near;
    near.paper_near_end = true;
    CHECK(status_problems(near)[0].code == "printer.paper_near_end");
}

TEST_CASE("status: asking a printer reads 1 and 4, then 2 and 3 when it is offline") {
    ScriptedTransport t;
    auto s = query_status(t, 200ms);
    REQUIRE(s.ok());
    CHECK(s->can_print());
    CHECK(t.sent == std::vector<std::uint8_t>{0x10, 0x04, 0x01, 0x10, 0x04, 0x04});

    t.sent.clear();
    t.answers[1] = 0x1A;  // offline
    t.answers[2] = 0x52;  // because of an error
    t.answers[3] = 0x1A;  // the cutter
    s = query_status(t, 200ms);
    REQUIRE(s.ok());
    CHECK(s->error);
    CHECK(s->autocutter_error);
    CHECK(t.sent == std::vector<std::uint8_t>{0x10, 0x04, 0x01, 0x10, 0x04, 0x04, 0x10, 0x04, 0x02, 0x10, 0x04, 0x03});
}

TEST_CASE("status: stale bytes and noise are not taken for the reply") {
    ScriptedTransport t;
    t.answers[4] = 0x72;                            // paper out
    t.inbox = {0x12, 0x12, 0x12};                   // late replies to some earlier request
    t.before_reply = {0x10, 0x00, 0x00, 0x00, 0x13};  // an automatic status packet and XOFF
    auto s = query_status(t, 200ms);
    REQUIRE(s.ok());
    CHECK(s->paper_out);
}

TEST_CASE("status: a printer that never answers gives no_answer within the timeout") {
    ScriptedTransport t;
    t.answer = false;
    const auto t0 = std::chrono::steady_clock::now();
    auto s = query_status(t, 150ms);
    const auto took = std::chrono::steady_clock::now() - t0;
    REQUIRE_FALSE(s.ok());
    CHECK(s.error().code == "printer.no_answer");
    CHECK(took >= 140ms);
    CHECK(took < 2s);
}
