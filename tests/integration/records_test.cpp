// What the kiosk records, seen from outside: the export, the database file,
// the logs; and that a record survives the process being killed.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <tuple>

#include "process.hpp"

namespace {

const char* kVisits = R"(time 2026-11-25T11:30:00+08:00
card 0004215869
expect "张桂兰 奶奶，您好"
tap "完成"
idcard 130730194111020017 王德福
expect "王德福 爷爷，您好"
tap "完成"
card 0009999999
expect "请到服务台登记"
tap "好的"
idcard 130730194603080025 张桂兰
expect "校验不通过"
tap "好的"
advance 30
card 0004215869
expect "已签到"
)";

}  // namespace

TEST_CASE("export: every check-in is one JSON line with the required fields") {
    test::TempDir dir;
    const auto r = test::run(test::kiosk_script_args(dir, dir.write("s.script", kVisits)));
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);

    const auto facts = test::export_facts(dir);
    // Two recorded: the unknown card, the bad check digit and the repeat record nothing.
    REQUIRE(facts.size() == 2);
    const std::regex uuid("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
    std::set<std::string> ids;
    for (const auto& f : facts) {
        CHECK(f.at("type") == "check_in");
        CHECK(std::regex_match(f.at("id").get<std::string>(), uuid));
        CHECK(ids.insert(f.at("id").get<std::string>()).second);
        CHECK(f.at("terminal") == "jiahe-hall-01");
        CHECK(f.at("purpose") == "visit");
        CHECK(f.at("at").get<std::string>().rfind("2026-11-25T03:30:", 0) == 0);  // 11:30 in Shanghai, in UTC
        CHECK(f.at("at").get<std::string>().back() == 'Z');
    }
    CHECK(facts[0].at("seq") == 1);
    CHECK(facts[0].at("resident") == 1);
    CHECK(facts[0].at("masked_id") == "130***********0024");
    CHECK(facts[0].at("method") == "card");
    CHECK(facts[1].at("seq") == 2);
    CHECK(facts[1].at("resident") == 2);
    CHECK(facts[1].at("masked_id") == "130***********0017");
    CHECK(facts[1].at("method") == "id_card");
}

TEST_CASE("personal data: full ID numbers appear in no export, log, screen text or database file") {
    test::TempDir dir;
    const auto audit = dir.path() / "audit.jsonl";
    const auto r = test::run(test::kiosk_script_args(dir, dir.write("s.script", kVisits), {"--audit", audit.string()}));
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    const auto exported =
        test::run({KIOSK_BINARY, "export", "--format", "jsonl", "--data-dir", (dir.path() / "data").string()});

    std::string everything = r.out + r.err + exported.out + exported.err + test::read_file(audit);
    // The database, its WAL, the key, the receipt spool and the printed jobs.
    for (const auto& entry : std::filesystem::recursive_directory_iterator(dir.path() / "data"))
        if (entry.is_regular_file()) everything += test::read_file(entry.path());
    for (const char* id : {"130730194603080024", "130730194111020017", "130730194603080025"}) {
        INFO(id);
        CHECK(everything.find(id) == std::string::npos);
    }
    CHECK(everything.find("130***********0024") != std::string::npos);  // the masked form is there
}

TEST_CASE("durability: a check-in shown on screen is in the database when the process is killed") {
    test::TempDir dir;
    const auto script = dir.write("s.script", R"(time 2026-11-25T11:30:00+08:00
card 0004215870
expect "王德福 爷爷，您好"
wait 60000
)");
    test::Child kiosk(test::kiosk_script_args(dir, script));
    // Line 3 is the expect: the greeting is on screen.
    REQUIRE(kiosk.wait_for_line("script: line 3 passed", std::chrono::seconds{30}));
    kiosk.kill_hard();
    CHECK(kiosk.wait() == -9);

    const auto facts = test::export_facts(dir);
    REQUIRE(facts.size() == 1);
    CHECK(facts[0].at("resident") == 2);
    CHECK(facts[0].at("method") == "card");
}

TEST_CASE("canteen and day care record their own purpose") {
    // The canteen greets with its menu, day care with the usual hello.
    for (const auto& [site, purpose, greeting] : {std::tuple{"canteen", "meal", "李淑珍 奶奶，请选饭菜"},
                                                  std::tuple{"daycare", "day_care", "李淑珍 奶奶，您好"}}) {
        test::TempDir dir;
        const auto r = test::run(test::kiosk_script_args(
            dir, dir.write("s.script", std::string("time 2026-11-25T11:30:00+08:00\ncard 0004215871\nexpect \"") + greeting + "\"\n"),
            {"--config", std::string(KIOSK_SOURCE_DIR) + "/config/sites/" + site + ".toml"}));
        REQUIRE_MESSAGE(r.exit_code == 0, r.err);
        const auto facts = test::export_facts(dir);
        REQUIRE(facts.size() == 1);
        CHECK(facts[0].at("purpose") == purpose);
        CHECK(facts[0].at("terminal") == std::string("jiahe-") + site + "-01");
    }
}

TEST_CASE("sequence: numbers keep rising across restarts") {
    test::TempDir dir;
    for (const char* card : {"0004215869", "0004215870", "0004215871"}) {
        const auto r = test::run(test::kiosk_script_args(dir, dir.write("s.script", std::string("card ") + card + "\n")));
        REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    }
    const auto facts = test::export_facts(dir);
    REQUIRE(facts.size() == 3);
    for (std::size_t i = 0; i < facts.size(); ++i) CHECK(facts[i].at("seq") == i + 1);
}
