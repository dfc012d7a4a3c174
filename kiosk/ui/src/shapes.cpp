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

}  // namespace

// Rows of plain rectangles: SDL fills those directly. (Triangle fans are not
// only slow there: SDL takes pairs of them for rectangles and fills their
// bounding boxes, squaring the corners off.)
void fill_rounded(ImDrawList* dl, ImVec2 min, ImVec2 max, ImU32 colour, float rounding) {
    const float r = std::min({rounding, (max.x - min.x) / 2, (max.y - min.y) / 2});
    if (r < 1.0f) {
        dl->AddRectFilled(min, max, colour);
        return;
    }
    const int rows = std::max(1, static_cast<int>(std::ceil(r)));
    const float h = r / static_cast<float>(rows);
    for (int i = 0; i < rows; ++i) {
        const float top = static_cast<float>(i) * h;
        const float in = inset(r, top + h / 2);
        dl->AddRectFilled(ImVec2(min.x + in, min.y + top), ImVec2(max.x - in, min.y + top + h), colour);
        dl->AddRectFilled(ImVec2(min.x + in, max.y - top - h), ImVec2(max.x - in, max.y - top), colour);
    }
    dl->AddRectFilled(ImVec2(min.x, min.y + r), ImVec2(max.x, max.y - r), colour);
    // The curved edges, smoothed.
    const int segments = arc_segments(r);
    const ImVec2 centres[4] = {ImVec2(min.x + r, min.y + r), ImVec2(max.x - r, min.y + r),
                               ImVec2(max.x - r, max.y - r), ImVec2(min.x + r, max.y - r)};
    for (int i = 0; i < 4; ++i) {
        const float from = kPi * (1.0f + 0.5f * static_cast<float>(i));
        dl->PathArcTo(centres[i], r - 0.75f, from, from + kPi / 2, segments);
        dl->PathStroke(colour, 0, kEdge);
    }
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
