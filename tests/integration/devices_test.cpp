// The kiosk with real drivers against faithful fakes of the devices.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "../drivers/ga467/fake_ga467.hpp"
#include "process.hpp"

namespace {

// A data directory with the demo roster, made by one demo run.
void seed_roster(const test::TempDir& dir) {
    const auto r = test::run(test::kiosk_script_args(dir, dir.write("seed.script", "wait 1\n")));
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
}

std::vector<std::string> kiosk_without_demo(const test::TempDir& dir, const std::filesystem::path& config,
                                            const std::filesystem::path& script) {
    return {KIOSK_BINARY,    "--headless",
            "--config",      config.string(),
            "--data-dir",    (dir.path() / "data").string(),
            "--script",      script.string(),
            "--screenshots", (dir.path() / "shots").string()};
}

// A config with only the devices named; every other one is "none".
std::filesystem::path devices(const test::TempDir& dir, const std::string& sections) {
    std::string text;
    for (const char* d : {"card_reader", "id_reader", "printer"})
        if (sections.find(std::string("[devices.") + d + "]") == std::string::npos)
            text += std::string("[devices.") + d + "]\ndriver = \"none\"\n";
    return dir.write("devices.toml", text + sections);
}

drivers::IdCardText zhang() {
    drivers::IdCardText t;
    t.name = "张桂兰";
    t.gender = "2";
    t.ethnicity = "01";
    t.birth = "19460308";
    t.address = "河北省怀来县沙城镇佳禾小区一区3号楼2单元401";
    t.id_number = "130730194603080024";
    t.authority = "怀来县公安局";
    t.valid_from = "20160308";
    t.valid_to = "长期";
    return t;
}

}  // namespace

TEST_CASE("GA 467 reader: an ID card placed on a real serial line checks the resident in") {
    test::TempDir dir;
    seed_roster(dir);
    ga467_test::FakeGa467 reader;
    const auto config = devices(dir, "[devices.id_reader]\ndriver = \"ga467\"\npath = \"" + reader.tty() + "\"\n");
    reader.place(zhang());
    const auto script = dir.write("s.script", "await \"张桂兰 奶奶，您好\" 10000\nexpect \"130***********0024\"\n");
    const auto r = test::run(kiosk_without_demo(dir, config, script));
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    CHECK(reader.read_replies() >= 1);

    const auto e =
        test::run({KIOSK_BINARY, "export", "--format", "jsonl", "--data-dir", (dir.path() / "data").string()});
    const auto fact = nlohmann::json::parse(e.out.substr(0, e.out.find('\n')));
    CHECK(fact.at("method") == "id_card");
    CHECK(fact.at("resident") == 1);
    CHECK(e.out.find("130730194603080024") == std::string::npos);
}

TEST_CASE("GA 467 reader: a card number failing its check digit is refused, nothing recorded") {
    test::TempDir dir;
    seed_roster(dir);
    ga467_test::FakeGa467 reader;
    const auto config = devices(dir, "[devices.id_reader]\ndriver = \"ga467\"\npath = \"" + reader.tty() + "\"\n");
    auto bad = zhang();
    bad.id_number = "130730194603080025";
    reader.place(bad);
    const auto r = test::run(kiosk_without_demo(dir, config, dir.write("s.script", "await \"校验不通过\" 10000\n")));
    REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    const auto e =
        test::run({KIOSK_BINARY, "export", "--format", "jsonl", "--data-dir", (dir.path() / "data").string()});
    CHECK(e.out.empty());
}

TEST_CASE("kiosk doctor: lists the reader and reads one card, masked") {
    test::TempDir dir;
    ga467_test::FakeGa467 reader;
    const auto config = devices(dir, "[devices.id_reader]\ndriver = \"ga467\"\npath = \"" + reader.tty() + "\"\n");
    reader.place(zhang());
    const auto r = test::run({KIOSK_BINARY, "doctor", "--read-card", "--wait", "20", "--config", config.string(),
                              "--data-dir", (dir.path() / "data").string()});
    INFO(r.out);
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("ID card reader") != std::string::npos);
    CHECK(r.out.find("ID card from ga467") != std::string::npos);
    CHECK(r.out.find("张*兰") != std::string::npos);
    CHECK(r.out.find("130***********0024") != std::string::npos);
    CHECK(r.out.find("张桂兰") == std::string::npos);
    CHECK(r.out.find("130730194603080024") == std::string::npos);
}

