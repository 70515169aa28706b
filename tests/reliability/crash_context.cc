// Copyright 2026 The cyclegc Authors.
//
// CrashContext: says which random program was running when the process dies
// (the heap verifier aborts, a sanitizer reports, a signal kills it).

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <string>

#include "tests/reliability/random_program.h"

// Sanitizer runtimes call this hook before they exit; absent otherwise.
extern "C" void __sanitizer_set_death_callback(void (*callback)(void))
    __attribute__((weak));

namespace gc_reliability {
namespace {

char context[512];
size_t context_size = 0;
bool installed = false;

void PrintContext() {
  if (context_size == 0) return;
  ssize_t unused = write(STDERR_FILENO, context, context_size);
  (void)unused;
}

void OnFatalSignal(int signal) {
  PrintContext();
  // SA_RESETHAND restored the default action: die of the same signal.
  raise(signal);
}

void Install() {
  if (installed) return;
  installed = true;
  if (&__sanitizer_set_death_callback != nullptr) {
    __sanitizer_set_death_callback(PrintContext);
  }
  struct sigaction action;
  std::memset(&action, 0, sizeof(action));
  action.sa_handler = OnFatalSignal;
  action.sa_flags = SA_RESETHAND;
  for (int signal : {SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL}) {
    sigaction(signal, &action, nullptr);
  }
}

}  // namespace

CrashContext::CrashContext(const std::string& what) {
  Install();
  const std::string line = "\n*** while running " + what + "\n";
  context_size = std::min(line.size(), sizeof(context));
  std::memcpy(context, line.data(), context_size);
}

CrashContext::~CrashContext() { context_size = 0; }

}  // namespace gc_reliability
