// Copyright 2026 The cyclegc Authors.
//
// The pause budget (gc::Heap::SetPauseBudget) against the default, side by
// side in one run, each workload and setting in its own process (peak RSS is
// per process):
//
//   bazel run --config=opt //bench:pause_budget_bench [-- --budget_us=1000]
//       [--only=tree_churn] [--trace]
//
// --only runs one workload; --trace prints every pause above the budget
// (stderr).
//
// Workloads (a long-lived world of 200,000 objects under each, so that full
// collections are expensive):
//   tree_churn     trees of 9,330 nodes with parent pointers, dropped at once
//                  (n trees for n in 0..19, as bench/workloads.h)
//   binary_trees   complete binary trees of depth 16 with parent pointers
//   mid_lived      rings of 5 objects that live for 20,000 allocations (a few
//                  young collections) and then die as cyclic garbage
// Figures per run: the longest collection pause (wall clock, each pause of a
// round on its own), pauses above the budget, the same two by the thread's
// CPU time within each pause ("cpu": on a shared machine the wall clock also
// counts the time the process waited for a core), overruns, CPU time, peak
// RSS, and the outstanding cyclic garbage: the peak over the run of
// Heap::LiveObjects() less the objects the workload still holds, sampled
// every 1,000 allocations.

#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "gc/gc.h"

namespace {

int64_t g_allocations = 0;
int64_t g_held = 0;  // objects the workload holds (maintained by hand)
int64_t g_outstanding_peak = 0;

void Sample() {
  if (++g_allocations % 1000 != 0) return;
  const int64_t outstanding = gc::Heap::Current().LiveObjects() - g_held;
  g_outstanding_peak = std::max(g_outstanding_peak, outstanding);
}

struct Node : gc::Object {
  Node() { Sample(); }
  void Trace(gc::Visitor& visitor) override {
    visitor.Visit(parent);
    visitor.Visit(a);
    visitor.Visit(b);
  }
  gc::Ref<Node> parent, a, b;
};

double CpuSeconds(clockid_t clock = CLOCK_PROCESS_CPUTIME_ID) {
  timespec ts;
  clock_gettime(clock, &ts);
  return static_cast<double>(ts.tv_sec) +
         1e-9 * static_cast<double>(ts.tv_nsec);
}

// A tree of `nodes` nodes (fan-out 2 by a and b, parent pointers), built
// breadth first.
gc::Ref<Node> Tree(int64_t nodes) {
  gc::Ref<Node> root = gc::Make<Node>();
  std::vector<Node*> queue{root.get()};
  int64_t made = 1;
  for (size_t i = 0; made < nodes; ++i) {
    Node* at = queue[i];
    for (gc::Ref<Node>* slot : {&at->a, &at->b}) {
      if (made == nodes) break;
      *slot = gc::Make<Node>();
      (*slot)->parent = gc::Ref<Node>(at);
      queue.push_back(slot->get());
      ++made;
      g_held = made + 200'000;  // during the build: all of it held
    }
  }
  return root;
}

void TreeChurn() {
  for (int n = 0; n < 20; ++n) {
    for (int t = 0; t < n; ++t) {
      gc::Ref<Node> tree = Tree(9330);
      g_held = 200'000;  // dropped next
    }
  }
}

void BinaryTrees() {
  for (int i = 0; i < 20; ++i) {
    gc::Ref<Node> tree = Tree((1 << 17) - 1);
    g_held = 200'000;
  }
}

void MidLived() {
  constexpr int kRing = 5;
  constexpr int kLive = 4000;  // rings alive at once: 20,000 objects
  std::vector<gc::Ref<Node>> window(kLive);
  for (int64_t i = 0; i < 400'000; ++i) {
    gc::Ref<Node> first = gc::Make<Node>();
    Node* last = first.get();
    for (int k = 1; k < kRing; ++k) {
      last->a = gc::Make<Node>();
      last = last->a.get();
    }
    last->b = first;
    gc::Ref<Node>& slot = window[static_cast<size_t>(i % kLive)];
    const bool replaces = slot != nullptr;
    slot = std::move(first);  // the old ring: cyclic garbage now
    g_held = 200'000 + kRing * std::min<int64_t>(i + 1, kLive);
    (void)replaces;
  }
}

struct Figures {
  double longest_ms = 0;
  int64_t above_budget = 0;
  double longest_cpu_ms = 0;
  int64_t cpu_above_budget = 0;
  int64_t pauses = 0;
  int64_t overruns = 0;
  double cpu_s = 0;
  long peak_rss_kb = 0;
  int64_t outstanding = 0;
  int64_t rounds = 0;
};

Figures Run(const std::string& workload, absl::Duration budget, bool trace) {
  gc::Heap heap;
  gc::HeapScope scope(heap);
  if (!heap.SetPauseBudget(budget).ok()) std::abort();
  // The long-lived world: 100,000 pairs.
  std::vector<gc::Ref<Node>> world;
  for (int i = 0; i < 100'000; ++i) {
    world.push_back(gc::Make<Node>());
    world.back()->a = gc::Make<Node>();
  }
  g_held = 200'000;
  heap.Collect();
  Figures f;
  const absl::Duration limit =
      budget > absl::ZeroDuration() ? budget : absl::Milliseconds(1);
  double pause_cpu_start = 0;
  gc::CallbackId id =
      heap.AddCallback([&](gc::Phase phase, const gc::CollectionInfo& info) {
        if (phase == gc::Phase::kStart) {
          pause_cpu_start = CpuSeconds(CLOCK_THREAD_CPUTIME_ID);
          return;
        }
        const double cpu_ms =
            1e3 * (CpuSeconds(CLOCK_THREAD_CPUTIME_ID) - pause_cpu_start);
        ++f.pauses;
        f.longest_ms =
            std::max(f.longest_ms, absl::ToDoubleMilliseconds(info.duration));
        f.above_budget += info.duration > limit;
        f.longest_cpu_ms = std::max(f.longest_cpu_ms, cpu_ms);
        f.cpu_above_budget += cpu_ms > absl::ToDoubleMilliseconds(limit);
        f.rounds += info.round_finished;
        if (trace && info.duration > limit) {
          std::fprintf(stderr,
                       "%s: generation %d pause %lld%s: %.2f ms (cpu %.2f ms), "
                       "%lld candidates, %lld collected\n",
                       workload.c_str(), info.generation,
                       static_cast<long long>(info.pause),
                       info.round_finished ? " (last)" : "",
                       absl::ToDoubleMilliseconds(info.duration), cpu_ms,
                       static_cast<long long>(info.candidates),
                       static_cast<long long>(info.collected));
        }
      });
  const gc::GenerationStats before = heap.GetStats()[2];
  g_outstanding_peak = 0;
  const double cpu = CpuSeconds();
  if (workload == "tree_churn") TreeChurn();
  if (workload == "binary_trees") BinaryTrees();
  if (workload == "mid_lived") MidLived();
  f.cpu_s = CpuSeconds() - cpu;
  heap.RemoveCallback(id);
  f.overruns = heap.GetStats()[2].overruns - before.overruns;
  f.outstanding = g_outstanding_peak;
  rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  f.peak_rss_kb = usage.ru_maxrss;
  return f;
}

}  // namespace

