# The ESC/POS preview interpreter: any bytes in, a picture or a clear error out.
kiosk_fuzz_target(escpos_preview SOURCE ${CMAKE_CURRENT_LIST_DIR}/escpos_preview_fuzz.cpp LIBS drivers_sim)
