// Copyright 2026 The cyclegc Authors.
//
// File: gc/config.h
// -----------------------------------------------------------------------------
//
// What every public header includes first: cyclegc's version, and a check that
// the compiler is in C++20 mode. cyclegc's headers use C++20 (`constinit`,
// concepts); compiled as C++17 they would fail with errors that do not say
// why, so this header stops the build with one that does.
//
// Example:
//
//   #include "gc/gc.h"
//   #if CYCLEGC_VERSION_MAJOR == 0 && CYCLEGC_VERSION_MINOR < 1
//   #error "needs cyclegc 0.1 or later"
//   #endif
//
// The version is the one source of truth for the CMake package
// (`find_package(cyclegc 0.1 CONFIG)`) and `cyclegc.pc`; CMakeLists.txt
// reads it from here.

#ifndef CYCLEGC_INCLUDE_GC_CONFIG_H_
#define CYCLEGC_INCLUDE_GC_CONFIG_H_

#define CYCLEGC_VERSION_MAJOR 0
#define CYCLEGC_VERSION_MINOR 1
#define CYCLEGC_VERSION_PATCH 0

// MSVC reports 199711L in __cplusplus unless /Zc:__cplusplus; _MSVC_LANG is
// the real language level there.
#if defined(_MSVC_LANG) && _MSVC_LANG > __cplusplus
#define CYCLEGC_INTERNAL_CPLUSPLUS _MSVC_LANG
#else
#define CYCLEGC_INTERNAL_CPLUSPLUS __cplusplus
#endif

#if CYCLEGC_INTERNAL_CPLUSPLUS < 202002L
#error "cyclegc needs C++20: compile with -std=c++20 (g++/clang++), /std:c++20 (MSVC); CMake: link cyclegc::gc (it carries cxx_std_20); Bazel: build --cxxopt=-std=c++20 in .bazelrc"
#endif

#endif  // CYCLEGC_INCLUDE_GC_CONFIG_H_
