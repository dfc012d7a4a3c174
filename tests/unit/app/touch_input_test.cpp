#include <doctest/doctest.h>
#include <imgui.h>

#include <cfloat>

#include "touch_input.hpp"

using kiosk::app::TouchInput;

namespace {
struct ImGuiScope {
    ImGuiScope() { ImGui::CreateContext(); }
    ~ImGuiScope() { ImGui::DestroyContext(); }
};

SDL_Event finger(Uint32 type, float x, float y) {
    SDL_Event e{};
    e.type = type;
    e.tfinger.x = x;
    e.tfinger.y = y;
    return e;
}
}  // namespace

TEST_CASE("touch: a tap shorter than a frame is latched over two frames, then the pointer leaves") {
    ImGuiScope scope;
    ImGuiIO& io = ImGui::GetIO();
    TouchInput in;
    CHECK(in.handle(finger(SDL_FINGERDOWN, 0.5f, 0.25f), 1000, 800));
    CHECK(in.handle(finger(SDL_FINGERUP, 0.5f, 0.25f), 1000, 800));

    in.apply(io);  // frame 1: pressed
    CHECK(io.MouseDown[0]);
    CHECK(io.MousePos.x == doctest::Approx(500));
    CHECK(io.MousePos.y == doctest::Approx(200));
    CHECK(in.pending());

    in.apply(io);  // frame 2: released where it was pressed
    CHECK_FALSE(io.MouseDown[0]);
    CHECK(io.MousePos.x == doctest::Approx(500));

    in.apply(io);  // frame 3: no hover left behind
    CHECK(io.MousePos.x == -FLT_MAX);
    CHECK_FALSE(in.pending());
}

TEST_CASE("touch: SDL's mouse events synthesised from touch are ignored") {
    ImGuiScope scope;
    TouchInput in;
    SDL_Event e{};
    e.type = SDL_MOUSEBUTTONDOWN;
    e.button.which = SDL_TOUCH_MOUSEID;
    e.button.button = SDL_BUTTON_LEFT;
    CHECK_FALSE(in.handle(e, 100, 100));
    CHECK_FALSE(in.pending());
}

TEST_CASE("touch: a real mouse click works too") {
    ImGuiScope scope;
    ImGuiIO& io = ImGui::GetIO();
    TouchInput in;
    SDL_Event e{};
    e.type = SDL_MOUSEBUTTONDOWN;
    e.button.which = 0;
    e.button.button = SDL_BUTTON_LEFT;
    e.button.x = 10;
    e.button.y = 20;
    CHECK(in.handle(e, 100, 100));
    e.type = SDL_MOUSEBUTTONUP;
    CHECK(in.handle(e, 100, 100));
    in.apply(io);
    CHECK(io.MouseDown[0]);
    in.apply(io);
    CHECK_FALSE(io.MouseDown[0]);
    CHECK(io.MousePos.x == doctest::Approx(10));
}

TEST_CASE("touch: scripted taps press and release at the point") {
    ImGuiScope scope;
    ImGuiIO& io = ImGui::GetIO();
    TouchInput in;
    in.tap(300, 400);
    in.apply(io);
    CHECK(io.MouseDown[0]);
    CHECK(io.MousePos.y == doctest::Approx(400));
    in.apply(io);
    CHECK_FALSE(io.MouseDown[0]);
    in.apply(io);
    CHECK(io.MousePos.x == -FLT_MAX);
}

TEST_CASE("touch: a finger resting on the screen counts as held until it lifts") {
    ImGuiScope scope;
    ImGuiIO& io = ImGui::GetIO();
    TouchInput in;
    CHECK_FALSE(in.held());
    in.handle(finger(SDL_FINGERDOWN, 0.1f, 0.1f), 100, 100);
    in.apply(io);
    CHECK(in.held());  // the loop keeps the session alive while this is true
    in.apply(io);
    CHECK(in.held());
    in.handle(finger(SDL_FINGERUP, 0.1f, 0.1f), 100, 100);
    in.apply(io);
    CHECK_FALSE(in.held());
}
