// The resident canteen flow seen from outside: the meal_order fact as the
// county receives it, a power cut right after 确认, tickets while the printer
// is out of paper, and the last portion taken by two terminals at once.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "process.hpp"

extern char** environ;

namespace {

using namespace std::chrono_literals;

const char* kCanteen = R"([terminal]
id = "jiahe-canteen-01"
[site]
name = "佳禾社区老年餐厅"
type = "canteen"
)";

std::vector<nlohmann::json> export_facts(const std::filesystem::path& data) {
    const auto r = test::run({KIOSK_BINARY, "export", "--format", "jsonl", "--data-dir", data.string()});
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    std::vector<nlohmann::json> out;
    std::istringstream lines(r.out);
    for (std::string line; std::getline(lines, line);) out.push_back(nlohmann::json::parse(line));
    return out;
}

std::vector<nlohmann::json> of_type(const std::vector<nlohmann::json>& facts, const std::string& type) {
    std::vector<nlohmann::json> out;
    for (const auto& f : facts)
        if (f.at("type") == type) out.push_back(f);
    return out;
}

std::set<std::string> keys(const nlohmann::json& j) {
    std::set<std::string> out;
    for (const auto& [k, v] : j.items()) out.insert(k);
    return out;
}

// What the simulated printer put on paper: the bytes of every printed job.
std::vector<std::string> printed(const std::filesystem::path& data) {
    std::vector<std::string> out;
    const auto dir = data / "sim-printer";
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec)) return out;
    for (const auto& e : std::filesystem::directory_iterator(dir))
        if (e.path().extension() == ".bin") out.push_back(test::read_file(e.path()));
    return out;
}

// Jobs the receipt spool has marked finished (<id>.done beside <id>.job).
int done_marks(const std::filesystem::path& data) {
    int n = 0;
    std::error_code ec;
    const auto dir = data / "spool" / "receipts";
    if (!std::filesystem::is_directory(dir, ec)) return 0;
    for (const auto& e : std::filesystem::directory_iterator(dir)) n += e.path().extension() == ".done";
    return n;
}

// Tickets printed for one order: its QR code carries the order's fact id.
int tickets_for(const std::filesystem::path& data, const nlohmann::json& order) {
    const auto id = order.at("id").get<std::string>();
    int n = 0;
    for (const auto& job : printed(data)) n += job.find(id) != std::string::npos;
    return n;
}

