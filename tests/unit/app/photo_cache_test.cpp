#include <doctest/doctest.h>
// The app logs through Debian's shared spdlog; capture into that one, not a
// header-only copy (app_tests does not get spdlog's definitions from kiosk_app).
#ifndef SPDLOG_COMPILED_LIB
#define SPDLOG_SHARED_LIB
#define SPDLOG_COMPILED_LIB
#define SPDLOG_FMT_EXTERNAL
#endif
#include <spdlog/sinks/ringbuffer_sink.h>
#include <spdlog/spdlog.h>
#include <stb/stb_image_write.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "photo_cache.hpp"

using kiosk::app::fit_within;
using kiosk::app::load_photo_file;
using kiosk::app::PhotoCache;
using kiosk::app::PixelSize;
using kiosk::app::resolve_photo_path;
namespace fs = std::filesystem;

namespace {

struct TempDir {
    fs::path path;
    TempDir() {
        path = fs::temp_directory_path() /
               ("photo-cache-test-" + std::to_string(getpid()) + "-" +
                std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()));
        fs::create_directories(path);
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
};

// Left half one colour, right half another; alpha as given.
std::vector<unsigned char> two_halves(int w, int h, unsigned char alpha = 255) {
    std::vector<unsigned char> px(static_cast<std::size_t>(w) * static_cast<std::size_t>(h) * 4);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            unsigned char* p = &px[(static_cast<std::size_t>(y) * static_cast<std::size_t>(w) + static_cast<std::size_t>(x)) * 4];
            const bool left = x < w / 2;
            p[0] = left ? 200 : 10;
            p[1] = 40;
            p[2] = left ? 10 : 220;
            p[3] = alpha;
        }
    return px;
}

fs::path write_jpg(const fs::path& dir, const std::string& name, int w, int h) {
    const auto px = two_halves(w, h);
    const fs::path file = dir / name;
    REQUIRE(stbi_write_jpg(file.c_str(), w, h, 4, px.data(), 90) != 0);
    return file;
}

fs::path write_png(const fs::path& dir, const std::string& name, int w, int h, unsigned char alpha = 255) {
    const auto px = two_halves(w, h, alpha);
    const fs::path file = dir / name;
    REQUIRE(stbi_write_png(file.c_str(), w, h, 4, px.data(), w * 4) != 0);
    return file;
}

// A software renderer on a surface: textures without a display.
struct SoftRenderer {
    SDL_Surface* surface = SDL_CreateRGBSurfaceWithFormat(0, 64, 64, 32, SDL_PIXELFORMAT_RGBA32);
    SDL_Renderer* renderer = surface != nullptr ? SDL_CreateSoftwareRenderer(surface) : nullptr;
    SoftRenderer() { REQUIRE(renderer != nullptr); }
    ~SoftRenderer() {
        if (renderer != nullptr) SDL_DestroyRenderer(renderer);
        if (surface != nullptr) SDL_FreeSurface(surface);
    }
};

// Captures warnings for the length of a test.
struct LogCapture {
    std::shared_ptr<spdlog::sinks::ringbuffer_sink_mt> sink = std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(64);
    std::shared_ptr<spdlog::logger> previous = spdlog::default_logger();
    LogCapture() {
        auto logger = std::make_shared<spdlog::logger>("photo-test", sink);
        logger->set_pattern("%v");
        spdlog::set_default_logger(logger);
    }
    ~LogCapture() { spdlog::set_default_logger(previous); }
    [[nodiscard]] int count(const std::string& needle) const {
        const auto lines = sink->last_formatted();
        return static_cast<int>(std::count_if(lines.begin(), lines.end(),
                                              [&](const std::string& l) { return l.find(needle) != std::string::npos; }));
    }
};

}  // namespace

