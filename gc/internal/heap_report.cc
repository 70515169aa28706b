// Copyright 2026 The cyclegc Authors.
//
// The reporting of a heap state: its report sink and error reporter, the
// once-per-heap diagnostics and readable type names.

#include <cxxabi.h>

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <memory>
#include <new>
#include <typeinfo>

#include "absl/strings/str_cat.h"
#include "gc/internal/heap_state.h"

namespace gc::internal {
namespace {

void PrintLine(std::string_view line) {
  std::fprintf(stderr, "%.*s\n", static_cast<int>(line.size()), line.data());
}

// Calls `sink` (if set) with `line`; stderr if unset or if it throws.
void SendLine(const TextSink& sink, std::string_view line, const char* name) {
  if (sink) {
    try {
      sink(line);
      return;
    } catch (...) {
      std::fprintf(stderr, "gc: the %s threw; the line was:\n", name);
    }
  }
  PrintLine(line);
}
}  // namespace

void HeapState::Report(std::string_view line) const {
  SendLine(report_sink, line, "report sink");
}

void HeapState::ReportError(std::string_view line) const {
  SendLine(error_reporter, line, "error reporter");
}

void HeapState::ReportException(std::string_view where) const {
  try {
    throw;
  } catch (const std::exception& e) {
    ReportError([&] {
      return absl::StrCat("gc: exception in ",
                          absl::string_view(where.data(), where.size()), ": ",
                          e.what());
    });
  } catch (...) {
    ReportError([&] {
      return absl::StrCat("gc: unknown exception in ",
                          absl::string_view(where.data(), where.size()));
    });
  }
}

bool HeapState::FirstReport(std::string_view key) {
  try {
    return reported_once.emplace(key).second;
  } catch (const std::bad_alloc&) {
    return true;
  }
}

std::string TypeName(const Object& object) { return TypeName(typeid(object)); }

std::string TypeName(const std::type_info& type) {
  const char* mangled = type.name();
  int status = 0;
  std::unique_ptr<char, void (*)(void*)> demangled(
      abi::__cxa_demangle(mangled, nullptr, nullptr, &status), std::free);
  return status == 0 && demangled ? std::string(demangled.get())
                                  : std::string(mangled);
}

}  // namespace gc::internal
