// kiosk_bench: the figures issue #2 asks for.
//
//   kiosk_bench lookup              resident look-up by card / ID number, 100,000 residents
//   kiosk_bench card-to-greeting    card event -> greeting frame presented (in process, headless)
//   kiosk_bench startup [--headless|--fullscreen] [--runs N]
//                                   process start -> first presented frame (spawns build/bin/kiosk)
//   kiosk_bench idle [--seconds S] [--headless]
//                                   RSS with the idle screen up, CPU over S seconds
//   kiosk_bench pickup-ticket       the kiosk's pickup-ticket template to ESC/POS bytes
//   kiosk_bench menu-photos [--headless] [--frames N] [--no-photos]
//                                   the canteen menu with 40 photo tiles: frame time, RSS
//                                   (--no-photos: the same menu with the drawn plates, to compare)
//
// Percentiles are nearest-rank over all samples; times are CLOCK_MONOTONIC.
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "drivers/printer/escpos_encode.hpp"
#include "kiosk/app/config.hpp"
#include "kiosk/core/utc.hpp"
#include "kiosk/print/templates.hpp"
#include "kiosk/core/demo_roster.hpp"
#include "kiosk/store/database.hpp"
#include "kiosk/store/roster.hpp"
#include "kiosk/store/secret.hpp"
#include "kiosk_app.hpp"

#include <spdlog/spdlog.h>
// The implementation is in Debian's libstb (linked through kiosk_app's imgui.pc).
#include <stb/stb_image_write.h>

extern char** environ;

namespace {

using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

double ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

struct Stats {
    double p50, p99, max;
};
Stats stats(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    auto rank = [&](double p) { return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))]; };
    return {rank(0.50), rank(0.99), v.back()};
}

void row(const char* what, const char* unit, double value, const char* target, bool ok) {
    std::printf("  %-52s %10.3f %-3s  target %-10s %s\n", what, value, unit, target, ok ? "ok" : "MISSED");
}

struct TempDir {
    fs::path path;
    TempDir() {
        path = fs::temp_directory_path() / ("kiosk-bench-" + std::to_string(getpid()) + "-" + std::to_string(Clock::now().time_since_epoch().count()));
        fs::create_directories(path);
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
};

// ---------------------------------------------------------------------------

int lookup() {
    TempDir dir;
    auto key = kiosk::store::load_or_create_secret(dir.path / "secret.key");
    auto db = kiosk::store::Database::open(dir.path / "kiosk.db");
    if (!key || !db) return 1;
    kiosk::store::IdHasher hasher(*key);
    kiosk::store::RosterRepository roster(**db, hasher);
    constexpr std::size_t kResidents = 100'000;
    const auto entries = kiosk::core::demo_roster(kResidents);
    const auto t0 = Clock::now();
    if (!roster.replace_all(entries)) return 1;
    const double import_ms = ms(Clock::now() - t0);

    std::mt19937 rng(42);
    std::uniform_int_distribution<std::size_t> pick(0, kResidents - 1);
    std::vector<double> by_card, by_id;
    for (int i = 0; i < 20'000; ++i) {
        const auto& e = entries[pick(rng)];
        auto a = Clock::now();
        auto r = roster.find_by_card(e.card);
        by_card.push_back(ms(Clock::now() - a));
        if (!r || !*r || (*r)->id != e.resident.id) return 1;
        a = Clock::now();
        auto s = roster.find_by_id_number(e.id_number);
        by_id.push_back(ms(Clock::now() - a));
        if (!s || !*s || (*s)->id != e.resident.id) return 1;
    }
    const auto c = stats(by_card), d = stats(by_id);
    std::printf("resident look-up, %zu residents (SQLite file, WAL), 20,000 random look-ups each\n", kResidents);
    row("import 100,000 residents (one transaction)", "ms", import_ms, "-", true);
    row("look-up by card p50", "ms", c.p50, "-", true);
    row("look-up by card p99", "ms", c.p99, "< 1 ms", c.p99 < 1.0);
    row("look-up by ID number (HMAC + index) p99", "ms", d.p99, "< 1 ms", d.p99 < 1.0);
    return c.p99 < 1.0 ? 0 : 2;
}

// ---------------------------------------------------------------------------

int card_to_greeting() {
    TempDir dir;
    auto config = kiosk::app::load_config({kiosk::app::default_config_source()});
    if (!config) return 1;
    config->data.dir = (dir.path / "data").string();
    kiosk::app::RunOptions options;
    options.headless = true;
    options.demo = true;
    kiosk::app::KioskApp app(*config, options);
    if (auto r = app.init(); !r) {
        std::fprintf(stderr, "%s\n", r.error().message.c_str());
        return 1;
    }
    app.settle();
    const auto roster = kiosk::core::demo_roster();
    std::vector<double> samples;
    // Every tap is a different resident: each one commits a check-in with
    // fsync and most bring new name glyphs into the atlas.
    for (const auto& e : roster) {
        const auto target = app.device_events_handled() + 1;
        const auto t0 = Clock::now();
        app.sim_reader()->tap_card(e.card);
        if (!app.wait_device_events(target, std::chrono::seconds{5})) return 1;
        app.settle();  // the greeting frame is presented when this returns
        samples.push_back(ms(Clock::now() - t0));
        if (app.frame_log().screen != "greeting") return 1;
    }
    const auto s = stats(samples);
    std::printf("card event -> greeting frame presented, %zu residents, 1920x1080 software renderer (headless)\n",
                samples.size());
    row("p50", "ms", s.p50, "-", true);
    row("p99", "ms", s.p99, "< 50 ms", s.p99 < 50);
    row("max", "ms", s.max, "-", true);
    return s.p99 < 50 ? 0 : 2;
}

// ---------------------------------------------------------------------------

fs::path kiosk_binary() { return fs::read_symlink("/proc/self/exe").parent_path() / "kiosk"; }

struct Spawned {
    pid_t pid = -1;
    int out = -1;
};

Spawned spawn_kiosk(const std::vector<std::string>& args) {
    int p[2];
    if (pipe(p) != 0) return {};
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, p[1], 1);
    posix_spawn_file_actions_addclose(&fa, p[0]);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", 0x1 /*O_WRONLY*/, 0);
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    Spawned s;
    posix_spawn(&s.pid, argv[0], &fa, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&fa);
    close(p[1]);
    s.out = p[0];
    return s;
}

