# Helpers that let the CMake lists of tests/, examples/ and bench/ read like
# their BUILD.bazel files: targets are named after their Bazel labels and
# depend on Bazel labels, which cyclegc_deps() maps to CMake targets.
#
#   cyclegc_cc_test(NAME heap_test SRCS heap_test.cc
#                   DEPS :test_types //gc @com_google_googletest//:gtest_main
#                   TAGS threads)
#
# registers the ctest test "//tests:heap_test" (the Bazel label), run in the
# source root like Bazel's runfiles tree, so that data files such as
# tests/reliability/corpus/ and README.md are found. A test tagged "manual" is
# built but not registered, as `bazel test //...` skips it.

# The Bazel package of the current CMakeLists.txt, e.g. "tests/cpython".
function(_cyclegc_package out)
  file(RELATIVE_PATH package "${PROJECT_SOURCE_DIR}"
       "${CMAKE_CURRENT_SOURCE_DIR}")
  set(${out} "${package}" PARENT_SCOPE)
endfunction()

# The CMake target of the Bazel target NAME in the current package.
function(_cyclegc_target out name)
  _cyclegc_package(package)
  string(REPLACE "/" "_" package "${package}")
  set(${out} "cyclegc_${package}_${name}" PARENT_SCOPE)
endfunction()

# Maps Bazel labels to the CMake targets to link.
function(cyclegc_deps out)
  set(targets)
  foreach(label IN LISTS ARGN)
    if(label STREQUAL "//gc")
      list(APPEND targets cyclegc::gc)
    elseif(label STREQUAL "@com_google_absl//:absl")
      list(TRANSFORM CYCLEGC_ABSL_LIBS PREPEND absl:: OUTPUT_VARIABLE absl)
      list(APPEND targets ${absl})
    elseif(label STREQUAL "@com_google_googletest//:gtest")
      list(APPEND targets GTest::gtest GTest::gmock)
    elseif(label STREQUAL "@com_google_googletest//:gtest_main")
      list(APPEND targets GTest::gtest_main GTest::gmock)
    elseif(label STREQUAL "@com_google_benchmark//:benchmark_main")
      list(APPEND targets benchmark::benchmark_main)
    elseif(label MATCHES "^//([^:]+):(.+)$")
      string(REPLACE "/" "_" package "${CMAKE_MATCH_1}")
      list(APPEND targets "cyclegc_${package}_${CMAKE_MATCH_2}")
    elseif(label MATCHES "^:(.+)$")
      _cyclegc_target(target "${CMAKE_MATCH_1}")
      list(APPEND targets ${target})
    else()
      message(FATAL_ERROR "cyclegc_deps: no CMake target for '${label}'")
    endif()
  endforeach()
  set(${out} ${targets} PARENT_SCOPE)
endfunction()

function(_cyclegc_common target)
  cmake_parse_arguments(ARG "" "" "DEPS" ${ARGN})
  cyclegc_deps(deps ${ARG_DEPS})
  get_target_property(type ${target} TYPE)
  if(type STREQUAL "INTERFACE_LIBRARY")
    target_include_directories(${target} INTERFACE ${PROJECT_SOURCE_DIR})
    target_compile_features(${target} INTERFACE cxx_std_20)
    target_link_libraries(${target} INTERFACE ${deps})
  else()
    # Includes are relative to the source root, as in Bazel.
    target_include_directories(${target} PUBLIC ${PROJECT_SOURCE_DIR})
    target_compile_features(${target} PUBLIC cxx_std_20)
    target_compile_options(${target} PRIVATE ${CYCLEGC_WARNINGS})
    target_link_libraries(${target} PUBLIC ${deps} Threads::Threads)
  endif()
endfunction()

# cyclegc_cc_library(NAME n [SRCS ...] [HDRS ...] [DEPS labels...])
function(cyclegc_cc_library)
  cmake_parse_arguments(ARG "" "NAME" "SRCS;HDRS;DEPS" ${ARGN})
  _cyclegc_target(target ${ARG_NAME})
  if(ARG_SRCS)
    add_library(${target} STATIC ${ARG_SRCS} ${ARG_HDRS})
  else()
    add_library(${target} INTERFACE)
  endif()
  _cyclegc_common(${target} DEPS ${ARG_DEPS})
endfunction()

# cyclegc_cc_binary(NAME n SRCS ... [DEPS labels...])
function(cyclegc_cc_binary)
  cmake_parse_arguments(ARG "" "NAME" "SRCS;DEPS" ${ARGN})
  _cyclegc_target(target ${ARG_NAME})
  add_executable(${target} ${ARG_SRCS})
  set_target_properties(${target} PROPERTIES OUTPUT_NAME ${ARG_NAME})
  _cyclegc_common(${target} DEPS ${ARG_DEPS})
endfunction()

# cyclegc_cc_test(NAME n SRCS ... [DEPS labels...] [TAGS tags...])
function(cyclegc_cc_test)
  cmake_parse_arguments(ARG "" "NAME" "SRCS;DEPS;TAGS" ${ARGN})
  cyclegc_cc_binary(NAME ${ARG_NAME} SRCS ${ARG_SRCS} DEPS ${ARG_DEPS})
  if("manual" IN_LIST ARG_TAGS)
    return()
  endif()
  _cyclegc_target(target ${ARG_NAME})
  _cyclegc_package(package)
  add_test(NAME "//${package}:${ARG_NAME}" COMMAND ${target}
           WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  if(ARG_TAGS)
    set_tests_properties("//${package}:${ARG_NAME}" PROPERTIES
                         LABELS "${ARG_TAGS}")
  endif()
endfunction()

# cyclegc_cc_tests(NAMES n... [THREADS n...] DEPS labels...): one test per
# name from <name>.cc, as a Bazel list comprehension of cc_test does; those in
# THREADS are tagged "threads".
function(cyclegc_cc_tests)
  cmake_parse_arguments(ARG "" "" "NAMES;THREADS;DEPS" ${ARGN})
  foreach(name IN LISTS ARG_NAMES)
    set(tags)
    if(name IN_LIST ARG_THREADS)
      set(tags threads)
    endif()
    cyclegc_cc_test(NAME ${name} SRCS ${name}.cc TAGS ${tags} DEPS ${ARG_DEPS})
  endforeach()
endfunction()

if(CYCLEGC_BUILD_TESTS)
  find_package(GTest CONFIG REQUIRED)
endif()
if(CYCLEGC_BUILD_BENCHMARKS)
  find_package(benchmark CONFIG REQUIRED)
endif()
