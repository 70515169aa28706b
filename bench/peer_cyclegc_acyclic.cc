// Copyright 2026 The cyclegc Authors.
//
// peer_cyclegc's acyclic variant, in a translation unit of its own (see
// bench/cyclegc_run.h).

#include "bench/cyclegc_policy.h"
#include "bench/cyclegc_run.h"

namespace bench {

Result RunCycleGcAcyclic(const Invocation& invocation) {
  return RunCycleGc<CycleGcAcyclicPolicy>(invocation);
}

}  // namespace bench
