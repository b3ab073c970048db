# Writes a C++ source that holds every Lua script as a string literal, so the binary
# carries its scripts and a deployment is one executable plus static/.
# Inputs: SCRIPTS (list of .lua paths), OUTPUT (the .cpp to write).
set(body "// Generated from server/redis/scripts/*.lua by embed_scripts.cmake. Do not edit.\n")
string(APPEND body "#include \"redis/script_sources.hpp\"\n\n#include <array>\n\nnamespace sp::redis {\nnamespace {\n")
string(APPEND body "const std::array k_sources{\n")
foreach(path IN LISTS SCRIPTS)
  get_filename_component(name "${path}" NAME_WE)
  file(READ "${path}" text)
  string(FIND "${text}" ")__lua__\"" clash)
  if(NOT clash EQUAL -1)
    message(FATAL_ERROR "${path} contains the raw-string terminator")
  endif()
  string(APPEND body "    script_source{\"${name}\", R\"__lua__(${text})__lua__\"},\n")
endforeach()
string(APPEND body "};\n} // namespace\n\nstd::span<const script_source> builtin_scripts() { return k_sources; }\n\n} // namespace sp::redis\n")
file(WRITE "${OUTPUT}.tmp" "${body}")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
