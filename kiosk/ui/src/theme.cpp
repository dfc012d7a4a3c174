#include "kiosk/ui/theme.hpp"

#include <array>
#include <cmath>

namespace kiosk::ui {

const char* text_role_name(TextRole r) {
    switch (r) {
        case TextRole::Body: return "body";
        case TextRole::Label: return "label";
        case TextRole::Title: return "title";
        case TextRole::Hero: return "hero";
        case TextRole::Giant: return "giant";
    }
    return "body";
}

namespace {
double channel(std::uint8_t c) {
    const double s = c / 255.0;
    return s <= 0.04045 ? s / 12.92 : std::pow((s + 0.055) / 1.055, 2.4);
}
double luminance(Rgb c) { return 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b); }

// Design em sizes in mm: a little above each floor, and larger with large text.
constexpr std::array<double, kTextRoleCount> kEmMm{8.5, 12.5, 14.0, 21.0, 40.0};
constexpr double kLargeScale = 1.25;
}  // namespace

double contrast_ratio(Rgb a, Rgb b) {
    double la = luminance(a), lb = luminance(b);
    if (la < lb) std::swap(la, lb);
    return (la + 0.05) / (lb + 0.05);
}

double Theme::em_mm(TextRole r) const {
    return kEmMm[static_cast<std::size_t>(r)] * (large_ ? kLargeScale : 1.0);
}

int Theme::em_px(TextRole r) const { return static_cast<int>(std::ceil(em_mm(r) * px_per_mm_)); }

float Theme::topbar_height() const { return small_button_height() + 2 * px(3); }

}  // namespace kiosk::ui
