#pragma once
// Sizes in millimetres, colours with contrast checked (elder-ux.md).
//
// The kiosk knows its display's physical size from config; every size on
// screen is derived from it, so a 15.6" and a 21.5" terminal show a name
// equally large to the eye.
#include <cstdint>

namespace kiosk::ui {

enum class TextRole : std::uint8_t {
    Body,   // running text, hints               floor  8 mm em
    Label,  // button labels, key facts          floor 12 mm em
    Title,  // screen titles, the idle prompt    floor 12 mm em
    Hero,   // names, prices                     floor 20 mm em
    Giant,  // the pickup number, read from afar floor 20 mm em (drawn at 40)
};
inline constexpr int kTextRoleCount = 5;
[[nodiscard]] const char* text_role_name(TextRole r);

struct Rgb {
    std::uint8_t r = 0, g = 0, b = 0;
    bool operator==(const Rgb&) const = default;
    [[nodiscard]] std::uint32_t imgui(std::uint8_t alpha = 255) const {  // IM_COL32 layout (ABGR)
        return static_cast<std::uint32_t>(r) | (static_cast<std::uint32_t>(g) << 8) |
               (static_cast<std::uint32_t>(b) << 16) | (static_cast<std::uint32_t>(alpha) << 24);
    }
};

// WCAG 2 contrast ratio, 1..21.
[[nodiscard]] double contrast_ratio(Rgb a, Rgb b);

struct Palette {
    Rgb background{0xFB, 0xF8, 0xF1};  // warm paper white: less glare than pure white
    Rgb surface{0xFF, 0xFF, 0xFF};
    Rgb text{0x14, 0x14, 0x14};
    Rgb text_muted{0x3A, 0x3A, 0x3A};  // still >= 7:1 on background and surface
    Rgb primary{0x0A, 0x3D, 0x8F};     // deep blue
    Rgb on_primary{0xFF, 0xFF, 0xFF};
    Rgb primary_pressed{0x06, 0x27, 0x5C};
    Rgb secondary{0xFF, 0xFF, 0xFF};
    Rgb on_secondary{0x0A, 0x3D, 0x8F};
    Rgb secondary_pressed{0xD6, 0xE2, 0xF5};
    Rgb border{0x0A, 0x3D, 0x8F};
    Rgb success{0x0B, 0x5D, 0x1E};     // dark green
    Rgb on_success{0xFF, 0xFF, 0xFF};
    Rgb danger{0x8E, 0x14, 0x14};      // dark red
    Rgb on_danger{0xFF, 0xFF, 0xFF};
    Rgb topbar{0x0A, 0x3D, 0x8F};
    Rgb on_topbar{0xFF, 0xFF, 0xFF};
};

// The accessibility floor the audit enforces.
struct Floors {
    double target_mm = 15.0;          // every tappable, both sides
    double primary_height_mm = 25.0;  // primary actions
    double gap_mm = 3.0;              // between targets
    double body_em_mm = 8.0;
    double label_em_mm = 12.0;
    double hero_em_mm = 20.0;
    double contrast = 7.0;
};

class Theme {
public:
    Theme(double px_per_mm, bool large_text) : px_per_mm_(px_per_mm), large_(large_text) {}

    [[nodiscard]] double px_per_mm() const { return px_per_mm_; }
    [[nodiscard]] bool large_text() const { return large_; }
    [[nodiscard]] float px(double mm) const { return static_cast<float>(mm * px_per_mm_); }
    [[nodiscard]] double mm(float px) const { return px / px_per_mm_; }

    // Em size of a role in whole pixels, rounded up so it never falls below the floor.
    [[nodiscard]] int em_px(TextRole r) const;
    [[nodiscard]] double em_mm(TextRole r) const;  // the design size before rounding

    // Layout sizes.
    [[nodiscard]] float margin() const { return px(8); }
    [[nodiscard]] float gap() const { return px(6); }          // between targets (floor 3 mm)
    [[nodiscard]] float radius() const { return px(3); }
    [[nodiscard]] float topbar_height() const;
    [[nodiscard]] float button_height() const { return px(large_ ? 32 : 28); }  // >= 25 mm: primary
    // Top-bar toggles: at least 15 mm, and room for a label's line box.
    [[nodiscard]] float small_button_height() const { return px(large_ ? 25 : 20); }

    Palette colors;
    Floors floors;

private:
    double px_per_mm_;
    bool large_;
};

}  // namespace kiosk::ui
