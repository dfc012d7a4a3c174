// a4_bench: the A4 notice's figures.
//
//   a4_bench [--renders N]
//
// Renders a realistic one-page notice (title, issuer, date, five Chinese
// paragraphs, footer) to PDF bytes in memory N times (50 by default) and
// reports p50/p99 per render, then the same for a three-page notice. The
// first render in the process (fontconfig and font loading) is timed apart.
// A last pair of rows shows what the outline fonts (the workaround for
// cairo 1.16's CFF subsetting, a4_document.cpp) cost against embedding the
// font natively. Percentiles are nearest-rank; times are CLOCK_MONOTONIC.
// Exit 0 when every target is met.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "drivers/printer/a4_document.hpp"

namespace {

using Clock = std::chrono::steady_clock;
using namespace drivers::a4;

double ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

struct Stats {
    double p50, p99;
};
Stats stats(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    auto rank = [&](double p) {
        return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
    };
    return {rank(0.50), rank(0.99)};
}

void row(const char* what, double value, const char* unit, const char* target, bool ok) {
    std::printf("  %-52s %10.3f %-3s  target %-10s %s\n", what, value, unit, target, ok ? "ok" : "MISSED");
}

A4Notice one_page() {
    A4Notice n;
    n.title = "关于端午节期间长者食堂暂停供餐的通知";
    n.issuer = "幸福里社区居委会";
    n.date = "2025年5月28日";
    n.paragraphs = {
        "各位居民朋友：根据街道统一安排，幸福里长者食堂将于5月31日（星期六）至6月2日（星期一）端午节假期暂停供餐，"
        "6月3日（星期二）起恢复正常供餐。假期期间如有特殊用餐需要，请提前与社区工作人员联系。",
        "已预订假期餐食的居民，预订费用将按原支付方式全额退回，退款一般在三个工作日内到账。"
        "使用长者助餐补贴的居民，补贴额度顺延至下月使用，不受影响。",
        "独居、高龄及行动不便的老年人如需送餐上门，请在5月30日下午四点前拨打社区服务热线登记，"
        "志愿者将在假期中午为您送达节日餐。",
        "节日期间请注意饮食卫生，粽子不宜多吃，患有糖尿病、高血压的老年人尤其要注意控制。"
        "外出游玩请结伴而行，注意交通安全。",
        "祝大家端午安康！",
    };
    n.footer = "咨询电话：010-12345678（工作日 8:30-17:30）";
    return n;
}

A4Notice three_pages() {
    A4Notice n = one_page();
    n.title = "幸福里社区2025年夏季为老服务安排";
    const std::vector<std::string> more = {
        "一、助餐服务：长者食堂每日供应午餐和晚餐，午餐时间为十一点至十二点半，晚餐时间为五点至六点。"
        "八十岁以上老人凭长者卡每餐补贴五元，低保及特困老人另有补贴，请到社区服务站核对信息。",
        "二、健康服务：社区卫生服务站每周二、周四上午为老年人免费测量血压、血糖，每月第一个周六举办健康讲座，"
        "主题包括夏季防暑、慢性病用药和跌倒预防，欢迎居民报名参加。",
        "三、文体活动：活动室每天上午开放，提供棋牌、书画和阅读服务；合唱队每周三下午排练，"
        "太极拳班每天早上七点在小区广场活动，新学员可直接到场参加。",
        "四、志愿服务：社区招募助老志愿者，为独居老人提供探访、代购和陪同就医服务。"
        "志愿服务时长可记入个人志愿档案，累计服务满一百小时可获得社区表彰。",
    };
    for (int round = 0; round < 5; ++round)
        for (const auto& p : more) n.paragraphs.push_back(p);
    return n;
}

int pages_of(const std::vector<std::uint8_t>& pdf) {
    const std::string s(pdf.begin(), pdf.end());
    int n = 0;
    for (auto at = s.find("/Type /Page"); at != std::string::npos; at = s.find("/Type /Page", at + 1))
        if (s.compare(at, 12, "/Type /Pages") != 0) ++n;
    return n;
}

// Renders `n` `renders` times; fills `bytes` and `pages` from the last.
bool timed(const A4Notice& n, const A4Style& style, int renders, std::vector<double>& times, std::size_t& bytes,
           int& pages) {
    for (int i = 0; i < renders; ++i) {
        const auto t0 = Clock::now();
        auto pdf = render_pdf(n, style);
        times.push_back(ms(Clock::now() - t0));
        if (!pdf) {
            std::fprintf(stderr, "%s: %s\n", pdf.error().code.c_str(), pdf.error().message.c_str());
            return false;
        }
        bytes = pdf->size();
        pages = pages_of(*pdf);
    }
    return true;
}

}  // namespace

int main(int argc, char** argv) {
    int renders = 50;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--renders") == 0 && i + 1 < argc) {
            renders = std::max(1, std::atoi(argv[++i]));
        } else {
            std::fprintf(stderr, "usage: a4_bench [--renders N]\n");
            return 2;
        }
    }
    bool all_ok = true;
    auto check = [&all_ok](const char* what, double value, const char* unit, const char* target, double limit) {
        const bool ok = value < limit;
        all_ok = all_ok && ok;
        row(what, value, unit, target, ok);
    };
    const A4Style style;
    std::size_t bytes = 0;
    int pages = 0;

    std::printf("A4 notice -> PDF bytes in memory (cairo + pango, Noto Sans CJK SC), %d renders each\n", renders);
    std::vector<double> first;
    if (!timed(one_page(), style, 1, first, bytes, pages)) return 1;
    check("first render in the process (fonts loaded)", first[0], "ms", "< 1000 ms", 1000.0);

    std::vector<double> one;
    if (!timed(one_page(), style, renders, one, bytes, pages)) return 1;
    const Stats s1 = stats(one);
    char what[96];
    std::snprintf(what, sizeof what, "one-page notice (%d page, %zu KB): p50", pages, bytes / 1024);
    check(what, s1.p50, "ms", "< 100 ms", 100.0);
    check("one-page notice: p99", s1.p99, "ms", "< 100 ms", 100.0);

    std::vector<double> three;
    if (!timed(three_pages(), style, renders, three, bytes, pages)) return 1;
    const Stats s3 = stats(three);
    std::snprintf(what, sizeof what, "three-page notice (%d pages, %zu KB): p50", pages, bytes / 1024);
    check(what, s3.p50, "ms", "< 300 ms", 300.0);
    check("three-page notice: p99", s3.p99, "ms", "< 300 ms", 300.0);
    if (pages != 3) std::printf("  (the long notice came out as %d pages, not 3)\n", pages);

    A4Style native = style;
    native.outline_cff_fonts = false;
    std::vector<double> nat;
    if (!timed(one_page(), native, renders, nat, bytes, pages)) return 1;
    std::snprintf(what, sizeof what, "one-page, font embedded natively (%zu KB): p50", bytes / 1024);
    check(what, stats(nat).p50, "ms", "< 100 ms", 100.0);
    return all_ok ? 0 : 1;
}
