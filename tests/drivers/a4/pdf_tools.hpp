#pragma once
// Reading PDFs back in the A4 tests: poppler-utils' pdftotext and pdfinfo,
// run as child processes, and a sample notice in Chinese.
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "cups_fixture.hpp"
#include "drivers/printer/a4_document.hpp"

namespace kiosk_test {

// A file in /tmp removed at the end of the test.
struct TempPdf {
    std::string path;
    TempPdf() {
        static std::atomic<int> n{0};
        path = "/tmp/kiosk-a4-test-" + std::to_string(::getpid()) + "-" + std::to_string(n++) + ".pdf";
    }
    ~TempPdf() { std::remove(path.c_str()); }
    TempPdf(const TempPdf&) = delete;
    TempPdf& operator=(const TempPdf&) = delete;
};

inline std::string read_file(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

// pdftotext may break wrapped Chinese lines anywhere and pads with spaces:
// compare texts with all white space (ASCII and U+3000) removed.
inline std::string squeeze(const std::string& s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == '\v') continue;
        if (s.compare(i, 3, "\u3000") == 0) {
            i += 2;
            continue;
        }
        out += c;
    }
    return out;
}

inline std::string pdf_text(const std::string& path) {
    return run_command({"pdftotext", "-enc", "UTF-8", path, "-"}).output;
}

// One page's text (1-based).
inline std::string pdf_page_text(const std::string& path, int page) {
    const std::string n = std::to_string(page);
    return run_command({"pdftotext", "-enc", "UTF-8", "-f", n, "-l", n, path, "-"}).output;
}

// `text` without every occurrence of `part`.
inline std::string without(std::string text, const std::string& part) {
    if (part.empty()) return text;
    for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at)) text.erase(at, part.size());
    return text;
}

inline std::string pdf_info(const std::string& path) { return run_command({"pdfinfo", path}).output; }

inline int pdf_pages(const std::string& path) {
    const std::string info = pdf_info(path);
    const auto at = info.find("Pages:");
    if (at == std::string::npos) return -1;
    return std::atoi(info.c_str() + at + 6);
}

inline drivers::a4::A4Notice sample_notice() {
    drivers::a4::A4Notice n;
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

}  // namespace kiosk_test
