#pragma once
// Filled rounded boxes, frames and discs that are cheap for SDL's software renderer.
//
// The terminals have no GPU: SDL renders ImGui's triangles in software,
// testing and blending every pixel of each triangle's bounding box. ImGui
// fills a rounded box or a disc as a fan of triangles that each span most of
// the shape, so a screen of large rounded buttons cost its area dozens of
// times over (26 ms a frame measured on the menu). These draw the same shapes
// from pieces whose bounding boxes barely overlap, and smooth the curved edges
// with a one-pixel anti-aliased stroke.
#include <imgui.h>

namespace kiosk::ui::shapes {

// `smooth`: anti-alias the corners (not needed under a frame drawn over them).
void fill_rounded(ImDrawList* dl, ImVec2 min, ImVec2 max, ImU32 colour, float rounding, bool smooth = true);
void fill_disc(ImDrawList* dl, ImVec2 centre, float radius, ImU32 colour);
// A rounded frame `thickness` wide inside [min, max].
void outline_rounded(ImDrawList* dl, ImVec2 min, ImVec2 max, ImU32 colour, float rounding, float thickness);

}  // namespace kiosk::ui::shapes
