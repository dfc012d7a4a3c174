# a4_bench: an A4 notice rendered to PDF bytes in memory (target < 100 ms for
# one page), one page and three pages.
add_executable(a4_bench ${CMAKE_CURRENT_LIST_DIR}/a4_bench.cpp)
target_link_libraries(a4_bench PRIVATE drivers_a4 kiosk_warnings)
