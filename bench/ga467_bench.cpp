// GA 467 benchmarks:
//   (1) the last byte of a read reply written by the fake reader on a pty ->
//       the CardEvent delivered to the sink (the driver's whole receive path:
//       poll wake-up, parse, decode, event), p50/p99 over a few hundred reads;
//   (2) parse + decode of one read reply (1295 bytes), p50/p99.
// Exit status 0 when every target is met.
//
//   ga467_bench [reads]   (default 300)
#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "drivers/ga467/card_text.hpp"
#include "drivers/ga467/ga467_reader.hpp"
#include "drivers/ga467/protocol.hpp"
#include "fake_ga467.hpp"

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

void row(const char* what, const char* unit, double value, const char* target, bool ok) {
    std::printf("  %-52s %10.3f %-3s  target %-10s %s\n", what, value, unit, target, ok ? "ok" : "MISSED");
}

double percentile(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    const auto i = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
    return v[std::min(i, v.size() - 1)];
}

drivers::IdCardText zhang() {
    drivers::IdCardText t;
    t.name = "张桂兰";
    t.gender = "2";
    t.ethnicity = "01";
    t.birth = "19460308";
    t.address = "佳禾小区一区 3号楼 2单元 401";
    t.id_number = "130730194603080024";
    t.authority = "怀来县公安局";
    t.valid_from = "20150612";
    t.valid_to = "长期";
    return t;
}

struct Delivered {
    std::mutex mu;
    std::condition_variable cv;
    int cards = 0;
    int errors = 0;
    Clock::time_point at{};
};

bool latency(int reads, std::vector<double>& ms) {
    ga467_test::FakeGa467 fake;
    drivers::ga467::Options o;
    o.path = fake.tty();
    o.poll_interval = 2ms;
    o.reopen_interval = 50ms;
    drivers::ga467::Ga467Reader reader(o);
    Delivered d;
    reader.start([&](drivers::CardEvent e) {
        const auto now = Clock::now();
        std::lock_guard lock(d.mu);
        if (e.kind == drivers::CardEvent::Kind::IdCard) ++d.cards;
        else ++d.errors;
        d.at = now;
        d.cv.notify_all();
    });
    const auto until = Clock::now() + 5s;
    while (reader.health().state != drivers::DeviceState::Ready) {
        if (Clock::now() > until) {
            std::fprintf(stderr, "the reader did not get ready: %s\n", reader.health().status.c_str());
            return false;
        }
        std::this_thread::sleep_for(5ms);
    }
    const auto area = ga467_test::text_area(zhang());
    for (int i = 0; i < reads; ++i) {
        fake.place(area);
        std::unique_lock lock(d.mu);
        if (!d.cv.wait_for(lock, 5s, [&] { return d.cards + d.errors > i; }) || d.errors > 0) {
            std::fprintf(stderr, "read %d: no card event within 5 s\n", i);
            return false;
        }
        const auto delivered = d.at;
        lock.unlock();
        ms.push_back(std::chrono::duration<double, std::milli>(delivered - fake.last_read_reply_at()).count());
        // Lift the card and let the reader see it gone before the next placement.
        fake.remove();
        const int finds = fake.requests(ga467_test::Cmd::Find);
        if (!fake.wait_requests(ga467_test::Cmd::Find, finds + 2, 5s)) return false;
    }
    reader.stop();
    return true;
}

std::vector<double> parse_decode(int rounds) {
    const auto reply = ga467_test::read_reply(ga467_test::text_area(zhang()));
    drivers::ga467::FrameParser parser;
    std::vector<double> us;
    us.reserve(static_cast<std::size_t>(rounds));
    std::size_t sink = 0;
    for (int i = 0; i < rounds; ++i) {
        const auto t0 = Clock::now();
        parser.feed(reply);
        auto r = parser.next();
        if (!r || !r->ok()) std::abort();
        auto text = drivers::ga467::decode_read_reply(**r);
        if (!text) std::abort();
        sink += text->name.size();
        us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - t0).count());
    }
    if (sink == 0) std::abort();
    return us;
}

}  // namespace

int main(int argc, char** argv) {
    const int reads = argc > 1 ? std::max(10, std::atoi(argv[1])) : 300;
    bool all_ok = true;

    std::vector<double> ms;
    std::printf("GA 467: last byte of the read reply on the pty -> CardEvent delivered, %d reads\n", reads);
    if (!latency(reads, ms)) {
        std::fprintf(stderr, "latency benchmark failed\n");
        return 1;
    }
    const double p50 = percentile(ms, 0.50), p99 = percentile(ms, 0.99);
    row("reply's last byte -> CardEvent, p50", "ms", p50, "< 2 ms", p50 < 2.0);
    row("reply's last byte -> CardEvent, p99", "ms", p99, "< 2 ms", p99 < 2.0);
    row("reply's last byte -> CardEvent, max", "ms", percentile(ms, 1.0), "-", true);
    all_ok = all_ok && p99 < 2.0;
    std::printf("\n");

    const int rounds = 20000;
    std::printf("GA 467: parse + decode of one read reply (1295 bytes), %d rounds\n", rounds);
    const auto us = parse_decode(rounds);
    const double q50 = percentile(us, 0.50), q99 = percentile(us, 0.99);
    row("frame parse + text decode, p50", "us", q50, "< 100 us", q50 < 100.0);
    row("frame parse + text decode, p99", "us", q99, "< 100 us", q99 < 100.0);
    all_ok = all_ok && q99 < 100.0;
    return all_ok ? 0 : 1;
}
