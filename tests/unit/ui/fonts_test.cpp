// The font atlas: every catalog string and a sample of rare-character names is
// drawn without tofu. Renders into a real ImGui atlas (no window needed) and
// looks at the glyphs and at the atlas pixels.
#include "kiosk/ui/fonts.hpp"

#include <doctest/doctest.h>
#include <imgui.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "kiosk/ui/i18n.hpp"
#include "kiosk/ui/utf8.hpp"

using namespace kiosk::ui;

namespace {

constexpr const char* kNoto = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";
constexpr int kNotoSc = 2;  // Simplified Chinese face
constexpr TextRole kRoles[] = {TextRole::Body, TextRole::Label, TextRole::Title, TextRole::Hero};

// Residents' names with rare characters: Extension A (䶮 U+4DAE), beyond the
// BMP (𫖯 U+2B5AF, 𠮷 U+20BB7) and uncommon BMP ideographs.
const std::vector<std::string> kRareNames{
    "王赟", "刘堃", "陈喆", "赵昇", "孙淼", "周犇", "吴燚", "郑䶮", "龑", "杨𫖯", "𠮷野", "赵孟𫖯 爷爷，您好",
};

// One ImGui context per test, destroyed however the test ends.
struct ImGuiScope {
    ImGuiContext* ctx = ImGui::CreateContext();
    ImGuiScope() = default;
    ImGuiScope(const ImGuiScope&) = delete;
    ImGuiScope& operator=(const ImGuiScope&) = delete;
    ~ImGuiScope() { ImGui::DestroyContext(ctx); }
};

std::unique_ptr<FontManager> open_noto() {
    auto fm = FontManager::open({kNoto, kNotoSc});
    REQUIRE_MESSAGE(fm.ok(), (fm.ok() ? std::string() : fm.error().message));
    return std::move(*fm);
}

std::u32string decode(std::string_view s) {
    std::u32string out;
    for (std::size_t i = 0; i < s.size();) out += next_codepoint(s, i);
    return out;
}

std::string describe(char32_t cp) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "U+%04X ", static_cast<unsigned>(cp));
    std::string out = buf;
    append_utf8(out, cp);
    return out;
}

std::vector<std::string> catalog_strings() {
    const I18n i18n;
    std::vector<std::string> out;
    for (auto l : {Language::Chinese, Language::English})
        for (const auto& [k, v] : i18n.catalog(l)) out.push_back(v);
    return out;
}

std::vector<std::string> all_strings() {
    auto out = catalog_strings();
    out.insert(out.end(), kRareNames.begin(), kRareNames.end());
    return out;
}

struct Atlas {
    const unsigned char* pixels = nullptr;
    int width = 0, height = 0;
};

// Stands in for the renderer: keeps the alpha of every texture uploaded, per
// role, so the test can look at the pixels the atlas baked.
struct Uploads {
    struct Texture {
        std::vector<unsigned char> alpha;
        int width = 0, height = 0;
    };
    std::map<TextRole, Texture> latest;
    std::size_t count = 0;
    std::size_t pixels() const {
        std::size_t n = 0;
        for (const auto& [role, t] : latest) n += static_cast<std::size_t>(t.width) * static_cast<std::size_t>(t.height);
        return n;
    }
    TextureUploader uploader() {
        return [this](TextRole role, const unsigned char* rgba, int w, int h, void*) -> void* {
            Texture t;
            t.width = w;
            t.height = h;
            t.alpha.resize(static_cast<std::size_t>(w) * static_cast<std::size_t>(h));
            for (std::size_t i = 0; i < t.alpha.size(); ++i) t.alpha[i] = rgba[4 * i + 3];
            latest[role] = std::move(t);
            return reinterpret_cast<void*>(++count);  // a distinct non-null id per upload
        };
    }
    Atlas atlas(TextRole role) const {
        const auto it = latest.find(role);
        if (it == latest.end()) return {};
        return {it->second.alpha.data(), it->second.width, it->second.height};
    }
};

