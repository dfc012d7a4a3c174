# The evdev line assembler (drivers/card/hid) and the card number
# normalisation it feeds. Seeds: corpus/evdev_line/ (see evdev_line_fuzz.cpp
# for the input encoding).
kiosk_fuzz_target(evdev_line SOURCE ${CMAKE_CURRENT_LIST_DIR}/evdev_line_fuzz.cpp LIBS drivers_hid)