int main(int argc, char** argv) {
  int64_t budget_us = 1000;
  std::string only;
  bool trace = false;
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], "--budget_us=", 12) == 0) {
      budget_us = std::atoll(argv[i] + 12);
    } else if (std::strncmp(argv[i], "--only=", 7) == 0) {
      only = argv[i] + 7;
    } else if (std::strcmp(argv[i], "--trace") == 0) {
      trace = true;
    }
  }
  std::printf("%-13s %-9s %10s %8s %7s %8s %7s %9s %7s %9s %12s %7s\n",
              "workload", "budget", "longest ms", "> budget", "cpu ms",
              "cpu >", "pauses", "overruns", "cpu s", "rss MB", "outstanding",
              "rounds");
  for (const char* workload : {"tree_churn", "binary_trees", "mid_lived"}) {
    if (!only.empty() && only != workload) continue;
    for (int64_t us : {int64_t{0}, budget_us}) {
      std::fflush(stdout);
      const pid_t child = fork();
      if (child == 0) {
        const Figures f = Run(workload, absl::Microseconds(us), trace);
        std::printf(
            "%-13s %-9s %10.2f %8lld %7.2f %8lld %7lld %9lld %7.2f %9.1f "
            "%12lld %7lld\n",
            workload, us == 0 ? "off" : (std::to_string(us) + "us").c_str(),
            f.longest_ms, static_cast<long long>(f.above_budget),
            f.longest_cpu_ms, static_cast<long long>(f.cpu_above_budget),
            static_cast<long long>(f.pauses),
            static_cast<long long>(f.overruns), f.cpu_s,
            static_cast<double>(f.peak_rss_kb) / 1024.0,
            static_cast<long long>(f.outstanding),
            static_cast<long long>(f.rounds));
        std::fflush(stdout);
        std::_Exit(0);
      }
      int status = 0;
      waitpid(child, &status, 0);
    }
  }
  return 0;
}
