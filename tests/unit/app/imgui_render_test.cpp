#include <doctest/doctest.h>
#include <SDL.h>
#include <imgui.h>
#include <imgui_impl_sdlrenderer.h>

#include <cstdint>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "imgui_render.hpp"

using kiosk::app::ImGuiRenderer;

// ImGuiRenderer writes opaque rectangles and glyphs into the window's pixels
// itself; everything it does must come out exactly as Dear ImGui's own SDL
// renderer backend draws the same draw data. The frames here have what the
// kiosk's screens have: fills at fractional positions, text in several
// colours and opacities over fills and over other text, clipping, rounded
// and anti-aliased shapes, translucent veils and a scaled picture.

namespace {

constexpr int kW = 640, kH = 400;
constexpr SDL_Color kBackground{0xF4, 0xF1, 0xEA, 0xFF};

// SDL with the offscreen driver (the unit tests' environment), a software
// renderer drawing to a window (or to a surface of `surface_format`), Dear
// ImGui with its built-in font.
struct Fixture {
    SDL_Window* window = nullptr;
    SDL_Surface* surface = nullptr;
    SDL_Renderer* renderer = nullptr;
    SDL_Texture* picture = nullptr;
    ImGuiContext* context = nullptr;

    explicit Fixture(Uint32 surface_format = SDL_PIXELFORMAT_UNKNOWN) {
        REQUIRE(SDL_InitSubSystem(SDL_INIT_VIDEO) == 0);
        if (surface_format == SDL_PIXELFORMAT_UNKNOWN) {
            // As the kiosk sets it: the offscreen driver's own framebuffer,
            // not an OpenGL texture behind the window (stack-notes.md).
            SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
            window = SDL_CreateWindow("imgui-render-test", 0, 0, kW, kH, SDL_WINDOW_HIDDEN);
            REQUIRE(window != nullptr);
            renderer = SDL_CreateRenderer(window, -1, SDL_RENDERER_SOFTWARE);
        } else {
            surface = SDL_CreateRGBSurfaceWithFormat(0, kW, kH, 32, surface_format);
            REQUIRE(surface != nullptr);
            renderer = SDL_CreateSoftwareRenderer(surface);
        }
        REQUIRE(renderer != nullptr);
        context = ImGui::CreateContext();
        ImGuiIO& io = ImGui::GetIO();
        io.IniFilename = nullptr;
        io.DisplaySize = ImVec2(kW, kH);
        ImFontConfig big;  // baked as the kiosk bakes its fonts (ui/fonts.cpp)
        big.SizePixels = 26;
        big.OversampleH = 1;
        big.OversampleV = 1;
        big.PixelSnapH = true;
        io.Fonts->AddFontDefault();
        io.Fonts->AddFontDefault(&big);
        REQUIRE(ImGui_ImplSDLRenderer_Init(renderer));
        ImGui_ImplSDLRenderer_NewFrame();  // uploads the font atlas

        // A picture with a gradient and some transparency, drawn scaled.
        std::vector<std::uint32_t> px(64 * 48);
        for (int y = 0; y < 48; ++y)
            for (int x = 0; x < 64; ++x)
                px[static_cast<std::size_t>(y * 64 + x)] =
                    (static_cast<std::uint32_t>(x * 4) << 0) | (static_cast<std::uint32_t>(y * 5) << 8) |
                    (0x80u << 16) | (static_cast<std::uint32_t>(x < 32 ? 255 : 128) << 24);
        picture = SDL_CreateTexture(renderer, SDL_PIXELFORMAT_RGBA32, SDL_TEXTUREACCESS_STATIC, 64, 48);
        REQUIRE(picture != nullptr);
        SDL_UpdateTexture(picture, nullptr, px.data(), 64 * 4);
        SDL_SetTextureBlendMode(picture, SDL_BLENDMODE_BLEND);
    }
    ~Fixture() {
        ImGui_ImplSDLRenderer_Shutdown();
        ImGui::DestroyContext(context);
        SDL_DestroyTexture(picture);
        SDL_DestroyRenderer(renderer);
        if (window != nullptr) SDL_DestroyWindow(window);
        if (surface != nullptr) SDL_FreeSurface(surface);
        SDL_QuitSubSystem(SDL_INIT_VIDEO);
    }
    Fixture(const Fixture&) = delete;
    Fixture& operator=(const Fixture&) = delete;

    // Registers the font atlas the backend uploaded, as the kiosk registers its own.
    void register_atlas(ImGuiRenderer& r) const {
        unsigned char* rgba = nullptr;
        int w = 0, h = 0;
        ImGui::GetIO().Fonts->GetTexDataAsRGBA32(&rgba, &w, &h);
        r.add_glyph_atlas(static_cast<SDL_Texture*>(ImGui::GetIO().Fonts->TexID), rgba, w, h);
    }

