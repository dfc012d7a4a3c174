# Strict warnings for our own targets only (system headers stay quiet).
add_library(kiosk_warnings INTERFACE)
target_compile_options(kiosk_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast
  -Wcast-align -Woverloaded-virtual -Wimplicit-fallthrough
  $<$<BOOL:${KIOSK_WERROR}>:-Werror>)

# kiosk_layer(<target> ...): a static library for one layer with include/ public
# and src/ private, the strict warnings applied.
function(kiosk_layer name)
  cmake_parse_arguments(L "" "" "SOURCES" ${ARGN})
  add_library(${name} STATIC ${L_SOURCES})
  target_include_directories(${name} PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/include
                                     PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/src)
  target_link_libraries(${name} PRIVATE kiosk_warnings)
endfunction()
