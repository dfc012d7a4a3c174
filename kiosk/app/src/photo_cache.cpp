// Meal photos as renderer textures: decode, shrink, upload, keep the recent ones.
#include "photo_cache.hpp"

#include <spdlog/spdlog.h>
// The implementations are in Debian's libstb (linked through imgui.pc).
#include <stb/stb_image.h>
#include <stb/stb_image_resize.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>

namespace kiosk::app {

namespace fs = std::filesystem;

namespace {
// A 50-megapixel photo already needs 200 MB to decode; nothing a tile needs.
constexpr std::uint64_t kMaxSourcePixels = 50'000'000;
}  // namespace

// ---------------------------------------------------------------------------
// The pure parts
// ---------------------------------------------------------------------------

std::optional<fs::path> resolve_photo_path(const fs::path& menu_dir, std::string_view photo) {
    if (photo.empty() || photo.front() == '/') return std::nullopt;
    for (const char c : photo)
        if (c == '\\' || static_cast<unsigned char>(c) < 0x20 || c == 0x7F) return std::nullopt;
    for (std::size_t start = 0; start <= photo.size();) {
        const std::size_t end = std::min(photo.find('/', start), photo.size());
        const std::string_view part = photo.substr(start, end - start);
        if (part.empty() || part == "..") return std::nullopt;
        start = end + 1;
    }
    return (menu_dir / fs::path(std::string(photo))).lexically_normal();
}

PixelSize fit_within(PixelSize size, int max_side) {
    if (size.w <= 0 || size.h <= 0) return {0, 0};
    max_side = std::max(1, max_side);
    const int long_side = std::max(size.w, size.h);
    if (long_side <= max_side) return size;
    const double scale = static_cast<double>(max_side) / long_side;
    auto side = [&](int v) { return v == long_side ? max_side : std::max(1, static_cast<int>(std::lround(v * scale))); };
    return {side(size.w), side(size.h)};
}

namespace {
// Alpha-weighted (transparent pixels do not darken their neighbours); linear
// arithmetic on the sRGB values, which is what a box filter of a photo shrunk
// 2-8 times needs to look right on a tile.
bool shrink_into(const std::uint8_t* pixels, int w, int h, RgbaImage& out) {
    out.pixels.resize(static_cast<std::size_t>(out.w) * static_cast<std::size_t>(out.h) * 4);
    return stbir_resize_uint8_generic(pixels, w, h, w * 4, out.pixels.data(), out.w, out.h, out.w * 4, 4, 3, 0,
                                      STBIR_EDGE_CLAMP, STBIR_FILTER_BOX, STBIR_COLORSPACE_LINEAR, nullptr) != 0;
}
}  // namespace

RgbaImage shrink(const RgbaImage& image, PixelSize to) {
    RgbaImage out{to.w, to.h, {}, image.opaque};
    if (!shrink_into(image.pixels.data(), image.w, image.h, out)) out.pixels.clear();
    return out;
}

Result<RgbaImage> load_photo_file(const fs::path& file, int max_side) {
    std::error_code ec;
    if (!fs::is_regular_file(file, ec))
        return Error{fs::exists(file, ec) ? "photo.decode" : "photo.missing",
                     fs::exists(file, ec) ? "not a file" : "no such file"};
    std::unique_ptr<FILE, int (*)(FILE*)> f(std::fopen(file.c_str(), "rb"), &std::fclose);
    if (!f) return Error{"photo.missing", "cannot be opened"};
    int w = 0, h = 0, channels = 0;
    if (stbi_info_from_file(f.get(), &w, &h, &channels) == 0 || w <= 0 || h <= 0)
        return Error{"photo.decode", "not a picture"};
    if (static_cast<std::uint64_t>(w) * static_cast<std::uint64_t>(h) > kMaxSourcePixels)
        return Error{"photo.too_large", "more than 50 megapixels"};
    std::unique_ptr<stbi_uc, void (*)(void*)> data(stbi_load_from_file(f.get(), &w, &h, &channels, 4), &stbi_image_free);
    if (!data) return Error{"photo.decode", "damaged or not a picture"};

    const std::size_t bytes = static_cast<std::size_t>(w) * static_cast<std::size_t>(h) * 4;
    bool opaque = true;
    if (channels == 2 || channels == 4)
        for (std::size_t i = 3; i < bytes && opaque; i += 4) opaque = data.get()[i] == 255;
    const PixelSize to = fit_within({w, h}, max_side);
    RgbaImage out{to.w, to.h, {}, opaque};
    if (to == PixelSize{w, h}) {
        out.pixels.assign(data.get(), data.get() + bytes);
        return out;
    }
    // Straight from stb's buffer: no second copy of the full picture.
    if (!shrink_into(data.get(), w, h, out)) return Error{"photo.decode", "could not be shrunk"};
    return out;
}

// ---------------------------------------------------------------------------
// The cache
// ---------------------------------------------------------------------------

PhotoCache::PhotoCache(SDL_Renderer* renderer, Options options) : renderer_(renderer), options_(options) {
    options_.capacity = std::max<std::size_t>(1, options_.capacity);
    options_.max_side = std::max(1, options_.max_side);
}

PhotoCache::~PhotoCache() { clear(); }

std::string PhotoCache::key_of(const fs::path& file) { return file.lexically_normal().string(); }

std::optional<fs::path> PhotoCache::resolve(const fs::path& menu_dir, std::string_view photo) {
    auto file = resolve_photo_path(menu_dir, photo);
    if (!file && !photo.empty() && refused_.size() < 1024 && refused_.emplace(photo).second) {
        std::string shown(photo.substr(0, 200));
        for (char& c : shown)
            if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) c = '?';
        spdlog::warn("photo: refused \"{}\": not a file inside the menu's folder", shown);
    }
    return file;
}

