# The receipt printer's status parser: DLE EOT replies, automatic status
# packets, and the stream splitter that tells them apart.
kiosk_fuzz_target(printer_status SOURCE ${CMAKE_CURRENT_LIST_DIR}/printer_status_fuzz.cpp LIBS drivers_escpos)
