#include "imgui_render.hpp"

#include <SDL.h>
#include <imgui.h>

#include <algorithm>
#include <cstdint>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace kiosk::app {

namespace {

// ImDrawList::PrimRect and PrimRectUV lay a rectangle out as two triangles
// a-b-c, a-c-d: a top-left, b top-right, c bottom-right, d bottom-left.
struct Quad {
    const ImDrawVert* a;
    const ImDrawVert* c;
};

// One colour, axis-aligned, in PrimRect's order.
bool as_quad(const ImDrawVert* vtx, const ImDrawIdx* idx, Quad& q) {
    if (idx[3] != idx[0] || idx[4] != idx[2]) return false;
    const ImDrawVert& a = vtx[idx[0]];
    const ImDrawVert& b = vtx[idx[1]];
    const ImDrawVert& c = vtx[idx[2]];
    const ImDrawVert& d = vtx[idx[5]];
    if (b.col != a.col || c.col != a.col || d.col != a.col) return false;
    if (b.pos.y != a.pos.y || c.pos.x != b.pos.x || d.pos.y != c.pos.y || d.pos.x != a.pos.x) return false;
    if (!(c.pos.x > a.pos.x && c.pos.y > a.pos.y)) return false;
    q = {&a, &c};
    return true;
}

// One texel for all four corners: a solid fill (SDL ignores the texture for
// it too, see SDL_SW_RenderGeometryRaw).
bool solid(const ImDrawVert* vtx, const ImDrawIdx* idx) {
    const ImVec2 uv = vtx[idx[0]].uv;
    for (int k : {1, 2, 5})
        if (vtx[idx[k]].uv.x != uv.x || vtx[idx[k]].uv.y != uv.y) return false;
    return true;
}

// The atlas rectangle `src` and screen rectangle `dst` of glyph quad `q`,
// truncated as SDL_SW_RenderGeometryRaw and SW_QueueCopy truncate them; false
// when the copy would be scaled or reach outside the atlas (SDL draws those).
bool glyph_rects(const Quad& q, int atlas_w, int atlas_h, SDL_Rect& src, SDL_Rect& dst) {
    const float tw = static_cast<float>(atlas_w), th = static_cast<float>(atlas_h);
    src.x = static_cast<int>(q.a->uv.x * tw);
    src.y = static_cast<int>(q.a->uv.y * th);
    src.w = static_cast<int>(q.c->uv.x * tw - static_cast<float>(src.x));
    src.h = static_cast<int>(q.c->uv.y * th - static_cast<float>(src.y));
    dst = SDL_Rect{static_cast<int>(q.a->pos.x), static_cast<int>(q.a->pos.y),
                   static_cast<int>(q.c->pos.x - q.a->pos.x), static_cast<int>(q.c->pos.y - q.a->pos.y)};
    return src.w > 0 && src.h > 0 && src.w == dst.w && src.h == dst.h && src.x >= 0 && src.y >= 0 &&
           src.x + src.w <= atlas_w && src.y + src.h <= atlas_h;
}

bool opaque(ImU32 col) { return (col & IM_COL32_A_MASK) == IM_COL32_A_MASK; }

std::uint8_t channel(ImU32 col, int shift) { return static_cast<std::uint8_t>((col >> shift) & 0xFF); }

void reset_state(SDL_Renderer* renderer) {
    SDL_RenderSetViewport(renderer, nullptr);
    SDL_RenderSetClipRect(renderer, nullptr);
}

// Triangles `indices` (`count` of them, relative to `vtx`) through SDL. Only
// the vertices they use are passed: SDL checks the texture coordinates of
// every vertex it is given, and a draw command is drawn here in many runs
// between the pixels written directly, so passing the rest of the list each
// time cost a quarter of the frame. `scratch` holds the rebased indices.
void draw_geometry(SDL_Renderer* renderer, SDL_Texture* texture, const ImDrawVert* vtx, const ImDrawIdx* indices,
                   int count, std::vector<ImDrawIdx>& scratch) {
    if (count <= 0) return;
    const auto [lo, hi] = std::minmax_element(indices, indices + count);
    const ImDrawIdx first = *lo;
    scratch.resize(static_cast<std::size_t>(count));
    for (int i = 0; i < count; ++i) scratch[static_cast<std::size_t>(i)] = static_cast<ImDrawIdx>(indices[i] - first);
    const auto* base = reinterpret_cast<const char*>(vtx + first);
    constexpr int stride = static_cast<int>(sizeof(ImDrawVert));
    SDL_RenderGeometryRaw(renderer, texture, reinterpret_cast<const float*>(base + IM_OFFSETOF(ImDrawVert, pos)),
                          stride, reinterpret_cast<const SDL_Color*>(base + IM_OFFSETOF(ImDrawVert, col)), stride,
                          reinterpret_cast<const float*>(base + IM_OFFSETOF(ImDrawVert, uv)), stride,
                          static_cast<int>(*hi - first) + 1, scratch.data(), count,
                          static_cast<int>(sizeof(ImDrawIdx)));
}

// `n` pixels of `px` from `p`. 16-byte stores where the target has them
// (SSE2 is in every x86-64): a 1920x1080 clear takes 0.5 ms so against 1-1.5
// with 4-byte ones (GCC does not vectorise std::fill at -O2).
void fill_row(std::uint32_t* p, int n, std::uint32_t px) {
    int i = 0;
#ifdef __SSE2__
    for (; i < n && (reinterpret_cast<std::uintptr_t>(p + i) & 15) != 0; ++i) p[i] = px;
    const __m128i v = _mm_set1_epi32(static_cast<int>(px));
    for (; i + 4 <= n; i += 4) _mm_store_si128(reinterpret_cast<__m128i*>(p + i), v);
#endif
    for (; i < n; ++i) p[i] = px;
}

// A white glyph of coverage `alpha` (pitch `apitch`), `w` x `h`, tinted `col`,
// onto 32-bit pixels (`dpitch` bytes a row) in the window's format, blended
// exactly as SDL 2.26 blends the same blit of an RGBA32 texture there:
//  - untinted and opaque: BlitRGBtoBGRPixelAlpha (SDL_blit_A.c), which
//    blends by >> 8 and sets the top byte;
//  - otherwise: SDL_Blit_ABGR8888_{RGB,ARGB}8888_Modulate_Blend
//    (SDL_blit_auto.c), which divides by 255.
// Empty coverage leaves a pixel's colour as both of them leave it, so it is
// skipped. The unused top byte of an RGB888 pixel is not kept as SDL keeps it
// (nothing reads it).
void blit_glyph(const std::uint8_t* alpha, int apitch, int w, int h, ImU32 col, std::uint8_t* dst, int dpitch,
                bool dst_alpha) {
    const std::uint32_t mr = channel(col, IM_COL32_R_SHIFT), mg = channel(col, IM_COL32_G_SHIFT),
                        mb = channel(col, IM_COL32_B_SHIFT), ma = channel(col, IM_COL32_A_SHIFT);
    const std::uint32_t solid_px = (mr << 16) | (mg << 8) | mb;
    if (mr == 255 && mg == 255 && mb == 255 && ma == 255) {
        for (int y = 0; y < h; ++y) {
            const std::uint8_t* s = alpha + static_cast<std::ptrdiff_t>(y) * apitch;
            auto* d = reinterpret_cast<std::uint32_t*>(dst + static_cast<std::ptrdiff_t>(y) * dpitch);
            for (int x = 0; x < w; ++x) {
                const std::uint32_t a = s[x];
                if (a == 0) continue;
                if (a == 255) {
                    d[x] = 0xFFFFFFFFu;
                    continue;
                }
                const std::uint32_t p = d[x];
                std::uint32_t d1 = p & 0xFF00FF;
                d1 = (d1 + ((0xFF00FFu - d1) * a >> 8)) & 0xFF00FF;
                std::uint32_t d2 = p & 0xFF00;
                d2 = (d2 + ((0xFF00u - d2) * a >> 8)) & 0xFF00;
                const std::uint32_t da = a + ((p >> 24) * (a ^ 0xFF) >> 8);
                d[x] = d1 | d2 | (da << 24);
            }
        }
        return;
    }
    for (int y = 0; y < h; ++y) {
        const std::uint8_t* s = alpha + static_cast<std::ptrdiff_t>(y) * apitch;
        auto* d = reinterpret_cast<std::uint32_t*>(dst + static_cast<std::ptrdiff_t>(y) * dpitch);
        for (int x = 0; x < w; ++x) {
            if (s[x] == 0) continue;
            const std::uint32_t sa = s[x] * ma / 255;
            if (sa == 0) continue;
            const std::uint32_t p = d[x];
            std::uint32_t pa = 0;
            if (dst_alpha) pa = (sa + ((255 - sa) * (p >> 24)) / 255) << 24;
            if (sa == 255) {
                d[x] = solid_px | pa;
                continue;
            }
            const std::uint32_t inv = 255 - sa;
            const std::uint32_t r = mr * sa / 255 + (inv * ((p >> 16) & 0xFF)) / 255;
            const std::uint32_t g = mg * sa / 255 + (inv * ((p >> 8) & 0xFF)) / 255;
            const std::uint32_t b = mb * sa / 255 + (inv * (p & 0xFF)) / 255;
            d[x] = (r << 16) | (g << 8) | b | pa;
        }
    }
}

}  // namespace

