# escpos_bench: pickup ticket → ESC/POS bytes (target < 1 ms), with and
# without the raster fallback for a rare character.
add_executable(escpos_bench ${CMAKE_CURRENT_LIST_DIR}/escpos_bench.cpp)
target_link_libraries(escpos_bench PRIVATE drivers_escpos kiosk_warnings)
