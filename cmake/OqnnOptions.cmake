# Compiler flags shared by every OpenQNN target: oqnn_apply_flags(<target>).
function(oqnn_apply_flags target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wno-unused-parameter
                                           -Wno-missing-field-initializers)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    # GCC 12 reports false positives in libstdc++ string code at -O3.
    target_compile_options(${target} PRIVATE -Wno-restrict -Wno-stringop-overflow
                                             -Wno-array-bounds)
  endif()
  if(OQNN_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()

option(OQNN_FUZZ "Build the libFuzzer targets of tests/fuzz (clang; implies ASan + UBSan)" OFF)
if(OQNN_FUZZ AND NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
  message(FATAL_ERROR "OQNN_FUZZ=ON needs clang (libFuzzer), but the C++ compiler is "
                      "${CMAKE_CXX_COMPILER_ID}: configure with -DCMAKE_C_COMPILER=clang "
                      "-DCMAKE_CXX_COMPILER=clang++ (as the asan preset does)")
endif()

if(OQNN_SANITIZE OR OQNN_FUZZ)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer
                      -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
  if(CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    # clang links its sanitizer runtime statically into executables only, which leaves the
    # backend libraries (linked with --no-undefined) with unresolved __asan_* symbols. The
    # shared runtime (what g++ uses by default) resolves them; rpath finds it at run time.
    execute_process(COMMAND ${CMAKE_CXX_COMPILER} -print-runtime-dir
                    OUTPUT_VARIABLE OQNN_SANITIZER_RUNTIME_DIR OUTPUT_STRIP_TRAILING_WHITESPACE)
    add_link_options(-shared-libsan "-Wl,-rpath,${OQNN_SANITIZER_RUNTIME_DIR}")
  endif()
endif()

if(OQNN_FUZZ)
  # Coverage instrumentation on all our code, so that the fuzz targets (tests/fuzz, linked
  # with -fsanitize=fuzzer) see the parsers' branches; other binaries link no fuzzer.
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()

# A static library of OpenQNN code: oqnn_library(<name> SOURCES ... DEPS ...).
function(oqnn_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR}/src ${PROJECT_SOURCE_DIR}/include)
  target_link_libraries(${name} PUBLIC ${ARG_DEPS})
  oqnn_apply_flags(${name})
endfunction()
