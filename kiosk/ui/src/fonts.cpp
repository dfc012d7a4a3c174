#include "kiosk/ui/fonts.hpp"

#include <fcntl.h>
#include <imgui.h>
#include <stb/stb_truetype.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>

#include "kiosk/ui/utf8.hpp"

namespace kiosk::ui {

namespace {

constexpr char32_t kFirstStandIn = 0xE000;  // BMP private use area
constexpr char32_t kLastStandIn = 0xF8FF;

// Baked into a role's atlas whether asked for or not: printable ASCII; for
// the giant role, which only ever shows pickup numbers, the digits and the
// space (all of ASCII at 40 mm was 13 MB of atlas for ten digits).
bool always_baked(TextRole role, char32_t cp) {
    if (role == TextRole::Giant) return cp == U' ' || (cp >= U'0' && cp <= U'9');
    return cp >= 0x20 && cp <= 0x7E;
}

// ImGui glyph ranges: pairs [first, last] of BMP code points, 0-terminated.
std::vector<ImWchar> make_ranges(TextRole role, const std::set<char32_t>& cps) {
    std::vector<ImWchar> r = role == TextRole::Giant ? std::vector<ImWchar>{0x20, 0x20, 0x30, 0x39}
                                                     : std::vector<ImWchar>{0x20, 0x7E};
    for (char32_t c : cps) {
        if (c > 0xFFFF || always_baked(role, c)) continue;
        const auto w = static_cast<ImWchar>(c);
        if (r.back() + 1 == w) {
            r.back() = w;
        } else {
            r.push_back(w);
            r.push_back(w);
        }
    }
    r.push_back(0);
    return r;
}

}  // namespace

struct FontManager::Mapping {
    void* data = MAP_FAILED;
    std::size_t size = 0;
    stbtt_fontinfo info{};
    int offset = 0;  // of the face within the collection
    ~Mapping() {
        if (data != MAP_FAILED) munmap(data, size);
    }
    [[nodiscard]] unsigned char* bytes() const { return static_cast<unsigned char*>(data); }
};

FontManager::FontManager() : map_(std::make_unique<Mapping>()) {
    for (auto& r : roles_) r.atlas = std::make_unique<ImFontAtlas>();
}

FontManager::~FontManager() = default;

Result<std::unique_ptr<FontManager>> FontManager::open(FontSource source) {
    const std::string& path = source.path;
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return Error{"fonts.missing", "the font file " + path + " cannot be read; install fonts-noto-cjk or set [ui] font"};
    struct stat st {};
    std::unique_ptr<FontManager> fm(new FontManager());
    auto& m = *fm->map_;
    // stb_truetype trusts its input: refuse what cannot even hold a font header.
    if (::fstat(fd, &st) == 0 && st.st_size >= 12) {
        m.size = static_cast<std::size_t>(st.st_size);
        m.data = ::mmap(nullptr, m.size, PROT_READ, MAP_PRIVATE, fd, 0);
    }
    ::close(fd);
    if (m.data == MAP_FAILED) return Error{"fonts.missing", "the font file " + path + " cannot be mapped"};

    m.offset = stbtt_GetFontOffsetForIndex(m.bytes(), source.face_index);
    if (source.face_index < 0 || m.offset < 0 || stbtt_InitFont(&m.info, m.bytes(), m.offset) == 0)
        return Error{"fonts.missing", "the font file " + path + " has no usable face number " + std::to_string(source.face_index)};
    if (stbtt_FindGlyphIndex(&m.info, 0x4E2D) == 0)  // 中: a face without Chinese would show tofu everywhere
        return Error{"fonts.missing", "the font " + path + " face " + std::to_string(source.face_index) +
                                          " has no Chinese characters; use Noto Sans CJK SC (face 2)"};
    // ImGui sizes fonts by ascent - descent (hhea), as stb reads them.
    int ascent = 0, descent = 0, line_gap = 0;
    stbtt_GetFontVMetrics(&m.info, &ascent, &descent, &line_gap);
    fm->ascent_minus_descent_em_ = (ascent - descent) * stbtt_ScaleForMappingEmToPixels(&m.info, 1.0f);
    return fm;
}

void FontManager::set_theme(const Theme& theme) {
    for (int i = 0; i < kTextRoleCount; ++i) {
        auto& r = roles_[static_cast<std::size_t>(i)];
        const int px = theme.em_px(static_cast<TextRole>(i));
        if (r.em_px != px) {
            r.em_px = px;
            r.dirty = true;
        }
    }
}

float FontManager::size_px(TextRole role) const {
    return std::round(em_px(role) * static_cast<float>(ascent_minus_descent_em_));
}

ImFont* FontManager::font(TextRole role) const { return role_(role).font; }

bool FontManager::font_has(char32_t cp) const {
    return stbtt_FindGlyphIndex(&map_->info, static_cast<int>(cp)) != 0;
}

bool FontManager::needs_rebuild() const {
    for (const auto& r : roles_)
        if (r.dirty) return true;
    return false;
}

bool FontManager::require(TextRole role, std::string_view utf8) {
    auto& r = role_(role);
    bool all = true;
    for (std::size_t i = 0; i < utf8.size();) {
        const char32_t cp = next_codepoint(utf8, i);
        if (cp < 0x20 || always_baked(role, cp)) continue;  // controls, and what every atlas has
        if (r.baked.count(cp) != 0 || r.wanted.count(cp) != 0) {
            all = all && r.baked.count(cp) != 0;
            continue;
        }
        if (!font_has(cp)) continue;  // shown as the fallback glyph; nothing to bake
        r.wanted.insert(cp);
        r.dirty = true;
        all = false;
    }
    return all;
}

bool FontManager::baked(TextRole role, char32_t cp) const {
    const auto& r = role_(role);
    if (always_baked(role, cp)) return r.font != nullptr;
    return r.baked.count(cp) != 0;
}

char16_t FontManager::stand_in(char32_t cp) {
    if (auto it = astral_.find(cp); it != astral_.end()) return it->second;
    const char32_t next = kFirstStandIn + static_cast<char32_t>(astral_.size());
    if (next > kLastStandIn) return u'?';
    astral_.emplace(cp, static_cast<char16_t>(next));
    return static_cast<char16_t>(next);
}

std::string_view FontManager::display(std::string_view utf8) {
    bool astral = false;
    for (char c : utf8)
        if ((static_cast<unsigned char>(c) & 0xF8) == 0xF0) astral = true;
    if (!astral) return utf8;
    std::string out;
    out.reserve(utf8.size());
    for (std::size_t i = 0; i < utf8.size();) {
        const char32_t cp = next_codepoint(utf8, i);
        append_utf8(out, cp > 0xFFFF ? stand_in(cp) : cp);
    }
    scratch_.push_back(std::move(out));
    return scratch_.back();
}

Result<void> FontManager::rebuild(const TextureUploader& upload) {
    const auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < kTextRoleCount; ++i) {
        const auto role = static_cast<TextRole>(i);
        if (!role_(role).dirty) continue;
        if (auto r = build(role, upload); !r) return r;
    }
    stats_.glyphs = 0;
    stats_.texture_pixels = 0;
    for (const auto& r : roles_) {
        stats_.glyphs += r.baked.size() + 95;
        stats_.texture_pixels += static_cast<std::size_t>(r.atlas->TexWidth) * static_cast<std::size_t>(r.atlas->TexHeight);
    }
    stats_.last_build_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    return {};
}

