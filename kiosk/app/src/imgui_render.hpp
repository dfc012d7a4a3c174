#pragma once
// Dear ImGui's draw data onto an SDL_Renderer: what imgui_impl_sdlrenderer's
// RenderDrawData does, faster on the software renderer the terminals use.
//
// Why: most of a kiosk frame is pixels SDL 2.26's software renderer handles
// slowly (measured at 1920x1080 on the development VM):
//  - every solid rectangle that comes as geometry becomes a *blended* fill,
//    even at full opacity: ~4.5 ns a pixel against ~0.7 ns for a plain fill.
//    Backgrounds, tiles, bars and the rows of rounded boxes are most of the
//    screen. They are filled without blending here.
//  - every glyph is a colour- and alpha-modulated blit through SDL's generic
//    per-pixel blender, which works as hard on a glyph's empty pixels as on
//    its ink (~3-8 ns a pixel; the kiosk's 8-20 mm text is large).
//  - each rectangle is a queued command of its own (~1 us), and rounded boxes
//    are made of a few dozen; SDL's fills use non-temporal stores, so the
//    glyphs blended over them next read them back from memory.
// When SDL's software renderer draws to the window, the clear, opaque
// rectangles and the glyphs of the atlases registered here are written
// straight into the window's surface (in draw-list order: what SDL holds
// queued is drawn first), skipping a glyph's empty pixels.
// Both give the pixels SDL would (the same truncation of rectangles, the same
// integer blending); a test compares a frame drawn both ways.
//
// Anything else (anti-aliased edges, photos, scaled images) goes to SDL as
// before. Main thread only: it drives the renderer.
#include <SDL.h>
#include <imgui.h>

#include <cstdint>
#include <map>
#include <vector>

namespace kiosk::app {

class ImGuiRenderer {
public:
    // `window`: the window `renderer` draws to, for its surface (glyphs are
    // drawn into it only when `renderer` is SDL's software renderer drawing
    // to the window); null: SDL draws every glyph.
    ImGuiRenderer(SDL_Renderer* renderer, SDL_Window* window);
    // For a software renderer made with SDL_CreateSoftwareRenderer(surface):
    // glyphs are drawn into `surface` when it is 32-bit RGB888 or ARGB8888.
    static ImGuiRenderer for_surface(SDL_Renderer* renderer, SDL_Surface* surface);

    // A font atlas texture whose glyphs may be drawn directly: `rgba` is what
    // was uploaded to it (white with coverage in alpha, as ImGui makes it);
    // only the alpha is kept. Forget it before the texture is destroyed.
    void add_glyph_atlas(SDL_Texture* texture, const unsigned char* rgba, int w, int h);
    void forget(SDL_Texture* texture);

    // The 32-bit format of the surface frames are drawn into directly, or
    // SDL_PIXELFORMAT_UNKNOWN when SDL draws everything.
    [[nodiscard]] Uint32 direct_format() const;

    // The frame: cleared to `background`, then `draw_data` drawn over it.
    void render(const ImDrawData* draw_data, SDL_Color background);

    struct Stats {
        std::uint64_t opaque_rects = 0;   // filled without blending
        std::uint64_t direct_glyphs = 0;  // drawn into the window's surface here
    };
    [[nodiscard]] const Stats& stats() const { return stats_; }

private:
    class Canvas;  // the target surface's pixels, written between SDL's drawing
    struct Atlas {
        int w = 0, h = 0;
        std::vector<std::uint8_t> alpha;
    };
    SDL_Renderer* renderer_;
    SDL_Window* window_;
    SDL_Surface* surface_ = nullptr;  // instead of the window's
    std::map<const SDL_Texture*, Atlas> atlases_;
    std::vector<ImDrawIdx> scratch_;  // indices of a run of triangles, rebased
    Stats stats_;

    [[nodiscard]] SDL_Surface* direct_target() const;
    void draw_command(const ImDrawList& list, const ImDrawCmd& cmd, Canvas& canvas, SDL_BlendMode blend);
    void fill_opaque(const SDL_FRect& r, ImU32 col, Canvas& canvas, SDL_BlendMode blend);
};

}  // namespace kiosk::app
