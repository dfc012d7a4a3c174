#include "shapes.hpp"

#include <algorithm>
#include <cmath>

namespace kiosk::ui::shapes {

namespace {

constexpr float kPi = 3.14159265358979f;
// Not a whole number: ImGui draws whole-pixel lines from the font atlas's
// baked lines, which the kiosk's own atlases do not have.
constexpr float kEdge = 1.5f;

int arc_segments(float radius) { return std::clamp(static_cast<int>(radius / 3.0f), 3, 24); }

// How far in from the box's side a row `y` pixels from the top of a corner
// of radius `r` starts.
float inset(float r, float y) {
    const float dy = r - y;
    return r - std::sqrt(std::max(0.0f, r * r - dy * dy));
}

// Boxes, radii and the rows' ends on whole pixels: SDL truncates each
// rectangle's position and size on its own, so fractional ones leave
// one-pixel seams between pieces and let a fill show past its frame.
void snap(ImVec2& min, ImVec2& max) {
    min = ImVec2(std::round(min.x), std::round(min.y));
    max = ImVec2(std::round(max.x), std::round(max.y));
}

// A one-pixel anti-aliased stroke along the four corners' arcs, at `radius`
// from the centres of corners of radius `r` in [min, max].
void smooth_corners(ImDrawList* dl, ImVec2 min, ImVec2 max, float r, float radius, ImU32 colour) {
    const int segments = arc_segments(r);
    const ImVec2 centres[4] = {ImVec2(min.x + r, min.y + r), ImVec2(max.x - r, min.y + r),
                               ImVec2(max.x - r, max.y - r), ImVec2(min.x + r, max.y - r)};
    for (int i = 0; i < 4; ++i) {
        const float from = kPi * (1.0f + 0.5f * static_cast<float>(i));
        dl->PathArcTo(centres[i], radius, from, from + kPi / 2, segments);
        dl->PathStroke(colour, 0, kEdge);
    }
}

}  // namespace

// Rows of plain rectangles: SDL fills those directly. (Triangle fans are not
// only slow there: SDL takes pairs of them for rectangles and fills their
// bounding boxes, squaring the corners off.)
void fill_rounded(ImDrawList* dl, ImVec2 min, ImVec2 max, ImU32 colour, float rounding, bool smooth) {
    snap(min, max);
    const float r = std::round(std::min({rounding, (max.x - min.x) / 2, (max.y - min.y) / 2}));
    if (r < 1.0f) {
        dl->AddRectFilled(min, max, colour);
        return;
    }
    const int rows = static_cast<int>(r);
    for (int i = 0; i < rows; ++i) {
        const float top = static_cast<float>(i);
        const float in = std::round(inset(r, top + 0.5f));
        dl->AddRectFilled(ImVec2(min.x + in, min.y + top), ImVec2(max.x - in, min.y + top + 1), colour);
        dl->AddRectFilled(ImVec2(min.x + in, max.y - top - 1), ImVec2(max.x - in, max.y - top), colour);
    }
    dl->AddRectFilled(ImVec2(min.x, min.y + r), ImVec2(max.x, max.y - r), colour);
    if (smooth) smooth_corners(dl, min, max, r, r - 0.75f, colour);
}

// Straight sides as plain rectangles, the corners as rows of spans between
// the outer and the inner circle: an anti-aliased ImGui stroke is thin
// triangles, which SDL's software renderer blends a pixel at a time across
// their bounding boxes (the long sides most of all).
void outline_rounded(ImDrawList* dl, ImVec2 min, ImVec2 max, ImU32 colour, float rounding, float thickness) {
    snap(min, max);
    const float w = max.x - min.x, hgt = max.y - min.y;
    const float t = std::min({std::max(1.0f, std::round(thickness)), std::floor(w / 2), std::floor(hgt / 2)});
    if (t <= 0) return;
    const float r = std::max(t, std::round(std::min({rounding, w / 2, hgt / 2})));
    if (rounding < 1.0f) {
        dl->AddRectFilled(min, ImVec2(max.x, min.y + t), colour);
        dl->AddRectFilled(ImVec2(min.x, max.y - t), max, colour);
        dl->AddRectFilled(ImVec2(min.x, min.y + t), ImVec2(min.x + t, max.y - t), colour);
        dl->AddRectFilled(ImVec2(max.x - t, min.y + t), ImVec2(max.x, max.y - t), colour);
        return;
    }
    dl->AddRectFilled(ImVec2(min.x + r, min.y), ImVec2(max.x - r, min.y + t), colour);
    dl->AddRectFilled(ImVec2(min.x + r, max.y - t), ImVec2(max.x - r, max.y), colour);
    dl->AddRectFilled(ImVec2(min.x, min.y + r), ImVec2(min.x + t, max.y - r), colour);
    dl->AddRectFilled(ImVec2(max.x - t, min.y + r), ImVec2(max.x, max.y - r), colour);
    const float ri = r - t;  // the inner circle's radius, same centre
    const int rows = static_cast<int>(r);
    for (int i = 0; i < rows; ++i) {
        const float top = static_cast<float>(i);
        const float mid = top + 0.5f;
        const float out = std::round(inset(r, mid));
        float in = r;  // rows within the top side's thickness join it
        if (mid >= t) {
            const float dy = r - mid;
            in = std::round(r - std::sqrt(std::max(0.0f, ri * ri - dy * dy)));
        }
        if (in <= out) continue;
        for (const float y : {min.y + top, max.y - top - 1}) {
            dl->AddRectFilled(ImVec2(min.x + out, y), ImVec2(min.x + in, y + 1), colour);
            dl->AddRectFilled(ImVec2(max.x - in, y), ImVec2(max.x - out, y + 1), colour);
        }
    }
    smooth_corners(dl, min, max, r, r - 0.75f, colour);
    if (ri >= 1.0f) smooth_corners(dl, min, max, r, ri + 0.75f, colour);
}

void fill_disc(ImDrawList* dl, ImVec2 centre, float radius, ImU32 colour) {
    if (radius < 1.0f) return;
    const int rows = std::max(2, static_cast<int>(std::ceil(2 * radius)));
    const float h = 2 * radius / static_cast<float>(rows);
    for (int i = 0; i < rows; ++i) {
        const float top = static_cast<float>(i) * h;
        const float in = inset(radius, top + h / 2);
        dl->AddRectFilled(ImVec2(centre.x - radius + in, centre.y - radius + top),
                          ImVec2(centre.x + radius - in, centre.y - radius + top + h), colour);
    }
    dl->AddCircle(centre, radius - 0.75f, colour, std::clamp(static_cast<int>(radius), 12, 64), kEdge);
}

}  // namespace kiosk::ui::shapes