// The window's pixels, written here between SDL's own drawing: whatever SDL
// holds queued is drawn first, so the order of the draw list is kept.
class ImGuiRenderer::Canvas {
public:
    Canvas(SDL_Renderer* renderer, SDL_Surface* surface) : renderer_(renderer), s_(surface) {}
    [[nodiscard]] explicit operator bool() const { return s_ != nullptr; }

    // SDL was given something to draw.
    void queued() { queued_ = true; }

    void clip(const SDL_Rect& clip) {
        const SDL_Rect whole{0, 0, s_->w, s_->h};
        SDL_IntersectRect(&clip, &whole, &bounds_);
    }
    void unclip() { bounds_ = SDL_Rect{0, 0, s_->w, s_->h}; }

    // The whole surface, as SDL_RenderClear would.
    void clear(ImU32 col) {
        unclip();
        fill(bounds_, col);
    }

    // What SDL_FillRects makes of an opaque colour on this surface.
    void fill(const SDL_Rect& r, ImU32 col) {
        SDL_Rect vis;
        if (SDL_IntersectRect(&r, &bounds_, &vis) != SDL_TRUE) return;
        sync();
        const Uint32 px = SDL_MapRGBA(s_->format, channel(col, IM_COL32_R_SHIFT), channel(col, IM_COL32_G_SHIFT),
                                      channel(col, IM_COL32_B_SHIFT), 255);
        for (int y = vis.y; y < vis.y + vis.h; ++y) {
            fill_row(reinterpret_cast<std::uint32_t*>(static_cast<std::uint8_t*>(s_->pixels) +
                                                      static_cast<std::ptrdiff_t>(y) * s_->pitch) +
                         vis.x,
                     vis.w, px);
        }
    }

