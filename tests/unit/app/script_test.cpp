#include <doctest/doctest.h>

#include "script.hpp"

using kiosk::app::parse_script;

TEST_CASE("script: commands, quotes and comments") {
    const auto r = parse_script(
        "# a comment\n"
        "\n"
        "time 2026-11-25T11:30:00+08:00\n"
        "card 0004215869\n"
        "  tap \"完成\"  \n"
        "tap 960 540\n"
        "idcard 130730194603080024 张桂兰 gender=F \"address=佳禾小区一区 3号楼\"\n"
        "expect \"张桂兰 奶奶，您好\"\n"
        "type hello world\n"
        "key Enter\r\n"
        "wait 500\n"
        "advance 65\n"
        "screenshot idle\n"
        "absent \"王德福\"\n",
        "t.script");
    REQUIRE(r.ok());
    const auto& l = *r;
    REQUIRE(l.size() == 12);
    CHECK(l[0].command == "time");
    CHECK(l[0].number == 3);
    CHECK(l[2].command == "tap");
    CHECK(l[2].args == std::vector<std::string>{"完成"});
    CHECK(l[3].args == std::vector<std::string>{"960", "540"});
    CHECK(l[4].args == std::vector<std::string>{"130730194603080024", "张桂兰", "gender=F", "address=佳禾小区一区 3号楼"});
    CHECK(l[5].args == std::vector<std::string>{"张桂兰 奶奶，您好"});
    CHECK(l[6].args == std::vector<std::string>{"hello world"});
    CHECK(l[7].args == std::vector<std::string>{"Enter"});
    CHECK(l[11].command == "absent");
}

TEST_CASE("script: an unknown command names its line") {
    const auto r = parse_script("card 1\nclick \"x\"\n", "demo.script");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message.find("demo.script:2:") == 0);
    CHECK(r.error().message.find("click") != std::string::npos);
}

TEST_CASE("script: wrong argument counts are refused before anything runs") {
    CHECK_FALSE(parse_script("card\n", "s").ok());
    CHECK_FALSE(parse_script("card 1 2\n", "s").ok());
    CHECK_FALSE(parse_script("tap 1 2 3\n", "s").ok());
    CHECK_FALSE(parse_script("idcard 130730194603080024\n", "s").ok());
    const auto r = parse_script("wait\n", "s");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message.find("s:1:") == 0);
}

TEST_CASE("script: an unclosed quote is an error") {
    const auto r = parse_script("expect \"张桂兰\n", "s");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message.find("quote") != std::string::npos);
}
