#include "touch_input.hpp"

#include <imgui.h>

#include <cfloat>

namespace kiosk::app {

bool TouchInput::handle(const SDL_Event& e, int w, int h) {
    switch (e.type) {
        case SDL_FINGERDOWN:
            queue_.push_back({Step::Kind::Down, e.tfinger.x * static_cast<float>(w), e.tfinger.y * static_cast<float>(h)});
            return true;
        case SDL_FINGERMOTION:
            queue_.push_back({Step::Kind::Move, e.tfinger.x * static_cast<float>(w), e.tfinger.y * static_cast<float>(h)});
            return true;
        case SDL_FINGERUP:
            queue_.push_back({Step::Kind::Up, e.tfinger.x * static_cast<float>(w), e.tfinger.y * static_cast<float>(h)});
            queue_.push_back({Step::Kind::Leave, 0, 0});
            return true;
        case SDL_MOUSEBUTTONDOWN:
            if (e.button.which == SDL_TOUCH_MOUSEID || e.button.button != SDL_BUTTON_LEFT) return e.button.which != SDL_TOUCH_MOUSEID;
            queue_.push_back({Step::Kind::Down, static_cast<float>(e.button.x), static_cast<float>(e.button.y)});
            return true;
        case SDL_MOUSEBUTTONUP:
            if (e.button.which == SDL_TOUCH_MOUSEID || e.button.button != SDL_BUTTON_LEFT) return e.button.which != SDL_TOUCH_MOUSEID;
            queue_.push_back({Step::Kind::Up, static_cast<float>(e.button.x), static_cast<float>(e.button.y)});
            return true;
        case SDL_MOUSEMOTION:
            if (e.motion.which == SDL_TOUCH_MOUSEID) return false;
            // Only the latest position matters; no hover effects exist.
            if (!queue_.empty() && queue_.back().kind == Step::Kind::Move) queue_.pop_back();
            queue_.push_back({Step::Kind::Move, static_cast<float>(e.motion.x), static_cast<float>(e.motion.y)});
            return down_;
        case SDL_TEXTINPUT: text_ += e.text.text; return true;
        case SDL_KEYDOWN:
        case SDL_KEYUP:
            keys_.push_back({e.key.keysym.scancode, e.type == SDL_KEYDOWN});
            return true;
        default: return false;
    }
}

void TouchInput::tap(float x, float y) {
    queue_.push_back({Step::Kind::Move, x, y});
    queue_.push_back({Step::Kind::Down, x, y});
    queue_.push_back({Step::Kind::Up, x, y});
    queue_.push_back({Step::Kind::Leave, 0, 0});
}

void TouchInput::press(float x, float y) {
    queue_.push_back({Step::Kind::Move, x, y});
    queue_.push_back({Step::Kind::Down, x, y});
}

void TouchInput::release(float x, float y) {
    queue_.push_back({Step::Kind::Up, x, y});
    queue_.push_back({Step::Kind::Leave, 0, 0});
}

void TouchInput::map_keys(ImGuiIO& io) {
    io.KeyMap[ImGuiKey_Tab] = SDL_SCANCODE_TAB;
    io.KeyMap[ImGuiKey_LeftArrow] = SDL_SCANCODE_LEFT;
    io.KeyMap[ImGuiKey_RightArrow] = SDL_SCANCODE_RIGHT;
    io.KeyMap[ImGuiKey_UpArrow] = SDL_SCANCODE_UP;
    io.KeyMap[ImGuiKey_DownArrow] = SDL_SCANCODE_DOWN;
    io.KeyMap[ImGuiKey_Backspace] = SDL_SCANCODE_BACKSPACE;
    io.KeyMap[ImGuiKey_Delete] = SDL_SCANCODE_DELETE;
    io.KeyMap[ImGuiKey_Space] = SDL_SCANCODE_SPACE;
    io.KeyMap[ImGuiKey_Enter] = SDL_SCANCODE_RETURN;
    io.KeyMap[ImGuiKey_Escape] = SDL_SCANCODE_ESCAPE;
    io.KeyMap[ImGuiKey_KeyPadEnter] = SDL_SCANCODE_KP_ENTER;
}

void TouchInput::apply(ImGuiIO& io) {
    // Like presses, each key transition gets a frame so a quick press is seen.
    if (!keys_.empty()) {
        const Key k = keys_.front();
        keys_.pop_front();
        if (k.scancode >= 0 && k.scancode < static_cast<int>(IM_ARRAYSIZE(io.KeysDown))) io.KeysDown[k.scancode] = k.down;
    }
    if (!text_.empty()) {
        io.AddInputCharactersUTF8(text_.c_str());
        text_.clear();
    }
    // Moves are free; a press or release takes a frame of its own.
    while (!queue_.empty()) {
        const Step s = queue_.front();
        queue_.pop_front();
        switch (s.kind) {
            case Step::Kind::Move: io.MousePos = ImVec2(s.x, s.y); continue;
            case Step::Kind::Down:
                io.MousePos = ImVec2(s.x, s.y);
                io.MouseDown[0] = down_ = true;
                return;
            case Step::Kind::Up:
                io.MousePos = ImVec2(s.x, s.y);
                io.MouseDown[0] = down_ = false;
                return;
            case Step::Kind::Leave: io.MousePos = ImVec2(-FLT_MAX, -FLT_MAX); return;
        }
    }
}

}  // namespace kiosk::app
