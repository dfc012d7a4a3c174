# cmake -DOUT=file.cpp -DNS=namespace -DFILES="name=path|name=path" -P EmbedGenerate.cmake
string(REPLACE "|" ";" entries "${FILES}")
set(body "#include <array>\n#include <string_view>\n#include <utility>\nnamespace ${NS} {\nnamespace {\n")
set(table "")
set(i 0)
foreach(entry IN LISTS entries)
  string(REPLACE "=" ";" parts ${entry})
  list(GET parts 0 key)
  list(GET parts 1 path)
  file(READ ${path} hex HEX)
  string(LENGTH "${hex}" hexlen)
  math(EXPR bytes "${hexlen} / 2")
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," hex "${hex}")
  string(APPEND body "const unsigned char f${i}[] = {${hex} 0};\n")
  string(APPEND table "  {\"${key}\", std::string_view(reinterpret_cast<const char*>(f${i}), ${bytes})},\n")
  math(EXPR i "${i} + 1")
endforeach()
string(APPEND body "const std::array<std::pair<std::string_view, std::string_view>, ${i}> kFiles{{\n${table}}};\n"
  "}  // namespace\n"
  "std::string_view get(std::string_view name) {\n"
  "  for (const auto& [k, v] : kFiles) if (k == name) return v;\n"
  "  return {};\n}\n}  // namespace ${NS}\n")
file(WRITE ${OUT}.tmp "${body}")
file(COPY_FILE ${OUT}.tmp ${OUT} ONLY_IF_DIFFERENT)