TEST_CASE("photo path: relative to the menu's folder, escapes refused") {
    const fs::path menu = "/etc/kiosk/menu";
    CHECK(resolve_photo_path(menu, "set-a.jpg") == fs::path("/etc/kiosk/menu/set-a.jpg"));
    CHECK(resolve_photo_path(menu, "photos/set-a.jpg") == fs::path("/etc/kiosk/menu/photos/set-a.jpg"));
    CHECK(resolve_photo_path(menu, "./photos/./b.png") == fs::path("/etc/kiosk/menu/photos/b.png"));
    CHECK(resolve_photo_path(menu, "午餐/红烧肉.jpg") == fs::path("/etc/kiosk/menu/午餐/红烧肉.jpg"));
    CHECK(resolve_photo_path("", "a.jpg") == fs::path("a.jpg"));

    for (const char* bad : {"", "/etc/passwd", "../secret.png", "..", "photos/../../x.jpg", "photos/..", "a/../b.jpg",
                            "a\\b.jpg", "..\\x.jpg", "a//b.jpg", "photos/", "a\nb.jpg", "a\tb.jpg"})
        CHECK_MESSAGE(!resolve_photo_path(menu, bad), bad);
    CHECK_FALSE(resolve_photo_path(menu, std::string_view("a\0b.jpg", 7)));
}

TEST_CASE("photo size: the long side shrinks to at most max, proportions kept, never enlarged") {
    CHECK(fit_within({1024, 768}, 512) == PixelSize{512, 384});
    CHECK(fit_within({768, 1024}, 512) == PixelSize{384, 512});
    CHECK(fit_within({4000, 3000}, 512) == PixelSize{512, 384});
    CHECK(fit_within({1920, 1080}, 512) == PixelSize{512, 288});
    CHECK(fit_within({513, 512}, 512) == PixelSize{512, 511});
    CHECK(fit_within({512, 512}, 512) == PixelSize{512, 512});
    CHECK(fit_within({300, 200}, 512) == PixelSize{300, 200});
    CHECK(fit_within({10000, 10}, 512) == PixelSize{512, 1});  // at least one pixel
    CHECK(fit_within({0, 10}, 512) == PixelSize{0, 0});
}

TEST_CASE("photo file: JPEG and PNG decoded and shrunk, missing and damaged files are errors") {
    TempDir dir;
    SUBCASE("a large JPEG is shrunk and its colours averaged, not sampled") {
        auto img = load_photo_file(write_jpg(dir.path, "big.jpg", 1024, 768), 512);
        REQUIRE(img);
        CHECK(img->w == 512);
        CHECK(img->h == 384);
        CHECK(img->opaque);
        REQUIRE(img->pixels.size() == 512u * 384u * 4u);
        auto at = [&](int x, int y) { return &img->pixels[(static_cast<std::size_t>(y) * 512 + static_cast<std::size_t>(x)) * 4]; };
        CHECK(at(100, 100)[0] > 180);  // the red half
        CHECK(at(100, 100)[2] < 40);
        CHECK(at(400, 300)[2] > 190);  // the blue half
        CHECK(at(400, 300)[3] == 255);
        // The seam falls between two output pixels: each side keeps its colour.
        CHECK(at(255, 10)[0] > 150);
        CHECK(at(256, 10)[0] < 60);
    }
    SUBCASE("a small PNG keeps its size; transparency is noticed") {
        auto img = load_photo_file(write_png(dir.path, "small.png", 120, 80, 128), 512);
        REQUIRE(img);
        CHECK(img->w == 120);
        CHECK(img->h == 80);
        CHECK_FALSE(img->opaque);
        CHECK(img->pixels[3] == 128);
    }
    SUBCASE("a tall PNG shrinks along its height") {
        auto img = load_photo_file(write_png(dir.path, "tall.png", 300, 900), 256);
        REQUIRE(img);
        CHECK(img->w == 85);
        CHECK(img->h == 256);
        CHECK(img->opaque);
    }
    SUBCASE("errors") {
        CHECK(load_photo_file(dir.path / "none.jpg", 512).error().code == "photo.missing");
        std::ofstream(dir.path / "text.jpg") << "not a JPEG at all";
        CHECK(load_photo_file(dir.path / "text.jpg", 512).error().code == "photo.decode");
        const auto good = write_jpg(dir.path, "cut.jpg", 640, 480);
        fs::resize_file(good, 200);  // the header survives, the picture does not
        CHECK(!load_photo_file(good, 512));
        fs::create_directories(dir.path / "folder.jpg");
        CHECK(load_photo_file(dir.path / "folder.jpg", 512).error().code == "photo.decode");
    }
}

