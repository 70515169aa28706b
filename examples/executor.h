// Copyright 2026 The cyclegc Authors.
//
// File: examples/executor.h
// -----------------------------------------------------------------------------
//
// An executor in the style of Python's `concurrent.futures`, on cyclegc, in
// the two ways threads can cooperate (include/gc/handle.h, gc/isolate.h).
// Shared by examples/executor.cc (the tour) and bench/executor_bench.cc.
//
// The scheduler thread owns its heap. It makes tasks: managed objects with
// done-callbacks, and each callback points back at its task and at the
// scheduler (cycles, as with futures whose callbacks capture the future).
// Workers, each with its own heap, run the tasks: a task's work builds a
// tree of `nodes` nodes with parent pointers (cycles again) on the worker's
// heap, sums it and drops it. Some tasks are cancelled after they were
// handed out.
//
//   * Handles (Mode::kHandles): the scheduler hands each worker a
//     `gc::Handle<Task>` and the task's inputs as plain values. A worker
//     cannot open the handle (not its heap); it posts the result back with
//     the handle, and the scheduler opens it, runs the callbacks and drops
//     the task. Finished and cancelled tasks are cyclic garbage on the
//     scheduler's heap, which its collector frees.
//   * Moving (Mode::kIsolate): the scheduler builds each job's input tree on
//     its heap, `gc::Isolate`s the job (tree included) and hands the
//     `gc::Isolated` to a worker, which `Adopt`s it onto its heap, sums the
//     tree and drops the graph there (its collector frees the cycles; the
//     memory goes back to the scheduler's heap). The job holds a
//     `gc::Handle` to the scheduler, not a `gc::Ref`: with a `Ref` the graph
//     would reach the scheduler and could never be isolated.
//
// What cannot be collected: a cycle that runs through handles between heaps
// (a scheduler holding a handle to a worker's object that holds a handle
// back). Here handles point one way only.

#ifndef CYCLEGC_EXAMPLES_EXECUTOR_H_
#define CYCLEGC_EXAMPLES_EXECUTOR_H_

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "gc/gc.h"

namespace executor {

// A queue between threads; Pop returns nothing once closed and empty.
template <typename T>
class Channel {
 public:
  void Push(T item) {
    bool was_empty;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      was_empty = items_.empty();
      items_.push_back(std::move(item));
    }
    if (was_empty) ready_.notify_all();  // only then can anyone wait
  }
  // Everything queued (waits for at least one item; empty once closed).
  std::deque<T> PopAll() {
    std::unique_lock<std::mutex> lock(mutex_);
    ready_.wait(lock, [this] { return closed_ || !items_.empty(); });
    return std::exchange(items_, {});
  }
  std::optional<T> Pop() {
    std::unique_lock<std::mutex> lock(mutex_);
    ready_.wait(lock, [this] { return closed_ || !items_.empty(); });
    if (items_.empty()) return std::nullopt;
    T item = std::move(items_.front());
    items_.pop_front();
    return item;
  }
  void Close() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      closed_ = true;
    }
    ready_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<T> items_;
  bool closed_ = false;
};

// A tree node with a parent pointer (a cycle per edge).
class Node : public gc::Object {
 public:
  explicit Node(int64_t v) : value(v) {}
  void Trace(gc::Visitor& visitor) override {
    visitor.Visit(parent);
    for (gc::Ref<Node>& child : children) visitor.Visit(child);
  }
  int64_t value;
  gc::Ref<Node> parent;
  std::vector<gc::Ref<Node>> children;
};

// A binary tree of `nodes` nodes with values seed, seed + 1, ...
inline gc::Ref<Node> BuildTree(int64_t seed, int nodes) {
  std::vector<gc::Ref<Node>> all;
  all.reserve(nodes);
  for (int i = 0; i < nodes; ++i) {
    all.push_back(gc::Make<Node>(seed + i));
    if (i > 0) {
      all[i]->parent = all[(i - 1) / 2];
      all[(i - 1) / 2]->children.push_back(all[i]);
    }
  }
  return all[0];
}

