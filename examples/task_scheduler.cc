// Copyright 2026 The cyclegc Authors.
//
// task_scheduler: cancelled tasks and their memory. A WorkScheduler registers
// every Task it creates, and each Task holds a done-callback bound to the
// scheduler, like an asyncio Task whose done-callback is a bound method of
// its loop: scheduler -> task -> callback -> scheduler is a cycle.
//
// Four runs over the same number of tasks, each in a child process of its
// own (so its peak memory is its own):
//   * cancel each: cancel every task right after creating it;
//   * cancel batch: create all of them, then cancel them in one batch;
//   * never cancel: create them and drop the handles; they stay registered;
//   * do nothing: the same loop without tasks (the baseline).
// Afterwards the scheduler is dropped and a full collection runs. Cancelling
// unregisters a task and drops its callback, so reference counting frees it
// the moment its handle goes: no collection, nobody waiting for it.
//
//   bazel run -c opt //examples:task_scheduler [-- --large]

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "examples/example_util.h"
#include "gc/gc.h"

namespace {

class Task;
class WorkScheduler;

// [START done_callback]
// A done-callback bound to its scheduler, like a Python bound method. It is a
// gc::Function, whose Refs the task's Trace reports: a std::function
// capturing a gc::Ref would hide the edge to the scheduler, and the cycle
// through it could never be collected.
using DoneCallback = gc::Function<void(Task&)>;

class Task : public gc::Object {
 public:
  explicit Task(int64_t id) : id_(id) {}
  int64_t id() const { return id_; }

  // As asyncio does: the task is done; run its done-callback, then drop it.
  void Cancel() {
    if (DoneCallback callback = std::move(on_done_)) callback(*this);
  }
  void SetDoneCallback(DoneCallback callback) {
    on_done_ = std::move(callback);
  }
  void Trace(gc::Visitor& visitor) override { visitor.Visit(on_done_); }

 private:
  int64_t id_;
  DoneCallback on_done_;  // holds a Ref to the scheduler
  std::array<char, 256> frame_{};  // stands in for a coroutine frame
};
// [END done_callback]

// [START scheduler]
class WorkScheduler : public gc::Object {
 public:
  gc::Ref<Task> CreateTask() {
    gc::Ref<Task> task = gc::Make<Task>(next_id_++);
    task->SetDoneCallback(
        DoneCallback(&WorkScheduler::Forget, gc::Ref<WorkScheduler>(this)));
    tasks_.emplace(task->id(), task);
    return task;
  }
  // Visits the map's values, the tasks.
  void Trace(gc::Visitor& visitor) override { visitor.Visit(tasks_); }

 private:
  void Forget(Task& task) { tasks_.erase(task.id()); }

  int64_t next_id_ = 0;
  absl::flat_hash_map<int64_t, gc::Ref<Task>> tasks_;
};
// [END scheduler]

enum class Mode { kCancelEach, kCancelBatch, kNeverCancel, kNothing };

struct Result {
  absl::Duration time, gc_time;  // the loop, up to dropping the scheduler
  int64_t max_alive;  // managed objects alive after each task, at most
  int64_t peak_heap_bytes;
  int64_t peak_rss;
  std::array<gc::GenerationStats, 3> stats;  // automatic collections
  std::array<int64_t, 3> count_before, count_after;
  int64_t objects_before, objects_after;
  int64_t heap_bytes_before, heap_bytes_after;
  int64_t found;
  absl::Duration collect_time;
};

Result Run(Mode mode, int64_t tasks) {
  example::CountingAllocator allocator;  // outlives the heap's objects
  gc::Heap heap;
  gc::HeapScope scope(heap);
  if (!heap.SetAllocator(&allocator).ok()) std::abort();
  example::CollectionCpuTimer gc_time(heap);
  Result r{};
  example::CpuStopwatch watch;
  gc::Ref<WorkScheduler> scheduler = gc::Make<WorkScheduler>();
  std::vector<gc::Ref<Task>> batch;
  for (int64_t i = 0; i < tasks; ++i) {
    if (mode == Mode::kCancelEach) {
      scheduler->CreateTask()->Cancel();  // and the handle is dropped
    } else if (mode == Mode::kCancelBatch) {
      batch.push_back(scheduler->CreateTask());
    } else if (mode == Mode::kNeverCancel) {
      scheduler->CreateTask();  // registered until the scheduler goes
    }
    r.max_alive = std::max(r.max_alive, heap.LiveObjects());
  }
  for (gc::Ref<Task>& task : batch) task->Cancel();
  batch = {};
  scheduler.reset();
  r.time = watch.Elapsed();
  r.gc_time = gc_time.total();

  r.stats = heap.GetStats();
  r.count_before = heap.GetCount();
  r.objects_before = heap.LiveObjects();
  r.heap_bytes_before = allocator.live_bytes();
  example::CpuStopwatch collect_watch;
  r.found = heap.Collect();
  r.collect_time = collect_watch.Elapsed();
  r.count_after = heap.GetCount();
  r.objects_after = heap.LiveObjects();
  r.heap_bytes_after = allocator.live_bytes();
  r.peak_heap_bytes = allocator.peak_live_bytes();
  r.peak_rss = example::PeakResidentBytes();
  return r;
}

void RunAll(int64_t tasks) {
  constexpr std::pair<Mode, const char*> kModes[] = {
      {Mode::kCancelEach, "cancel each"},
      {Mode::kCancelBatch, "cancel batch"},
      {Mode::kNeverCancel, "never cancel"},
      {Mode::kNothing, "do nothing"},
  };
  example::Table run({"mode", "time", "collections", "gc time", "max alive",
                      "peak heap", "peak RSS"});
  example::Table after({"mode", "count before", "objects", "heap",
                        "Collect() found", "in", "count after", "objects",
                        "final heap"});
  for (const auto& [mode, name] : kModes) {
    const Result r = example::InChildProcess<Result>(
        [mode = mode, tasks] { return Run(mode, tasks); });
    run.AddRow(
        {name, example::Millis(r.time),
         example::PerGeneration(r.stats, &gc::GenerationStats::collections),
         example::Millis(r.gc_time), example::Count(r.max_alive),
         example::Bytes(r.peak_heap_bytes), example::Bytes(r.peak_rss)});
    after.AddRow(
        {name, example::PerGeneration(r.count_before),
         example::Count(r.objects_before), example::Bytes(r.heap_bytes_before),
         example::Count(r.found), example::Millis(r.collect_time),
         example::PerGeneration(r.count_after), example::Count(r.objects_after),
         example::Bytes(r.heap_bytes_after)});
  }
  example::PrintHeading("task_scheduler: " + example::Count(tasks) + " tasks");
  std::printf("  The run (collections: automatic ones, g0 / g1 / g2):\n");
  run.Print();
  example::PrintNote(
      "After dropping the scheduler, before and after a full collection "
      "(count: the generation counts; objects: managed objects alive):");
  after.Print();
}

}  // namespace

int main(int argc, char** argv) {
  bool large = false;
  example::ParseFlags(argc, argv,
                      "task_scheduler: cancelled tasks and their memory.",
                      {{"--large", "also run 1,000,000 tasks", &large}});
  RunAll(100'000);
  if (large) RunAll(1'000'000);
  example::PrintNote(
      "Times are CPU time. max alive: managed objects alive between two "
      "tasks, at most. heap: managed objects, by the heap's allocator. peak "
      "RSS: the child process that ran the mode (the program itself "
      "included).");
  return 0;
}
