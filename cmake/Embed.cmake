# kiosk_embed(<target> <namespace> FILES name=path ...)
# Compiles text files into the binary so the kiosk runs from anywhere on its
# embedded defaults. Generates a function `std::string_view <ns>::get(name)`.
# The source is generated at build time and depends on the files, so an
# edited catalog or config is never stale in an incremental build.
set(KIOSK_EMBED_SCRIPT ${CMAKE_CURRENT_LIST_DIR}/EmbedGenerate.cmake)

function(kiosk_embed target ns)
  cmake_parse_arguments(E "" "" "FILES" ${ARGN})
  set(out ${CMAKE_CURRENT_BINARY_DIR}/${target}_embedded.cpp)
  set(deps "")
  foreach(entry IN LISTS E_FILES)
    string(REPLACE "=" ";" parts ${entry})
    list(GET parts 1 path)
    list(APPEND deps ${path})
  endforeach()
  string(REPLACE ";" "|" files_arg "${E_FILES}")
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DOUT=${out} -DNS=${ns} "-DFILES=${files_arg}" -P ${KIOSK_EMBED_SCRIPT}
    DEPENDS ${deps} ${KIOSK_EMBED_SCRIPT}
    COMMENT "Embedding ${target} files"
    VERBATIM)
  target_sources(${target} PRIVATE ${out})
endfunction()
