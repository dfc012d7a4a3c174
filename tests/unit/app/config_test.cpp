#include "kiosk/app/config.hpp"

#include <doctest/doctest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <tuple>
#include <vector>

using kiosk::app::Config;
using kiosk::app::ConfigSource;
using kiosk::app::default_config_source;
using kiosk::app::load_config;
using kiosk::app::read_config_file;
using kiosk::app::SiteType;

namespace {

Config defaults() {
    auto r = load_config({default_config_source()});
    REQUIRE_MESSAGE(r.ok(), r.error().message);
    return *r;
}

// The defaults with one more layer on top.
kiosk::Result<Config> with(const std::string& text, const std::string& name = "x.toml") {
    return load_config({default_config_source(), ConfigSource{name, text}});
}

Config loaded(const std::string& text) {
    auto r = with(text);
    REQUIRE_MESSAGE(r.ok(), r.error().message);
    return *r;
}

// The message of the error `text` on top of the defaults gives.
std::string mistake(const std::string& text, const std::string& name = "x.toml") {
    auto r = with(text, name);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "config.invalid");
    CHECK(r.error().message.find('\n') == std::string::npos);
    return r.error().message;
}

bool starts(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }
bool has(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

// Every field, so two configs compare whole.
auto fields(const Config& c) {
    std::vector<std::tuple<int, std::string, std::string>> rules;
    for (const auto& r : c.greeting.rules) rules.emplace_back(r.min_age, r.female, r.male);
    return std::tuple{c.terminal.id, c.site.name, c.site.type, c.site.community, c.site.time_zone,
                      c.display.width_mm, c.display.height_mm, c.display.fullscreen, c.display.window_width,
                      c.display.window_height, c.ui.language, c.ui.large_text, c.ui.font, c.ui.font_index,
                      c.voice.enabled, c.voice.sounds, c.voice.volume, c.voice.rate, c.session.idle_timeout_s,
                      c.session.countdown_s, c.check_in.repeat_window_s, c.greeting.use_forms, rules, c.data.dir,
                      c.log.level, c.devices.card_reader.driver, c.devices.id_reader.driver,
                      c.devices.printer.driver, c.check_in.slip, c.staff.pin, c.devices.card_reader.path,
                      c.devices.card_reader.format, c.devices.card_reader.reader, c.devices.id_reader.path,
                      c.devices.id_reader.baud, c.devices.printer.transport, c.devices.printer.path,
                      c.devices.printer.address, c.devices.printer.baud, c.devices.printer.width_mm,
                      c.devices.printer.native_qr, c.devices.printer.font, c.devices.a4_printer.driver,
                      c.devices.a4_printer.queue, c.devices.a4_printer.server};
}

}  // namespace

