// The canteen's staff tools seen from outside: what a refund, an order for a
// diner without a card, a top-up and the day close leave in the export and
// on disk.
#include <doctest/doctest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "process.hpp"

namespace {

std::vector<nlohmann::json> of_type(const std::vector<nlohmann::json>& facts, const std::string& type) {
    std::vector<nlohmann::json> out;
    for (const auto& f : facts)
        if (f.at("type") == type) out.push_back(f);
    return out;
}

const char* kConfig = R"([terminal]
id = "jiahe-canteen-01"
[site]
name = "佳禾社区老年餐厅"
type = "canteen"
[staff]
pin = "2580"
)";

const char* kSignIn = R"(hold "佳禾社区老年餐厅" 3200
tap "2"
tap "5"
tap "8"
tap "0"
tap "确定"
expect "订单统计"
)";

const char* kOrderThenRefund = R"(time 2026-11-25T11:30:00+08:00
card 0004215869
tap "套餐A"
tap "现金付款"
expect "取餐号"
tap "完成"
)";

const char* kRefund = R"(tap "订单与退款"
tap "0001"
tap "退款"
tap "饭菜有问题"
expect "补贴 5.00 元已冲回"
tap "返回"
tap "返回"
)";

const char* kAssistAndTopUp = R"(tap "代客点餐"
tap "按手机尾号找"
tap "0"
tap "0"
tap "1"
tap "7"
tap "王德福"
expect "工作人员代点"
tap "套餐B"
tap "现金付款"
expect "取餐号"
tap "完成"
tap "余额充值"
tap "按手机尾号找"
tap "0"
tap "0"
tap "2"
tap "4"
tap "张桂兰"
tap "20 元"
tap "已收款，确认充值"
expect "余额 20.00 元"
tap "返回"
tap "返回"
tap "返回"
tap "日结"
tap "导出表格和PDF"
expect "已导出到"
tap "返回"
tap "退出"
card 0004215869
tap "套餐A"
expect "5.00"
tap "余额付款"
expect "余额还有 10.00 元"
tap "完成"
)";

}  // namespace

TEST_CASE("canteen staff: a refund, an assisted order, a top-up and the day close, as the county will see them") {
    test::TempDir dir;
    const auto config = dir.write("canteen.toml", kConfig);
    const std::string script = std::string(kOrderThenRefund) + kSignIn + kRefund + kAssistAndTopUp;
    const auto r = test::run(test::kiosk_script_args(dir, dir.write("s.script", script), {"--config", config.string()}));
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);

    const auto facts = test::export_facts(dir);
    const auto orders = of_type(facts, "meal_order");
    const auto refunds = of_type(facts, "meal_refund");
    const auto top_ups = of_type(facts, "balance_top_up");
    REQUIRE(orders.size() == 3);
    REQUIRE(refunds.size() == 1);
    REQUIRE(top_ups.size() == 1);

    // The refund names its order and reverses it to the fen, with the reason's code.
    const auto& first = orders[0];
    CHECK(first.at("resident") == 1);
    CHECK(first.at("subsidy_fen") == 500);
    CHECK(refunds[0].at("order") == first.at("id"));
    CHECK(refunds[0].at("reason") == "meal_problem");
    CHECK(refunds[0].at("price_fen") == first.at("price_fen"));
    CHECK(refunds[0].at("subsidy_fen") == first.at("subsidy_fen"));
    CHECK(refunds[0].at("pay_fen") == first.at("pay_fen"));

    // 王德福 had no card: staff found him, the order and the check-in say so.
    const auto& assisted = orders[1];
    CHECK(assisted.at("resident") == 2);
    CHECK(assisted.at("staff_assisted") == true);
    CHECK(assisted.at("pay_fen") == 1200 - 800);
    bool staff_check_in = false;
    for (const auto& c : of_type(facts, "check_in"))
        if (c.at("resident") == 2) staff_check_in = c.at("method") == "staff";
    CHECK(staff_check_in);

    // The refund freed 张桂兰's subsidy for the period; the top-up paid the rest.
    CHECK(top_ups[0].at("resident") == 1);
    CHECK(top_ups[0].at("amount_fen") == 2000);
    const auto& again = orders[2];
    CHECK(again.at("resident") == 1);
    CHECK(again.at("subsidy_fen") == 500);
    CHECK(again.at("method") == "balance");
    CHECK(again.at("staff_assisted") == false);

    // Nothing personal beyond the masked number, in any fact.
    for (const auto& f : facts) {
        const std::string text = f.dump();
        CHECK(text.find("张桂兰") == std::string::npos);
        CHECK(text.find("王德福") == std::string::npos);
        CHECK(text.find("130730194603080024") == std::string::npos);
    }

    // The day close export: a CSV and a PDF under <data>/exports.
    const auto exports = dir.path() / "data" / "exports";
    const auto csv = exports / "日结-jiahe-canteen-01-2026-11-25.csv";
    const auto pdf = exports / "日结-jiahe-canteen-01-2026-11-25.pdf";
    REQUIRE(std::filesystem::exists(csv));
    REQUIRE(std::filesystem::exists(pdf));
    const std::string text = test::read_file(csv);
    CHECK(text.find("实收") != std::string::npos);
    CHECK(text.find("4.00") != std::string::npos);  // 王德福's 套餐B: the only takings at export time
    CHECK(test::read_file(pdf).rfind("%PDF-", 0) == 0);
}

