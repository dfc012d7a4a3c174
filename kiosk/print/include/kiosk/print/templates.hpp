#pragma once
// What the kiosk prints on the receipt printer. Each template is a pure
// function of its data; the printer's profile (58 or 80 mm, its font) is
// applied later by the encoder. Names are printed masked (张*兰), ID numbers
// masked, phone numbers masked: a slip left on the counter reveals nothing.
#include <string>
#include <vector>

#include "drivers/printer/receipt.hpp"
#include "kiosk/core/check_in.hpp"
#include "kiosk/core/civil_date.hpp"
#include "kiosk/core/money.hpp"
#include "kiosk/core/notice.hpp"

namespace kiosk::print {

using drivers::escpos::Receipt;

struct Site {
    std::string name;      // 佳禾社区党群服务中心
    std::string terminal;  // jiahe-hall-01
};

// "2026-11-25 11:30", local time, already formatted by the caller.
using LocalStamp = std::string;

struct CheckInSlip {
    std::string name;       // full name; printed masked
    std::string masked_id;  // 130***********0024
    core::CheckInMethod method = core::CheckInMethod::Card;
    core::CheckInPurpose purpose = core::CheckInPurpose::Visit;
    LocalStamp at;
    std::int64_t seq = 0;   // the terminal's record number
};

struct PickupTicket {
    std::string pickup_no;   // "0042"
    std::string meal;        // 套餐A
    int quantity = 1;
    core::Fen price = 0;     // 原价
    core::Fen subsidy = 0;   // 补贴
    core::Fen pay = 0;       // 应付
    std::string method;      // 现金 / 余额 / 扫码: already in words
    std::string name;        // full name; printed masked
    LocalStamp at;
    std::string order_id;    // in the QR code, for staff to look the order up
};

struct ServiceRequestTicket {
    std::string number;      // BS-20261125-0007
    std::string category;    // 维修 / 停车 / 邻里纠纷 / 微心愿
    std::string place;       // 佳禾小区一区 3号楼 2单元
    std::string description;
    std::string phone;       // printed masked
    std::string name;        // printed masked; may be empty (anonymous)
    std::string routed_to;   // 第三网格 网格员; may be empty
    LocalStamp at;
    std::string request_id;  // in the QR code
};

struct SettlementLine {
    std::string label;       // 午餐 / 现金 / 80岁以上
    std::int64_t count = 0;  // orders, portions
    core::Fen fen = 0;
};

struct SettlementSection {
    std::string title;       // 收款 / 补贴 / 按餐别
    std::vector<SettlementLine> lines;
    bool with_total = true;
};

struct DailySettlement {
    core::CivilDate day;
    std::vector<SettlementSection> sections;
    LocalStamp printed_at;
};

// 送餐单: the day's deliveries in the order staff fill the bags.
struct DeliveryStop {
    std::string pickup_no;  // the order made for the reservation
    std::string period;     // 午餐
    std::string meal;       // 套餐A
    std::string name;       // full name; printed masked
    std::string address;    // 佳禾小区一区 3号楼 2单元 401: printed whole, the courier needs it
    std::string phone;      // printed masked
    core::Fen pay = 0;
    std::string method;     // 现金 / 余额: already in words
};

struct DeliveryList {
    core::CivilDate day;
    std::vector<DeliveryStop> stops;
    LocalStamp printed_at;
};

// 余额充值: the diner's proof that the cash they handed over was recorded.
struct TopUpReceipt {
    std::string name;       // full name; printed masked
    core::Fen amount = 0;
    core::Fen balance = 0;  // after the top-up
    LocalStamp at;
    std::int64_t seq = 0;   // the terminal's record number
};

[[nodiscard]] Receipt check_in_slip(const Site& site, const CheckInSlip& slip);
[[nodiscard]] Receipt pickup_ticket(const Site& site, const PickupTicket& ticket);
[[nodiscard]] Receipt service_request_ticket(const Site& site, const ServiceRequestTicket& ticket);
[[nodiscard]] Receipt notice(const Site& site, const core::Notice& notice);
[[nodiscard]] Receipt daily_settlement(const Site& site, const DailySettlement& settlement);
[[nodiscard]] Receipt delivery_list(const Site& site, const DeliveryList& list);
[[nodiscard]] Receipt top_up_receipt(const Site& site, const TopUpReceipt& receipt);
// For staff and `kiosk doctor --print-test`: Chinese text, a rare character,
// sizes, a QR code and a cut, so one strip shows the printer is right.
[[nodiscard]] Receipt test_receipt(const Site& site, const LocalStamp& at);

// 13903130024 -> 139****0024; shorter numbers keep only their first 3 digits.
[[nodiscard]] std::string mask_phone(const std::string& phone);

}  // namespace kiosk::print
