#pragma once
// The drawing context of one frame and the few widgets the kiosk needs:
// large buttons, text in roles, wrapped paragraphs. Everything drawn is
// recorded in the FrameLog; every string passes the FontManager first.
#include <string>
#include <string_view>

#include "kiosk/ui/fonts.hpp"
#include "kiosk/ui/frame_log.hpp"
#include "kiosk/ui/i18n.hpp"
#include "kiosk/ui/theme.hpp"

struct ImDrawList;

namespace kiosk::ui {

enum class Align { Left, Center, Right };

struct ButtonStyle {
    WidgetKind kind = WidgetKind::Primary;
    TextRole role = TextRole::Label;
};

class Ui {
public:
    Ui(FontManager& fonts, const Theme& theme, const I18n& i18n, FrameLog& log)
        : fonts_(fonts), theme_(theme), i18n_(i18n), log_(log) {}

    [[nodiscard]] const Theme& theme() const { return theme_; }
    [[nodiscard]] const I18n& i18n() const { return i18n_; }
    [[nodiscard]] const std::string& tr(std::string_view key) const { return i18n_.tr(key); }
    [[nodiscard]] FrameLog& log() { return log_; }
    [[nodiscard]] float width() const { return width_; }
    [[nodiscard]] float height() const { return height_; }

    // Opens the full-screen root window (and the overlay layer on top).
    void begin_root(float width, float height);
    void end_root();
    void begin_overlay();
    void end_overlay();

    void fill(Rect r, Rgb colour, float rounding = 0);
    // A picture (a renderer texture) in `r`.
    void image(void* texture, Rect r);
    void outline(Rect r, Rgb colour, float thickness, float rounding = 0);
    // fill() then outline() of the same box, without smoothing corners the frame covers.
    void framed(Rect r, Rgb fill, Rgb border, float thickness, float rounding);
    // A shaded full-screen veil behind an overlay (not text: no contrast rule).
    void veil();

    // Text on `bg` (recorded for contrast). Returns its size.
    float line_height(TextRole role) const;
    float measure(TextRole role, std::string_view text);
    Rect text(TextRole role, std::string_view text, float x, float y, Rgb fg, Rgb bg);
    // One line aligned in a box, vertically centred.
    Rect text_in(TextRole role, std::string_view text, Rect box, Align align, Rgb fg, Rgb bg);
    // Wrapped paragraph; returns the height used. Lines at 1.3x the em at least.
    float paragraph(TextRole role, std::string_view text, float x, float y, float width, Rgb fg, Rgb bg,
                    Align align = Align::Left, int max_lines = 0);
    // One line; text wider than `box` is cut at a character with "…".
    Rect text_fit(TextRole role, std::string_view text, Rect box, Align align, Rgb fg, Rgb bg);
    // The height paragraph() would use, without drawing.
    float paragraph_height(TextRole role, std::string_view text, float width);

    // A large button; true on the frame it is tapped (finger lifted inside).
    bool button(std::string_view id, std::string_view label, Rect r, ButtonStyle style = {});
    // An area with no look of its own (the staff entry on the site name):
    // true once, when a finger has rested on it for `seconds`. Recorded as a
    // hidden widget labelled `label` so scripts can find it.
    bool hold_area(std::string_view id, std::string_view label, Rect r, float seconds);
    // A tappable row: title text left-aligned, optional second text right.
    bool list_item(std::string_view id, std::string_view title, std::string_view right, Rect r);

private:
    FontManager& fonts_;
    const Theme& theme_;
    const I18n& i18n_;
    FrameLog& log_;
    ImDrawList* dl_ = nullptr;
    float width_ = 0, height_ = 0;
};

}  // namespace kiosk::ui
