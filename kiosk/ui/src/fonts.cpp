#include "kiosk/ui/fonts.hpp"

#include <hb-subset.h>
#include <hb.h>
#include <imgui.h>
#include <spdlog/spdlog.h>
#include <stb/stb_truetype.h>

#include <chrono>
#include <cmath>
#include <cstring>
#include <memory>

#include "kiosk/ui/utf8.hpp"

namespace kiosk::ui {

namespace {

constexpr char32_t kFirstStandIn = 0xE000;  // BMP private use area
constexpr char32_t kLastStandIn = 0xF8FF;

struct HbDeleter {
    void operator()(hb_blob_t* b) const { hb_blob_destroy(b); }
    void operator()(hb_face_t* f) const { hb_face_destroy(f); }
    void operator()(hb_subset_input_t* i) const { hb_subset_input_destroy(i); }
    void operator()(hb_set_t* s) const { hb_set_destroy(s); }
};
template <typename T>
using HbPtr = std::unique_ptr<T, HbDeleter>;

struct Face {
    HbPtr<hb_blob_t> blob;
    HbPtr<hb_face_t> face;
};

Result<Face> open_face(const FontSource& src) {
    Face f;
    f.blob.reset(hb_blob_create_from_file_or_fail(src.path.c_str()));
    if (!f.blob)
        return Error{"fonts.missing", "the font file " + src.path + " cannot be read; install fonts-noto-cjk or set [ui] font"};
    if (src.face_index < 0 || static_cast<unsigned>(src.face_index) >= hb_face_count(f.blob.get()))
        return Error{"fonts.missing", "the font file " + src.path + " has no face number " + std::to_string(src.face_index)};
    f.face.reset(hb_face_create(f.blob.get(), static_cast<unsigned>(src.face_index)));
    return f;
}

// A standalone font holding only `cps` (plus what the shaper tables need).
Result<std::vector<unsigned char>> subset(hb_face_t* face, const std::set<char32_t>& cps) {
    HbPtr<hb_subset_input_t> input(hb_subset_input_create_or_fail());
    if (!input) return Error{"fonts.subset", "out of memory while preparing the font"};
    hb_set_t* unicodes = hb_subset_input_unicode_set(input.get());
    for (char32_t c = 0x20; c < 0x7F; ++c) hb_set_add(unicodes, c);
    for (char32_t c : cps) hb_set_add(unicodes, c);
    hb_subset_input_set_flags(input.get(), HB_SUBSET_FLAGS_NO_HINTING);
    HbPtr<hb_face_t> out(hb_subset_or_fail(face, input.get()));
    if (!out) return Error{"fonts.subset", "the font could not be subset"};
    HbPtr<hb_blob_t> blob(hb_face_reference_blob(out.get()));
    unsigned len = 0;
    const char* data = hb_blob_get_data(blob.get(), &len);
    return std::vector<unsigned char>(data, data + len);
}

// ImGui glyph ranges: pairs [first, last] of BMP code points, 0-terminated.
std::vector<ImWchar> make_ranges(const std::set<char32_t>& cps) {
    std::vector<ImWchar> r{0x20, 0x7E};
    for (char32_t c : cps) {
        if (c > 0xFFFF || (c >= 0x20 && c <= 0x7E)) continue;
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

Result<FontManager> FontManager::open(FontSource source) {
    auto face = open_face(source);
    if (!face) return face.error();
    FontManager fm;
    fm.source_ = std::move(source);
    fm.coverage_.assign(0x110000, false);
    HbPtr<hb_set_t> all(hb_set_create());
    hb_face_collect_unicodes(face->face.get(), all.get());
    for (hb_codepoint_t c = HB_SET_VALUE_INVALID; hb_set_next(all.get(), &c);)
        if (c < fm.coverage_.size()) fm.coverage_[c] = true;
    if (!fm.coverage_[0x4E2D])  // 中: a face without Chinese would show tofu everywhere
        return Error{"fonts.missing", "the font " + fm.source_.path + " face " + std::to_string(fm.source_.face_index) +
                                          " has no Chinese characters; use Noto Sans CJK SC (face 2)"};

    // ImGui sizes fonts by ascent - descent; read them from a tiny subset with
    // the same code stb uses when baking.
    auto ascii = subset(face->face.get(), {});
    if (!ascii) return ascii.error();
    stbtt_fontinfo info{};
    if (stbtt_InitFont(&info, ascii->data(), stbtt_GetFontOffsetForIndex(ascii->data(), 0)) == 0)
        return Error{"fonts.missing", "the font " + fm.source_.path + " could not be read"};
    int ascent = 0, descent = 0, line_gap = 0;
    stbtt_GetFontVMetrics(&info, &ascent, &descent, &line_gap);
    fm.ascent_minus_descent_em_ = (ascent - descent) * stbtt_ScaleForMappingEmToPixels(&info, 1.0f);
    return fm;
}

void FontManager::set_theme(const Theme& theme) {
    for (int i = 0; i < kTextRoleCount; ++i) {
        const int px = theme.em_px(static_cast<TextRole>(i));
        if (em_px_[static_cast<std::size_t>(i)] != px) {
            em_px_[static_cast<std::size_t>(i)] = px;
            dirty_ = true;
        }
    }
}

float FontManager::size_px(TextRole role) const {
    return std::round(em_px(role) * static_cast<float>(ascent_minus_descent_em_));
}

bool FontManager::require(TextRole role, std::string_view utf8) {
    auto& r = roles_[static_cast<std::size_t>(role)];
    bool all = true;
    for (std::size_t i = 0; i < utf8.size();) {
        const char32_t cp = next_codepoint(utf8, i);
        if (cp < 0x20 || (cp >= 0x20 && cp < 0x7F)) continue;  // controls; ASCII is always baked
        if (r.baked.count(cp) != 0) continue;
        if (!font_has(cp)) continue;  // shown as the fallback glyph; nothing to bake
        r.wanted.insert(cp);
        all = false;
        dirty_ = true;
    }
    return all;
}

bool FontManager::baked(TextRole role, char32_t cp) const {
    if (cp >= 0x20 && cp < 0x7F) return fonts_[static_cast<std::size_t>(role)] != nullptr;
    return roles_[static_cast<std::size_t>(role)].baked.count(cp) != 0;
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

Result<void> FontManager::rebuild(ImFontAtlas& atlas) {
    const auto t0 = std::chrono::steady_clock::now();
    auto face = open_face(source_);
    if (!face) return face.error();
    std::set<char32_t> all;
    for (const auto& r : roles_) all.insert(r.wanted.begin(), r.wanted.end());
    auto data = subset(face->face.get(), all);
    if (!data) return data.error();
    face->face.reset();  // unmap the collection now: only the subset is needed
    face->blob.reset();

    stbtt_fontinfo info{};
    if (stbtt_InitFont(&info, data->data(), stbtt_GetFontOffsetForIndex(data->data(), 0)) == 0)
        return Error{"fonts.subset", "the font subset could not be read"};
    int unscaled_ascent = 0, unscaled_descent = 0, line_gap = 0;
    stbtt_GetFontVMetrics(&info, &unscaled_ascent, &unscaled_descent, &line_gap);

    struct Pending {
        int rect;
        char32_t cp;
        float scale;
    };
    std::vector<Pending> astral_glyphs;

    atlas.Clear();
    atlas.Flags |= ImFontAtlasFlags_NoMouseCursors;
    ranges_.clear();
    for (int i = 0; i < kTextRoleCount; ++i) {
        const auto role = static_cast<TextRole>(i);
        auto& r = roles_[static_cast<std::size_t>(i)];
        ranges_.push_back(make_ranges(r.wanted));
        ImFontConfig cfg;
        cfg.FontData = IM_ALLOC(data->size());
        std::memcpy(cfg.FontData, data->data(), data->size());
        cfg.FontDataSize = static_cast<int>(data->size());
        cfg.FontDataOwnedByAtlas = true;
        cfg.SizePixels = size_px(role);
        cfg.OversampleH = 1;  // CJK at these sizes needs no oversampling; it would double the atlas
        cfg.OversampleV = 1;
        cfg.PixelSnapH = true;
        cfg.GlyphRanges = ranges_.back().data();
        std::snprintf(cfg.Name, sizeof cfg.Name, "%s %dpx", text_role_name(role), static_cast<int>(em_px(role)));
        ImFont* font = atlas.AddFont(&cfg);
        fonts_[static_cast<std::size_t>(i)] = font;

        const float scale = stbtt_ScaleForPixelHeight(&info, cfg.SizePixels);
        // Same rounding as ImGui's stb builder, so stand-ins sit on the baseline.
        const float ascent_px = std::floor(unscaled_ascent * scale + 1.0f);
        for (char32_t cp : r.wanted) {
            if (cp <= 0xFFFF) continue;
            int x0 = 0, y0 = 0, x1 = 0, y1 = 0, advance = 0, lsb = 0;
            stbtt_GetCodepointBitmapBox(&info, static_cast<int>(cp), scale, scale, &x0, &y0, &x1, &y1);
            stbtt_GetCodepointHMetrics(&info, static_cast<int>(cp), &advance, &lsb);
            const int rect = atlas.AddCustomRectFontGlyph(font, static_cast<ImWchar>(stand_in(cp)), x1 - x0, y1 - y0,
                                                          std::round(advance * scale),
                                                          ImVec2(static_cast<float>(x0), ascent_px + static_cast<float>(y0)));
            astral_glyphs.push_back({rect, cp, scale});
        }
    }
    if (!atlas.Build()) return Error{"fonts.build", "the font atlas could not be built"};

    unsigned char* pixels = nullptr;
    int tex_w = 0, tex_h = 0;
    atlas.GetTexDataAsAlpha8(&pixels, &tex_w, &tex_h);
    for (const auto& g : astral_glyphs) {
        const auto* rect = atlas.GetCustomRectByIndex(g.rect);
        stbtt_MakeCodepointBitmap(&info, pixels + rect->Y * tex_w + rect->X, rect->Width, rect->Height, tex_w, g.scale,
                                  g.scale, static_cast<int>(g.cp));
    }
    atlas.ClearInputData();  // frees the per-role copies of the subset
    ranges_.clear();

    stats_.glyphs = 0;
    for (auto& r : roles_) {
        r.baked = r.wanted;
        stats_.glyphs += r.baked.size() + 95;
    }
    stats_.texture_width = tex_w;
    stats_.texture_height = tex_h;
    stats_.builds++;
    stats_.last_build_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    dirty_ = false;
    return {};
}

}  // namespace kiosk::ui