// Whether the glyph's rectangle in the atlas holds any ink.
bool has_ink(const ImFontGlyph& g, const Atlas& a) {
    const auto x0 = static_cast<int>(std::lround(g.U0 * static_cast<float>(a.width)));
    const auto x1 = static_cast<int>(std::lround(g.U1 * static_cast<float>(a.width)));
    const auto y0 = static_cast<int>(std::lround(g.V0 * static_cast<float>(a.height)));
    const auto y1 = static_cast<int>(std::lround(g.V1 * static_cast<float>(a.height)));
    if (x0 < 0 || y0 < 0 || x1 > a.width || y1 > a.height) return false;
    for (int y = y0; y < y1; ++y)
        for (int x = x0; x < x1; ++x)
            if (a.pixels[static_cast<std::size_t>(y) * static_cast<std::size_t>(a.width) + static_cast<std::size_t>(x)] != 0)
                return true;
    return false;
}

bool blank(char32_t cp) { return cp == U' ' || cp == U'\u3000' || cp == U'\t'; }

// Everything wrong with how `strings` would be drawn in `role`, one line each.
std::set<std::string> problems(FontManager& fm, TextRole role, const std::vector<std::string>& strings, const Uploads& up,
                               std::size_t& checked) {
    const Atlas atlas = up.atlas(role);
    std::set<std::string> out;
    const ImFont* font = fm.font(role);
    if (font == nullptr) return {std::string(text_role_name(role)) + ": no font"};
    const std::string r = std::string(text_role_name(role)) + " ";
    for (const auto& s : strings) {
        const auto original = decode(s);
        const auto shown = decode(fm.display(s));
        if (original.size() != shown.size()) {
            out.insert(r + "display() changed the length of \"" + s + "\"");
            continue;
        }
        for (std::size_t k = 0; k < original.size(); ++k) {
            const char32_t cp = original[k];
            if (cp < 0x20) continue;
            ++checked;
            const std::string what = r + describe(cp) + " in \"" + s + "\": ";
            if (!fm.font_has(cp)) out.insert(what + "not in the font");
            if (!fm.baked(role, cp)) out.insert(what + "not baked");
            const char32_t drawn = shown[k];
            if (cp <= 0xFFFF) {
                if (drawn != cp) out.insert(what + "display() rewrote a BMP character");
            } else if (drawn < 0xE000 || drawn > 0xF8FF) {
                out.insert(what + "display() gave " + describe(drawn) + ", not a private-use stand-in");
                continue;
            }
            const ImFontGlyph* g = font->FindGlyphNoFallback(static_cast<ImWchar>(drawn));
            if (g == nullptr) {
                out.insert(what + "no glyph for " + describe(drawn) + " in the ImFont");
                continue;
            }
            if (g->AdvanceX <= 0) out.insert(what + "zero advance");
            if (blank(cp)) continue;
            if (!(g->X1 > g->X0) || !(g->Y1 > g->Y0)) out.insert(what + "empty glyph box");
            else if (!has_ink(*g, atlas)) out.insert(what + "the atlas holds no pixels for it");
        }
    }
    return out;
}

std::string lines(const std::set<std::string>& s) {
    std::string out;
    std::size_t n = 0;
    for (const auto& x : s) {
        if (++n > 40) {
            out += "... and " + std::to_string(s.size() - 40) + " more\n";
            break;
        }
        out += x + "\n";
    }
    return out;
}

}  // namespace