    // One frame of `draw` on the foreground draw list.
    const ImDrawData* frame(const std::function<void(ImDrawList*)>& draw) const {
        ImGui_ImplSDLRenderer_NewFrame();
        ImGui::NewFrame();
        draw(ImGui::GetForegroundDrawList());
        ImGui::Render();
        return ImGui::GetDrawData();
    }

    // The pixels as they are; an RGB888 target's unused byte is not part of the picture.
    [[nodiscard]] std::vector<std::uint32_t> pixels() const {
        std::vector<std::uint32_t> out(static_cast<std::size_t>(kW) * kH);
        const bool with_alpha = surface != nullptr && surface->format->format == SDL_PIXELFORMAT_ARGB8888;
        REQUIRE(SDL_RenderReadPixels(renderer, nullptr, with_alpha ? SDL_PIXELFORMAT_ARGB8888 : SDL_PIXELFORMAT_RGB888,
                                     out.data(), kW * 4) == 0);
        if (!with_alpha)
            for (auto& p : out) p &= 0xFFFFFFu;
        return out;
    }

    // The frame as imgui_impl_sdlrenderer draws it, then as `r` does.
    std::pair<std::vector<std::uint32_t>, std::vector<std::uint32_t>> both(
        ImGuiRenderer& r, const std::function<void(ImDrawList*)>& draw) const {
        const ImDrawData* data = frame(draw);
        SDL_SetRenderDrawColor(renderer, kBackground.r, kBackground.g, kBackground.b, 255);
        SDL_RenderClear(renderer);
        ImGui_ImplSDLRenderer_RenderDrawData(const_cast<ImDrawData*>(data));
        auto reference = pixels();
        SDL_RenderPresent(renderer);
        data = frame(draw);
        r.render(data, kBackground);
        auto ours = pixels();
        SDL_RenderPresent(renderer);
        return {std::move(reference), std::move(ours)};
    }
};

// Where two frames differ, for the failure message.
std::string first_difference(const std::vector<std::uint32_t>& a, const std::vector<std::uint32_t>& b) {
    int count = 0;
    std::string first;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (a[i] == b[i]) continue;
        if (count++ == 0) {
            char line[120];
            std::snprintf(line, sizeof line, "at (%d, %d): SDL %08X, direct %08X", static_cast<int>(i % kW),
                          static_cast<int>(i / kW), a[i], b[i]);
            first = line;
        }
    }
    return count == 0 ? "none" : std::to_string(count) + " pixels differ, first " + first;
}

void text(ImDrawList* dl, int font, ImVec2 at, ImU32 colour, const char* s) {
    ImFont* f = ImGui::GetIO().Fonts->Fonts[font];
    dl->AddText(f, f->FontSize, at, colour, s);
}

// What a kiosk screen is made of.
void screen(ImDrawList* dl, SDL_Texture* picture) {
    dl->AddRectFilled(ImVec2(0, 0), ImVec2(kW, 52.6f), IM_COL32(0x1B, 0x3A, 0x5C, 255));
    text(dl, 1, ImVec2(12.4f, 10.7f), IM_COL32_WHITE, "Community service terminal");
    text(dl, 0, ImVec2(480.2f, 18.5f), IM_COL32(0xFF, 0xE0, 0x80, 255), "11:30");
    // Tiles with frames, at fractional positions as layout in millimetres gives them.
    for (int i = 0; i < 3; ++i) {
        const float x = 14.3f + static_cast<float>(i) * 205.7f;
        dl->AddRectFilled(ImVec2(x, 70.45f), ImVec2(x + 190.8f, 250.2f), IM_COL32(255, 255, 255, 255));
        dl->AddRectFilled(ImVec2(x, 70.45f), ImVec2(x + 190.8f, 72.9f), IM_COL32(0x55, 0x55, 0x55, 255));
        dl->AddImage(picture, ImVec2(x + 8.2f, 80.6f), ImVec2(x + 182.5f, 170.1f));
        text(dl, 1, ImVec2(x + 9.5f, 180.25f), IM_COL32(0x11, 0x11, 0x11, 255), "Set meal A");
        text(dl, 0, ImVec2(x + 9.5f, 215.9f), IM_COL32(0x00, 0x5A, 0x32, 255), "15.00 - 5.00 = 10.00");
    }
    // Rounded and anti-aliased shapes go through SDL's geometry.
    dl->AddRectFilled(ImVec2(20, 270), ImVec2(300, 340), IM_COL32(0x0B, 0x5C, 0xAD, 255), 14.0f);
    text(dl, 1, ImVec2(60.6f, 290.3f), IM_COL32_WHITE, "Confirm");
    dl->AddRect(ImVec2(320.5f, 270.5f), ImVec2(620.5f, 340.5f), IM_COL32(0x33, 0x33, 0x33, 255), 14.0f, 0, 3.0f);
    dl->AddCircleFilled(ImVec2(560, 305), 22.0f, IM_COL32(0xC0, 0x20, 0x20, 255));
    dl->AddLine(ImVec2(330, 350), ImVec2(620, 390), IM_COL32(0x20, 0x20, 0x20, 255), 2.5f);
    // Translucent text and fills, text over text, and clipping.
    text(dl, 1, ImVec2(340.4f, 285.1f), IM_COL32(0x20, 0x20, 0x20, 140), "Half seen");
    text(dl, 1, ImVec2(341.4f, 287.1f), IM_COL32(0xC0, 0x00, 0x00, 255), "Half seen");
    dl->PushClipRect(ImVec2(24.5f, 352.3f), ImVec2(180.7f, 380.2f));
    dl->AddRectFilled(ImVec2(0, 340), ImVec2(kW, kH), IM_COL32(0xFF, 0xF4, 0xCC, 255));
    text(dl, 1, ImVec2(10.2f, 350.6f), IM_COL32(0x11, 0x11, 0x11, 255), "Clipped on every side of it");
    dl->PopClipRect();
    dl->AddRectFilled(ImVec2(400, 0), ImVec2(kW, kH), IM_COL32(0, 0, 0, 150));
    text(dl, 1, ImVec2(420.8f, 120.4f), IM_COL32_WHITE, "Over the veil");
    // Off the edge of the screen: clipped, not written past the surface.
    text(dl, 1, ImVec2(kW - 40.5f, kH - 12.5f), IM_COL32(0x11, 0x11, 0x11, 255), "Edge");
    dl->AddRectFilled(ImVec2(-10, kH - 6), ImVec2(30, kH + 10), IM_COL32(0x22, 0x88, 0x22, 255));
}

}  // namespace