TEST_CASE("kiosk doctor: an unplugged reader is reported absent, the exit code says so") {
    test::TempDir dir;
    const auto config =
        devices(dir, "[devices.id_reader]\ndriver = \"ga467\"\npath = \"/dev/serial/by-id/no-such-reader\"\n");
    const auto r =
        test::run({KIOSK_BINARY, "doctor", "--config", config.string(), "--data-dir", (dir.path() / "data").string()});
    INFO(r.out);
    CHECK(r.exit_code == 1);
    CHECK(r.out.find("absent") != std::string::npos);
    CHECK(r.out.find("/dev/serial/by-id/no-such-reader") != std::string::npos);
}

// ---------------------------------------------------------------------------
// Printers: an ESC/POS printer on TCP 9100, and CUPS.
// ---------------------------------------------------------------------------
#include "../drivers/a4/cups_fixture.hpp"
#include "fake_printer.hpp"

TEST_CASE("receipt printer on TCP: out of paper, the notice waits, and with paper back it prints exactly once") {
    test::TempDir dir;
    seed_roster(dir);
    escpos_test::FakeNetworkPrinter printer;
    printer.set_paper_out(true);
    const auto config = devices(dir,
                                "[devices.printer]\ndriver = \"escpos\"\ntransport = \"tcp\"\n"
                                "font = \"gb18030\"\naddress = \"" +
                                    printer.address() + "\"\n");
    const auto script = dir.write("s.script", R"(tap "通知"
tap "谨防养老诈骗"
tap "打印"
await "打印机暂时不能打印（缺纸）" 15000
await "已打印，请在出纸口取" 30000
)");
    test::Child kiosk(kiosk_without_demo(dir, config, script));
    REQUIRE(kiosk.wait_for_line("script: line 4 passed", std::chrono::seconds{30}));
    CHECK(printer.count("谨防养老诈骗") == 0);
    printer.set_paper_out(false);  // staff refill the paper
    REQUIRE(kiosk.wait_for_line("script: line 5 passed", std::chrono::seconds{40}));
    CHECK(kiosk.wait() == 0);
    CHECK(printer.count("谨防养老诈骗") == 1);
    CHECK(printer.count("佳禾社区居委会") == 1);
    // Every connection was closed by the kiosk (a TCP 9100 socket left open locks the printer).
    for (const auto& c : printer.connections()) CHECK_FALSE(c.open);
}

TEST_CASE("kiosk doctor: a test receipt on a TCP printer") {
    test::TempDir dir;
    escpos_test::FakeNetworkPrinter printer;
    const auto config = devices(dir,
                                "[devices.printer]\ndriver = \"escpos\"\ntransport = \"tcp\"\n"
                                "address = \"" +
                                    printer.address() + "\"\n");
    const auto r = test::run({KIOSK_BINARY, "doctor", "--print-test", "--wait", "20", "--config", config.string(),
                              "--data-dir", (dir.path() / "data").string()});
    INFO(r.out);
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("test receipt: printed") != std::string::npos);
    CHECK(printer.count("打印测试") == 1);
}

TEST_CASE("kiosk doctor: an A4 test page through a real CUPS") {
    auto cups = kiosk_test::PrivateCups::start();
    REQUIRE_MESSAGE(cups.ok(), (cups.ok() ? "" : cups.error().message));
    REQUIRE((*cups)->add_pdf_printer("A4").ok());
    test::TempDir dir;
    const auto config = devices(
        dir, "[devices.a4_printer]\ndriver = \"cups\"\nqueue = \"A4\"\nserver = \"" + (*cups)->socket_path() + "\"\n");
    const auto r = test::run({KIOSK_BINARY, "doctor", "--print-a4-test", "--wait", "60", "--config", config.string(),
                              "--data-dir", (dir.path() / "data").string()});
    INFO(r.out);
    INFO((*cups)->log_tail());
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("A4 printer") != std::string::npos);
    const auto pdf = test::read_file((*cups)->output_path("A4"));
    CHECK(pdf.rfind("%PDF", 0) == 0);
}