void PhotoCache::end_frame() {
    for (auto* t : retired_) SDL_DestroyTexture(t);
    retired_.clear();
}

std::optional<ui::Picture> PhotoCache::peek(const fs::path& file) const {
    const std::string key = key_of(file);
    if (const auto it = index_.find(key); it != index_.end())
        return ui::Picture{it->second->texture, it->second->w, it->second->h};
    if (failed_.contains(key)) return ui::Picture{};
    return std::nullopt;
}

bool PhotoCache::tried(const fs::path& file) const {
    const std::string key = key_of(file);
    return index_.contains(key) || failed_.contains(key);
}

ui::Picture PhotoCache::get(const fs::path& file) {
    std::string key = key_of(file);
    if (const auto it = index_.find(key); it != index_.end()) {
        lru_.splice(lru_.begin(), lru_, it->second);  // most recently shown
        it->second->shown_frame = frame_;
        return {it->second->texture, it->second->w, it->second->h};
    }
    if (failed_.contains(key)) return {};
    if (lru_.size() >= options_.capacity && !make_room()) return {};

    auto image = load_photo_file(file, options_.max_side);
    if (!image) {
        fail(key, image.error().message);
        return {};
    }
    const Uint32 format = image->opaque ? options_.opaque_format : static_cast<Uint32>(SDL_PIXELFORMAT_RGBA32);
    SDL_Texture* t = SDL_CreateTexture(renderer_, format, SDL_TEXTUREACCESS_STATIC, image->w, image->h);
    if (t == nullptr) {
        fail(key, std::string("no texture: ") + SDL_GetError());
        return {};
    }
    if (format == SDL_PIXELFORMAT_RGBA32) {
        SDL_UpdateTexture(t, nullptr, image->pixels.data(), image->w * 4);
    } else {
        std::vector<unsigned char> converted(image->pixels.size());
        SDL_ConvertPixels(image->w, image->h, SDL_PIXELFORMAT_RGBA32, image->pixels.data(), image->w * 4, format,
                          converted.data(), image->w * 4);
        SDL_UpdateTexture(t, nullptr, converted.data(), image->w * 4);
    }
    SDL_SetTextureScaleMode(t, SDL_ScaleModeLinear);
    // An opaque photo needs no blending (cheaper in the software renderer).
    SDL_SetTextureBlendMode(t, image->opaque ? SDL_BLENDMODE_NONE : SDL_BLENDMODE_BLEND);
    lru_.push_front(Entry{key, t, image->w, image->h, frame_});
    index_.emplace(std::move(key), lru_.begin());
    ++stats_.loads;
    ++stats_.entries;
    stats_.texture_bytes += static_cast<std::size_t>(image->w) * static_cast<std::size_t>(image->h) * 4;
    return {t, image->w, image->h};
}

bool PhotoCache::make_room() {
    if (lru_.empty()) return true;
    Entry& victim = lru_.back();
    if (victim.shown_frame == frame_) return false;  // everything held is on screen now
    retired_.push_back(victim.texture);
    stats_.texture_bytes -= static_cast<std::size_t>(victim.w) * static_cast<std::size_t>(victim.h) * 4;
    --stats_.entries;
    ++stats_.evictions;
    index_.erase(victim.key);
    lru_.pop_back();
    return true;
}

void PhotoCache::fail(const std::string& key, std::string_view why) {
    spdlog::warn("photo: cannot show {}: {}", key, why);
    if (failed_.size() >= 1024) failed_.clear();  // bounded; at worst a file is logged again
    failed_.insert(key);
    stats_.failed = failed_.size();
}

void PhotoCache::clear() {
    for (auto& e : lru_) retired_.push_back(e.texture);
    lru_.clear();
    index_.clear();
    failed_.clear();
    refused_.clear();
    end_frame();
    stats_.entries = 0;
    stats_.texture_bytes = 0;
    stats_.failed = 0;
}

std::vector<std::string> PhotoCache::keys() const {
    std::vector<std::string> out;
    out.reserve(lru_.size());
    for (const auto& e : lru_) out.push_back(e.key);
    return out;
}

}  // namespace kiosk::app
