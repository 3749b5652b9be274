# Build step (cmake -P): turns the OpenCL sources into one C++ file of raw-string literals,
# in the order given, so that libQnnGpu.so carries its kernels without external tools.
# Inputs: OUTPUT (the .cpp to write), SOURCES (the .cl files, separated by '|').
string(REPLACE "|" ";" sources "${SOURCES}")
set(body "")
foreach(src IN LISTS sources)
  file(READ "${src}" text)
  get_filename_component(name "${src}" NAME)
  string(FIND "${text}" ")oqnn_cl\"" clash)
  if(NOT clash EQUAL -1)
    message(FATAL_ERROR "${src} contains the raw-string delimiter )oqnn_cl\"")
  endif()
  string(APPEND body "    {\"${name}\", R\"oqnn_cl(${text})oqnn_cl\"},\n")
endforeach()
set(cpp "// Generated from src/backends/gpu/kernels/*.cl by embed_kernels.cmake. Do not edit.
#include \"backends/gpu/kernel_sources.h\"

namespace oqnn::gpu {

std::span<const KernelSource> kernel_sources() {
  static const KernelSource kSources[] = {
${body}  };
  return kSources;
}

}  // namespace oqnn::gpu
")
file(WRITE "${OUTPUT}.tmp" "${cpp}")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")