    // Glyph `src` of an atlas (alpha, `pitch` a row) to `d`, the same size.
    void glyph(const std::uint8_t* src, int pitch, const SDL_Rect& d, ImU32 col) {
        SDL_Rect vis;
        if (SDL_IntersectRect(&d, &bounds_, &vis) != SDL_TRUE) return;
        sync();
        blit_glyph(src + static_cast<std::ptrdiff_t>(vis.y - d.y) * pitch + (vis.x - d.x), pitch, vis.w, vis.h, col,
                   static_cast<std::uint8_t*>(s_->pixels) + static_cast<std::ptrdiff_t>(vis.y) * s_->pitch + vis.x * 4,
                   s_->pitch, s_->format->format == SDL_PIXELFORMAT_ARGB8888);
    }

private:
    void sync() {
        if (!queued_) return;
        SDL_RenderFlush(renderer_);
        queued_ = false;
    }
    SDL_Renderer* renderer_;
    SDL_Surface* s_;
    SDL_Rect bounds_{};
    bool queued_ = true;
};

ImGuiRenderer::ImGuiRenderer(SDL_Renderer* renderer, SDL_Window* window) : renderer_(renderer), window_(window) {
    SDL_RendererInfo info{};
    if (window_ != nullptr && (SDL_GetRendererInfo(renderer_, &info) != 0 || (info.flags & SDL_RENDERER_SOFTWARE) == 0))
        window_ = nullptr;
}

ImGuiRenderer ImGuiRenderer::for_surface(SDL_Renderer* renderer, SDL_Surface* surface) {
    ImGuiRenderer r(renderer, nullptr);
    r.surface_ = surface;
    return r;
}