TEST_CASE("every catalog string and rare-character names: every glyph is in the atlas") {
    ImGuiScope imgui;
    auto holder = open_noto();
    FontManager& fm = *holder;
    const Theme theme(4.03, false);
    fm.set_theme(theme);
    const auto strings = all_strings();
    REQUIRE(strings.size() > 100);

    for (auto role : kRoles)
        for (const auto& s : strings) (void)fm.require(role, s);
    CHECK(fm.needs_rebuild());
    Uploads up;
    const auto built = fm.rebuild(up.uploader());
    REQUIRE_MESSAGE(built.ok(), (built.ok() ? std::string() : built.error().message));
    CHECK_FALSE(fm.needs_rebuild());

    const Atlas atlas = up.atlas(TextRole::Body);
    REQUIRE(atlas.pixels != nullptr);
    CHECK(up.latest.size() == kTextRoleCount);  // one texture per role
    CHECK(up.pixels() == fm.stats().texture_pixels);
    CHECK(fm.stats().builds == kTextRoleCount);

    // the pixel check below can fail: on an empty atlas no glyph has ink
    {
        const std::vector<unsigned char> zeros(static_cast<std::size_t>(atlas.width) * static_cast<std::size_t>(atlas.height), 0);
        const ImFontGlyph* g = fm.font(TextRole::Body)->FindGlyphNoFallback(static_cast<ImWchar>(U'签'));
        REQUIRE(g != nullptr);
        CHECK(has_ink(*g, atlas));
        CHECK_FALSE(has_ink(*g, Atlas{zeros.data(), atlas.width, atlas.height}));
    }

    for (auto role : kRoles) {
        CAPTURE(std::string(text_role_name(role)));
        REQUIRE(fm.font(role) != nullptr);
        CHECK(fm.em_px(role) == static_cast<float>(theme.em_px(role)));
        CHECK(fm.font(role)->FontSize == fm.size_px(role));
        std::size_t checked = 0;
        const auto p = problems(fm, role, strings, up, checked);
        CHECK(checked > 2000);  // 2,174 code points in 156 strings
        CHECK_MESSAGE(p.empty(), p.size() << " problems:\n" << lines(p));
    }
    fm.end_frame();
}

TEST_CASE("a character beyond the BMP is drawn from a stand-in that looks like its neighbours") {
    ImGuiScope imgui;
    auto holder = open_noto();
    FontManager& fm = *holder;
    fm.set_theme(Theme(4.03, false));
    const std::string name = "杨𫖯 𠮷野";
    for (auto role : kRoles) (void)fm.require(role, name);
    Uploads up;
    REQUIRE(fm.rebuild(up.uploader()).ok());

    const auto shown = decode(fm.display(name));
    REQUIRE(shown.size() == 5);
    const char32_t s1 = shown[1], s2 = shown[3];
    CHECK(s1 >= 0xE000);
    CHECK(s1 <= 0xF8FF);
    CHECK(s2 >= 0xE000);
    CHECK(s2 <= 0xF8FF);
    CHECK(s1 != s2);
    CHECK(shown[0] == U'杨');
    CHECK(shown[4] == U'野');
    // stable: the same character always gets the same stand-in
    CHECK(decode(fm.display("𫖯")) == std::u32string{s1});
    CHECK(decode(fm.display("𠮷")) == std::u32string{s2});

    for (auto role : kRoles) {
        CAPTURE(std::string(text_role_name(role)));
        const ImFont* font = fm.font(role);
        REQUIRE(font != nullptr);
        const Atlas atlas = up.atlas(role);
        const ImFontGlyph* ref = font->FindGlyphNoFallback(static_cast<ImWchar>(U'杨'));
        REQUIRE(ref != nullptr);
        const float em = fm.em_px(role);
        for (char32_t s : {s1, s2}) {
            CAPTURE(describe(s));
            const ImFontGlyph* g = font->FindGlyphNoFallback(static_cast<ImWchar>(s));
            REQUIRE(g != nullptr);
            const bool visible = g->Visible;
            CHECK(visible);
            CHECK(g->X1 > g->X0);
            CHECK(g->Y1 > g->Y0);
            CHECK(has_ink(*g, atlas));
            // an ideograph: about one em wide, advancing like 杨, on the same baseline
            CHECK(g->AdvanceX == doctest::Approx(ref->AdvanceX).epsilon(0.05));
            CHECK(g->X1 - g->X0 > 0.6f * em);
            CHECK(g->X1 - g->X0 < 1.1f * em);
            CHECK(g->Y1 - g->Y0 > 0.6f * em);
            CHECK(std::abs(g->Y0 - ref->Y0) < 0.15f * em);
            CHECK(std::abs(g->Y1 - ref->Y1) < 0.15f * em);
        }
    }
    fm.end_frame();
}

