// escpos_bench: the receipt printer's figures.
//
//   escpos_bench [--renders N]
//
// Renders a realistic 58 mm pickup ticket to ESC/POS bytes N times (10,000 by
// default) and reports p50/p99 per render: the plain ticket, the same ticket
// for a resident whose name has a character the printer's font lacks (a
// raster line), and the ticket for a printer without native QR codes (a
// raster QR). The first render of each (font mapping, iconv set-up) is timed
// apart. Percentiles are nearest-rank; times are CLOCK_MONOTONIC. Exit 0 when
// every target is met.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "drivers/printer/escpos_decode.hpp"
#include "drivers/printer/escpos_encode.hpp"

namespace {

using Clock = std::chrono::steady_clock;
using namespace drivers::escpos;

double us(Clock::duration d) { return std::chrono::duration<double, std::micro>(d).count(); }

struct Stats {
    double p50, p99, max;
};
Stats stats(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    auto rank = [&](double p) { return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))]; };
    return {rank(0.50), rank(0.99), v.back()};
}

void row(const char* what, double value, const char* unit, const char* target, bool ok) {
    std::printf("  %-52s %10.3f %-3s  target %-10s %s\n", what, value, unit, target, ok ? "ok" : "MISSED");
}

Receipt pickup_ticket(const std::string& masked_name) {
    Receipt r;
    r.text("幸福里社区长者食堂", {.align = Align::Centre, .bold = true, .width = 1, .height = 2})
        .text("取餐号", {.align = Align::Centre})
        .text("0042", {.align = Align::Centre, .bold = true, .width = 4, .height = 4})
        .rule()
        .row("餐品", "套餐A")
        .row("原价", "15.00 元")
        .row("补贴", "5.00 元")
        .row("应付", "10.00 元", {.bold = true})
        .rule()
        .row("就餐人", masked_name)
        .row("时间", "2024-05-01 11:32")
        .feed(1)
        .qr("ORDER-20240501-0042-K07", {.module_size = 6, .level = QrLevel::M})
        .text("请凭此小票取餐，谢谢！", {.align = Align::Centre})
        .cut();
    return r;
}

struct Result {
    Stats s;
    double first_us;
    std::size_t bytes;
};

Result measure(const Receipt& r, const PrinterProfile& p, int renders) {
    auto t0 = Clock::now();
    auto first = encode(r, p);
    const double first_us = us(Clock::now() - t0);
    std::vector<double> samples;
    samples.reserve(static_cast<std::size_t>(renders));
    std::size_t sink = 0;
    for (int i = 0; i < renders; ++i) {
        t0 = Clock::now();
        const auto bytes = encode(r, p);
        samples.push_back(us(Clock::now() - t0));
        sink += bytes.size();
    }
    if (sink != first.size() * static_cast<std::size_t>(renders)) std::fprintf(stderr, "encode is not deterministic\n");
    return {stats(std::move(samples)), first_us, first.size()};
}

}  // namespace

int main(int argc, char** argv) {
    int renders = 10'000;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--renders") == 0 && i + 1 < argc) renders = std::max(1, std::atoi(argv[++i]));
        else {
            std::fprintf(stderr, "usage: escpos_bench [--renders N]\n");
            return 2;
        }
    }
    double load[1] = {0};
    if (getloadavg(load, 1) == 1)
        std::printf("load average at start: %.2f (p99 suffers when other work shares the cores)\n\n", load[0]);
    bool ok = true;
    auto report = [&](const char* title, const Receipt& r, const PrinterProfile& p, double target_us) {
        const Result res = measure(r, p, renders);
        const auto d = decode_text(encode(r, p));
        std::printf("%s (%zu bytes, %zu raster image(s), %d renders)\n", title, res.bytes, d.images.size(), renders);
        row("render p50", res.s.p50, "us", "< 1000", res.s.p50 < target_us);
        row("render p99", res.s.p99, "us", "< 1000", res.s.p99 < target_us);
        row("render max", res.s.max, "us", "-", true);
        row("first render (font, iconv set-up)", res.first_us, "us", "-", true);
        ok = ok && res.s.p50 < target_us && res.s.p99 < target_us;
        std::printf("\n");
    };

    PrinterProfile p58;  // 58 mm, GB18030 font, native QR
    report("pickup ticket, 58 mm", pickup_ticket("张*兰"), p58, 1000);

    PrinterProfile gb2312 = p58;
    gb2312.font = FontCoverage::Gb2312;
    report("pickup ticket, 58 mm GB2312 font, rare name 张*赟 (raster line)", pickup_ticket("张*赟"), gb2312, 1000);

    PrinterProfile no_qr = p58;
    no_qr.native_qr = false;
    report("pickup ticket, 58 mm without GS ( k (raster QR)", pickup_ticket("张*兰"), no_qr, 1000);
    return ok ? 0 : 1;
}