void ImGuiRenderer::add_glyph_atlas(SDL_Texture* texture, const unsigned char* rgba, int w, int h) {
    Atlas a;
    a.w = w;
    a.h = h;
    a.alpha.resize(static_cast<std::size_t>(w) * static_cast<std::size_t>(h));
    for (std::size_t i = 0; i < a.alpha.size(); ++i) a.alpha[i] = rgba[i * 4 + 3];
    atlases_[texture] = std::move(a);
}

void ImGuiRenderer::forget(SDL_Texture* texture) { atlases_.erase(texture); }

// The surface SDL's software renderer draws into (for a window it takes the
// same one from SDL_GetWindowSurface), when pixels can go there directly:
// 32-bit, unscaled, no render target.
SDL_Surface* ImGuiRenderer::direct_target() const {
    if ((window_ == nullptr && surface_ == nullptr) || SDL_GetRenderTarget(renderer_) != nullptr) return nullptr;
    float sx = 1.0f, sy = 1.0f;
    SDL_RenderGetScale(renderer_, &sx, &sy);
    if (sx != 1.0f || sy != 1.0f) return nullptr;
    SDL_Surface* s = surface_ != nullptr ? surface_ : SDL_GetWindowSurface(window_);
    if (s == nullptr || SDL_MUSTLOCK(s)) return nullptr;
    const Uint32 f = s->format->format;
    return f == SDL_PIXELFORMAT_RGB888 || f == SDL_PIXELFORMAT_ARGB8888 ? s : nullptr;
}

Uint32 ImGuiRenderer::direct_format() const {
    const SDL_Surface* s = direct_target();
    return s != nullptr ? s->format->format : static_cast<Uint32>(SDL_PIXELFORMAT_UNKNOWN);
}

void ImGuiRenderer::render(const ImDrawData* draw_data, SDL_Color background) {
    Canvas canvas(renderer_, direct_target());
    if (canvas) {
        canvas.clear(IM_COL32(background.r, background.g, background.b, 255));
    } else {
        SDL_SetRenderDrawColor(renderer_, background.r, background.g, background.b, 255);
        SDL_RenderClear(renderer_);
    }

    // The clip rectangles as imgui_impl_sdlrenderer projects them.
    float rsx = 1.0f, rsy = 1.0f;
    SDL_RenderGetScale(renderer_, &rsx, &rsy);
    const ImVec2 scale(rsx == 1.0f ? draw_data->FramebufferScale.x : 1.0f,
                       rsy == 1.0f ? draw_data->FramebufferScale.y : 1.0f);
    const float fb_w = draw_data->DisplaySize.x * scale.x;
    const float fb_h = draw_data->DisplaySize.y * scale.y;
    if (static_cast<int>(fb_w) == 0 || static_cast<int>(fb_h) == 0) return;
    const ImVec2 off = draw_data->DisplayPos;

    SDL_Rect old_viewport;
    SDL_Rect old_clip;
    const bool old_clip_on = SDL_RenderIsClipEnabled(renderer_) == SDL_TRUE;
    SDL_RenderGetViewport(renderer_, &old_viewport);
    SDL_RenderGetClipRect(renderer_, &old_clip);
    SDL_BlendMode old_blend = SDL_BLENDMODE_NONE;
    Uint8 old_r = 0, old_g = 0, old_b = 0, old_a = 0;
    SDL_GetRenderDrawBlendMode(renderer_, &old_blend);
    SDL_GetRenderDrawColor(renderer_, &old_r, &old_g, &old_b, &old_a);

    reset_state(renderer_);
    for (int n = 0; n < draw_data->CmdListsCount; ++n) {
        const ImDrawList* list = draw_data->CmdLists[n];
        for (const ImDrawCmd& cmd : list->CmdBuffer) {
            if (cmd.UserCallback != nullptr) {
                if (cmd.UserCallback == ImDrawCallback_ResetRenderState)
                    reset_state(renderer_);
                else
                    cmd.UserCallback(list, &cmd);
                canvas.queued();
                continue;
            }
            ImVec2 lo((cmd.ClipRect.x - off.x) * scale.x, (cmd.ClipRect.y - off.y) * scale.y);
            ImVec2 hi((cmd.ClipRect.z - off.x) * scale.x, (cmd.ClipRect.w - off.y) * scale.y);
            lo.x = std::max(lo.x, 0.0f);
            lo.y = std::max(lo.y, 0.0f);
            hi.x = std::min(hi.x, fb_w);
            hi.y = std::min(hi.y, fb_h);
            if (hi.x <= lo.x || hi.y <= lo.y) continue;
            const SDL_Rect clip{static_cast<int>(lo.x), static_cast<int>(lo.y), static_cast<int>(hi.x - lo.x),
                                static_cast<int>(hi.y - lo.y)};
            SDL_RenderSetClipRect(renderer_, &clip);
            if (canvas) canvas.clip(clip);
            draw_command(*list, cmd, canvas, old_blend);
        }
    }

    SDL_RenderSetViewport(renderer_, &old_viewport);
    SDL_RenderSetClipRect(renderer_, old_clip_on ? &old_clip : nullptr);
    SDL_SetRenderDrawBlendMode(renderer_, old_blend);
    SDL_SetRenderDrawColor(renderer_, old_r, old_g, old_b, old_a);
}

