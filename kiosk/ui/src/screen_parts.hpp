#pragma once
// Pieces several screens share (private to the UI layer).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kiosk/ui/view.hpp"
#include "kiosk/ui/widgets.hpp"

namespace kiosk::ui::parts {

struct Layout {
    float x, y, w, bottom;  // the content area below the top bar
};

// A community card: rounded card with a chip and a contactless arc.
void card_icon(Ui& ui, Rect r);
void check_icon(Rect r, Rgb colour);
// A circle with "!" (warning) or "i" (information).
void sign_icon(Rect r, Rgb disc, Rgb mark, bool info);

struct RowButton {
    std::string id;
    std::string label;
    Intent intent;
    WidgetKind kind = WidgetKind::Primary;
};

// The height button_row() takes for these buttons across `w`.
float button_rows_height(Ui& ui, const std::vector<RowButton>& buttons, float w);
// Buttons in one row (more rows when they do not fit), centred, each as wide
// as the row allows up to a comfortable maximum. Returns the height used.
float button_row(Ui& ui, const std::vector<RowButton>& buttons, float x, float y, float w, std::optional<Intent>& intent);
std::vector<RowButton> service_buttons(Ui& ui, const std::vector<Service>& services);
// A list row: at least 18 mm, and a label's line with room around it.
float row_height(const Ui& ui);
// Previous / next page buttons (no scrolling gesture is ever needed).
std::vector<RowButton> page_buttons(Ui& ui, int page, int pages);
void page_label(Ui& ui, int page, int pages, Rect where);
// A title on the left and a 返回 button on the right of one row; returns its height.
float title_with_back(Ui& ui, const char* title_key, Layout a, std::optional<Intent>& intent, Intent back);
float title_text_with_back(Ui& ui, std::string_view title, Layout a, std::optional<Intent>& intent, Intent back);

// The PIN keypad: 1-9, then 删除 0 确定, keys as large as `area` allows
// (at most 70 x 28 mm). Digits do nothing while `locked`.
void keypad(Ui& ui, Rect area, bool locked, std::optional<Intent>& intent);

}  // namespace kiosk::ui::parts
