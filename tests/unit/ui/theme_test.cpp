// Sizes in millimetres and colours with contrast against the floor (elder-ux.md).
#include "kiosk/ui/theme.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

using namespace kiosk::ui;

namespace {

constexpr TextRole kRoles[] = {TextRole::Body, TextRole::Label, TextRole::Title, TextRole::Hero, TextRole::Giant};

// The two displays of the UI tests: 21.5" 1920x1080 (476 mm wide) and 15.6" 1366x768 (344 mm wide).
constexpr double kPxPerMm21 = 4.03;
constexpr double kPxPerMm15 = 3.97;

double floor_mm(const Floors& f, TextRole r) {
    switch (r) {
        case TextRole::Body: return f.body_em_mm;
        case TextRole::Label:
        case TextRole::Title: return f.label_em_mm;
        case TextRole::Hero:
        case TextRole::Giant: return f.hero_em_mm;
    }
    return 0;
}

}  // namespace

TEST_CASE("the test displays' pixel densities") {
    CHECK(1920.0 / 476.0 == doctest::Approx(kPxPerMm21).epsilon(0.001));
    CHECK(1366.0 / 344.0 == doctest::Approx(kPxPerMm15).epsilon(0.001));
}

TEST_CASE("contrast_ratio: known values") {
    const Rgb black{0, 0, 0}, white{255, 255, 255};
    CHECK(contrast_ratio(black, white) == doctest::Approx(21.0));
    CHECK(contrast_ratio(white, black) == doctest::Approx(21.0));  // order does not matter
    CHECK(contrast_ratio(white, white) == doctest::Approx(1.0));
    CHECK(contrast_ratio(Rgb{0x12, 0x34, 0x56}, Rgb{0x12, 0x34, 0x56}) == doctest::Approx(1.0));
    CHECK(contrast_ratio(Rgb{0x77, 0x77, 0x77}, white) == doctest::Approx(4.48).epsilon(0.002));
    CHECK(contrast_ratio(Rgb{0x88, 0x88, 0x88}, white) == doctest::Approx(3.54).epsilon(0.003));
    CHECK(contrast_ratio(Rgb{0x59, 0x59, 0x59}, white) == doctest::Approx(7.0).epsilon(0.01));
    // pure primaries on white (WCAG reference values)
    CHECK(contrast_ratio(Rgb{255, 0, 0}, white) == doctest::Approx(4.0).epsilon(0.002));
    CHECK(contrast_ratio(Rgb{0, 0, 255}, white) == doctest::Approx(8.59).epsilon(0.002));
    CHECK(contrast_ratio(Rgb{0, 255, 0}, white) == doctest::Approx(1.37).epsilon(0.005));
    // always within 1..21
    for (int v = 0; v < 256; v += 15) {
        const auto c = static_cast<std::uint8_t>(v);
        const double r = contrast_ratio(Rgb{c, c, c}, Rgb{0, 0, 0});
        CHECK(r >= 1.0);
        CHECK(r <= 21.0 + 1e-9);
    }
}

TEST_CASE("every text/background pair of the default palette is at least 7:1") {
    const Palette p;
    const Floors f;
    struct Pair {
        const char* name;
        Rgb fg, bg;
    };
    const std::vector<Pair> pairs{
        {"text/background", p.text, p.background},
        {"text/surface", p.text, p.surface},
        {"text_muted/background", p.text_muted, p.background},
        {"text_muted/surface", p.text_muted, p.surface},
        {"on_primary/primary", p.on_primary, p.primary},
        {"on_primary/primary_pressed", p.on_primary, p.primary_pressed},
        {"on_secondary/secondary", p.on_secondary, p.secondary},
        {"on_secondary/secondary_pressed", p.on_secondary, p.secondary_pressed},
        {"on_success/success", p.on_success, p.success},
        {"on_danger/danger", p.on_danger, p.danger},
        {"on_topbar/topbar", p.on_topbar, p.topbar},
        // the screens also draw the card icon's white arcs and the warning sign on these
        {"on_primary/danger", p.on_primary, p.danger},
        {"border/surface", p.border, p.surface},
    };
    CHECK(f.contrast == 7.0);
    for (const auto& pair : pairs) {
        const double r = contrast_ratio(pair.fg, pair.bg);
        CHECK_MESSAGE(r >= f.contrast, std::string(pair.name) << " is " << r << ":1");
    }
}