// Reads the child's stdout until first_frame_ns=... and returns that value.
long long read_first_frame(int fd) {
    std::string buf;
    char chunk[256];
    for (;;) {
        const ssize_t n = read(fd, chunk, sizeof chunk);
        if (n <= 0) return -1;
        buf.append(chunk, static_cast<std::size_t>(n));
        const auto at = buf.find("first_frame_ns=");
        if (at != std::string::npos && buf.find('\n', at) != std::string::npos)
            return std::stoll(buf.substr(at + 15));
    }
}

long long mono_ns() {
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<long long>(ts.tv_sec) * 1'000'000'000LL + ts.tv_nsec;
}

std::vector<std::string> kiosk_args(const fs::path& data, bool headless, const std::string& config) {
    std::vector<std::string> a{kiosk_binary().string(), "--demo", "--data-dir", data.string(), "--report-first-frame"};
    if (headless) {
        // A headless start needs a script; an empty one keeps it running until killed.
        a.insert(a.end(), {"--headless", "--script", config});
    } else {
        a.push_back("--fullscreen");
    }
    return a;
}

int startup(bool headless, int runs) {
    TempDir dir;
    const auto script = dir.path / "idle.script";
    std::ofstream(script) << "wait 600000\n";
    std::vector<double> samples;
    for (int i = 0; i <= runs; ++i) {  // run 0 creates the database and is not counted
        auto args = kiosk_args(dir.path / "data", headless, script.string());
        args.push_back("--exit-after-first-frame");
        const long long t0 = mono_ns();
        const auto child = spawn_kiosk(args);
        const long long t1 = read_first_frame(child.out);
        close(child.out);
        int status = 0;
        waitpid(child.pid, &status, 0);
        if (t1 < 0) {
            std::fprintf(stderr, "the kiosk did not present a frame\n");
            return 1;
        }
        if (i > 0) samples.push_back(static_cast<double>(t1 - t0) / 1e6);
    }
    const auto s = stats(samples);
    std::printf("process start -> first presented frame, %s, %d runs (database already present)\n",
                headless ? "headless (offscreen driver)" : "full screen under Xvfb", runs);
    row("p50", "ms", s.p50, "< 300 ms", s.p50 < 300);
    row("max", "ms", s.max, "-", true);
    return s.p50 < 300 ? 0 : 2;
}