TEST_CASE("photo cache: loads once, as a shrunk RGBA texture") {
    TempDir dir;
    SoftRenderer r;
    PhotoCache cache(r.renderer);
    const auto file = write_jpg(dir.path, "a.jpg", 1024, 768);
    cache.begin_frame();
    CHECK_FALSE(cache.tried(file));
    CHECK_FALSE(cache.peek(file));
    const auto p = cache.get(file);
    REQUIRE(p.texture != nullptr);
    CHECK(p.w == 512);
    CHECK(p.h == 384);
    Uint32 format = 0;
    int w = 0, h = 0;
    SDL_QueryTexture(static_cast<SDL_Texture*>(p.texture), &format, nullptr, &w, &h);
    CHECK(format == SDL_PIXELFORMAT_RGBA32);
    CHECK(w == 512);
    CHECK(h == 384);
    CHECK(cache.get(file).texture == p.texture);
    CHECK(cache.get(dir.path / "." / "a.jpg").texture == p.texture);  // the same file, however written
    CHECK(cache.peek(file)->texture == p.texture);
    CHECK(cache.stats().loads == 1);
    CHECK(cache.stats().entries == 1);
    CHECK(cache.stats().texture_bytes == 512u * 384u * 4u);
    cache.end_frame();
    cache.clear();
    CHECK(cache.stats().entries == 0);
    CHECK(cache.stats().texture_bytes == 0);
    CHECK_FALSE(cache.tried(file));
}

TEST_CASE("photo cache: opaque photos in the window's format draw the same pixels, transparent ones stay RGBA") {
    TempDir dir;
    const auto opaque = write_png(dir.path, "opaque.png", 96, 64);
    const auto clear = write_png(dir.path, "clear.png", 96, 64, 128);
    // What a 64x64 window shows of each photo, scaled, drawn from a cache with `options`.
    auto draw = [&](const fs::path& file, PhotoCache::Options options, Uint32& format) {
        SDL_Surface* surface = SDL_CreateRGBSurfaceWithFormat(0, 64, 64, 32, SDL_PIXELFORMAT_RGB888);
        REQUIRE(surface != nullptr);
        SDL_Renderer* renderer = SDL_CreateSoftwareRenderer(surface);
        REQUIRE(renderer != nullptr);
        std::vector<std::uint32_t> px(64 * 64);
        {
            PhotoCache cache(renderer, options);
            cache.begin_frame();
            const auto p = cache.get(file);
            REQUIRE(p.texture != nullptr);
            SDL_QueryTexture(static_cast<SDL_Texture*>(p.texture), &format, nullptr, nullptr, nullptr);
            SDL_SetRenderDrawColor(renderer, 0x20, 0x40, 0x60, 255);
            SDL_RenderClear(renderer);
            const SDL_Rect to{3, 5, 57, 41};
            SDL_RenderCopy(renderer, static_cast<SDL_Texture*>(p.texture), nullptr, &to);
            REQUIRE(SDL_RenderReadPixels(renderer, nullptr, SDL_PIXELFORMAT_RGB888, px.data(), 64 * 4) == 0);
            cache.end_frame();
        }
        SDL_DestroyRenderer(renderer);
        SDL_FreeSurface(surface);
        for (auto& v : px) v &= 0xFFFFFFu;
        return px;
    };
    PhotoCache::Options window_format;
    window_format.opaque_format = SDL_PIXELFORMAT_RGB888;
    Uint32 f_rgba = 0, f_window = 0;
    CHECK(draw(opaque, {}, f_rgba) == draw(opaque, window_format, f_window));
    CHECK(f_rgba == SDL_PIXELFORMAT_RGBA32);
    CHECK(f_window == SDL_PIXELFORMAT_RGB888);
    CHECK(draw(clear, {}, f_rgba) == draw(clear, window_format, f_window));
    CHECK(f_window == SDL_PIXELFORMAT_RGBA32);  // its alpha is kept
}