// The kiosk as a child whose log (stderr) and script progress (stdout) are
// read together, so a test can act the moment a log line appears.
class Kiosk {
public:
    explicit Kiosk(const std::vector<std::string>& args) {
        int fds[2];
        if (pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe");
        posix_spawn_file_actions_t fa;
        posix_spawn_file_actions_init(&fa);
        posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
        posix_spawn_file_actions_adddup2(&fa, fds[1], 2);
        std::vector<char*> argv;
        for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
        argv.push_back(nullptr);
        const int rc = posix_spawn(&pid_, argv[0], &fa, nullptr, argv.data(), environ);
        posix_spawn_file_actions_destroy(&fa);
        close(fds[1]);
        out_fd_ = fds[0];
        if (rc != 0) throw std::runtime_error("cannot start " + args[0]);
    }
    ~Kiosk() {
        if (pid_ > 0) {
            kill(pid_, SIGKILL);
            waitpid(pid_, nullptr, 0);
        }
        if (out_fd_ >= 0) close(out_fd_);
    }
    Kiosk(const Kiosk&) = delete;
    Kiosk& operator=(const Kiosk&) = delete;

    // Reads until `text` appears anywhere in the output; false on timeout or exit.
    bool wait_for(const std::string& text, std::chrono::milliseconds timeout) {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        for (;;) {
            if (out_.find(text) != std::string::npos) return true;
            const auto left =
                std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
            if (left <= 0) return false;
            pollfd p{out_fd_, POLLIN, 0};
            if (poll(&p, 1, static_cast<int>(left)) <= 0) continue;
            char buf[4096];
            const ssize_t n = read(out_fd_, buf, sizeof buf);
            if (n <= 0) return false;
            out_.append(buf, static_cast<std::size_t>(n));
        }
    }
    void signal(int sig) const { kill(pid_, sig); }
    // Exit code, or -signal.
    int wait() {
        // Drain what is left so the child never blocks on a full pipe.
        char buf[4096];
        for (ssize_t n; (n = read(out_fd_, buf, sizeof buf)) > 0;) out_.append(buf, static_cast<std::size_t>(n));
        int status = 0;
        waitpid(pid_, &status, 0);
        pid_ = -1;
        return WIFSIGNALED(status) ? -WTERMSIG(status) : WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }
    [[nodiscard]] const std::string& output() const { return out_; }

private:
    pid_t pid_ = -1;
    int out_fd_ = -1;
    std::string out_;
};

std::vector<std::string> args(const std::filesystem::path& data, const std::filesystem::path& script,
                              const std::filesystem::path& config, bool demo = true) {
    std::vector<std::string> a{KIOSK_BINARY, "--headless"};
    if (demo) a.emplace_back("--demo");
    a.insert(a.end(), {"--config", config.string(), "--data-dir", data.string(), "--script", script.string()});
    return a;
}

// Every field of the meal_order fact the county reads, with 张桂兰's 套餐A.
void check_zhang_guilan_set_a(const nlohmann::json& o, const std::string& day = "2026-11-25") {
    for (const char* k : {"type", "resident", "masked_id", "items", "price_fen", "subsidy_fen", "pay_fen", "method",
                          "policy", "period", "pickup_no"}) {
        CAPTURE(k);
        CHECK(o.contains(k));
    }
    CHECK(o.at("type") == "meal_order");
    CHECK(o.at("resident") == 1);
    CHECK(o.at("masked_id") == "130***********0024");
    REQUIRE(o.at("items").is_array());
    REQUIRE(o.at("items").size() == 1);
    CHECK(keys(o.at("items")[0]) == std::set<std::string>{"name", "qty", "price_fen"});
    CHECK(o.at("items")[0].at("name") == "套餐A");
    CHECK(o.at("items")[0].at("qty") == 1);
    CHECK(o.at("items")[0].at("price_fen") == 1500);
    CHECK(o.at("price_fen") == 1500);
    CHECK(o.at("subsidy_fen") == 500);
    CHECK(o.at("pay_fen") == 1000);
    CHECK(o.at("method") == "cash");
    CHECK(o.at("policy") == "demo-2026-01");
    CHECK(o.at("period") == "lunch");
    CHECK(o.at("pickup_no") == "0001");
    CHECK(o.at("terminal") == "jiahe-canteen-01");
    CHECK(o.at("at").get<std::string>().rfind(day + "T03:3", 0) == 0);  // 11:3x in Shanghai
}

// Today in Shanghai (no daylight saving), as "2026-11-25". The kiosk looks
// for tickets left unprinted before its script runs, by the real date: a
// test of that uses the real day.
std::string shanghai_today() {
    const auto now = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now() + std::chrono::hours{8});
    const std::chrono::year_month_day d{now};
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(d.year()), static_cast<unsigned>(d.month()),
                  static_cast<unsigned>(d.day()));
    return buf;
}

}  // namespace