// ---------------------------------------------------------------------------

long proc_status_kb(pid_t pid, const char* field) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    for (std::string line; std::getline(in, line);)
        if (line.rfind(field, 0) == 0) return std::stol(line.substr(std::strlen(field)));
    return -1;
}

double cpu_seconds(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::istringstream rest(all.substr(all.rfind(')') + 2));
    std::string f;
    double ticks = 0;
    for (int i = 3; i <= 15; ++i) {
        rest >> f;
        if (i == 14 || i == 15) ticks += std::stod(f);  // utime, stime
    }
    return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

int idle(bool headless, int seconds) {
    TempDir dir;
    const auto script = dir.path / "idle.script";
    std::ofstream(script) << "wait " << (seconds + 30) * 1000 << "\n";
    const auto child = spawn_kiosk(kiosk_args(dir.path / "data", headless, script.string()));
    if (read_first_frame(child.out) < 0) return 1;
    std::this_thread::sleep_for(std::chrono::seconds{2});
    const long rss = proc_status_kb(child.pid, "VmRSS:");
    const long hwm = proc_status_kb(child.pid, "VmHWM:");
    const double c0 = cpu_seconds(child.pid);
    std::this_thread::sleep_for(std::chrono::seconds{seconds});
    const double c1 = cpu_seconds(child.pid);
    kill(child.pid, SIGTERM);
    waitpid(child.pid, nullptr, 0);
    close(child.out);
    const double cpu = 100.0 * (c1 - c0) / seconds;
    std::printf("idle screen up with the clock visible, %s\n",
                headless ? "headless (offscreen driver)" : "full screen 1920x1080 under Xvfb");
    row("RSS", "MB", static_cast<double>(rss) / 1024, "< 60 MB", rss < 60 * 1024);
    row("peak RSS (VmHWM)", "MB", static_cast<double>(hwm) / 1024, "-", true);
    char what[64];
    std::snprintf(what, sizeof what, "CPU over %d s (%% of one core)", seconds);
    const bool cpu_ok = headless || cpu < 1.0;
    row(what, "%", cpu, headless ? "- (polls)" : "< 1 %", cpu_ok);
    return rss < 60 * 1024 && cpu_ok ? 0 : 2;
}

// ---------------------------------------------------------------------------

int pickup_ticket() {
    const kiosk::print::Site site{"佳禾社区老年餐厅", "jiahe-canteen-01"};
    const kiosk::print::PickupTicket t{"0042", "套餐A", 1, 1500, 500, 1000, "现金", "张桂兰", "2026-11-25 11:42",
                                       "ORD-20261125-0042"};
    auto run = [&](const drivers::escpos::PrinterProfile& profile) {
        std::vector<double> samples;
        std::size_t bytes = 0;
        for (int i = 0; i < 5000; ++i) {
            const auto t0 = Clock::now();
            const auto out = drivers::escpos::encode(kiosk::print::pickup_ticket(site, t), profile);
            samples.push_back(ms(Clock::now() - t0));
            bytes = out.size();
        }
        return std::pair{stats(samples), bytes};
    };
    const auto [native, native_bytes] = run({58, true, drivers::escpos::FontCoverage::Gb2312, 4, 128});
    const auto [raster, raster_bytes] = run({58, false, drivers::escpos::FontCoverage::Gb2312, 4, 128});
    std::printf("pickup-ticket template -> ESC/POS bytes (58 mm, GB2312 font), 5,000 renders each\n");
    row("native QR: p50", "ms", native.p50, "-", true);
    row("native QR: p99", "ms", native.p99, "< 1 ms", native.p99 < 1.0);
    row("raster QR (printers without GS ( k): p99", "ms", raster.p99, "< 1 ms", raster.p99 < 1.0);
    std::printf("  (%zu and %zu bytes)\n", native_bytes, raster_bytes);
    return native.p99 < 1.0 && raster.p99 < 1.0 ? 0 : 2;
}

// ---------------------------------------------------------------------------
// The canteen menu with 40 photo tiles.

// A made-up meal photo: a checked table cloth, a plate, portions with grain,
// and sensor noise, so that it is as busy as a phone photo and its JPEG
// (quality 85) costs what a real one does to decode.
bool write_meal_photo(const fs::path& file, int w, int h, std::uint32_t seed) {
    std::mt19937 rng(seed);
    auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
    struct Blob {
        float x, y, r;
        int c[3];
    };
    const int cloth[3] = {pick(140, 230), pick(100, 210), pick(70, 190)};
    const float cx = static_cast<float>(w) * 0.5f + static_cast<float>(pick(-40, 40));
    const float cy = static_cast<float>(h) * 0.5f + static_cast<float>(pick(-30, 30));
    const float plate = static_cast<float>(h) * 0.44f;
    std::vector<Blob> food;
    const int portions = pick(3, 5);
    for (int i = 0; i < portions; ++i) {
        const float a = static_cast<float>(i) * 6.2832f / static_cast<float>(portions) + static_cast<float>(pick(0, 60)) / 100;
        food.push_back({cx + std::cos(a) * plate * 0.5f, cy + std::sin(a) * plate * 0.5f,
                        plate * static_cast<float>(pick(26, 36)) / 100,
                        {pick(60, 235), pick(40, 200), pick(20, 150)}});
    }
    std::vector<unsigned char> rgb(static_cast<std::size_t>(w) * static_cast<std::size_t>(h) * 3);
    for (int y = 0; y < h; ++y) {
        for (int x = 0; x < w; ++x) {
            const auto hash = (static_cast<std::uint32_t>(x) * 73856093u) ^ (static_cast<std::uint32_t>(y) * 19349663u) ^
                              (seed * 83492791u);
            const int noise = static_cast<int>((hash * 2654435761u) >> 27) - 16;  // -16..15
            int c[3] = {cloth[0], cloth[1], cloth[2]};
            if (((x / 48) + (y / 48)) % 2 == 0)
                for (int& v : c) v -= 35;
            const float dx = static_cast<float>(x) - cx, dy = static_cast<float>(y) - cy;
            const float d = std::sqrt(dx * dx + dy * dy);
            int grain = noise / 2;
            if (d < plate) {
                const int shade = d > plate * 0.88f ? 30 : static_cast<int>(12 * d / plate);
                c[0] = c[1] = c[2] = 240 - shade;
                for (const auto& b : food) {
                    const float bx = static_cast<float>(x) - b.x, by = static_cast<float>(y) - b.y;
                    const float edge = b.r * (1 + 0.12f * std::sin(std::atan2(by, bx) * 5 + static_cast<float>(seed)));
                    if (bx * bx + by * by < edge * edge) {
                        const float texture = std::sin(static_cast<float>(x) * 0.21f + static_cast<float>(seed)) *
                                              std::cos(static_cast<float>(y) * 0.17f) * 18;
                        for (int k = 0; k < 3; ++k) c[k] = b.c[k] + static_cast<int>(texture);
                        grain = noise * 2;
                    }
                }
            }
            auto* px = &rgb[(static_cast<std::size_t>(y) * static_cast<std::size_t>(w) + static_cast<std::size_t>(x)) * 3];
            for (int k = 0; k < 3; ++k) px[k] = static_cast<unsigned char>(std::clamp(c[k] + grain, 0, 255));
        }
    }
    return stbi_write_jpg(file.c_str(), w, h, 3, rgb.data(), 85) != 0;
}

double thread_cpu_ms() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

int menu_photos(bool headless, int frames_per_page, bool with_photos) {
    namespace app = kiosk::app;
    TempDir dir;
    constexpr int kPhotos = 40, kW = 800, kH = 600;
    static const char* const kDishes[kPhotos] = {
        "红烧肉",   "清蒸鲈鱼", "宫保鸡丁", "鱼香肉丝", "麻婆豆腐",   "西红柿炒蛋", "土豆烧牛肉", "糖醋里脊",
        "回锅肉",   "青椒肉丝", "蒜蓉西兰花", "酸辣土豆丝", "红烧茄子", "木须肉",   "京酱肉丝",   "香菇油菜",
        "蚝油生菜", "可乐鸡翅", "黄焖鸡",   "葱爆羊肉", "小炒黄牛肉", "干煸豆角", "地三鲜",     "手撕包菜",
        "虾仁炒蛋", "冬瓜排骨汤", "白菜炖豆腐", "家常豆腐", "梅菜扣肉", "红烧带鱼", "清炒山药",   "芹菜炒香干",
        "孜然羊肉", "水煮肉片", "啤酒鸭",   "卤鸡腿",   "玉米排骨",   "韭菜炒鸡蛋", "肉末茄子",   "番茄牛腩"};

    // The menu: lunch only, 40 dishes, each with its own photo.
    const fs::path menu_dir = dir.path / "menu";
    fs::create_directories(menu_dir / "photos");
    std::map<std::string, fs::path> photo_of;  // tile name -> the file, as the kiosk resolves it
    std::uintmax_t photo_bytes = 0;
    {
        std::ofstream menu(menu_dir / "menu.toml");
        menu << "[[periods]]\nperiod = \"lunch\"\nstart = \"10:30\"\nend = \"13:30\"\n";
        for (int i = 0; i < kPhotos; ++i) {
            char id[16];
            std::snprintf(id, sizeof id, "dish-%02d", i + 1);
            const std::string rel = std::string("photos/") + id + ".jpg";
            if (!write_meal_photo(menu_dir / rel, kW, kH, 1000 + static_cast<std::uint32_t>(i))) {
                std::fprintf(stderr, "cannot write %s\n", (menu_dir / rel).c_str());
                return 1;
            }
            photo_bytes += fs::file_size(menu_dir / rel);
            menu << "\n[[items]]\nperiod = \"lunch\"\nid = \"" << id << "\"\nname = \"" << kDishes[i]
                 << "\"\ndishes = \"" << kDishes[i] << "、米饭、例汤\"\nprice_fen = " << 800 + 50 * (i % 20)
                 << "\nphoto = \"" << (with_photos ? rel : std::string()) << "\"\n";
            photo_of[kDishes[i]] = (menu_dir / rel).lexically_normal();
        }
    }
    // The site: a canteen with that menu. The session does not time out
    // while frames are measured (nobody touches the screen for a while).
    const fs::path site_file = dir.path / "canteen.toml";
    std::ofstream(site_file) << "[terminal]\nid = \"bench-canteen-01\"\n\n[site]\nname = \"佳禾社区老年餐厅\"\n"
                                "type = \"canteen\"\n\n[session]\nidle_timeout_s = 3600\n\n[canteen]\nmenu = \""
                             << (menu_dir / "menu.toml").string() << "\"\n";
    auto site = app::read_config_file(site_file.string());
    if (!site) return 1;
    auto config = app::load_config({app::default_config_source(), *site});
    if (!config) {
        std::fprintf(stderr, "%s\n", config.error().message.c_str());
        return 1;
    }
    config->data.dir = (dir.path / "data").string();
    // As `kiosk` itself does (cli.cpp): the site's zone is the local time.
    setenv("TZ", config->site.time_zone.c_str(), 1);
    tzset();
    if (!app::KioskClock::settable()) {
        std::fprintf(stderr, "menu-photos sets the kiosk's clock to lunchtime: build with KIOSK_TEST_CLOCK (the dev preset)\n");
        return 1;
    }
    app::RunOptions options;
    options.headless = headless;
    options.demo = true;

    const long rss_before = proc_status_kb(getpid(), "VmRSS:");
    app::KioskApp kiosk(*config, options);
    if (auto r = kiosk.init(); !r) {
        std::fprintf(stderr, "%s\n", r.error().message.c_str());
        return 1;
    }
    kiosk.settle();
    kiosk.clock().set_utc(*kiosk::core::parse_iso8601("2026-11-25T11:30:00+08:00"));
    kiosk.request_redraw();
    kiosk.settle();
    const long rss_idle = proc_status_kb(getpid(), "VmRSS:");
    // For comparison: frames of the idle screen (clock, site name, prompt).
    std::vector<double> idle_frames;
    for (int i = 0; i < 100; ++i) {
        kiosk.request_redraw();
        const auto a = Clock::now();
        kiosk.settle();
        idle_frames.push_back(ms(Clock::now() - a));
    }

    auto tiles_shown = [&] {
        std::vector<std::string> names;
        for (const auto& w : kiosk.frame_log().widgets)
            if (w.kind == kiosk::ui::WidgetKind::ListItem) names.push_back(w.label);
        return names;
    };
    // The frame on screen is the menu, and every tile on it shows its photo.
    auto menu_with_photos = [&] {
        if (kiosk.frame_log().screen != "menu") return false;
        const auto names = tiles_shown();
        if (names.empty()) return false;
        if (!with_photos) return true;  // the comparison run: plate pictures
        for (const auto& n : names) {
            const auto it = photo_of.find(n);
            if (it == photo_of.end()) return false;
            const auto picture = kiosk.photos()->peek(it->second);
            if (!picture || picture->texture == nullptr) return false;
        }
        return true;
    };
    auto button = [&](const char* label) -> std::optional<std::pair<float, float>> {
        for (const auto& w : kiosk.frame_log().widgets)
            if (w.label == label) return std::pair{w.rect.cx(), w.rect.cy()};
        return std::nullopt;
    };
    auto tap = [&](std::pair<float, float> at) {
        const auto t0 = Clock::now();
        kiosk.input().tap(at.first, at.second);
        kiosk.settle();
        return ms(Clock::now() - t0);
    };

    // A canteen card at lunchtime: checked in, the menu comes up. The first
    // page's photos are decoded on the way (the frames until they are all in).
    const auto target = kiosk.device_events_handled() + 1;
    auto t0 = Clock::now();
    kiosk.sim_reader()->tap_card("0004215869");
    if (!kiosk.wait_device_events(target, std::chrono::seconds{5})) return 1;
    kiosk.settle();
    const double card_to_menu = ms(Clock::now() - t0);
    if (!menu_with_photos()) {
        std::fprintf(stderr, "the card did not bring up the menu with its photos (screen %s)\n",
                     kiosk.frame_log().screen.c_str());
        for (const auto& x : kiosk.frame_log().texts) std::fprintf(stderr, "  on screen: %s\n", x.text.c_str());
        return 1;
    }
    const auto per_page = tiles_shown().size();

    // First visit of every page: its photos are decoded and uploaded.
    std::vector<double> first_visits;
    int pages = 1;
    while (auto next = button("下一页")) {
        first_visits.push_back(tap(*next));
        ++pages;
        if (!menu_with_photos()) {
            std::fprintf(stderr, "page %d of the menu came up without its photos\n", pages);
            return 1;
        }
    }
    const auto loaded = kiosk.photos()->stats();
    if (loaded.entries != (with_photos ? kPhotos : 0) || loaded.failed != 0) {
        std::fprintf(stderr, "%zu photos held, %zu failed; expected all %d\n", loaded.entries, loaded.failed, kPhotos);
        return 1;
    }

    // Every page again, back and forth: frames of the menu with its photos
    // loaded (each a full frame: the view built, drawn, rendered, presented).
    // The main thread's CPU time per frame too: the renderer is software and
    // single-threaded, so it is the frame's cost without other processes'
    // share of the cores.
    std::vector<double> frames, frames_cpu, turns;
    auto measure_page = [&] {
        for (int f = 0; f < frames_per_page; ++f) {
            kiosk.request_redraw();
            const double c = thread_cpu_ms();
            const auto a = Clock::now();
            kiosk.settle();
            const double d = ms(Clock::now() - a);
            const double cpu = thread_cpu_ms() - c;
            if (!menu_with_photos()) return false;
            frames.push_back(d);
            frames_cpu.push_back(cpu);
        }
        return true;
    };
    for (const char* way : {"上一页", "下一页"}) {
        if (!measure_page()) return 1;
        while (auto b = button(way)) {
            turns.push_back(tap(*b));
            if (!measure_page()) {
                std::fprintf(stderr, "a frame did not show the menu with its photos (screen %s)\n",
                             kiosk.frame_log().screen.c_str());
                return 1;
            }
        }
    }
    const long rss_steady = proc_status_kb(getpid(), "VmRSS:");
    const long hwm = proc_status_kb(getpid(), "VmHWM:");
    const auto after = kiosk.photos()->stats();

    const auto f = stats(frames);
    const auto fc = stats(frames_cpu);
    const auto t = stats(turns);
    const auto first = stats(first_visits.empty() ? std::vector<double>{0.0} : first_visits);
    if (with_photos)
        std::printf("canteen menu, %d photo tiles (%dx%d JPEG, %.0f KB each on average), %dx%d software renderer, %s\n",
                    kPhotos, kW, kH, static_cast<double>(photo_bytes) / kPhotos / 1024, kiosk.width(), kiosk.height(),
                    headless ? "headless (offscreen driver)" : "full screen under Xvfb");
    else
        std::printf("canteen menu, %d tiles WITHOUT photos (drawn plates; for comparison), %dx%d software renderer, %s\n",
                    kPhotos, kiosk.width(), kiosk.height(), headless ? "headless (offscreen driver)" : "full screen under Xvfb");
    std::printf("  %d pages of %zu tiles; %zu frames measured, each showing a page with all its pictures\n", pages,
                per_page, frames.size());
    row("card -> menu presented, page 1's photos decoded", "ms", card_to_menu, "-", true);
    row("page turn, first visit (photos decoded): max", "ms", first.max, "-", true);
    row("page turn, photos cached: p99", "ms", t.p99, "-", true);
    row("idle screen frame, for comparison: p50", "ms", stats(idle_frames).p50, "-", true);
    row("menu frame (build+render+present) p50", "ms", f.p50, "-", true);
    row("menu frame (build+render+present) p99", "ms", f.p99, "< 8 ms", f.p99 < 8);
    row("menu frame (build+render+present) max", "ms", f.max, "-", true);
    row("  the same frames, main thread's CPU time p50", "ms", fc.p50, "-", true);
    row("  the same frames, main thread's CPU time p99", "ms", fc.p99, "-", true);
    row("RSS before the kiosk started (the bench alone)", "MB", static_cast<double>(rss_before) / 1024, "-", true);
    row("RSS with the idle screen up", "MB", static_cast<double>(rss_idle) / 1024, "-", true);
    row("RSS with the menu up, every page seen (steady)", "MB", static_cast<double>(rss_steady) / 1024, "-", true);
    row("peak RSS (VmHWM)", "MB", static_cast<double>(hwm) / 1024, "-", true);
    row("photo textures held (40 x w x h x 4 bytes)", "MB", static_cast<double>(after.texture_bytes) / (1024 * 1024),
        "-", true);
    if (after.loads != loaded.loads)
        std::printf("  note: %llu photos were decoded again while paging (evicted)\n",
                    static_cast<unsigned long long>(after.loads - loaded.loads));
    return f.p99 < 8 ? 0 : 2;
}

}  // namespace

