# Keyboard-wedge reader: last input_event -> CardEvent latency, line assembler
# throughput. `build/bin/hid_bench`; exit status 0 when the targets are met.
add_executable(hid_bench ${CMAKE_CURRENT_LIST_DIR}/hid_bench.cpp)
target_link_libraries(hid_bench PRIVATE drivers_hid kiosk_warnings Threads::Threads)