TEST_CASE("canteen: orders at the terminal are exported with the county's fields and exact amounts") {
    test::TempDir dir;
    const auto config = dir.write("canteen.toml", kCanteen);
    const auto script = dir.write("s.script", R"(time 2026-11-25T11:30:00+08:00
card 0004215869
tap "套餐A"
tap "现金付款"
expect "0001"
tap "完成"
card 0004215869
tap "套餐A"
expect "已经用过补贴"
tap "现金付款"
expect "0002"
tap "完成"
idcard 130730194111020017 王德福
tap "套餐A"
tap "现金付款"
expect "0003"
tap "完成"
card 0004215871
tap "套餐B"
tap "现金付款"
expect "0004"
tap "完成"
tap "点餐"
tap "素菜套餐"
tap "现金付款"
expect "0005"
tap "完成"
)");
    const auto data = dir.path() / "data";
    const auto r = test::run(args(data, script, config));
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);

    const auto orders = of_type(export_facts(data), "meal_order");
    REQUIRE(orders.size() == 5);
    check_zhang_guilan_set_a(orders[0]);
    // The same diner again this lunch: full price, no subsidy, nothing else changes.
    CHECK(orders[1].at("resident") == 1);
    CHECK(orders[1].at("price_fen") == 1500);
    CHECK(orders[1].at("subsidy_fen") == 0);
    CHECK(orders[1].at("pay_fen") == 1500);
    CHECK(orders[1].at("pickup_no") == "0002");
    // 王德福 (85, 低保): 5.00 + 3.00.
    CHECK(orders[2].at("resident") == 2);
    CHECK(orders[2].at("masked_id") == "130***********0017");
    CHECK(orders[2].at("subsidy_fen") == 800);
    CHECK(orders[2].at("pay_fen") == 700);
    CHECK(orders[2].at("categories") == nlohmann::json::array({"dibao"}));
    // 李淑珍 (68): 2.00 off 套餐B.
    CHECK(orders[3].at("resident") == 3);
    CHECK(orders[3].at("items")[0].at("name") == "套餐B");
    CHECK(orders[3].at("price_fen") == 1200);
    CHECK(orders[3].at("subsidy_fen") == 200);
    CHECK(orders[3].at("pay_fen") == 1000);
    // No card: not on the roster, full price.
    CHECK(orders[4].at("resident").is_null());
    CHECK(orders[4].at("masked_id") == "");
    CHECK(orders[4].at("subsidy_fen") == 0);
    CHECK(orders[4].at("pay_fen") == 1000);
    CHECK(orders[4].at("pickup_no") == "0005");
    for (const auto& o : orders) {
        CHECK(o.at("price_fen").get<int>() == o.at("subsidy_fen").get<int>() + o.at("pay_fen").get<int>());
        CHECK(o.at("policy") == "demo-2026-01");
    }
    // One ticket each, printed.
    CHECK(printed(data).size() == 5);
    for (const auto& o : orders) {
        const std::string pickup = o.at("pickup_no");
        CAPTURE(pickup);
        CHECK(tickets_for(data, o) == 1);
    }
}

// A power cut right after 确认: the kiosk is killed the moment it logs the
// order (before or while its ticket goes to the printer), then started again.
// Exactly one order is recorded, and its ticket comes out exactly once.
TEST_CASE("canteen: a power cut right after 确认 leaves one order whose ticket prints once") {
    struct Case {
        const char* name;
        bool paper;                       // false: the ticket cannot print before the cut
        std::chrono::microseconds delay;  // after the log line, before the cut
    };
    // Where the cut lands is up to the scheduler: a few delays cover the order
    // alone, the ticket queued, and the ticket printed.
    for (const auto& c : {Case{"paper out, cut at once", false, 0us}, Case{"paper out, cut after 1 ms", false, 1000us},
                          Case{"paper out, cut after 3 ms", false, 3000us}, Case{"paper in, cut at once", true, 0us},
                          Case{"paper in, cut after 1 ms", true, 1000us}, Case{"paper in, cut after 3 ms", true, 3000us}}) {
        const std::string name = c.name;
        CAPTURE(name);
        test::TempDir dir;
        const auto config = dir.write("canteen.toml", kCanteen);
        const auto data = dir.path() / "data";
        const std::string day = shanghai_today();
        const auto script = dir.write("order.script", "time " + day + "T11:30:00+08:00\n" +
                                                          std::string(c.paper ? "" : "printer paper-out\n") +
                                                          "card 0004215869\n"
                                                          "tap \"套餐A\"\n"
                                                          "tap \"现金付款\"\n"
                                                          "wait 60000\n");
        {
            Kiosk k(args(data, script, config));
            REQUIRE_MESSAGE(k.wait_for("canteen: order seq", 30s), k.output());
            if (c.delay.count() > 0) std::this_thread::sleep_for(c.delay);
            k.signal(SIGKILL);
            CHECK(k.wait() == -SIGKILL);
        }
        const auto before = printed(data).size();
        if (!c.paper) CHECK(before == 0);
        CHECK(before <= 1);
        // The one window the kiosk cannot close: the printer had the whole
        // ticket but the spool had not yet marked it printed. The spool then
        // prints it again, as it does after any cut in mid-job (a driver
        // property: at least once). Seen from the spool's files.
        const bool unmarked = before == 1 && done_marks(data) == 0;
        if (unmarked) MESSAGE("the cut came between the printer and the spool's mark: printed again by the spool");

        // Power back: the kiosk starts and sits at the idle screen.
        const auto idle = dir.write("idle.script", "time " + day + "T11:32:00+08:00\nwait 2500\n");
        auto r = test::run(args(data, idle, config));
        REQUIRE_MESSAGE(r.exit_code == 0, r.err);
        if (r.err.find("was queued before the restart") != std::string::npos)
            MESSAGE("the cut came between queueing the ticket and noting it with the order");
        const std::size_t expected = unmarked ? 2 : 1;
        CHECK_MESSAGE(printed(data).size() == expected, r.err);
        // And once more: nothing is printed again.
        r = test::run(args(data, idle, config));
        REQUIRE_MESSAGE(r.exit_code == 0, r.err);
        CHECK(printed(data).size() == expected);

        const auto facts = export_facts(data);
        const auto orders = of_type(facts, "meal_order");
        REQUIRE(orders.size() == 1);
        check_zhang_guilan_set_a(orders[0], day);
        CHECK(of_type(facts, "check_in").size() == 1);
        // The sequence has no gap: the check-in, then the order.
        CHECK(orders[0].at("seq") == 2);
        CHECK(tickets_for(data, orders[0]) == static_cast<int>(expected));
    }
}