// Sums a tree without recursion.
inline int64_t SumTree(const gc::Ref<Node>& root) {
  int64_t sum = 0;
  std::vector<Node*> stack{root.get()};
  while (!stack.empty()) {
    Node* node = stack.back();
    stack.pop_back();
    sum += node->value;
    for (const gc::Ref<Node>& child : node->children) {
      stack.push_back(child.get());
    }
  }
  return sum;
}

inline int64_t ExpectedSum(int64_t seed, int nodes) {
  return nodes * seed + int64_t{nodes} * (nodes - 1) / 2;
}

class Scheduler;

// A task, as the scheduler sees it.
class Task : public gc::Object {
 public:
  Task(int64_t id, int64_t seed) : id(id), seed(seed) {}
  void Trace(gc::Visitor& visitor) override {
    for (gc::Ref<gc::Object>& callback : callbacks) visitor.Visit(callback);
  }
  int64_t id;
  int64_t seed;
  int64_t result = 0;
  bool cancelled = false;
  std::vector<gc::Ref<gc::Object>> callbacks;  // DoneCallbacks
};

// Runs when its task is done; holds its task and the scheduler.
class DoneCallback : public gc::Object {
 public:
  void Trace(gc::Visitor& visitor) override {
    visitor.Visit(task);
    visitor.Visit(scheduler);
  }
  void Run();
  gc::Ref<Task> task;  // back to its task: a cycle
  gc::Ref<Scheduler> scheduler;
};

class Scheduler : public gc::Object {
 public:
  void Trace(gc::Visitor& visitor) override {
    for (auto& [id, task] : pending) visitor.Visit(task);
  }
  void OnDone(Task& task) {
    pending.erase(task.id);
    ++finished;
    checksum += task.result;
  }
  std::unordered_map<int64_t, gc::Ref<Task>> pending;
  int64_t finished = 0;
  int64_t checksum = 0;
};

inline void DoneCallback::Run() { scheduler->OnDone(*task); }

// The Mode::kIsolate job: its input tree and a handle to the scheduler.
class Job : public gc::Object {
 public:
  Job(int64_t id, gc::Handle<Scheduler> scheduler)
      : id(id), scheduler(std::move(scheduler)) {}
  void Trace(gc::Visitor& visitor) override { visitor.Visit(input); }
  int64_t id;
  gc::Handle<Scheduler> scheduler;  // not a Ref: the job must be isolable
  gc::Ref<Node> input;
};

enum class Mode { kHandles, kIsolate };

struct Options {
  Mode mode = Mode::kHandles;
  int64_t tasks = 10000;
  int workers = 2;
  int nodes = 100;        // per task's tree
  int cancel_every = 10;  // every n-th task is cancelled (0: none)
  int64_t window = 256;   // tasks in flight at most
  // Called on the scheduler thread after each `every` tasks are done.
  int64_t every = 0;
  std::function<void(int64_t done)> progress;
};

struct Report {
  int64_t finished = 0;             // tasks whose callbacks ran
  int64_t cancelled = 0;            // tasks cancelled
  int64_t checksum = 0;             // sum of the finished tasks' results
  int64_t expected = 0;             // what the checksum must be
  int64_t scheduler_collected = 0;  // objects its collector freed
  int64_t pending_at_end = 0;
  int64_t handles_released_late = 0;  // by the scheduler's last drain
};

