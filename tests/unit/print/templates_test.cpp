// Every template, encoded for real printers and decoded back: the words a
// resident or a staff member reads, the cut, the QR code, nothing unmasked.
#include <doctest/doctest.h>

#include "drivers/printer/escpos_decode.hpp"
#include "drivers/printer/escpos_encode.hpp"
#include "kiosk/print/templates.hpp"

using namespace kiosk;
using drivers::escpos::decode_text;
using drivers::escpos::Decoded;
using drivers::escpos::encode;
using drivers::escpos::FontCoverage;
using drivers::escpos::PrinterProfile;

namespace {
const print::Site kSite{"佳禾社区老年餐厅", "jiahe-canteen-01"};

Decoded printed(const print::Receipt& r, PrinterProfile p = {58, true, FontCoverage::Gb18030, 4, 128}) {
    const auto bytes = encode(r, p);
    const auto d = decode_text(bytes);
    INFO(d.text());
    CHECK(d.problems.empty());
    CHECK(d.has_cut());
    CHECK_FALSE(d.chinese_mode_at_end);
    return d;
}

// Line breaks fall where the paper is narrow; compare without them.
std::string flat(const Decoded& d) {
    std::string out;
    for (char c : d.text())
        if (c != '\n' && c != ' ') out += c;
    return out;
}

print::PickupTicket ticket() {
    return {"0042", "套餐A", 1, 1500, 500, 1000, "现金", "张桂兰", "2026-11-25 11:42", "ORD-20261125-0042"};
}
}  // namespace

TEST_CASE("pickup ticket: the number, the meal and the three amounts, a QR code, masked name") {
    for (int width : {58, 80}) {
        CAPTURE(width);
        const auto d = printed(print::pickup_ticket(kSite, ticket()), {width, true, FontCoverage::Gb18030, 4, 128});
        const auto text = flat(d);
        CHECK(text.find("佳禾社区老年餐厅") != std::string::npos);
        CHECK(text.find("取餐号") != std::string::npos);
        CHECK(text.find("0042") != std::string::npos);
        CHECK(text.find("套餐A") != std::string::npos);
        CHECK(text.find("原价15.00元") != std::string::npos);
        CHECK(text.find("补贴-5.00元") != std::string::npos);
        CHECK(text.find("应付10.00元") != std::string::npos);
        CHECK(text.find("张*兰") != std::string::npos);
        CHECK(text.find("张桂兰") == std::string::npos);
        REQUIRE(d.qr_codes.size() == 1);
        CHECK(d.qr_codes[0].data == "ORD-20261125-0042");
        CHECK(d.qr_codes[0].printed);
        CHECK_FALSE(d.qr_codes[0].in_chinese_mode);
        // The pickup number is printed large.
        bool big = false;
        for (const auto& line : d.lines)
            if (line.text.find("0042") != std::string::npos && line.width == 4 && line.height == 4) big = true;
        CHECK(big);
    }
}

TEST_CASE("pickup ticket: a printer without native QR gets the code as an image") {
    const auto d = printed(print::pickup_ticket(kSite, ticket()), {58, false, FontCoverage::Gb18030, 4, 128});
    CHECK(d.qr_codes.empty());
    CHECK_FALSE(d.images.empty());
}

TEST_CASE("check-in slip: who, how, when, with the ID number masked") {
    const print::CheckInSlip slip{"王德福", "130***********0017", core::CheckInMethod::IdCard,
                                  core::CheckInPurpose::Visit, "2026-11-25 09:05", 12};
    const auto text = flat(printed(print::check_in_slip({"佳禾社区党群服务中心", "jiahe-hall-01"}, slip)));
    CHECK(text.find("签到凭条") != std::string::npos);
    CHECK(text.find("王*福") != std::string::npos);
    CHECK(text.find("130***********0017") != std::string::npos);
    CHECK(text.find("身份证") != std::string::npos);
    CHECK(text.find("来访签到") != std::string::npos);
    CHECK(text.find("2026-11-2509:05") != std::string::npos);
    CHECK(text.find("王德福") == std::string::npos);
}

TEST_CASE("service request ticket: the request, the place, a masked phone, a QR code") {
    const print::ServiceRequestTicket t{"BS-20261125-0007", "维修", "佳禾小区一区 3号楼 2单元",
                                        "楼道灯坏了，晚上看不见台阶，请尽快修理。", "13903130024", "张桂兰",
                                        "第三网格 网格员", "2026-11-25 09:12", "SR-7"};
    const auto d = printed(print::service_request_ticket({"佳禾社区党群服务中心", "jiahe-hall-01"}, t));
    const auto text = flat(d);
    CHECK(text.find("报事回执") != std::string::npos);
    CHECK(text.find("BS-20261125-0007") != std::string::npos);
    CHECK(text.find("楼道灯坏了，晚上看不见台阶，请尽快修理。") != std::string::npos);
    CHECK(text.find("139****0024") != std::string::npos);
    CHECK(text.find("13903130024") == std::string::npos);
    CHECK(text.find("第三网格") != std::string::npos);
    REQUIRE(d.qr_codes.size() == 1);
    CHECK(d.qr_codes[0].data == "SR-7");
}