Result<void> FontManager::build(TextRole role, const TextureUploader& upload) {
    auto& r = role_(role);
    ImFontAtlas& atlas = *r.atlas;
    const auto& info = map_->info;
    // The atlas reads the mapped file in place. ImGui frees font data it
    // owns, so mark it owned (no copy is made) and take it back before ImGui
    // would free it.
    struct Release {
        ImFontAtlas& atlas;
        ~Release() {
            for (auto& cfg : atlas.ConfigData) cfg.FontData = nullptr;
            atlas.ClearInputData();
        }
    };

    atlas.Clear();
    atlas.Flags |= ImFontAtlasFlags_NoMouseCursors | ImFontAtlasFlags_NoBakedLines;
    const std::vector<ImWchar> ranges = make_ranges(role, r.wanted);
    ImFontConfig cfg;
    cfg.FontData = map_->data;
    cfg.FontDataSize = static_cast<int>(map_->size);
    cfg.FontDataOwnedByAtlas = true;
    cfg.FontNo = 0;
    for (int n = 0; stbtt_GetFontOffsetForIndex(map_->bytes(), n) >= 0; ++n)
        if (stbtt_GetFontOffsetForIndex(map_->bytes(), n) == map_->offset) cfg.FontNo = n;
    cfg.SizePixels = size_px(role);
    cfg.OversampleH = 1;  // CJK at these sizes needs no oversampling; it would double the atlas
    cfg.OversampleV = 1;
    cfg.PixelSnapH = true;
    cfg.GlyphRanges = ranges.data();
    std::snprintf(cfg.Name, sizeof cfg.Name, "%s %dpx", text_role_name(role), r.em_px);
    Release release{atlas};
    ImFont* font = atlas.AddFont(&cfg);

    struct Pending {
        int rect;
        char32_t cp;
    };
    std::vector<Pending> astral_glyphs;
    const float scale = stbtt_ScaleForPixelHeight(&info, cfg.SizePixels);
    int unscaled_ascent = 0, unscaled_descent = 0, line_gap = 0;
    stbtt_GetFontVMetrics(&info, &unscaled_ascent, &unscaled_descent, &line_gap);
    // Same rounding as ImGui's stb builder, so stand-ins sit on the baseline.
    const float ascent_px = std::floor(static_cast<float>(unscaled_ascent) * scale + 1.0f);
    for (char32_t cp : r.wanted) {
        if (cp <= 0xFFFF) continue;
        int x0 = 0, y0 = 0, x1 = 0, y1 = 0, advance = 0, lsb = 0;
        stbtt_GetCodepointBitmapBox(&info, static_cast<int>(cp), scale, scale, &x0, &y0, &x1, &y1);
        stbtt_GetCodepointHMetrics(&info, static_cast<int>(cp), &advance, &lsb);
        const int rect = atlas.AddCustomRectFontGlyph(font, static_cast<ImWchar>(stand_in(cp)), x1 - x0, y1 - y0,
                                                      std::round(static_cast<float>(advance) * scale),
                                                      ImVec2(static_cast<float>(x0), ascent_px + static_cast<float>(y0)));
        astral_glyphs.push_back({rect, cp});
    }
    if (!atlas.Build()) return Error{"fonts.build", "the font atlas could not be built"};

    unsigned char* alpha = nullptr;
    int w = 0, h = 0;
    atlas.GetTexDataAsAlpha8(&alpha, &w, &h);
    for (const auto& g : astral_glyphs) {
        const auto* rect = atlas.GetCustomRectByIndex(g.rect);
        stbtt_MakeCodepointBitmap(&info, alpha + rect->Y * w + rect->X, rect->Width, rect->Height, w, scale, scale,
                                  static_cast<int>(g.cp));
    }
    unsigned char* rgba = nullptr;
    atlas.GetTexDataAsRGBA32(&rgba, &w, &h);
    r.texture = upload(role, rgba, w, h, r.texture);
    atlas.SetTexID(r.texture);
    atlas.ClearTexData();  // the renderer holds its own copy

    r.font = font;
    r.baked = r.wanted;
    r.dirty = false;
    ++stats_.builds;
    return {};
}

}  // namespace kiosk::ui