// Opaque one-colour rectangles and unscaled glyphs of a registered atlas are
// drawn here; the triangles between them go to SDL in runs, in order.
void ImGuiRenderer::draw_command(const ImDrawList& list, const ImDrawCmd& cmd, Canvas& canvas, SDL_BlendMode blend) {
    auto* texture = static_cast<SDL_Texture*>(cmd.GetTexID());
    const auto found = canvas ? atlases_.find(texture) : atlases_.end();
    const Atlas* atlas = found != atlases_.end() ? &found->second : nullptr;
    const ImDrawVert* vtx = list.VtxBuffer.Data + cmd.VtxOffset;
    const ImDrawIdx* idx = list.IdxBuffer.Data + cmd.IdxOffset;
    const int count = static_cast<int>(cmd.ElemCount);
    int run = 0;  // start of the triangles not drawn yet
    auto flush_run = [&](int upto) {
        if (upto <= run) return;
        draw_geometry(renderer_, texture, vtx, idx + run, upto - run, scratch_);
        canvas.queued();
    };
    for (int i = 0; i + 6 <= count;) {
        Quad q{};
        if (!as_quad(vtx, idx + i, q)) {
            i += 3;  // a lone triangle: SDL's
            continue;
        }
        const ImU32 col = q.a->col;
        const bool one_texel = solid(vtx, idx + i);
        SDL_Rect src{}, dst{};
        if (one_texel && opaque(col)) {
            // SDL would fill it blended: at full opacity that is the colour exactly.
            flush_run(i);
            fill_opaque(SDL_FRect{q.a->pos.x, q.a->pos.y, q.c->pos.x - q.a->pos.x, q.c->pos.y - q.a->pos.y}, col,
                        canvas, blend);
        } else if (!one_texel && atlas != nullptr && glyph_rects(q, atlas->w, atlas->h, src, dst)) {
            flush_run(i);
            canvas.glyph(atlas->alpha.data() + static_cast<std::ptrdiff_t>(src.y) * atlas->w + src.x, atlas->w, dst,
                         col);
            ++stats_.direct_glyphs;
        } else {
            i += 6;  // SDL's, in the run
            continue;
        }
        i += 6;
        run = i;
    }
    flush_run(count);
}

void ImGuiRenderer::fill_opaque(const SDL_FRect& r, ImU32 col, Canvas& canvas, SDL_BlendMode blend) {
    if (canvas) {
        // As SW_QueueFillRects truncates it.
        canvas.fill(SDL_Rect{static_cast<int>(r.x), static_cast<int>(r.y), std::max(static_cast<int>(r.w), 1),
                             std::max(static_cast<int>(r.h), 1)},
                    col);
    } else {
        SDL_SetRenderDrawBlendMode(renderer_, SDL_BLENDMODE_NONE);
        SDL_SetRenderDrawColor(renderer_, channel(col, IM_COL32_R_SHIFT), channel(col, IM_COL32_G_SHIFT),
                               channel(col, IM_COL32_B_SHIFT), 255);
        SDL_RenderFillRectF(renderer_, &r);
        SDL_SetRenderDrawBlendMode(renderer_, blend);
    }
    ++stats_.opaque_rects;
}

}  // namespace kiosk::app
