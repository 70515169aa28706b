// Copyright 2026 The cyclegc Authors.
//
// executor: threads that cooperate. A scheduler thread makes tasks (managed
// objects whose done-callbacks point back at the task and the scheduler:
// cycles); workers with their own heaps run them. Two ways (see
// examples/executor.h):
//   * handles: a worker gets a gc::Handle<Task> and plain inputs, and posts
//     the result back with the handle; only the scheduler opens it;
//   * moving: the scheduler builds each job's input graph, gc::Isolate()s it
//     and a worker Adopt()s it onto its heap; the job holds a gc::Handle to
//     the scheduler, never a Ref.
// Finished and cancelled tasks are cyclic garbage on the scheduler's heap,
// freed by its collector; the workers' trees, on theirs.
//
//   bazel run -c opt //examples:executor [-- --large]

#include "examples/executor.h"

#include <cstdint>
#include <cstdio>
#include <string>

#include "examples/example_util.h"
#include "gc/gc.h"

int main(int argc, char** argv) {
  bool large = false;
  example::ParseFlags(argc, argv, "executor: threads that cooperate.",
                      {{"--large", "10 times more tasks", &large}});
  const int64_t tasks = large ? 200000 : 20000;
  example::Table table({"way", "workers", "tasks", "finished", "cancelled",
                        "results", "freed by the scheduler's collector",
                        "time"});
  bool all_right = true;
  for (executor::Mode mode :
       {executor::Mode::kHandles, executor::Mode::kIsolate}) {
    for (int workers : {1, 2}) {
      executor::Options options;
      options.mode = mode;
      options.tasks = tasks;
      options.workers = workers;
      example::Stopwatch watch;
      const executor::Report report = executor::Run(options);
      const bool right = report.checksum == report.expected &&
                         report.finished + report.cancelled == tasks &&
                         report.pending_at_end == 0;
      all_right &= right;
      table.AddRow({mode == executor::Mode::kHandles ? "handles" : "isolate",
                    std::to_string(workers), example::Count(tasks),
                    example::Count(report.finished),
                    example::Count(report.cancelled),
                    right ? "all right" : "WRONG",
                    example::Count(report.scheduler_collected),
                    example::Millis(watch.Elapsed())});
    }
  }
  example::PrintHeading("executor: a scheduler thread, workers with heaps");
  table.Print();
  example::PrintNote(
      "handles: each worker gets a gc::Handle<Task> and the task's inputs; it "
      "builds and drops a 100-node tree with parent pointers on its own heap "
      "and posts the sum back with the handle, which only the scheduler can "
      "open. isolate: the scheduler builds the tree, gc::Isolate()s the job "
      "and the worker Adopt()s it. Either way the finished and cancelled "
      "tasks (each in a cycle with its done-callback) are freed by the "
      "scheduler's collector, and every destructor runs on the thread that "
      "owns the object's heap.");
  gc::Heap::Current().Collect();
  std::printf("\nlive objects on the scheduler's heap at the end: %lld\n",
              static_cast<long long>(gc::Heap::Current().LiveObjects()));
  return all_right ? 0 : 1;
}