TEST_SUITE("config") {

TEST_CASE("the compiled-in defaults are named <defaults> and hold text") {
    const ConfigSource d = default_config_source();
    CHECK(d.name == "<defaults>");
    CHECK(has(d.text, "[session]"));
}

TEST_CASE("the defaults load with the documented values") {
    const Config c = defaults();
    CHECK(c.terminal.id == "jiahe-hall-01");
    CHECK(c.site.name == "佳禾社区党群服务中心");
    CHECK(c.site.type == SiteType::Hall);
    CHECK(c.site.community == "佳禾社区");
    CHECK(c.site.time_zone == "Asia/Shanghai");
    CHECK(c.display.width_mm == 476.0);
    CHECK(c.display.height_mm == 268.0);
    CHECK(c.display.fullscreen);
    CHECK(c.display.window_width == 1920);
    CHECK(c.display.window_height == 1080);
    CHECK(c.ui.language == "zh-CN");
    CHECK_FALSE(c.ui.large_text);
    CHECK(c.ui.font == "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc");
    CHECK(c.ui.font_index == 2);
    CHECK(c.voice.enabled);
    CHECK(c.voice.sounds);
    CHECK(c.voice.volume == 80);
    CHECK(c.voice.rate == 150);
    CHECK(c.session.idle_timeout_s == 60);
    CHECK(c.session.countdown_s == 10);
    CHECK(c.check_in.repeat_window_s == 600);
    CHECK(c.data.dir == "/var/lib/kiosk");
    CHECK(c.log.level == "info");
    CHECK(c.devices.card_reader.driver == "sim");
    CHECK(c.devices.id_reader.driver == "sim");
    CHECK(c.devices.printer.driver == "sim");
}

TEST_CASE("the default greeting forms match GreetingPolicy::defaults") {
    const Config c = defaults();
    const auto expected = kiosk::core::GreetingPolicy::defaults();
    CHECK(c.greeting.use_forms == expected.use_forms);
    REQUIRE(c.greeting.rules.size() == expected.rules.size());
    for (std::size_t i = 0; i < expected.rules.size(); ++i) {
        CHECK(c.greeting.rules[i].min_age == expected.rules[i].min_age);
        CHECK(c.greeting.rules[i].female == expected.rules[i].female);
        CHECK(c.greeting.rules[i].male == expected.rules[i].male);
    }
    CHECK(c.greeting.form_for(70, kiosk::core::Gender::Female) == "奶奶");
}

TEST_CASE("site_type_code names each site type") {
    CHECK(kiosk::app::site_type_code(SiteType::Hall) == "hall");
    CHECK(kiosk::app::site_type_code(SiteType::Canteen) == "canteen");
    CHECK(kiosk::app::site_type_code(SiteType::DayCare) == "daycare");
    CHECK(loaded("[site]\ntype = \"daycare\"\n").site.type == SiteType::DayCare);
    CHECK(loaded("[site]\ntype = \"canteen\"\n").site.type == SiteType::Canteen);
}

TEST_CASE("a layer that sets one key changes only that key") {
    Config expected = defaults();
    expected.session.idle_timeout_s = 120;
    CHECK(fields(loaded("[session]\nidle_timeout_s = 120\n")) == fields(expected));

    expected = defaults();
    expected.devices.printer.driver = "escpos";
    CHECK(fields(loaded("[devices.printer]\ndriver = \"escpos\"\n")) == fields(expected));
}

TEST_CASE("an empty layer changes nothing") {
    CHECK(fields(loaded("")) == fields(defaults()));
    CHECK(fields(loaded("# only a comment\n[session]\n")) == fields(defaults()));
}

TEST_CASE("an array replaces the earlier one whole") {
    const Config c = loaded("[greeting]\nforms = [ { min_age = 70, female = \"婆婆\", male = \"\" } ]\n");
    REQUIRE(c.greeting.rules.size() == 1);
    CHECK(c.greeting.rules[0].min_age == 70);
    CHECK(c.greeting.rules[0].female == "婆婆");
    CHECK(c.greeting.rules[0].male.empty());
    CHECK(c.greeting.use_forms);

    CHECK(loaded("[greeting]\nforms = []\n").greeting.rules.empty());
}

TEST_CASE("forms may also be written as an array of tables") {
    const Config c = loaded("[[greeting.forms]]\nmin_age = 65\nfemale = \"奶奶\"\nmale = \"爷爷\"\n");
    REQUIRE(c.greeting.rules.size() == 1);
    CHECK(c.greeting.rules[0].min_age == 65);
}

TEST_CASE("a later layer wins, key by key") {
    auto r = load_config({default_config_source(),
                          {"/etc/kiosk/kiosk.toml", "[voice]\nvolume = 40\nrate = 120\n"},
                          {"cli.toml", "[voice]\nvolume = 90\n[log]\nlevel = \"debug\"\n"}});
    REQUIRE_MESSAGE(r.ok(), r.error().message);
    CHECK(r->voice.volume == 90);
    CHECK(r->voice.rate == 120);
    CHECK(r->log.level == "debug");
    CHECK(r->voice.enabled);
}

TEST_CASE("a float key accepts a whole number") {
    const Config c = loaded("[display]\nwidth_mm = 600\nheight_mm = 337.5\n");
    CHECK(c.display.width_mm == 600.0);
    CHECK(c.display.height_mm == 337.5);
}

TEST_CASE("range bounds are inclusive") {
    const Config c = loaded("[voice]\nvolume = 0\nrate = 300\n[check_in]\nrepeat_window_s = 0\n");
    CHECK(c.voice.volume == 0);
    CHECK(c.voice.rate == 300);
    CHECK(c.check_in.repeat_window_s == 0);
}

TEST_CASE("an unknown key names the nearest known key") {
    CHECK(mistake("[session]\nidle_timeout_s = 60\nidle_timout_s = 30\n", "/etc/kiosk/kiosk.toml") ==
          "/etc/kiosk/kiosk.toml:3: unknown key 'idle_timout_s' in [session]; did you mean 'idle_timeout_s'?");
}

TEST_CASE("an unknown key far from any known key lists the section's keys") {
    const std::string m = mistake("\n[session]\nbrightness = 3\n");
    CHECK(starts(m, "x.toml:3: unknown key 'brightness' in [session]"));
    CHECK(has(m, "'idle_timeout_s'"));
    CHECK(has(m, "'countdown_s'"));
}

TEST_CASE("an unknown section names the nearest known section") {
    CHECK(mistake("\n\n[sesion]\nidle_timeout_s = 60\n") == "x.toml:3: unknown section [sesion]; did you mean [session]?");
    CHECK(mistake("[devices.printr]\ndriver = \"sim\"\n") ==
          "x.toml:1: unknown section [devices.printr]; did you mean [devices.printer]?");
    CHECK(mistake("[printer]\ndriver = \"sim\"\n") == "x.toml:1: unknown section [printer]; did you mean [devices.printer]?");
}

TEST_CASE("an unknown section far from any known one lists the sections") {
    const std::string m = mistake("[session]\n[network]\nhost = \"a\"\n");
    CHECK(starts(m, "x.toml:2: unknown section [network]"));
    CHECK(has(m, "[check_in]"));
    CHECK(has(m, "[devices.printer]"));
}

TEST_CASE("a key outside its section is pointed to its section") {
    CHECK(mistake("idle_timeout_s = 60\n") ==
          "x.toml:1: key 'idle_timeout_s' is outside any section; did you mean to put it under [session]?");
    CHECK(starts(mistake("[devices]\ndriver = \"sim\"\n"), "x.toml:2: key 'driver' is directly in [devices]"));
}

TEST_CASE("a section written as a plain value is a mistake") {
    CHECK(mistake("session = 60\n") == "x.toml:1: [session] must be a section, not 60");
}

TEST_CASE("a value of the wrong type names the key and what is allowed") {
    CHECK(mistake("[voice]\n\n\nenabled = \"yes\"\n") == "x.toml:4: [voice] enabled must be true or false, not \"yes\"");
    CHECK(mistake("[session]\nidle_timeout_s = \"60\"\n") ==
          "x.toml:2: [session] idle_timeout_s must be a whole number of seconds between 10 and 3600, not \"60\"");
    CHECK(mistake("[session]\nidle_timeout_s = 60.0\n") ==
          "x.toml:2: [session] idle_timeout_s must be a whole number of seconds between 10 and 3600, not 60.0");
    CHECK(mistake("[ui]\nfont = 3\n") == "x.toml:2: [ui] font must be non-empty text in quotes, not 3");
    CHECK(mistake("[display]\nwidth_mm = \"476\"\n") ==
          "x.toml:2: [display] width_mm must be a number of millimetres between 50 and 3000, not \"476\"");
}

TEST_CASE("a value out of range names the range") {
    CHECK(mistake("[session]\n\n\n\nidle_timeout_s = 5\n") ==
          "x.toml:5: [session] idle_timeout_s must be a whole number of seconds between 10 and 3600, not 5");
    CHECK(starts(mistake("[voice]\nvolume = 101\n"), "x.toml:2: [voice] volume must be a whole number between 0 and 100"));
    CHECK(starts(mistake("[ui]\nfont_index = -1\n"), "x.toml:2: [ui] font_index must be a whole number between 0 and 63"));
    CHECK(has(mistake("[display]\nwindow_width = 99999999999\n"), "between 320 and 7680, not 99999999999"));
    CHECK(mistake("[display]\nheight_mm = 29.5\n") ==
          "x.toml:2: [display] height_mm must be a number of millimetres between 30 and 3000, not 29.5");
    CHECK(has(mistake("[display]\nwidth_mm = nan\n"), "not nan"));
}

TEST_CASE("a word not among the allowed words lists them") {
    CHECK(mistake("[site]\ntype = \"canten\"\n") ==
          "x.toml:2: [site] type must be one of \"hall\", \"canteen\", \"daycare\", not \"canten\"");
    CHECK(mistake("[devices.id_reader]\ndriver = \"hid\"\n") ==
          "x.toml:2: [devices.id_reader] driver must be one of \"none\", \"sim\", \"ga467\", not \"hid\"");
    CHECK(has(mistake("[ui]\nlanguage = \"zh\"\n"), "[ui] language must be one of \"zh-CN\", \"en\""));
    CHECK(has(mistake("[log]\nlevel = \"INFO\"\n"), "\"trace\", \"debug\", \"info\", \"warn\", \"error\", not \"INFO\""));
}

TEST_CASE("a TOML syntax error names the source and line") {
    const std::string m = mistake("[voice]\nvolume = 80\n\n\n\n\nrate = \n", "/etc/kiosk/kiosk.toml");
    CHECK(starts(m, "/etc/kiosk/kiosk.toml:7: this is not valid TOML: "));
    CHECK(starts(mistake("[session]\nidle_timeout_s = 60\nidle_timeout_s = 70\n"), "x.toml:3: this is not valid TOML: "));
}

TEST_CASE("a terminal id must be lower-case letters, digits and '-'") {
    CHECK(loaded("[terminal]\nid = \"canteen-2\"\n").terminal.id == "canteen-2");
    CHECK(mistake("[terminal]\nid = \"Hall 1\"\n") ==
          "x.toml:2: [terminal] id must be text made only of lower-case letters, digits and '-', "
          "such as \"jiahe-hall-01\", not \"Hall 1\"");
    CHECK(starts(mistake("[terminal]\nid = \"\"\n"), "x.toml:2: [terminal] id must be"));
    CHECK(starts(mistake("[terminal]\nid = \"hall_1\"\n"), "x.toml:2: [terminal] id must be"));
}

TEST_CASE("a time zone must be a zone file under /usr/share/zoneinfo") {
    CHECK(loaded("[site]\ntime_zone = \"Asia/Urumqi\"\n").site.time_zone == "Asia/Urumqi");
    const std::string allowed = "must be a time zone from /usr/share/zoneinfo";
    CHECK(mistake("[site]\ntime_zone = \"Mars/Olympus\"\n") ==
          "x.toml:2: [site] time_zone " + allowed + ", such as \"Asia/Shanghai\", not \"Mars/Olympus\"");
    for (const char* bad : {"../zoneinfo/Asia/Shanghai", "/usr/share/zoneinfo/Asia/Shanghai", "Asia/../Asia/Shanghai",
                            "zone.tab", "Asia", "", "Asia/"}) {
        CAPTURE(bad);
        CHECK(starts(mistake(std::string("[site]\ntime_zone = \"") + bad + "\"\n"), "x.toml:2: [site] time_zone " + allowed));
    }
}

TEST_CASE("a bad greeting form entry names the entry and its line") {
    CHECK(mistake("[greeting]\nforms = 5\n") ==
          "x.toml:2: [greeting] forms must be a list of entries like "
          "{ min_age = 60, female = \"奶奶\", male = \"爷爷\" }, not 5");
    const std::string head = "[greeting]\nforms = [\n  { min_age = 60, female = \"奶奶\", male = \"爷爷\" },\n";
    CHECK(mistake(head + "  { min_age = 200, female = \"阿姨\", male = \"叔叔\" },\n]\n") ==
          "x.toml:4: min_age in [greeting] forms entry 2 must be a whole number of years between 0 and 150, not 200");
    CHECK(mistake(head + "  { min_age = 40, female = \"阿姨\" },\n]\n") ==
          "x.toml:4: [greeting] forms entry 2 has no male; every entry needs min_age, female and male");
    CHECK(mistake(head + "  { min_age = 40, female = \"阿姨\", mail = \"叔叔\" },\n]\n") ==
          "x.toml:4: [greeting] forms entry 2 has an unknown key 'mail'; did you mean 'male'?");
    CHECK(starts(mistake(head + "  { min_age = 40, female = \"阿姨\", male = \"叔叔\", note = 1 },\n]\n"),
                 "x.toml:4: [greeting] forms entry 2 has an unknown key 'note'"));
    CHECK(mistake(head + "  { min_age = 40, female = 1, male = \"叔叔\" },\n]\n") ==
          "x.toml:4: female in [greeting] forms entry 2 must be text in quotes, not 1");
    CHECK(starts(mistake(head + "  \"阿姨\",\n]\n"), "x.toml:4: [greeting] forms entry 2 must be written like"));
    CHECK(mistake(head + "  { min_age = 60, female = \"阿姨\", male = \"叔叔\" },\n]\n") ==
          "x.toml:4: [greeting] forms entries 1 and 2 both have min_age 60");
}

TEST_CASE("each layer is checked on its own, so the error names the right file") {
    auto r = load_config({default_config_source(),
                          {"/etc/kiosk/kiosk.toml", "[voice]\nvolume = 40\n\n[session]\ncountdown_s = 1\n"},
                          {"cli.toml", "[session]\ncountdown_s = 10\n"}});
    REQUIRE_FALSE(r.ok());
    CHECK(starts(r.error().message, "/etc/kiosk/kiosk.toml:5: [session] countdown_s must be"));
}

TEST_CASE("a mistake in the defaults names <defaults>") {
    auto r = load_config({{"<defaults>", "[voice]\nvolume = 400\n"}});
    REQUIRE_FALSE(r.ok());
    CHECK(starts(r.error().message, "<defaults>:2: [voice] volume must be"));
}

TEST_CASE("a key no layer sets is reported") {
    auto r = load_config({{"partial.toml", "[session]\nidle_timeout_s = 60\n"}});
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "config.invalid");
    CHECK(starts(r.error().message, "partial.toml: [terminal] id is not set by any layer"));

    auto none = load_config({});
    REQUIRE_FALSE(none.ok());
    CHECK(none.error().code == "config.invalid");
}