TEST_CASE("notice: title, every paragraph, issuer and date") {
    core::Notice n{1, core::NoticeKind::AntiFraud, "谨防养老诈骗",
                   "近期有人冒充社保工作人员上门或打电话。\n工作人员不会索要银行卡密码和验证码。", "佳禾社区居委会",
                   {2026, 11, 20}};
    const auto text = flat(printed(print::notice({"佳禾社区党群服务中心", "jiahe-hall-01"}, n)));
    CHECK(text.find("谨防养老诈骗") != std::string::npos);
    CHECK(text.find("近期有人冒充社保工作人员上门或打电话。") != std::string::npos);
    CHECK(text.find("工作人员不会索要银行卡密码和验证码。") != std::string::npos);
    CHECK(text.find("发布：佳禾社区居委会") != std::string::npos);
    CHECK(text.find("2026-11-20") != std::string::npos);
}

TEST_CASE("daily settlement: every section, its lines and its total") {
    print::DailySettlement s{{2026, 11, 25},
                             {{"收款", {{"现金", 40, 40000}, {"预存余额", 60, 54000}, {"扫码", 28, 30800}}, true},
                              {"补贴", {{"60-69岁", 30, 6000}, {"70-79岁", 50, 15000}, {"80岁以上", 48, 24000}}, true}},
                             "2026-11-25 18:30"};
    const auto text = flat(printed(print::daily_settlement(kSite, s)));
    CHECK(text.find("日结") != std::string::npos);
    CHECK(text.find("2026-11-25") != std::string::npos);
    CHECK(text.find("现金40份400.00元") != std::string::npos);
    CHECK(text.find("合计128份1248.00元") != std::string::npos);
    CHECK(text.find("80岁以上48份240.00元") != std::string::npos);
    CHECK(text.find("合计128份450.00元") != std::string::npos);
}

TEST_CASE("test receipt: rare characters fall back to an image on a GB2312 printer") {
    const auto full = printed(print::test_receipt(kSite, "2026-11-25 10:00"), {58, true, FontCoverage::Gb18030All, 4, 128});
    CHECK(flat(full).find("杨𫖯") != std::string::npos);
    CHECK(full.images.empty());
    const auto cheap = printed(print::test_receipt(kSite, "2026-11-25 10:00"), {58, true, FontCoverage::Gb2312, 4, 128});
    CHECK_FALSE(cheap.images.empty());  // the line with 赟 堃 喆 𫖯 is printed as a picture
    CHECK(flat(cheap).find("中文、English、12345都应清楚可读。") != std::string::npos);
    REQUIRE(cheap.qr_codes.size() == 1);
}

TEST_CASE("phone numbers on paper keep the first 3 and last 4 digits") {
    CHECK(print::mask_phone("13903130024") == "139****0024");
    CHECK(print::mask_phone("0313123") == "031****");
    CHECK(print::mask_phone("12345") == "*****");
}

TEST_CASE("delivery list: every stop with its address whole, names and phones masked") {
    print::DeliveryList list{{2026, 11, 26},
                             {{"0007", "午餐", "套餐A", "张桂兰", "佳禾小区一区 3号楼 2单元 401", "13903130024", 1000, "余额"},
                              {"0008", "午餐", "素菜套餐", "王德福", "佳禾小区二区 5号楼 1单元 102", "", 400, "现金"}},
                             "2026-11-26 10:05"};
    const auto text = flat(printed(print::delivery_list(kSite, list)));
    CHECK(text.find("送餐单") != std::string::npos);
    CHECK(text.find("共2份") != std::string::npos);
    CHECK(text.find("0007午餐套餐A张*兰") != std::string::npos);
    CHECK(text.find("佳禾小区一区3号楼2单元401") != std::string::npos);
    CHECK(text.find("139****0024") != std::string::npos);
    CHECK(text.find("收款10.00元（余额）") != std::string::npos);
    CHECK(text.find("0008午餐素菜套餐王*福") != std::string::npos);
    CHECK(text.find("收款4.00元（现金）") != std::string::npos);
    CHECK(text.find("张桂兰") == std::string::npos);
    CHECK(text.find("13903130024") == std::string::npos);
}

TEST_CASE("top-up receipt: the amount, the balance after it, a masked name") {
    const auto text = flat(printed(print::top_up_receipt(kSite, {"张桂兰", 5000, 8000, "2026-11-25 09:30", 31})));
    CHECK(text.find("余额充值") != std::string::npos);
    CHECK(text.find("张*兰") != std::string::npos);
    CHECK(text.find("充值金额50.00元") != std::string::npos);
    CHECK(text.find("充值后余额80.00元") != std::string::npos);
    CHECK(text.find("记录号31") != std::string::npos);
    CHECK(text.find("张桂兰") == std::string::npos);
}
