#pragma once
// What one frame showed: its tappable widgets and its texts, in pixels.
// Scripted runs find widgets by label here (tap "签到") and texts
// (expect "您好"); the audit turns it into millimetres and contrast ratios.
#include <string>
#include <vector>

#include "kiosk/ui/theme.hpp"

namespace kiosk::ui {

struct Rect {
    float x = 0, y = 0, w = 0, h = 0;
    [[nodiscard]] float right() const { return x + w; }
    [[nodiscard]] float bottom() const { return y + h; }
    [[nodiscard]] float cx() const { return x + w / 2; }
    [[nodiscard]] float cy() const { return y + h / 2; }
};

enum class WidgetKind { Primary, Secondary, Toggle, ListItem, Hidden };

struct WidgetRecord {
    std::string label;  // the visible label
    WidgetKind kind = WidgetKind::Secondary;
    Rect rect;
};

struct TextRecord {
    std::string text;
    TextRole role = TextRole::Body;
    int em_px = 0;
    Rgb fg, bg;
    Rect rect;
};

struct FrameLog {
    std::string screen;   // "idle", "greeting", ... (+ "+countdown" when the overlay shows)
    std::string spoken;   // the prompt spoken on entering this screen, if any
    std::vector<WidgetRecord> widgets;
    std::vector<TextRecord> texts;

    void clear() {
        screen.clear();
        spoken.clear();
        widgets.clear();
        texts.clear();
    }
};

}  // namespace kiosk::ui
