#include "kiosk/print/templates.hpp"

#include "kiosk/core/resident.hpp"

namespace kiosk::print {

using drivers::escpos::Align;
using drivers::escpos::QrOptions;
using drivers::escpos::TextStyle;

namespace {

const TextStyle kCentre{Align::Centre, false, 1, 1};
const TextStyle kTitle{Align::Centre, true, 1, 1};
const TextStyle kBig{Align::Centre, true, 2, 2};
const TextStyle kBold{Align::Left, true, 1, 1};

Receipt header(const Site& site, const std::string& what) {
    Receipt r;
    r.text(site.name, kTitle).text(what, kBig).rule();
    return r;
}

Receipt footer(const Site& site, const std::string& line) {
    Receipt r;
    r.rule().text(line, kCentre).text(site.terminal, kCentre).feed(1).cut();
    return r;
}

std::string yuan(core::Fen fen) { return core::format_yuan(fen) + " 元"; }

const char* method_zh(core::CheckInMethod m) {
    switch (m) {
        case core::CheckInMethod::Card: return "社区卡";
        case core::CheckInMethod::IdCard: return "身份证";
        case core::CheckInMethod::Staff: return "工作人员代签";
    }
    return "社区卡";
}

const char* purpose_zh(core::CheckInPurpose p) {
    switch (p) {
        case core::CheckInPurpose::Visit: return "来访签到";
        case core::CheckInPurpose::Meal: return "助餐签到";
        case core::CheckInPurpose::DayCare: return "日间照料签到";
    }
    return "来访签到";
}

}  // namespace

std::string mask_phone(const std::string& phone) {
    // Mobile numbers (11 digits) keep 3 + 4, as on bank slips; shorter ones
    // keep only the first 3, so at least 4 digits are always hidden.
    if (phone.size() >= 11) return phone.substr(0, 3) + std::string(phone.size() - 7, '*') + phone.substr(phone.size() - 4);
    if (phone.size() >= 7) return phone.substr(0, 3) + std::string(phone.size() - 3, '*');
    return std::string(phone.size(), '*');
}

Receipt check_in_slip(const Site& site, const CheckInSlip& s) {
    Receipt r = header(site, "签到凭条");
    r.row("姓名", core::mask_name(s.name))
        .row("身份证号", s.masked_id)
        .row("事项", purpose_zh(s.purpose))
        .row("方式", method_zh(s.method))
        .row("时间", s.at)
        .row("记录号", std::to_string(s.seq));
    r.append(footer(site, "谢谢光临"));
    return r;
}

Receipt pickup_ticket(const Site& site, const PickupTicket& t) {
    Receipt r;
    r.text(site.name, kTitle).text("取餐号", kCentre).text(t.pickup_no, TextStyle{Align::Centre, true, 4, 4}).rule();
    r.row(t.meal, std::to_string(t.quantity) + "份", kBold)
        .row("原价", yuan(t.price))
        .row("补贴", "-" + yuan(t.subsidy))
        .row("应付", yuan(t.pay), kBold)
        .row("支付方式", t.method)
        .rule()
        .row("就餐人", core::mask_name(t.name))
        .row("时间", t.at);
    r.qr(t.order_id, QrOptions{5, drivers::escpos::QrLevel::M, Align::Centre});
    r.append(footer(site, "请凭此票取餐"));
    return r;
}

Receipt service_request_ticket(const Site& site, const ServiceRequestTicket& t) {
    Receipt r = header(site, "报事回执");
    r.row("编号", t.number).row("类别", t.category).row("地点", t.place);
    r.text("内容：" + t.description);
    if (!t.name.empty()) r.row("报事人", core::mask_name(t.name));
    if (!t.phone.empty()) r.row("联系电话", mask_phone(t.phone));
    if (!t.routed_to.empty()) r.row("转交", t.routed_to);
    r.row("提交时间", t.at);
    r.qr(t.request_id, QrOptions{5, drivers::escpos::QrLevel::M, Align::Centre});
    r.append(footer(site, "工作人员会尽快与您联系"));
    return r;
}

Receipt notice(const Site& site, const core::Notice& n) {
    Receipt r;
    r.text(site.name, kCentre).rule().text(n.title, TextStyle{Align::Centre, true, 2, 2}).feed(1);
    // Paragraphs as written; the encoder wraps them by display width.
    std::string::size_type start = 0;
    while (start <= n.body.size()) {
        const auto nl = n.body.find('\n', start);
        r.text(n.body.substr(start, nl == std::string::npos ? std::string::npos : nl - start));
        if (nl == std::string::npos) break;
        start = nl + 1;
    }
    r.feed(1).text("发布：" + n.issuer, TextStyle{Align::Right, false, 1, 1}).text(n.published.iso(), TextStyle{Align::Right, false, 1, 1});
    r.append(footer(site, "请妥善保管"));
    return r;
}

Receipt daily_settlement(const Site& site, const DailySettlement& s) {
    Receipt r = header(site, "日结");
    r.text(s.day.iso(), kCentre);
    for (const auto& section : s.sections) {
        r.rule().text(section.title, kBold);
        std::int64_t count = 0;
        core::Fen fen = 0;
        for (const auto& line : section.lines) {
            r.row(line.label + "  " + std::to_string(line.count) + "份", yuan(line.fen));
            count += line.count;
            fen += line.fen;
        }
        if (section.with_total) r.row("合计  " + std::to_string(count) + "份", yuan(fen), kBold);
    }
    r.rule().row("打印时间", s.printed_at);
    r.append(footer(site, "核对无误后签字：________"));
    return r;
}

Receipt delivery_list(const Site& site, const DeliveryList& list) {
    Receipt r = header(site, "送餐单");
    r.text(list.day.iso() + "  共 " + std::to_string(list.stops.size()) + " 份", kCentre);
    for (const auto& s : list.stops) {
        r.rule()
            .row(s.pickup_no + "  " + s.period + "  " + s.meal, core::mask_name(s.name), kBold)
            .text(s.address);
        if (!s.phone.empty()) r.row("电话", mask_phone(s.phone));
        r.row("收款", yuan(s.pay) + "（" + s.method + "）");
    }
    r.rule().row("打印时间", list.printed_at);
    r.append(footer(site, "送达后请在此签字：________"));
    return r;
}

Receipt top_up_receipt(const Site& site, const TopUpReceipt& t) {
    Receipt r = header(site, "余额充值");
    r.row("姓名", core::mask_name(t.name))
        .row("充值金额", yuan(t.amount), kBold)
        .row("充值后余额", yuan(t.balance))
        .row("时间", t.at)
        .row("记录号", std::to_string(t.seq));
    r.append(footer(site, "请妥善保管"));
    return r;
}

Receipt test_receipt(const Site& site, const LocalStamp& at) {
    Receipt r = header(site, "打印测试");
    r.text("中文、English、12345 都应清楚可读。")
        .text("生僻字：王赟 刘堃 陈喆 杨𫖯")
        .text("大字", TextStyle{Align::Centre, true, 3, 3})
        .row("时间", at)
        .qr("kiosk print test " + at, QrOptions{6, drivers::escpos::QrLevel::M, Align::Centre})
        .text("扫码应得到：kiosk print test", kCentre);
    r.append(footer(site, "打印机工作正常"));
    return r;
}

}  // namespace kiosk::print
