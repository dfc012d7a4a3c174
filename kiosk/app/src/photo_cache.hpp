#pragma once
// Meal photos for the menu tiles, as renderer textures.
//
// A photo is decoded once (stb_image: JPEG, PNG, BMP, ...), shrunk so its
// long side is at most `max_side` pixels (a tile never shows more; forty
// tiles then cost ~30 MB instead of ~125 MB for 1024 x 768 originals) and
// kept as a static RGBA32 texture with linear scaling, keyed by its resolved
// path. At most `capacity` photos are kept; the least recently shown go
// first. A file that is missing or cannot be decoded is logged once (its
// path) and remembered as failed: its tile keeps the generated plate picture
// and the file is not tried again every frame.
//
// Frames: call begin_frame() before a frame asks for photos and end_frame()
// after it is presented. A photo shown in the current frame is never evicted
// (a page with more photos than `capacity` shows plates for the excess rather
// than reloading every frame), and evicted textures are destroyed only in
// end_frame(), so a frame never draws a destroyed texture.
//
// Main thread only: textures belong to the renderer. Destroy the cache (or
// clear() it) before the renderer.
#include <SDL.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <list>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "kiosk/core/result.hpp"
#include "kiosk/ui/view.hpp"

namespace kiosk::app {

// --- the pure parts ----------------------------------------------------------

// A photo as a menu names it, joined to the menu's folder. Refused (nullopt):
// "", absolute paths, backslashes, control characters, empty parts ("a//b")
// and any ".." part, so a photo cannot point outside the menu's folder even
// when the menu did not come through the config loader.
[[nodiscard]] std::optional<std::filesystem::path> resolve_photo_path(const std::filesystem::path& menu_dir,
                                                                      std::string_view photo);

struct PixelSize {
    int w = 0, h = 0;
    bool operator==(const PixelSize&) const = default;
};

// The size a picture is shrunk to so that its long side is at most
// `max_side`: proportions kept (rounded), never enlarged, at least 1 x 1.
[[nodiscard]] PixelSize fit_within(PixelSize size, int max_side);

struct RgbaImage {
    int w = 0, h = 0;
    std::vector<std::uint8_t> pixels;  // w * h * 4, rows top to bottom, R G B A
    bool opaque = true;                // every alpha is 255
};

// Averages `image` down to `to` (a box filter over the source pixels, alpha
// weighted); `to` no larger than the image.
[[nodiscard]] RgbaImage shrink(const RgbaImage& image, PixelSize to);

// Decodes an image file and shrinks it with fit_within(max_side).
// Errors: "photo.missing" (no such file), "photo.decode" (not a picture stb
// can read, or damaged), "photo.too_large" (more than 50 megapixels).
[[nodiscard]] Result<RgbaImage> load_photo_file(const std::filesystem::path& file, int max_side);

// --- the cache ---------------------------------------------------------------

class PhotoCache {
public:
    struct Options {
        std::size_t capacity = 64;  // textures kept at most
        int max_side = 512;         // pixels, long side
        // The pixel format of opaque photos' textures. The window's own 32-bit
        // format lets SDL's software renderer scale a photo straight onto the
        // screen; from any other format it scales into a temporary surface it
        // allocates for every photo drawn, then converts (1 ms a frame for a
        // page of 12 tiles). Photos with transparency stay RGBA32.
        Uint32 opaque_format = SDL_PIXELFORMAT_RGBA32;
    };
    struct Stats {
        std::size_t entries = 0;
        std::size_t texture_bytes = 0;  // w * h * 4 summed over the textures held
        std::size_t failed = 0;         // files remembered as failed
        std::uint64_t loads = 0;        // decoded and uploaded
        std::uint64_t evictions = 0;
    };

    explicit PhotoCache(SDL_Renderer* renderer) : PhotoCache(renderer, Options{}) {}
    PhotoCache(SDL_Renderer* renderer, Options options);
    ~PhotoCache();
    PhotoCache(const PhotoCache&) = delete;
    PhotoCache& operator=(const PhotoCache&) = delete;

    // resolve_photo_path(), logging a refused name once.
    [[nodiscard]] std::optional<std::filesystem::path> resolve(const std::filesystem::path& menu_dir,
                                                               std::string_view photo);

    void begin_frame() { ++frame_; }
    // Destroys the textures evicted since the last call.
    void end_frame();

    // The photo when it is loaded, an empty picture when it failed, nullopt
    // when it was never tried. Does not count as shown and never loads.
    [[nodiscard]] std::optional<ui::Picture> peek(const std::filesystem::path& file) const;
    // True when get() would not decode (loaded or failed).
    [[nodiscard]] bool tried(const std::filesystem::path& file) const;
    // The photo, shown in this frame: decoded and uploaded on first use. An
    // empty picture when the file failed, or when every texture held is shown
    // in this frame already (no room; tried again in a later frame).
    ui::Picture get(const std::filesystem::path& file);

    // Destroys every texture and forgets failures.
    void clear();

    [[nodiscard]] const Stats& stats() const { return stats_; }
    // Most recently shown first (tests and logs).
    [[nodiscard]] std::vector<std::string> keys() const;

private:
    struct Entry {
        std::string key;
        SDL_Texture* texture = nullptr;
        int w = 0, h = 0;
        std::uint64_t shown_frame = 0;
    };
    [[nodiscard]] static std::string key_of(const std::filesystem::path& file);
    bool make_room();
    void fail(const std::string& key, std::string_view why);

    SDL_Renderer* renderer_;
    Options options_;
    std::uint64_t frame_ = 1;
    std::list<Entry> lru_;  // front: most recently shown
    std::unordered_map<std::string, std::list<Entry>::iterator> index_;
    std::unordered_set<std::string> failed_;
    std::unordered_set<std::string> refused_;
    std::vector<SDL_Texture*> retired_;
    Stats stats_;
};

}  // namespace kiosk::app