TEST_CASE("require: a second time needs no rebuild but a new character does") {
    ImGuiScope imgui;
    auto holder = open_noto();
    FontManager& fm = *holder;
    fm.set_theme(Theme(4.03, false));
    const auto strings = catalog_strings();
    for (auto role : kRoles)
        for (const auto& s : strings) (void)fm.require(role, s);
    Uploads up;
    REQUIRE(fm.rebuild(up.uploader()).ok());
    REQUIRE_FALSE(fm.needs_rebuild());

    for (auto role : kRoles)
        for (const auto& s : strings) {
            CAPTURE(s);
            CHECK(fm.require(role, s));
        }
    CHECK_FALSE(fm.needs_rebuild());
    CHECK(fm.require(TextRole::Body, "Hello 123"));  // ASCII is always baked
    CHECK_FALSE(fm.needs_rebuild());

    // 鑫 is in no catalog string
    CHECK_FALSE(fm.baked(TextRole::Body, U'鑫'));
    CHECK_FALSE(fm.require(TextRole::Body, "王鑫"));
    CHECK(fm.needs_rebuild());
    CHECK_FALSE(fm.require(TextRole::Body, "王鑫"));  // still not baked until the rebuild
    const std::size_t uploads = up.count;
    REQUIRE(fm.rebuild(up.uploader()).ok());
    CHECK_FALSE(fm.needs_rebuild());
    CHECK(fm.stats().builds == kTextRoleCount + 1);  // only the body atlas was rebuilt
    CHECK(up.count == uploads + 1);
    CHECK(fm.require(TextRole::Body, "王鑫"));
    CHECK(fm.baked(TextRole::Body, U'鑫'));
    CHECK(fm.font(TextRole::Body)->FindGlyphNoFallback(static_cast<ImWchar>(U'鑫')) != nullptr);
    // roles are baked separately
    CHECK_FALSE(fm.baked(TextRole::Hero, U'鑫'));
    CHECK_FALSE(fm.require(TextRole::Hero, "鑫"));
    CHECK(fm.needs_rebuild());
    REQUIRE(fm.rebuild(up.uploader()).ok());
    CHECK(fm.stats().builds == kTextRoleCount + 2);

    // what was baked before survives the rebuilds
    for (auto role : kRoles) {
        std::size_t checked = 0;
        const auto p = problems(fm, role, strings, up, checked);
        CHECK_MESSAGE(p.empty(), lines(p));
    }
}

TEST_CASE("the atlas stays small, and large text rebuilds it") {
    ImGuiScope imgui;
    auto holder = open_noto();
    FontManager& fm = *holder;
    const auto strings = all_strings();
    for (bool large : {false, true}) {
        CAPTURE(large);
        fm.set_theme(Theme(4.03, large));
        CHECK(fm.needs_rebuild());
        // The giant role only ever draws pickup numbers.
        for (auto role : kRoles)
            if (role != TextRole::Giant)
                for (const auto& s : strings) (void)fm.require(role, s);
        (void)fm.require(TextRole::Giant, "0123456789");
        Uploads up;
        REQUIRE(fm.rebuild(up.uploader()).ok());
        MESSAGE(up.pixels() << " texture pixels in " << up.latest.size() << " atlases, " << fm.stats().glyphs
                            << " glyphs, " << fm.stats().last_build_ms << " ms");
        // Every catalog string in every role is far more than any screen draws;
        // the hero atlas (21 mm glyphs) is the largest.
        for (const auto& [role, t] : up.latest) {
            CAPTURE(std::string(text_role_name(role)));
            CHECK(t.width <= 2048);
            CHECK(t.height <= 4096);
        }
        CHECK(up.pixels() <= (large ? 16u : 12u) * 1024u * 1024u);
        CHECK(fm.stats().glyphs < kTextRoleCount * 450);
        // the same theme again changes nothing
        fm.set_theme(Theme(4.03, large));
        CHECK_FALSE(fm.needs_rebuild());
    }
}

