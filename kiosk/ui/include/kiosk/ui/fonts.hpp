#pragma once
// Chinese text without tofu, in little memory and little time.
//
// A CJK font holds ~45,000 glyphs; baking them all costs seconds and hundreds
// of megabytes (stack-notes.md). Here each text role has its own small atlas
// holding only the glyphs drawn in that role: every string drawn is first
// passed to require(); glyphs not yet baked mark that role's atlas for a
// rebuild, and the frame loop rebuilds and redraws before presenting, so a
// frame with a missing glyph is never shown. A new resident's name grows only
// the atlas of names, so a card tap re-bakes a few dozen glyphs, not all.
//
// The font collection is memory-mapped once and read in place by
// stb_truetype: no copy per size (the 19 MB-per-size trap in stack-notes.md)
// and only the pages of glyphs actually used become resident.
//
// Dear ImGui 1.86 as Debian ships it stores 16-bit characters, but residents'
// names can hold characters beyond the BMP (CJK Extension B and later, e.g.
// 𫖯). Those are mapped to private-use code points, rasterised by us into
// custom atlas rectangles, and display() rewrites strings accordingly.
#include <array>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "kiosk/core/result.hpp"
#include "kiosk/ui/theme.hpp"

struct ImFont;
struct ImFontAtlas;

namespace kiosk::ui {

struct FontSource {
    std::string path;    // a TrueType/OpenType file or collection
    int face_index = 0;  // face in the collection
};

struct FontStats {
    std::size_t glyphs = 0;          // baked, all roles
    std::size_t texture_pixels = 0;  // all role atlases together
    double last_build_ms = 0;        // the last rebuild() that did work
    int builds = 0;                  // role atlases built so far
};

// Turns an atlas's RGBA pixels into a texture for the renderer and returns
// its id; destroys `previous` (the role's former texture) when not null.
using TextureUploader =
    std::function<void*(TextRole role, const unsigned char* rgba, int width, int height, void* previous)>;

class FontManager {
public:
    // Maps the font and reads the face's metrics.
    // Errors: "fonts.missing" (file unreadable, no such face, no Chinese).
    static Result<std::unique_ptr<FontManager>> open(FontSource source);
    ~FontManager();
    FontManager(const FontManager&) = delete;
    FontManager& operator=(const FontManager&) = delete;

    // Role sizes follow the theme; a change (large text) marks rebuilds.
    void set_theme(const Theme& theme);

    // Notes that `utf8` will be drawn in `role`. Returns true when every glyph
    // is already baked; false marks the role's atlas for a rebuild.
    bool require(TextRole role, std::string_view utf8);

    // The string to hand to ImGui: `utf8` itself, or a copy with characters
    // beyond the BMP replaced by their private-use stand-ins. Valid until
    // end_frame().
    [[nodiscard]] std::string_view display(std::string_view utf8);
    void end_frame() { scratch_.clear(); }

    [[nodiscard]] bool needs_rebuild() const;
    // Rebuilds the atlases that need it and uploads their textures.
    Result<void> rebuild(const TextureUploader& upload);

    [[nodiscard]] ImFont* font(TextRole role) const;
    // ImGui's font size (ascent - descent) that gives the role its em size.
    [[nodiscard]] float size_px(TextRole role) const;
    [[nodiscard]] float em_px(TextRole role) const { return static_cast<float>(role_(role).em_px); }
    // Whether the role's atlas holds `cp` (the font may lack it entirely).
    [[nodiscard]] bool baked(TextRole role, char32_t cp) const;
    [[nodiscard]] bool font_has(char32_t cp) const;
    [[nodiscard]] const FontStats& stats() const { return stats_; }

private:
    struct Role {
        int em_px = 0;
        std::set<char32_t> wanted;  // asked for, and in the font
        std::set<char32_t> baked;
        std::unique_ptr<ImFontAtlas> atlas;
        ImFont* font = nullptr;
        void* texture = nullptr;
        bool dirty = true;
    };
    struct Mapping;

    FontManager();
    [[nodiscard]] const Role& role_(TextRole r) const { return roles_[static_cast<std::size_t>(r)]; }
    [[nodiscard]] Role& role_(TextRole r) { return roles_[static_cast<std::size_t>(r)]; }
    [[nodiscard]] char16_t stand_in(char32_t cp);
    Result<void> build(TextRole role, const TextureUploader& upload);

    std::unique_ptr<Mapping> map_;  // the font file, mapped, and stb's view of the face
    double ascent_minus_descent_em_ = 1.448;
    std::array<Role, kTextRoleCount> roles_;
    std::map<char32_t, char16_t> astral_;  // beyond-BMP code point -> private-use stand-in
    std::deque<std::string> scratch_;
    FontStats stats_;
};

}  // namespace kiosk::ui
