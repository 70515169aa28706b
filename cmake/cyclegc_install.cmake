# `cmake --install`: the headers, the library, the CMake package
# (find_package(cyclegc 0.1 CONFIG REQUIRED) -> cyclegc::gc) and cyclegc.pc
# (pkg-config --cflags --libs cyclegc).
include(CMakePackageConfigHelpers)

set(CYCLEGC_CMAKE_DIR "${CMAKE_INSTALL_LIBDIR}/cmake/cyclegc")
set(CYCLEGC_PKGCONFIG_DIR "${CMAKE_INSTALL_LIBDIR}/pkgconfig")

# The public headers only; gc/internal/ (the collector's) stays private.
install(DIRECTORY "${PROJECT_SOURCE_DIR}/include/gc"
        DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}"
        FILES_MATCHING PATTERN "*.h")
install(TARGETS cyclegc_gc EXPORT cyclegcTargets
        ARCHIVE DESTINATION "${CMAKE_INSTALL_LIBDIR}"
        LIBRARY DESTINATION "${CMAKE_INSTALL_LIBDIR}"
        RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}")
install(EXPORT cyclegcTargets NAMESPACE cyclegc::
        DESTINATION "${CYCLEGC_CMAKE_DIR}")

configure_package_config_file(
  "${PROJECT_SOURCE_DIR}/cmake/cyclegcConfig.cmake.in"
  "${PROJECT_BINARY_DIR}/cyclegcConfig.cmake"
  INSTALL_DESTINATION "${CYCLEGC_CMAKE_DIR}")
# 0.x: a minor version may break the API, so 0.1 accepts 0.1.* only.
write_basic_package_version_file(
  "${PROJECT_BINARY_DIR}/cyclegcConfigVersion.cmake"
  COMPATIBILITY SameMinorVersion)
install(FILES "${PROJECT_BINARY_DIR}/cyclegcConfig.cmake"
              "${PROJECT_BINARY_DIR}/cyclegcConfigVersion.cmake"
        DESTINATION "${CYCLEGC_CMAKE_DIR}")

# cyclegc.pc finds the prefix from its own place, so the install tree can move.
file(RELATIVE_PATH CYCLEGC_PC_TO_PREFIX
     "/${CYCLEGC_PKGCONFIG_DIR}" "/")
string(REGEX REPLACE "/$" "" CYCLEGC_PC_TO_PREFIX "${CYCLEGC_PC_TO_PREFIX}")
list(TRANSFORM CYCLEGC_ABSL_LIBS PREPEND absl_ OUTPUT_VARIABLE _absl_modules)
string(JOIN " " CYCLEGC_PC_REQUIRES ${_absl_modules})
configure_file("${PROJECT_SOURCE_DIR}/cmake/cyclegc.pc.in"
               "${PROJECT_BINARY_DIR}/cyclegc.pc" @ONLY)
install(FILES "${PROJECT_BINARY_DIR}/cyclegc.pc"
        DESTINATION "${CYCLEGC_PKGCONFIG_DIR}")
