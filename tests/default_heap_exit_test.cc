// Copyright 2026 The cyclegc Authors.
//
// The main thread's default heap at process exit, after main's locals are
// gone: its last collection must report to stderr and call no sink. This is
// the mistake the README's report-sink snippet once made (a sink capturing a
// local of main, still set at exit); tools/test.sh runs this program under
// ASan, which catches any call through the dead sink. It also leaves a live
// cycle in a global, so that there is something to report.

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "gc/gc.h"

namespace {

class Node : public gc::Object {
 public:
  void Trace(gc::Visitor& visitor) override { visitor.Visit(next); }
  gc::Ref<Node> next;
};

gc::Ref<Node> global_cycle;  // outlives the default heap
bool main_returned = false;
int sink_calls_after_main = 0;

}  // namespace

int main() {
  gc::Heap& heap = gc::Heap::Current();
  std::vector<std::string> report;  // dies when main returns
  heap.SetReportSink([&report](std::string_view line) {
    if (main_returned) ++sink_calls_after_main;
    report.emplace_back(line);
  });
  heap.SetDebug(gc::kDebugStats);
  heap.Collect(0);
  global_cycle = gc::Make<Node>();
  global_cycle->next = gc::Make<Node>();
  global_cycle->next->next = global_cycle;
  if (report.empty()) return 1;
  main_returned = true;
  // Exit destroys the main thread's thread-locals (the default heap) first,
  // then runs this handler, then destroys the globals.
  std::atexit([] {
    if (sink_calls_after_main != 0) {
      std::fprintf(stderr, "FAIL: the default heap called a dead sink\n");
      std::_Exit(1);
    }
    global_cycle->next.reset();  // untracked now: break the cycle by hand
  });
  return 0;
}
