#pragma once
// Chinese text without tofu, in little memory.
//
// A CJK font holds ~45,000 glyphs; baking them all costs seconds and hundreds
// of megabytes (stack-notes.md). The atlas here holds only the glyphs in use,
// per text role: every string drawn is first passed to require(); glyphs not
// yet baked mark the atlas for a rebuild, and the frame loop rebuilds and
// redraws before presenting, so a frame with a missing glyph is never shown.
//
// A rebuild subsets the font file to the code points in use with HarfBuzz
// (the 19 MB collection is mapped only for the few milliseconds it takes) and
// bakes each role's glyphs at its size.
//
// Dear ImGui 1.86 as Debian ships it stores 16-bit characters, but residents'
// names can hold characters beyond the BMP (CJK Extension B and later, e.g.
// 𫖯). Those are mapped to private-use code points, rasterised by us into
// custom atlas rectangles, and display() rewrites strings accordingly.
#include <array>
#include <cstdint>
#include <deque>
#include <map>
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
    std::size_t glyphs = 0;  // baked, all roles
    int texture_width = 0;
    int texture_height = 0;
    double last_build_ms = 0;
    int builds = 0;
};

class FontManager {
public:
    // Reads the face's coverage and metrics once.
    // Errors: "fonts.missing" (file or face not usable).
    static Result<FontManager> open(FontSource source);

    // Role sizes follow the theme; a change (large text) marks a rebuild.
    void set_theme(const Theme& theme);

    // Notes that `utf8` will be drawn in `role`. Returns true when every glyph
    // is already baked; false marks the atlas for a rebuild.
    bool require(TextRole role, std::string_view utf8);

    // The string to hand to ImGui: `utf8` itself, or a copy with characters
    // beyond the BMP replaced by their private-use stand-ins. Valid until
    // end_frame().
    [[nodiscard]] std::string_view display(std::string_view utf8);
    void end_frame() { scratch_.clear(); }

    [[nodiscard]] bool needs_rebuild() const { return dirty_; }
    // Rebuilds `atlas` (cleared first). The caller re-uploads the texture.
    Result<void> rebuild(ImFontAtlas& atlas);

    [[nodiscard]] ImFont* font(TextRole role) const { return fonts_[static_cast<std::size_t>(role)]; }
    // ImGui's font size (ascent - descent) that gives the role its em size.
    [[nodiscard]] float size_px(TextRole role) const;
    [[nodiscard]] float em_px(TextRole role) const { return static_cast<float>(em_px_[static_cast<std::size_t>(role)]); }
    // Whether the atlas holds `cp` for `role` (the font may lack it entirely).
    [[nodiscard]] bool baked(TextRole role, char32_t cp) const;
    [[nodiscard]] bool font_has(char32_t cp) const { return cp < coverage_.size() && coverage_[cp]; }
    [[nodiscard]] const FontStats& stats() const { return stats_; }

private:
    FontManager() = default;
    struct Role {
        std::set<char32_t> wanted;  // what has been asked for and the font has
        std::set<char32_t> baked;
    };
    [[nodiscard]] char16_t stand_in(char32_t cp);

    FontSource source_;
    std::vector<bool> coverage_;  // code points the face maps, indexed by code point
    double ascent_minus_descent_em_ = 1.448;
    std::array<int, kTextRoleCount> em_px_{};
    std::array<Role, kTextRoleCount> roles_;
    std::array<ImFont*, kTextRoleCount> fonts_{};
    std::map<char32_t, char16_t> astral_;  // beyond-BMP code point -> private-use stand-in
    std::vector<std::vector<std::uint16_t>> ranges_;  // kept alive until the atlas is built
    std::vector<unsigned char> subset_;               // kept alive for rasterising stand-ins
    std::deque<std::string> scratch_;
    bool dirty_ = true;
    FontStats stats_;
};

}  // namespace kiosk::ui