// Runs the executor on this thread (the scheduler, with this thread's
// current heap) and `options.workers` worker threads.
inline Report Run(const Options& options) {
  struct Work {                            // to a worker
    gc::Handle<Task> task;                 // kHandles
    std::unique_ptr<gc::Isolated<Job>> job;  // kIsolate
    int64_t seed = 0;
  };
  struct Done {  // back to the scheduler
    gc::Handle<Task> task;
    gc::Handle<Scheduler> scheduler;
    int64_t id = 0;
    int64_t result = 0;
  };
  Channel<Work> work;
  Channel<Done> done;
  std::vector<std::thread> workers;
  for (int w = 0; w < options.workers; ++w) {
    workers.emplace_back([&work, &done, &options] {
      gc::Heap heap;  // this worker's heap
      gc::HeapScope scope(heap);
      while (std::optional<Work> item = work.Pop()) {
        if (item->job != nullptr) {
          gc::Ref<Job> job = heap.Adopt(std::move(*item->job));
          done.Push({nullptr, job->scheduler, job->id, SumTree(job->input)});
        } else {  // build and drop a tree on this heap
          const int64_t sum = SumTree(BuildTree(item->seed, options.nodes));
          done.Push({std::move(item->task), nullptr, 0, sum});
        }
      }
    });
  }

  gc::Heap& heap = gc::Heap::Current();
  const int64_t collected_before = heap.GetStats()[0].collected +
                                   heap.GetStats()[1].collected +
                                   heap.GetStats()[2].collected;
  gc::Ref<Scheduler> scheduler = gc::Make<Scheduler>();
  const gc::Handle<Scheduler> scheduler_handle = gc::Share(scheduler);
  Report report;
  int64_t submitted = 0;
  int64_t completed = 0;  // results back, cancelled ones included
  auto submit = [&] {
    const int64_t id = submitted++;
    const int64_t seed = id * 7;
    gc::Ref<Task> task = gc::Make<Task>(id, seed);
    gc::Ref<DoneCallback> callback = gc::Make<DoneCallback>();
    callback->task = task;
    callback->scheduler = scheduler;
    task->callbacks.push_back(std::move(callback));
    scheduler->pending.emplace(id, task);
    Work item;
    if (options.mode == Mode::kIsolate) {
      gc::Ref<Job> job = gc::Make<Job>(id, scheduler_handle);
      job->input = BuildTree(seed, options.nodes);
      absl::StatusOr<gc::Isolated<Job>> isolated = gc::Isolate(std::move(job));
      if (!isolated.ok()) std::abort();  // nothing else references the job
      item.job = std::make_unique<gc::Isolated<Job>>(std::move(*isolated));
    } else {
      item.task = gc::Share(task);
      item.seed = seed;
    }
    work.Push(std::move(item));
    if (options.cancel_every > 0 && id % options.cancel_every == 0) {
      task->cancelled = true;  // handed out already: its result is ignored
      scheduler->pending.erase(id);
      ++report.cancelled;
    } else {
      report.expected += ExpectedSum(seed, options.nodes);
    }
  };
  while (completed < options.tasks) {
    while (submitted < options.tasks &&
           submitted - completed < options.window) {
      submit();
    }
    for (Done& result : done.PopAll()) {
      ++completed;
      gc::Ref<Task> task;
      if (result.task) {
        task = result.task.Get();  // this thread owns the task's heap
      } else {
        if (result.scheduler.Get() != scheduler) std::abort();
        auto it = scheduler->pending.find(result.id);  // cancelled: gone
        if (it != scheduler->pending.end()) task = it->second;
      }
      // The handles' last copies die here, on the owner.
      result.task.reset();
      result.scheduler.reset();
      if (task != nullptr && !task->cancelled) {
        task->result = result.result;
        for (gc::Ref<gc::Object>& callback : task->callbacks) {
          gc::StaticRefCast<DoneCallback>(callback)->Run();
        }
      }
      if (options.progress && options.every > 0 &&
          completed % options.every == 0) {
        options.progress(completed);
      }
    }
  }
  work.Close();
  for (std::thread& worker : workers) worker.join();
  report.handles_released_late = heap.DrainRemote();
  report.finished = scheduler->finished;
  report.checksum = scheduler->checksum;
  report.pending_at_end = static_cast<int64_t>(scheduler->pending.size());
  scheduler.reset();
  heap.Collect();
  report.scheduler_collected = heap.GetStats()[0].collected +
                               heap.GetStats()[1].collected +
                               heap.GetStats()[2].collected - collected_before;
  return report;
}

}  // namespace executor

#endif  // CYCLEGC_EXAMPLES_EXECUTOR_H_
