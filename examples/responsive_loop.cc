// Copyright 2026 The cyclegc Authors.
//
// responsive_loop: never block the loop. A game or server loop has a budget
// per tick (1 ms here) and allocates cyclic garbage every tick: a scratch
// tree with parent pointers, and a few long-lived world entities replaced by
// new ones. The world built at start-up is large, so a full collection, which
// examines all of it, is the pause that breaks the budget.
//
// The same loop under each setting a user has: default thresholds; kDebugStats
// (to see the collections); larger thresholds; Freeze() after start-up; and
// Disable() with Collect(0) at idle points (the end of each tick here, as the
// ticks run back to back). Every heap reports collections slower than the
// budget through its report stream (Heap::SetSlowCollectionThreshold), as
// asyncio's debug mode reports slow callbacks.
//
//   bazel run -c opt //examples:responsive_loop [-- --large]

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "examples/example_util.h"
#include "gc/gc.h"

namespace {

const absl::Duration kBudget = absl::Milliseconds(1);

class Node : public gc::Object {
 public:
  void Trace(gc::Visitor& visitor) override {
    visitor.Visit(parent);
    for (gc::Ref<Node>& child : children) visitor.Visit(child);
  }
  gc::Ref<Node> parent;  // strong: every node is in a cycle
  std::vector<gc::Ref<Node>> children;
};

// A node with `fan_out` children that point back at it.
gc::Ref<Node> MakeFamily(int fan_out) {
  gc::Ref<Node> parent = gc::Make<Node>();
  parent->children.reserve(fan_out);
  for (int i = 0; i < fan_out; ++i) {
    parent->children.push_back(gc::Make<Node>());
    parent->children.back()->parent = parent;
  }
  return parent;
}

struct Sizes {
  int64_t world;  // entities, 4 nodes each
  int64_t ticks;
  int scratch = 8;  // scratch families per tick, 8 nodes each
  int churn = 8;    // world entities replaced per tick
};

enum class Tool { kNone, kDebugStats, kFreeze, kIdleCollect, kPauseBudget };

// Ticks and pauses in this thread's CPU time (see example::CpuStopwatch).
struct Result {
  int64_t over_budget = 0;
  absl::Duration worst_tick, worst_tick_wall, longest_pause;
  int longest_pause_generation = 0;
  std::array<int64_t, 3> collections{};
  int64_t slow_reports = 0, left_over = 0;
  int64_t overruns = 0;  // pauses of rounds longer than the budget
};

// The report stream: counts slow-collection reports and keeps the first, and
// keeps the kDebugStats lines of the first full collection.
struct ReportLog {
  void operator()(std::string_view line) {
    if (line.rfind("gc: slow collection", 0) == 0) {
      if (slow_reports++ == 0) first_slow = line;
    } else if (line.rfind("gc: collecting generation 2", 0) == 0 &&
               full_collection.empty()) {
      in_full = true;
    }
    if (in_full) full_collection.push_back(std::string(line));
    if (line.rfind("gc: done", 0) == 0) in_full = false;
  }
  int64_t slow_reports = 0;
  std::string first_slow;
  bool in_full = false;
  std::vector<std::string> full_collection;
};

Result RunLoop(const Sizes& sizes, Tool tool,
               const std::array<int64_t, 3>& thresholds, ReportLog& log) {
  // The report sink reads `in_loop`, which therefore outlives the heap (whose
  // destructor runs a last collection).
  Result r;
  bool in_loop = false;  // only the loop's collections count
  gc::Heap heap;
  gc::HeapScope scope(heap);
  heap.SetSlowCollectionThreshold(kBudget);
  heap.SetReportSink([&](std::string_view line) {
    if (in_loop) log(line);
  });
  if (tool == Tool::kDebugStats) heap.SetDebug(gc::kDebugStats);
  if (!heap.SetThreshold(thresholds[0], thresholds[1], thresholds[2]).ok()) {
    std::abort();
  }

  std::vector<gc::Ref<Node>> world;  // start-up: the long-lived state
  for (int64_t i = 0; i < sizes.world; ++i) world.push_back(MakeFamily(3));
  if (tool == Tool::kFreeze) heap.Freeze();
  if (tool == Tool::kIdleCollect) heap.Disable();
  // Full collections in rounds of pauses of at most 1 ms (see the README,
  // "Pause budget").
  if (tool == Tool::kPauseBudget && !heap.SetPauseBudget(kBudget).ok()) {
    std::abort();
  }
  const std::array<gc::GenerationStats, 3> start = heap.GetStats();
  example::CollectionCpuTimer pauses(heap);
  in_loop = true;

  for (int64_t tick = 0; tick < sizes.ticks; ++tick) {
    example::Stopwatch wall;
    example::CpuStopwatch cpu;
    for (int i = 0; i < sizes.scratch; ++i) MakeFamily(7);  // garbage
    for (int i = 0; i < sizes.churn; ++i) {
      world[(tick * 7919 + i * 104729) % sizes.world] = MakeFamily(3);
    }
    const absl::Duration took = cpu.Elapsed();
    r.worst_tick = std::max(r.worst_tick, took);
    r.worst_tick_wall = std::max(r.worst_tick_wall, wall.Elapsed());
    if (took > kBudget) ++r.over_budget;
    if (tool == Tool::kIdleCollect) heap.Collect(0);  // idle until next tick
  }
  const std::array<gc::GenerationStats, 3> end = heap.GetStats();
  for (int g = 0; g < 3; ++g) {
    r.collections[g] = end[g].collections - start[g].collections;
  }
  r.overruns = end[2].overruns - start[2].overruns;
  r.slow_reports = log.slow_reports;
  r.longest_pause = pauses.longest();
  r.longest_pause_generation = pauses.longest_generation();
  in_loop = false;
  heap.Unfreeze();
  r.left_over = heap.Collect();  // garbage the loop left uncollected
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  bool large = false;
  example::ParseFlags(argc, argv, "responsive_loop: never block the loop.",
                      {{"--large", "a 10 times larger world", &large}});
  const Sizes sizes{large ? 500'000 : 50'000, 3'000};
  struct Setting {
    const char* name;
    Tool tool;
    std::array<int64_t, 3> thresholds;
  };
  const Setting settings[] = {
      {"default (700, 10, 10)", Tool::kNone, {700, 10, 10}},
      {"default + kDebugStats", Tool::kDebugStats, {700, 10, 10}},
      {"thresholds (10000, 100, 100)", Tool::kNone, {10000, 100, 100}},
      {"thresholds (700, 10, 1000)", Tool::kNone, {700, 10, 1000}},
      {"Freeze() after start-up", Tool::kFreeze, {700, 10, 10}},
      {"Disable() + Collect(0) when idle", Tool::kIdleCollect, {700, 10, 10}},
      {"SetPauseBudget(1 ms)", Tool::kPauseBudget, {700, 10, 10}},
  };
  example::Table table({"setting", "ticks > 1 ms", "worst tick",
                        "longest pause", "collections", "left over",
                        "worst tick (wall)", "slow reports", "overruns"});
  std::vector<std::string> slow_reports, debug_stats;
  for (const auto& [name, tool, thresholds] : settings) {
    ReportLog log;
    const Result r = RunLoop(sizes, tool, thresholds, log);
    table.AddRow(
        {name, example::Count(r.over_budget), example::Millis(r.worst_tick),
         example::Millis(r.longest_pause) + " (g" +
             std::to_string(r.longest_pause_generation) + ")",
         example::PerGeneration(r.collections), example::Count(r.left_over),
         example::Millis(r.worst_tick_wall), example::Count(r.slow_reports),
         example::Count(r.overruns)});
    if (!log.first_slow.empty()) {
      slow_reports.push_back(std::string(name) + ":\n      " + log.first_slow);
    }
    if (tool == Tool::kDebugStats) debug_stats = log.full_collection;
  }
  example::PrintHeading("responsive_loop: " + example::Count(sizes.ticks) +
                        " ticks of 1 ms budget, world of " +
                        example::Count(sizes.world * 4) + " objects");
  table.Print();
  example::PrintNote(
      "ticks > 1 ms, worst tick, longest pause: in this thread's CPU time, "
      "which leaves out the time other processes had the core. Ticks run "
      "back to back; a tick excludes the idle Collect(0). left over: garbage "
      "the loop left, found by Unfreeze() + Collect() after it. worst tick "
      "(wall), and the slow reports, use the wall clock. overruns: pauses of "
      "the pause budget's rounds longer than 1 ms (wall clock). The first "
      "slow-collection report of each:");
  for (const std::string& line : slow_reports) {
    std::printf("    %s\n", line.c_str());
  }
  std::printf(
      "  kDebugStats lines of the first full collection in the loop:%s\n",
      debug_stats.empty() ? " (there was none)" : "");
  for (const std::string& line : debug_stats) {
    std::printf("    %s\n", line.c_str());
  }
  return 0;
}