TEST_CASE("a long or multi-line bad value is shown short, on one line") {
    const std::string m = mistake("[terminal]\nid = \"\"\"\nline one\nline two " + std::string(200, 'x') + "\"\"\"\n");
    CHECK(starts(m, "x.toml:2: [terminal] id must be"));
    CHECK(has(m, "\\u000A"));
    CHECK(m.size() < 300);
}

TEST_CASE("read_config_file reads a file and names it") {
    const auto path = std::filesystem::temp_directory_path() / "kiosk_config_test.toml";
    {
        std::ofstream out(path);
        out << "[voice]\nvolume = 30\n";
    }
    auto source = read_config_file(path.string());
    std::filesystem::remove(path);
    REQUIRE_MESSAGE(source.ok(), source.error().message);
    CHECK(source->name == path.string());
    CHECK(source->text == "[voice]\nvolume = 30\n");
    auto r = load_config({default_config_source(), *source});
    REQUIRE(r.ok());
    CHECK(r->voice.volume == 30);
}

TEST_CASE("read_config_file on a missing file says why") {
    auto r = read_config_file("/nonexistent/kiosk.toml");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "config.unreadable");
    CHECK(r.error().message == "cannot read the config file /nonexistent/kiosk.toml: No such file or directory");
}

TEST_CASE("read_config_file on a directory says why") {
    auto r = read_config_file(std::filesystem::temp_directory_path().string());
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "config.unreadable");
    CHECK(has(r.error().message, "Is a directory"));
}