TEST_CASE("ImGui renderer: the frame drawn into the window's pixels is the frame SDL draws") {
    Fixture f;
    ImGuiRenderer renderer(f.renderer, f.window);
    f.register_atlas(renderer);
    auto [reference, ours] = f.both(renderer, [&](ImDrawList* dl) { screen(dl, f.picture); });
    CHECK_MESSAGE(reference == ours, first_difference(reference, ours));
    // The direct path was taken (else this test compares SDL with itself).
    CHECK(renderer.stats().direct_glyphs > 100);
    CHECK(renderer.stats().opaque_rects >= 8);

    SUBCASE("a second frame over the first starts from the background") {
        auto [reference2, ours2] = f.both(renderer, [&](ImDrawList* dl) {
            text(dl, 1, ImVec2(100.5f, 100.5f), IM_COL32(0x11, 0x11, 0x11, 255), "Only this");
        });
        CHECK_MESSAGE(reference2 == ours2, first_difference(reference2, ours2));
    }
}

TEST_CASE("ImGui renderer: drawn into a surface of either 32-bit format, the frame SDL draws there") {
    for (const Uint32 format : {SDL_PIXELFORMAT_RGB888, SDL_PIXELFORMAT_ARGB8888}) {
        CAPTURE(SDL_GetPixelFormatName(format));
        Fixture f(format);
        ImGuiRenderer renderer = ImGuiRenderer::for_surface(f.renderer, f.surface);
        f.register_atlas(renderer);
        auto [reference, ours] = f.both(renderer, [&](ImDrawList* dl) { screen(dl, f.picture); });
        CHECK_MESSAGE(reference == ours, first_difference(reference, ours));
        CHECK(renderer.stats().direct_glyphs > 100);
    }
}

TEST_CASE("ImGui renderer: without the window's pixels everything goes through SDL, the same frame") {
    Fixture f;
    ImGuiRenderer renderer(f.renderer, static_cast<SDL_Window*>(nullptr));
    f.register_atlas(renderer);
    auto [reference, ours] = f.both(renderer, [&](ImDrawList* dl) { screen(dl, f.picture); });
    CHECK_MESSAGE(reference == ours, first_difference(reference, ours));
    CHECK(renderer.stats().direct_glyphs == 0);
    CHECK(renderer.stats().opaque_rects >= 8);  // filled by SDL, without blending
}

TEST_CASE("ImGui renderer: an atlas forgotten is drawn by SDL again") {
    Fixture f;
    ImGuiRenderer renderer(f.renderer, f.window);
    f.register_atlas(renderer);
    renderer.forget(static_cast<SDL_Texture*>(ImGui::GetIO().Fonts->TexID));
    auto [reference, ours] = f.both(renderer, [&](ImDrawList* dl) { screen(dl, f.picture); });
    CHECK_MESSAGE(reference == ours, first_difference(reference, ours));
    CHECK(renderer.stats().direct_glyphs == 0);
}
