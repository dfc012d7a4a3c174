#pragma once
// The canteen's screens: the menu, the three amounts, the pickup number, a
// QR payment confirmed by staff (private to the UI layer).
#include <optional>

#include "kiosk/ui/view.hpp"
#include "kiosk/ui/widgets.hpp"
#include "screen_parts.hpp"

namespace kiosk::ui {

std::optional<Intent> menu_screen(const MenuView& v, Ui& ui, parts::Layout a);
std::optional<Intent> quote_screen(const QuoteView& v, Ui& ui, parts::Layout a);
std::optional<Intent> order_done_screen(const OrderDoneView& v, Ui& ui, parts::Layout a);
std::optional<Intent> qr_pay_screen(const QrPayView& v, Ui& ui, parts::Layout a);

// Canteen staff (canteen_staff_screens.cpp).
std::optional<Intent> staff_counts_screen(const StaffCountsView& v, Ui& ui, parts::Layout a);
std::optional<Intent> staff_orders_screen(const StaffOrdersView& v, Ui& ui, parts::Layout a);
std::optional<Intent> staff_order_screen(const StaffOrderView& v, Ui& ui, parts::Layout a);
std::optional<Intent> staff_diners_screen(const StaffDinersView& v, Ui& ui, parts::Layout a);
std::optional<Intent> staff_top_up_screen(const StaffTopUpView& v, Ui& ui, parts::Layout a);
std::optional<Intent> staff_menu_screen(const StaffMenuView& v, Ui& ui, parts::Layout a);
std::optional<Intent> staff_delivery_screen(const StaffDeliveryView& v, Ui& ui, parts::Layout a);
std::optional<Intent> day_close_screen(const DayCloseView& v, Ui& ui, parts::Layout a);

}  // namespace kiosk::ui
