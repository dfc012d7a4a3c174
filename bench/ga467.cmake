# GA 467 reader: last byte on the line -> CardEvent, and frame parse + decode.
# Uses the fake reader from the driver tests to play the device on a pty.
add_executable(ga467_bench ${CMAKE_CURRENT_LIST_DIR}/ga467_bench.cpp
                           ${PROJECT_SOURCE_DIR}/tests/drivers/ga467/fake_ga467.cpp)
target_include_directories(ga467_bench PRIVATE ${PROJECT_SOURCE_DIR}/tests/drivers/ga467)
target_link_libraries(ga467_bench PRIVATE drivers_ga467 kiosk_warnings util Threads::Threads)