TEST_CASE("canteen: ordering while the printer is out of paper records the order, and the ticket prints once when paper is back") {
    test::TempDir dir;
    const auto config = dir.write("canteen.toml", kCanteen);
    const auto data = dir.path() / "data";
    const auto script = dir.write("s.script", R"(time 2026-11-25T11:30:00+08:00
printer paper-out
card 0004215869
tap "套餐A"
tap "现金付款"
expect "0001"
await "打印机暂时不能打印（缺纸）" 5000
tap "完成"
card 0004215871
tap "套餐B"
tap "现金付款"
expect "0002"
absent "已打印"
wait 4000
printer paper-in
await "已打印" 5000
tap "完成"
wait 1500
)");
    // The printed jobs are looked at while the kiosk runs: none before paper is back.
    {
        Kiosk k(args(data, script, config));
        // Line 13 passed: both orders made, and paper stays out for 4 s more.
        REQUIRE_MESSAGE(k.wait_for("script: line 13 passed", 30s), k.output());
        std::this_thread::sleep_for(500ms);  // the printer has tried
        CHECK(printed(data).empty());
        CHECK(of_type(export_facts(data), "meal_order").size() == 2);
        CHECK(k.wait() == 0);
    }
    CHECK(printed(data).size() == 2);
    // A restart prints nothing again.
    const auto idle = dir.write("idle.script", "wait 2000\n");
    const auto r = test::run(args(data, idle, config));
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    CHECK(printed(data).size() == 2);
    const auto orders = of_type(export_facts(data), "meal_order");
    REQUIRE(orders.size() == 2);
    check_zhang_guilan_set_a(orders[0]);
    CHECK(orders[1].at("pickup_no") == "0002");
    CHECK(tickets_for(data, orders[0]) == 1);
    CHECK(tickets_for(data, orders[1]) == 1);
}