TEST_CASE("size_px: ImGui's size is the em times Noto's ascent - descent (1.448)") {
    ImGuiScope imgui;
    auto holder = open_noto();
    FontManager& fm = *holder;
    for (double ppm : {4.03, 3.97}) {
        for (bool large : {false, true}) {
            const Theme theme(ppm, large);
            fm.set_theme(theme);
            for (auto role : kRoles) {
                CAPTURE(std::string(text_role_name(role)));
                const float em = fm.em_px(role);
                CHECK(em == static_cast<float>(theme.em_px(role)));
                CHECK(fm.size_px(role) == doctest::Approx(em * 1.448f).epsilon(0.5 / (em * 1.448)));
                CHECK(fm.size_px(role) == std::round(fm.size_px(role)));  // whole pixels
                // the line height ImGui uses is the font size: at least 1.3 x the em (elder-ux.md)
                CHECK(fm.size_px(role) >= 1.3f * em);
            }
        }
    }
}

TEST_CASE("display() returns BMP text unchanged, without a copy") {
    ImGuiScope imgui;
    auto holder = open_noto();
    FontManager& fm = *holder;
    const std::string s = "张桂兰 奶奶，您好";
    const auto d = fm.display(s);
    CHECK(d.data() == s.data());
    CHECK(d.size() == s.size());
    const auto e = fm.display("");
    CHECK(e.empty());
    fm.end_frame();
}

TEST_CASE("open() errors") {
    ImGuiScope imgui;
    auto missing = FontManager::open({"/nonexistent/NotoSansCJK-Regular.ttc", 2});
    REQUIRE_FALSE(missing.ok());
    CHECK(missing.error().code == "fonts.missing");
    CHECK(missing.error().message.find("/nonexistent/NotoSansCJK-Regular.ttc") != std::string::npos);

    for (int face : {10, 99, -1}) {
        CAPTURE(face);
        auto no_face = FontManager::open({kNoto, face});
        REQUIRE_FALSE(no_face.ok());
        CHECK(no_face.error().code == "fonts.missing");
        CHECK(no_face.error().message.find(std::to_string(face)) != std::string::npos);
    }

    auto not_a_font = FontManager::open({std::string(KIOSK_SOURCE_DIR) + "/CMakeLists.txt", 0});
    REQUIRE_FALSE(not_a_font.ok());
    CHECK(not_a_font.error().code == "fonts.missing");

    // a face without 中 is refused (DejaVu comes with Debian's font packages)
    const char* latin = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
    if (std::filesystem::exists(latin)) {
        auto latin_only = FontManager::open({latin, 0});
        REQUIRE_FALSE(latin_only.ok());
        CHECK(latin_only.error().code == "fonts.missing");
        CHECK(latin_only.error().message.find("Chinese") != std::string::npos);
    }

    // every face of the collection that has Chinese opens (0 is Japanese, 2 Simplified Chinese)
    CHECK(FontManager::open({kNoto, 0}).ok());
    CHECK(FontManager::open({kNoto, kNotoSc}).ok());
}

TEST_CASE("the giant role bakes the digits of pickup numbers") {
    ImGuiScope imgui;
    auto holder = open_noto();
    FontManager& fm = *holder;
    fm.set_theme(Theme(4.03, false));
    CHECK(fm.require(TextRole::Giant, "0042"));  // the digits are always baked once built
    Uploads up;
    REQUIRE(fm.rebuild(up.uploader()).ok());
    const ImFont* giant = fm.font(TextRole::Giant);
    REQUIRE(giant != nullptr);
    CHECK(fm.em_px(TextRole::Giant) >= 160);  // 40 mm at 4.03 px/mm
    for (char c : std::string("0123456789")) CHECK(giant->FindGlyphNoFallback(static_cast<ImWchar>(c)) != nullptr);
    // Nothing else of ASCII at this size unless it is asked for: the atlas stays small.
    CHECK(giant->FindGlyphNoFallback(static_cast<ImWchar>('A')) == nullptr);
    CHECK(up.latest.at(TextRole::Giant).height <= 512);
    CHECK_FALSE(fm.require(TextRole::Giant, "A12"));
    REQUIRE(fm.rebuild(up.uploader()).ok());
    CHECK(fm.font(TextRole::Giant)->FindGlyphNoFallback(static_cast<ImWchar>('A')) != nullptr);
    CHECK(fm.baked(TextRole::Giant, U'A'));
}