TEST_CASE("Rgb::imgui packs as IM_COL32 (ABGR)") {
    CHECK(Rgb{0x11, 0x22, 0x33}.imgui() == 0xFF332211u);
    CHECK(Rgb{0x11, 0x22, 0x33}.imgui(0x80) == 0x80332211u);
    CHECK(Rgb{1, 2, 3} == Rgb{1, 2, 3});
    CHECK_FALSE(Rgb{1, 2, 3} == Rgb{1, 2, 4});
}

TEST_CASE("text role names") {
    CHECK(std::string(text_role_name(TextRole::Body)) == "body");
    CHECK(std::string(text_role_name(TextRole::Label)) == "label");
    CHECK(std::string(text_role_name(TextRole::Title)) == "title");
    CHECK(std::string(text_role_name(TextRole::Hero)) == "hero");
}

TEST_CASE("floors are the ones elder-ux.md sets") {
    const Floors f;
    CHECK(f.target_mm == 15.0);
    CHECK(f.primary_height_mm == 25.0);
    CHECK(f.gap_mm == 3.0);
    CHECK(f.body_em_mm == 8.0);
    CHECK(f.label_em_mm == 12.0);
    CHECK(f.hero_em_mm == 20.0);
}

TEST_CASE("em sizes in whole pixels never fall below the floors") {
    for (double ppm : {kPxPerMm21, kPxPerMm15, 3.0, 5.5}) {
        for (bool large : {false, true}) {
            const Theme t(ppm, large);
            CAPTURE(ppm);
            CAPTURE(large);
            for (auto r : kRoles) {
                CAPTURE(std::string(text_role_name(r)));
                const int px = t.em_px(r);
                const double mm = px / ppm;
                CHECK(mm >= floor_mm(t.floors, r));
                // rounded up from the design size, by less than a pixel
                CHECK(px >= t.em_mm(r) * ppm);
                CHECK(px < t.em_mm(r) * ppm + 1);
                CHECK(t.em_mm(r) >= floor_mm(t.floors, r));
                // large text is larger, by a quarter
                if (large) CHECK(t.em_mm(r) == doctest::Approx(Theme(ppm, false).em_mm(r) * 1.25));
                if (large) CHECK(px > Theme(ppm, false).em_px(r));
            }
            // the hierarchy holds
            CHECK(t.em_px(TextRole::Body) < t.em_px(TextRole::Label));
            CHECK(t.em_px(TextRole::Label) <= t.em_px(TextRole::Title));
            CHECK(t.em_px(TextRole::Title) < t.em_px(TextRole::Hero));
            CHECK(t.em_px(TextRole::Hero) < t.em_px(TextRole::Giant));
        }
    }
    // one value worked out by hand: 8.5 mm x 4.03 = 34.3 -> 35 px
    CHECK(Theme(kPxPerMm21, false).em_px(TextRole::Body) == 35);
    CHECK(Theme(kPxPerMm21, false).em_px(TextRole::Hero) == 85);  // 21 mm x 4.03 = 84.6
}

TEST_CASE("layout sizes in mm meet the floors") {
    for (double ppm : {kPxPerMm21, kPxPerMm15}) {
        for (bool large : {false, true}) {
            const Theme t(ppm, large);
            CAPTURE(ppm);
            CAPTURE(large);
            CHECK(t.mm(t.button_height()) >= t.floors.primary_height_mm);
            CHECK(t.mm(t.small_button_height()) >= t.floors.target_mm);
            CHECK(t.mm(t.gap()) >= t.floors.gap_mm);
            CHECK(t.topbar_height() > t.small_button_height());
            CHECK(t.mm(t.px(10)) == doctest::Approx(10.0));
            CHECK(t.px(10) == doctest::Approx(10 * ppm));
            CHECK(t.px_per_mm() == ppm);
            CHECK(t.large_text() == large);
        }
    }
}
