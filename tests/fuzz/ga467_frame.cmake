# The GA 467 frame parser and the text decoding behind it.
kiosk_fuzz_target(ga467_frame SOURCE ${CMAKE_CURRENT_LIST_DIR}/ga467_frame_fuzz.cpp LIBS drivers_ga467)