TEST_CASE("device sections: the defaults are the simulated devices") {
    const Config c = defaults();
    CHECK(c.devices.card_reader.driver == "sim");
    CHECK(c.devices.card_reader.format == "dec10");
    CHECK(c.devices.id_reader.driver == "sim");
    CHECK(c.devices.id_reader.baud == 115200);
    CHECK(c.devices.printer.driver == "sim");
    CHECK(c.devices.printer.width_mm == 58);
    CHECK(c.devices.printer.native_qr);
    CHECK(c.devices.printer.font == "gb2312");
    CHECK(c.devices.a4_printer.driver == "none");
    CHECK(c.check_in.slip == "never");
    CHECK(c.staff.pin.empty());
    CHECK(check_devices(c).ok());
}

TEST_CASE("device sections: real drivers with their settings") {
    const Config c = loaded(R"(
[devices.id_reader]
driver = "ga467"
path = "/dev/serial/by-id/usb-1a86_USB_Serial-if00-port0"
baud = 9600
[devices.card_reader]
driver = "hid"
path = "/dev/input/by-id/usb-reader-event-kbd"
format = "dec10-reversed"
[devices.printer]
driver = "escpos"
transport = "tcp"
address = "192.168.1.50:9100"
width_mm = 80
[devices.a4_printer]
driver = "cups"
queue = "A4"
)");
    CHECK(c.devices.id_reader.baud == 9600);
    CHECK(c.devices.card_reader.format == "dec10-reversed");
    CHECK(c.devices.printer.width_mm == 80);
    CHECK(c.devices.printer.address == "192.168.1.50:9100");
    CHECK(c.devices.a4_printer.queue == "A4");
    CHECK(check_devices(c).ok());
}