// Two terminals on one database (two kiosk processes, one data directory):
// both show the last 套餐B; the one who pays first gets it, the other is
// told it is sold out before paying and nothing is recorded for them.
TEST_CASE("canteen: the last portion taken twice in quick succession - one order, the other is told 已售完") {
    test::TempDir dir;
    // The demo menu with a single portion of 套餐B.
    std::string menu = test::read_file(std::filesystem::path(KIOSK_SOURCE_DIR) / "config/menu/demo.toml");
    const std::string set_b = "id = \"set-b\"";
    const auto at = menu.find(set_b);
    REQUIRE(at != std::string::npos);
    const auto limit = menu.find("daily_limit = 80", at);
    REQUIRE(limit != std::string::npos);
    menu.replace(limit, std::string("daily_limit = 80").size(), "daily_limit = 1");
    const auto menu_file = dir.write("menu.toml", menu);
    const auto data = dir.path() / "data";
    const std::string canteen = std::string(kCanteen) + "[canteen]\nmenu = \"" + menu_file.string() + "\"\n";
    const auto config_a = dir.write("a.toml", canteen);
    // The second terminal: its own (absent) printer, so the two do not share a spool.
    const auto config_b =
        dir.write("b.toml", canteen + "[devices.card_reader]\ndriver = \"sim\"\n[devices.printer]\ndriver = \"none\"\n");

    // Terminal B: 王德福 looks at 套餐B's three amounts, then pays.
    const auto script_b = dir.write("b.script", R"(time 2026-11-25T11:30:00+08:00
idcard 130730194111020017 王德福
expect "还剩 1 份"
tap "套餐B"
expect "应付4.00 元"
wait 2000
tap "现金付款"
expect "套餐B刚刚卖完了，请换一个"
absent "取餐号"
tap "换一个"
expect "已售完"
tap "素菜套餐"
tap "现金付款"
expect "取餐号"
)");
    // Terminal A: 张桂兰 takes the last 套餐B meanwhile.
    const auto script_a = dir.write("a.script", R"(time 2026-11-25T11:30:00+08:00
card 0004215869
expect "还剩 1 份"
tap "套餐B"
tap "现金付款"
expect "0001"
tap "完成"
)");
    // A first opens the database (the demo roster), B then shares it.
    {
        const auto setup = dir.write("setup.script", "wait 100\n");
        const auto r = test::run(args(data, setup, config_a));
        REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    }
    Kiosk b(args(data, script_b, config_b, false));
    // B shows the quote (line 5); it is held there while A orders.
    REQUIRE_MESSAGE(b.wait_for("script: line 5 passed", 30s), b.output());
    b.signal(SIGSTOP);
    const auto ra = test::run(args(data, script_a, config_a));
    b.signal(SIGCONT);
    CHECK_MESSAGE(ra.exit_code == 0, ra.err);
    CHECK_MESSAGE(b.wait() == 0, b.output());

    const auto orders = of_type(export_facts(data), "meal_order");
    REQUIRE(orders.size() == 2);
    CHECK(orders[0].at("resident") == 1);
    CHECK(orders[0].at("items")[0].at("name") == "套餐B");
    CHECK(orders[0].at("pickup_no") == "0001");
    CHECK(orders[1].at("resident") == 2);
    CHECK(orders[1].at("items")[0].at("name") == "素菜套餐");
    CHECK(orders[1].at("subsidy_fen") == 800);
    CHECK(orders[1].at("pay_fen") == 200);
    CHECK(orders[1].at("pickup_no") == "0002");
}

// A reservation is settled by the one meal its diner has that period: when
// the reserved meal was sold out and another was chosen, a portion freed
// later (a refund) must not make the next tap of the card order it again,
// unasked and at full price.
TEST_CASE("canteen: a diner who already ordered this period is not given a second meal from the reservation") {
    test::TempDir dir;
    std::string menu = test::read_file(std::filesystem::path(KIOSK_SOURCE_DIR) / "config/menu/demo.toml");
    const auto at = menu.find("id = \"set-b\"");
    REQUIRE(at != std::string::npos);
    const auto limit = menu.find("daily_limit = 80", at);
    REQUIRE(limit != std::string::npos);
    menu.replace(limit, std::string("daily_limit = 80").size(), "daily_limit = 1");
    const auto menu_file = dir.write("menu.toml", menu);
    const auto config = dir.write("canteen.toml", std::string(kCanteen) + "[staff]\npin = \"2580\"\n[canteen]\nmenu = \"" +
                                                      menu_file.string() + "\"\n");
    const auto data = dir.path() / "data";
    const auto script = dir.write("s.script", R"(time 2026-11-25T11:30:00+08:00
card 0004215869
tap "预订明天"
tap "套餐B"
tap "预订，到时付现金"
expect "预订好了"
tap "完成"
advance 84600
card 0004215871
tap "套餐B"
tap "现金付款"
expect "0001"
tap "完成"
card 0004215869
expect "您预订的套餐B已经卖完了"
tap "素菜套餐"
tap "现金付款"
expect "0002"
tap "完成"
hold "佳禾社区老年餐厅" 3200
tap "2"
tap "5"
tap "8"
tap "0"
tap "确定"
tap "订单与退款"
tap "0001"
tap "退款"
tap "点错了"
expect "已冲回"
tap "返回"
tap "返回"
tap "退出"
card 0004215869
expect "今天午餐"
absent "取餐号"
tap "完成"
)");
    const auto r = test::run(args(data, script, config));
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    const auto facts = export_facts(data);
    int hers = 0;
    for (const auto& o : of_type(facts, "meal_order"))
        if (o.at("resident") == 1) {
            ++hers;
            CHECK(o.at("items")[0].at("name") == "素菜套餐");
            CHECK(o.at("subsidy_fen") == 500);
        }
    CHECK(hers == 1);
}
