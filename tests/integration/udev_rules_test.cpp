// The udev rules the package installs: every rule line is well formed, so a
// typo cannot silently leave a reader unreadable for the kiosk user.
#include <doctest/doctest.h>

#include <fstream>
#include <regex>
#include <string>

TEST_CASE("udev rules: every rule is well formed and gives the kiosk group access") {
    std::ifstream in(std::string(KIOSK_SOURCE_DIR) + "/packaging/udev/70-kiosk-devices.rules");
    REQUIRE(in.good());
    // KEY or KEY{attr}, an operator, a quoted value; pairs separated by ", ".
    const std::regex pair(R"re(\s*[A-Z_]+(\{[A-Za-z_]+\})?(==|!=|=|\+=|:=)"[^"]*"\s*)re");
    int rules = 0;
    std::string line;
    for (int n = 1; std::getline(in, line); ++n) {
        if (line.empty() || line[0] == '#') continue;
        ++rules;
        INFO("line " << n << ": " << line);
        std::size_t start = 0;
        for (;;) {
            const auto comma = line.find(", ", start);
            const std::string part = line.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
            CHECK(std::regex_match(part, pair));
            if (comma == std::string::npos) break;
            start = comma + 2;
        }
        CHECK(line.find("GROUP=\"kiosk\"") != std::string::npos);
        CHECK(line.find("MODE=\"0660\"") != std::string::npos);
    }
    CHECK(rules >= 6);
}