TEST_CASE("photo cache: a missing or broken file is logged once and not tried again") {
    TempDir dir;
    SoftRenderer r;
    LogCapture log;
    PhotoCache cache(r.renderer);
    std::ofstream(dir.path / "broken.png") << "PNG? no";
    for (int frame = 0; frame < 5; ++frame) {
        cache.begin_frame();
        CHECK(cache.get(dir.path / "missing.jpg").texture == nullptr);
        CHECK(cache.get(dir.path / "broken.png").texture == nullptr);
        cache.end_frame();
    }
    CHECK(cache.tried(dir.path / "missing.jpg"));
    REQUIRE(cache.peek(dir.path / "missing.jpg"));
    CHECK(cache.peek(dir.path / "missing.jpg")->texture == nullptr);
    CHECK(cache.stats().loads == 0);
    CHECK(cache.stats().failed == 2);
    CHECK(log.count("missing.jpg") == 1);
    CHECK(log.count("broken.png") == 1);

    // A refused name is logged once too, without its control characters.
    for (int i = 0; i < 3; ++i) CHECK_FALSE(cache.resolve(dir.path, "../../etc/shadow"));
    CHECK(log.count("../../etc/shadow") == 1);
    CHECK_FALSE(cache.resolve(dir.path, "a\nb.jpg"));
    CHECK(log.count("a?b.jpg") == 1);
    CHECK_FALSE(cache.resolve(dir.path, ""));  // no photo: nothing to say
}

TEST_CASE("photo cache: the least recently shown photo is evicted first") {
    TempDir dir;
    SoftRenderer r;
    PhotoCache cache(r.renderer, {3, 64});
    std::vector<fs::path> f;
    for (const char* n : {"a.png", "b.png", "c.png", "d.png", "e.png"}) f.push_back(write_png(dir.path, n, 100, 80));
    auto name = [](const std::string& key) { return fs::path(key).filename().string(); };
    auto names = [&] {
        std::vector<std::string> out;
        for (const auto& k : cache.keys()) out.push_back(name(k));
        return out;
    };

    cache.begin_frame();
    for (int i = 0; i < 3; ++i) CHECK(cache.get(f[static_cast<std::size_t>(i)]).texture != nullptr);
    cache.end_frame();
    CHECK(names() == std::vector<std::string>{"c.png", "b.png", "a.png"});

    cache.begin_frame();
    cache.get(f[0]);  // a shown again
    cache.end_frame();
    CHECK(names() == std::vector<std::string>{"a.png", "c.png", "b.png"});

    cache.begin_frame();
    CHECK(cache.get(f[3]).texture != nullptr);  // d: b goes
    cache.end_frame();
    CHECK(names() == std::vector<std::string>{"d.png", "a.png", "c.png"});
    CHECK_FALSE(cache.tried(f[1]));

    cache.begin_frame();
    CHECK(cache.peek(f[2]));  // peeking is not showing: c is still the oldest
    CHECK(cache.get(f[4]).texture != nullptr);
    cache.end_frame();
    CHECK(names() == std::vector<std::string>{"e.png", "d.png", "a.png"});
    CHECK(cache.stats().evictions == 2);
    CHECK(cache.stats().entries == 3);
    CHECK(cache.stats().texture_bytes == 3u * 64u * 51u * 4u);  // 100x80 shrunk to 64x51

    cache.begin_frame();
    CHECK(cache.get(f[1]).texture != nullptr);  // b comes back, loaded again
    cache.end_frame();
    CHECK(cache.stats().loads == 6);
}

TEST_CASE("photo cache: photos shown in this frame are never evicted by it") {
    TempDir dir;
    SoftRenderer r;
    PhotoCache cache(r.renderer, {2, 64});
    const auto a = write_png(dir.path, "a.png", 40, 40);
    const auto b = write_png(dir.path, "b.png", 40, 40);
    const auto c = write_png(dir.path, "c.png", 40, 40);

    cache.begin_frame();
    const auto pa = cache.get(a);
    const auto pb = cache.get(b);
    CHECK(cache.get(c).texture == nullptr);  // no room: a plate for now, not a failure
    CHECK_FALSE(cache.tried(c));
    CHECK(cache.peek(a)->texture == pa.texture);
    CHECK(cache.peek(b)->texture == pb.texture);
    cache.end_frame();

    cache.begin_frame();
    CHECK(cache.get(c).texture != nullptr);  // next frame: a, the oldest, makes room
    CHECK_FALSE(cache.tried(a));
    CHECK(cache.tried(b));
    cache.end_frame();
}
