#pragma once
// Our own input layer between SDL and Dear ImGui (stack-notes.md).
//
// Dear ImGui 1.86's SDL backend ignores finger events and polls the global
// mouse, so taps on a touch screen (and events pushed by scripts) would be
// lost, and hover would stick where a finger lifted. Here:
//   - finger and mouse events are queued; SDL's synthesised mouse events for
//     touch are ignored (the finger events already carry them);
//   - one transition is applied per frame, so a tap shorter than a frame is
//     latched: pressed on one frame, released on the next;
//   - one frame after a finger lifts, the pointer moves away (no sticky hover).
#include <SDL.h>

#include <deque>
#include <string>

struct ImGuiIO;

namespace kiosk::app {

class TouchInput {
public:
    // Returns true when the event is input (the person is still there).
    bool handle(const SDL_Event& e, int window_w, int window_h);
    // Applies the next queued transition to ImGui; call before NewFrame.
    void apply(ImGuiIO& io);
    // Transitions still queued: render more frames.
    [[nodiscard]] bool pending() const { return !queue_.empty() || !text_.empty() || !keys_.empty(); }
    // A finger (or button) is on the screen right now.
    [[nodiscard]] bool held() const { return down_; }

    // For scripted runs: a tap at window coordinates, or a finger put down
    // and lifted later (a long press).
    void tap(float x, float y);
    void press(float x, float y);
    void release(float x, float y);
    // Sets ImGui's key map (Enter, Backspace, ...) to SDL scancodes.
    static void map_keys(ImGuiIO& io);

private:
    struct Step {
        enum class Kind { Move, Down, Up, Leave } kind;
        float x = 0, y = 0;
    };
    struct Key {
        int scancode;
        bool down;
    };
    std::deque<Step> queue_;
    std::deque<Key> keys_;
    std::string text_;
    bool down_ = false;
};

}  // namespace kiosk::app