TEST_CASE("device sections: numbers from a fixed list name the list") {
    const auto baud = mistake("[devices.id_reader]\nbaud = 11520\n");
    CHECK(has(baud, "x.toml:2:"));
    CHECK(has(baud, "9600, 19200, 38400, 57600, 115200, 230400"));
    CHECK(has(mistake("[devices.printer]\nwidth_mm = 76\n"), "58, 80"));
    CHECK(has(mistake("[devices.card_reader]\nformat = \"decimal\"\n"), "\"dec10-reversed\""));
}

TEST_CASE("staff pin: 4 to 8 digits, or empty to keep staff mode closed") {
    CHECK(loaded("[staff]\npin = \"2580\"\n").staff.pin == "2580");
    CHECK(loaded("[staff]\npin = \"\"\n").staff.pin.empty());
    CHECK(has(mistake("[staff]\npin = \"123\"\n"), "4 to 8 digits"));
    CHECK(has(mistake("[staff]\npin = \"12a4\"\n"), "4 to 8 digits"));
    CHECK(has(mistake("[staff]\npin = 2580\n"), "4 to 8 digits"));
}

TEST_CASE("check_devices: a driver without what it needs says what to add") {
    auto missing = [](const std::string& text) {
        const Config c = loaded(text);
        auto r = check_devices(c);
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().code == "config.invalid");
        return r.error().message;
    };
    CHECK(has(missing("[devices.id_reader]\ndriver = \"ga467\"\n"), "[devices.id_reader] driver = \"ga467\" needs path"));
    CHECK(has(missing("[devices.card_reader]\ndriver = \"hid\"\n"), "needs path"));
    CHECK(has(missing("[devices.printer]\ndriver = \"escpos\"\ntransport = \"tcp\"\n"), "needs an address"));
    CHECK(has(missing("[devices.printer]\ndriver = \"escpos\"\ntransport = \"usb\"\n"), "/dev/usb/lp0"));
    CHECK(has(missing("[devices.a4_printer]\ndriver = \"cups\"\n"), "needs queue"));
}

}  // TEST_SUITE