int main(int argc, char** argv) {
    setenv("KIOSK_SYSTEM_CONFIG", "", 1);
    setenv("SDL_AUDIODRIVER", "dummy", 0);
    const std::vector<std::string> args(argv + 1, argv + argc);
    auto has = [&](const char* f) { return std::find(args.begin(), args.end(), f) != args.end(); };
    auto value = [&](const char* f, int def) {
        const auto it = std::find(args.begin(), args.end(), f);
        return it != args.end() && it + 1 != args.end() ? std::stoi(*(it + 1)) : def;
    };
    if (args.empty()) {
        std::fprintf(stderr, "usage: kiosk_bench lookup | card-to-greeting | pickup-ticket | startup [--headless] [--runs N] | idle [--headless] [--seconds S] | menu-photos [--headless] [--frames N] [--no-photos]\n");
        return 1;
    }
    spdlog::set_level(std::getenv("KIOSK_BENCH_DEBUG") ? spdlog::level::debug : spdlog::level::warn);
    if (args[0] == "lookup") return lookup();
    if (args[0] == "card-to-greeting") return card_to_greeting();
    if (args[0] == "startup") return startup(has("--headless"), value("--runs", 10));
    if (args[0] == "idle") return idle(has("--headless"), value("--seconds", 30));
    if (args[0] == "pickup-ticket") return pickup_ticket();
    if (args[0] == "menu-photos") return menu_photos(has("--headless"), value("--frames", 100), !has("--no-photos"));
    std::fprintf(stderr, "unknown benchmark %s\n", args[0].c_str());
    return 1;
}