namespace {

// One portion of 套餐A a day, so tomorrow's can run out before its diner comes.
const char* kScarceMenu = R"([[periods]]
period = "lunch"
start = "10:30"
end = "13:30"

[[items]]
period = "lunch"
id = "set-a"
name = "套餐A"
dishes = "红烧肉、炒青菜、米饭"
price_fen = 1500
daily_limit = 1

[[items]]
period = "lunch"
id = "veg"
name = "素菜套餐"
dishes = "麻婆豆腐、清炒时蔬、米饭"
price_fen = 1000
daily_limit = 0
)";

const char* kReserveThenComeBack = R"(time 2026-11-25T11:30:00+08:00
card 0004215869
tap "预订明天"
tap "套餐A"
tap "预订，到时付现金"
expect "预订好了"
tap "完成"
idcard 130730194111020017 王德福
tap "预订明天"
tap "素菜套餐"
tap "预订，到时余额付"
expect "预订好了"
tap "完成"
time 2026-11-26T11:00:00+08:00
card 0004215871
tap "套餐A"
tap "现金付款"
expect "取餐号"
tap "完成"
card 0004215869
expect "您预订的套餐A已经卖完了，请另选一个"
expect "已售完"
tap "素菜套餐"
tap "现金付款"
expect "取餐号"
tap "完成"
idcard 130730194111020017 王德福
expect "这是您预订的饭菜"
expect "（现金）"
tap "完成"
)";

}  // namespace

TEST_CASE("canteen: a reserved meal sold out before its diner came, and a balance that no longer covers one") {
    test::TempDir dir;
    const auto menu = dir.write("menu.toml", kScarceMenu);
    const auto config = dir.write("canteen.toml", std::string(kConfig) + "[canteen]\nmenu = \"" + menu.string() + "\"\n");
    const auto r =
        test::run(test::kiosk_script_args(dir, dir.write("s.script", kReserveThenComeBack), {"--config", config.string()}));
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);

    const auto facts = test::export_facts(dir);
    const auto orders = of_type(facts, "meal_order");
    REQUIRE(orders.size() == 3);
    // 李淑珍 took the last 套餐A; 张桂兰 chose again and paid; 王德福's
    // reservation was served, in cash since his balance is empty.
    CHECK(orders[0].at("resident") == 3);
    CHECK(orders[1].at("resident") == 1);
    CHECK(orders[1].at("items")[0].at("name") == "素菜套餐");
    CHECK(orders[2].at("resident") == 2);
    CHECK(orders[2].at("method") == "cash");
    CHECK(orders[2].at("pay_fen") == 1000 - 800);
}
