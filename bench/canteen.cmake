# canteen_bench: an order's commit with fsync (target p99 < 10 ms) and the day
# close over a day of 1,000,000 orders (target < 200 ms).
add_executable(canteen_bench ${CMAKE_CURRENT_LIST_DIR}/canteen_bench.cpp)
target_link_libraries(canteen_bench PRIVATE kiosk_store kiosk_warnings SQLite::SQLite3)
