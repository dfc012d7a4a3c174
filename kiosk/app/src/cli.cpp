// The command line: run the kiosk, export the records, check an audit.
#include <CLI/CLI.hpp>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "kiosk/app/app.hpp"
#include "kiosk/store/database.hpp"
#include "kiosk/store/facts.hpp"
#include "kiosk/ui/audit.hpp"
#include "doctor.hpp"
#include "kiosk_app.hpp"
#include "script.hpp"

namespace kiosk::app {

namespace {

constexpr int kExitScriptFailed = 1;
constexpr int kExitConfig = 2;
constexpr int kExitStartup = 3;

struct CommonOptions {
    std::vector<std::string> config_files;
    std::string data_dir;
};

Result<Config> load_layers(const CommonOptions& o) {
    std::vector<ConfigSource> layers{default_config_source()};
    // KIOSK_SYSTEM_CONFIG lets tests and packaging point at another system file.
    const char* env = std::getenv("KIOSK_SYSTEM_CONFIG");
    const std::string system = env != nullptr ? env : "/etc/kiosk/kiosk.toml";
    std::error_code ec;
    if (!system.empty() && std::filesystem::exists(system, ec)) {
        auto s = read_config_file(system);
        if (!s) return s.error();
        layers.push_back(std::move(*s));
    }
    for (const auto& file : o.config_files) {
        auto s = read_config_file(file);
        if (!s) return s.error();
        layers.push_back(std::move(*s));
    }
    auto config = load_config(layers);
    if (!config) return config;
    if (!o.data_dir.empty()) config->data.dir = o.data_dir;
    return config;
}

void setup_logging(const std::string& level) {
    auto logger = spdlog::stderr_color_mt("kiosk");
    spdlog::set_default_logger(logger);
    spdlog::set_pattern("%Y-%m-%d %H:%M:%S.%e %^%l%$ %v");
    spdlog::set_level(spdlog::level::from_str(level));
}

int export_facts(const Config& config, const std::string& format) {
    if (format != "jsonl") {
        std::fprintf(stderr, "kiosk export: unknown format '%s'; the only format is jsonl\n", format.c_str());
        return kExitConfig;
    }
    const auto file = std::filesystem::path(config.data.dir) / "kiosk.db";
    std::error_code ec;
    if (!std::filesystem::exists(file, ec)) {
        std::fprintf(stderr, "kiosk export: there is no database at %s (see --data-dir)\n", file.c_str());
        return kExitStartup;
    }
    auto db = store::Database::open(file);
    if (!db) {
        std::fprintf(stderr, "kiosk export: %s\n", db.error().message.c_str());
        return kExitStartup;
    }
    store::FactStore facts(**db, config.terminal.id);
    auto r = facts.for_each_fact([](const store::OutboxRow& row) { std::cout << row.json << '\n'; });
    std::cout.flush();
    if (!r) {
        std::fprintf(stderr, "kiosk export: %s\n", r.error().message.c_str());
        return kExitStartup;
    }
    return 0;
}

int audit_check(const std::vector<std::string>& files) {
    int records = 0;
    std::size_t violations = 0;
    for (const auto& f : files) {
        std::ifstream in(f);
        if (!in) {
            std::fprintf(stderr, "kiosk audit-check: cannot read %s\n", f.c_str());
            return kExitStartup;
        }
        std::string line;
        int n = 0;
        while (std::getline(in, line)) {
            ++n;
            if (line.empty()) continue;
            const auto j = nlohmann::ordered_json::parse(line, nullptr, false);
            if (j.is_discarded()) {
                std::fprintf(stderr, "%s:%d: not a JSON record\n", f.c_str(), n);
                return kExitStartup;
            }
            ++records;
            for (const auto& v : ui::check_audit(j)) {
                std::printf("%s:%d: %s\n", f.c_str(), n, v.c_str());
                ++violations;
            }
        }
    }
    std::printf("%d screen(s) audited, %zu violation(s)\n", records, violations);
    if (records == 0) return kExitScriptFailed;  // an empty audit proves nothing
    return violations == 0 ? 0 : kExitScriptFailed;
}

}  // namespace

int run_kiosk(const Config& config, const RunOptions& options) {
    KioskApp app(config, options);
    if (auto r = app.init(); !r) {
        spdlog::critical("{}", r.error().message);
        return kExitStartup;
    }
    if (!options.script) return app.run_interactive();

    std::ifstream in(*options.script);
    if (!in) {
        spdlog::critical("cannot read the script {}", *options.script);
        return kExitStartup;
    }
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto lines = parse_script(text, *options.script);
    if (!lines) {
        std::fprintf(stderr, "%s\n", lines.error().message.c_str());
        return kExitScriptFailed;
    }
    return run_script(app, *lines, *options.script, options.screenshots_dir);
}

int main_entry(int argc, char** argv) {
    CLI::App cli{"Community service terminal: check-in, canteen, notices"};
    cli.set_version_flag("--version", std::string("kiosk ") + KIOSK_VERSION);
    CommonOptions common;
    RunOptions run;
    bool fullscreen = false, windowed = false;
    cli.add_option("--config", common.config_files,
                   "A TOML file overriding the defaults key by key (repeat for more layers, later ones win)")
        ->check(CLI::ExistingFile)
        ->take_all()
        ->allow_extra_args(false);
    cli.add_option("--data-dir", common.data_dir, "Where the database and the secret key live");
    cli.add_flag("--demo", run.demo, "Demo roster and notices, simulated devices");
    cli.add_flag("--headless", run.headless, "No display: render in memory (scripted runs)");
    cli.add_option("--script", run.script, "Run this script and exit")->check(CLI::ExistingFile);
    cli.add_option("--screenshots", run.screenshots_dir, "Where `screenshot NAME` writes NAME.png");
    cli.add_option("--audit", run.audit_file, "Write the accessibility audit (JSON lines) here");
    cli.add_flag("--fullscreen", fullscreen, "Fill the screen (the production default)");
    cli.add_flag("--windowed", windowed, "Open a window of [display] window_width x window_height");
    cli.add_flag("--report-first-frame", run.report_first_frame, "Print first_frame_ns=<CLOCK_MONOTONIC> (benchmarks)");
    cli.add_flag("--exit-after-first-frame", run.exit_after_first_frame, "Quit once the first frame is shown");

    // Options such as --data-dir may also follow the subcommand.
    auto* exp = cli.add_subcommand("export", "Print every recorded fact")->fallthrough();
    std::string format = "jsonl";
    exp->add_option("--format", format, "Output format (jsonl)");

    auto* doctor = cli.add_subcommand("doctor", "Show the configured devices and their state; check them by hand")
                       ->fallthrough();
    DoctorOptions doctor_options;
    doctor->add_flag("--read-card", doctor_options.read_card, "Wait for one card and show what was read (masked)");
    doctor->add_flag("--print-test", doctor_options.print_test, "Print a test receipt (Chinese text, a QR code, a cut)");
    doctor->add_flag("--print-a4-test", doctor_options.print_a4_test, "Print a test A4 notice through CUPS");
    doctor->add_option("--wait", doctor_options.wait_s, "Seconds to wait for the card or the print job")
        ->check(CLI::Range(1, 3600));

    auto* audit = cli.add_subcommand("audit-check", "Check an audit file against the accessibility floor");
    std::vector<std::string> audit_files;
    audit->add_option("files", audit_files, "Audit files written with --audit")->required();

    try {
        cli.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return cli.exit(e);
    }

    if (*audit) return audit_check(audit_files);

    auto config = load_layers(common);
    if (!config) {
        std::fprintf(stderr, "kiosk: %s\n", config.error().message.c_str());
        return kExitConfig;
    }
    // Local time everywhere (the clock, slips, logs) is the site's.
    if (!config->site.time_zone.empty()) {
        setenv("TZ", config->site.time_zone.c_str(), 1);
        tzset();
    }
    if (fullscreen) config->display.fullscreen = true;
    if (windowed) config->display.fullscreen = false;
    setup_logging(config->log.level);

    if (*exp) return export_facts(*config, format);
    if (*doctor) {
        if (auto r = check_devices(*config); !r) {
            std::fprintf(stderr, "kiosk: %s\n", r.error().message.c_str());
            return kExitConfig;
        }
        return run_doctor(*config, doctor_options);
    }
    if (auto r = check_devices(*config); !r && !run.demo) {
        std::fprintf(stderr, "kiosk: %s\n", r.error().message.c_str());
        return kExitConfig;
    }

    if (run.screenshots_dir.empty() && run.script) run.screenshots_dir = "screenshots";
    return run_kiosk(*config, run);
}

}  // namespace kiosk::app
