// Copyright 2026 The cyclegc Authors.
//
// File: bench/peer_main.h
// -----------------------------------------------------------------------------
//
// The command line and the report of every C++ peer program:
//
//   peer_xxx VARIANT WORKLOAD [N]
//
// runs one workload of bench/workloads.h once and prints one JSON line on
// stdout (the schema bench/report.py reads; bench/peer_cpython.py prints the
// same):
//
//   {"peer": ..., "workload": ..., "n": ..., "time_s": ..., "figure": ...,
//    "unit": ..., "peak_rss_kb": ..., "max_pause_ms": ..., "collections": ...,
//    "gc_total_ms": ..., "extra": {...}, "skipped": ...}
//
// `peak_rss_kb` is the process's VmHWM, read in-process after the workload.
// `max_pause_ms` is null when the peer has no collection hook.

#ifndef CYCLEGC_BENCH_PEER_MAIN_H_
#define CYCLEGC_BENCH_PEER_MAIN_H_

#include <malloc.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <string_view>

#include "bench/workloads.h"

namespace bench {

// Default sizes, when N is not given.
inline int64_t DefaultN(std::string_view workload) {
  if (workload == "binary_trees") return 16;
  if (workload == "graph_churn") return 1000000;
  if (workload == "acyclic") return 10000000;
  if (workload == "young") return 0;
  if (workload == "full_live" || workload == "full_live_shuffled" ||
      workload == "cycles") {
    return 1000000;
  }
  return 0;  // tree_churn, linked_lists: fixed shapes
}

// The workloads that have parent (or prev) pointers: the only ones a variant
// with weak back pointers runs (elsewhere it would be the strong program).
inline bool HasBackPointers(std::string_view workload) {
  return workload == "tree_churn" || workload == "binary_trees" ||
         workload == "linked_lists";
}

// Runs `workload` with policy `P`; an unknown name exits with status 2.
template <typename P>
Result RunWorkload(std::string_view workload, int64_t n) {
  if (workload == "tree_churn") return TreeChurn<P>();
  if (workload == "binary_trees") return BinaryTrees<P>(static_cast<int>(n));
  if (workload == "graph_churn") return GraphChurn<P>(n);
  if (workload == "linked_lists") return LinkedLists<P>();
  if (workload == "full_live") return FullLive<P>(n);
  if (workload == "full_live_shuffled") return FullLive<P>(n, true);
  if (workload == "cycles") return GarbageCycles<P>(n);
  if (workload == "young") return YoungNextToOld<P>(n);
  if (workload == "acyclic") return AcyclicChurn<P>(n);
  std::fprintf(stderr, "unknown workload '%.*s'\n",
               static_cast<int>(workload.size()), workload.data());
  std::exit(2);
}

// Peak resident set size of this process, in KiB (VmHWM).
inline int64_t PeakRssKb() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::atoll(line.c_str() + 6);
  }
  return -1;
}

// Bytes handed out by malloc and not yet freed.
inline int64_t MallocInUse() {
  struct mallinfo2 info = mallinfo2();
  return static_cast<int64_t>(info.uordblks + info.hblkhd);
}

struct Invocation {
  std::string variant;
  std::string workload;
  int64_t n = 0;
};

// Parses `VARIANT WORKLOAD [N]`; exits with a usage line otherwise.
inline Invocation ParseArgs(int argc, char** argv) {
  if (argc < 3 || argc > 4) {
    std::fprintf(stderr, "usage: %s VARIANT WORKLOAD [N]\n", argv[0]);
    std::exit(2);
  }
  Invocation invocation{argv[1], argv[2], 0};
  invocation.n =
      argc == 4 ? std::atoll(argv[3]) : DefaultN(invocation.workload);
  return invocation;
}

inline std::string JsonString(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

// Prints the JSON line. `has_pause_hook`: the peer reported its collections.
inline void PrintResult(const std::string& peer, const Invocation& invocation,
                        const Result& result, bool has_pause_hook) {
  const PauseLog& pauses = Pauses();
  std::printf("{\"peer\": %s, \"workload\": %s, \"n\": %lld",
              JsonString(peer).c_str(), JsonString(invocation.workload).c_str(),
              static_cast<long long>(invocation.n));
  if (!result.skipped.empty()) {
    std::printf(", \"skipped\": %s}\n", JsonString(result.skipped).c_str());
    return;
  }
  std::printf(", \"time_s\": %.9g, \"figure\": %.9g, \"unit\": %s",
              result.time_s, result.figure, JsonString(result.unit).c_str());
  std::printf(", \"peak_rss_kb\": %lld", static_cast<long long>(PeakRssKb()));
  if (has_pause_hook) {
    std::printf(
        ", \"max_pause_ms\": %.6g, \"collections\": %lld"
        ", \"gc_total_ms\": %.6g",
        pauses.max_ms, static_cast<long long>(pauses.collections),
        pauses.total_ms);
  } else {
    std::printf(", \"max_pause_ms\": null");
  }
  std::printf(", \"extra\": {");
  const char* separator = "";
  for (const auto& [key, value] : result.extra) {
    std::printf("%s%s: %.9g", separator, JsonString(key).c_str(), value);
    separator = ", ";
  }
  std::printf("}}\n");
}

// main() of a peer with a strong and a weak variant (VARIANT "weak" picks
// `Weak`): `run(policy, invocation)` runs the workload with the policy of
// `policy`'s type; the result is printed under the variant's peer name.
template <typename Strong, typename Weak, typename Run>
int StrongWeakMain(int argc, char** argv, const std::string& strong_name,
                   const std::string& weak_name, bool has_pause_hook, Run run) {
  const Invocation invocation = ParseArgs(argc, argv);
  const bool strong = invocation.variant != "weak";
  const Result result =
      strong ? run(Strong(), invocation) : run(Weak(), invocation);
  PrintResult(strong ? strong_name : weak_name, invocation, result,
              has_pause_hook);
  return 0;
}

}  // namespace bench

#endif  // CYCLEGC_BENCH_PEER_MAIN_H_
