// Copyright 2026 The cyclegc Authors.
//
// thread_pool: one heap per thread. A heap and its objects belong to one
// thread, and gc::Ref counts without atomics, so a multi-threaded program
// gives each worker its own gc::Heap, installs it with gc::HeapScope for the
// worker's lifetime, and lets only plain values cross threads. Here each job
// builds an expression tree whose nodes point at their parents (a cycle per
// edge, as in an AST), evaluates it, drops it, and returns a plain int64_t
// through a std::future. Managed objects never cross heaps in this example:
// the job's input and its result are plain integers; every gc::Ref is made,
// used and dropped on the worker that runs the job. (Crossing them is an
// error: a heap with gc::kDebugVerify reports an object that references an
// object of another heap.)
//
//   bazel run -c opt //examples:thread_pool [-- --large]

#include <algorithm>
#include <array>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <functional>
#include <future>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_format.h"
#include "examples/example_util.h"
#include "gc/gc.h"

namespace {

// An expression node: a number, or the sum of its operands.
class Expr : public gc::Object {
 public:
  explicit Expr(int64_t value) : value(value) {}
  void Trace(gc::Visitor& visitor) override {
    visitor.Visit(parent);
    for (gc::Ref<Expr>& operand : operands) visitor.Visit(operand);
  }
  int64_t value;
  gc::Ref<Expr> parent;  // strong, as in many ASTs: cycles everywhere
  std::vector<gc::Ref<Expr>> operands;
};

// The job: a sum of `terms` numbers 1..terms, grouped 10 to a node, in a tree
// built and evaluated bottom-up without recursion. Returns the sum.
int64_t SumJob(int64_t terms) {
  std::vector<gc::Ref<Expr>> level;
  for (int64_t i = 1; i <= terms; ++i) level.push_back(gc::Make<Expr>(i));
  while (level.size() > 1) {
    std::vector<gc::Ref<Expr>> up;
    for (size_t i = 0; i < level.size(); i += 10) {
      gc::Ref<Expr> sum = gc::Make<Expr>(0);
      for (size_t j = i; j < level.size() && j < i + 10; ++j) {
        level[j]->parent = sum;
        sum->value += level[j]->value;
        sum->operands.push_back(level[j]);
      }
      up.push_back(sum);
    }
    level = std::move(up);
  }
  return level[0]->value;  // the tree is garbage once `level` goes
}

// What a worker's heap did, reported when the worker stops.
struct WorkerStats {
  int64_t jobs = 0;
  std::array<gc::GenerationStats, 3> stats;
  absl::Duration gc_time;  // CPU time in collections
  int64_t found_at_exit = 0;
};

class ThreadPool {
 public:
  explicit ThreadPool(int threads) : stats_(threads) {
    for (int i = 0; i < threads; ++i) {
      workers_.emplace_back([this, i] { Work(stats_[i]); });
    }
  }
  // Stops the workers once the queue is empty. Their stats stay readable.
  void Join() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    for (std::thread& worker : workers_) worker.join();
  }
  std::future<int64_t> Submit(std::function<int64_t()> job) {
    std::packaged_task<int64_t()> task(std::move(job));
    std::future<int64_t> result = task.get_future();
    {
      std::lock_guard<std::mutex> lock(mutex_);
      queue_.push_back(std::move(task));
    }
    wake_.notify_one();
    return result;
  }
  const std::vector<WorkerStats>& stats() const { return stats_; }

 private:
  // [START worker]
  void Work(WorkerStats& out) {
    gc::Heap heap;  // this worker's heap, for its whole life
    {
      gc::HeapScope scope(heap);
      example::CollectionCpuTimer gc_time(heap);
      for (;;) {
        std::packaged_task<int64_t()> task = Next();
        if (!task.valid()) break;  // stopping, and the queue is empty
        task();                    // gc::Make in the job allocates on `heap`
        ++out.jobs;
      }
      out.gc_time = gc_time.total();
      out.stats = heap.GetStats();
      out.found_at_exit = heap.Collect();
    }
  }  // the heap goes after its scope; it is empty by now
  // [END worker]
  std::packaged_task<int64_t()> Next() {
    std::unique_lock<std::mutex> lock(mutex_);
    wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return {};
    std::packaged_task<int64_t()> task = std::move(queue_.front());
    queue_.pop_front();
    return task;
  }

  std::vector<WorkerStats> stats_;
  std::vector<std::thread> workers_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::packaged_task<int64_t()>> queue_;
  bool stopping_ = false;
};

}  // namespace

int main(int argc, char** argv) {
  bool large = false;
  example::ParseFlags(argc, argv, "thread_pool: one heap per thread.",
                      {{"--large", "10 times more jobs", &large}});
  // As many workers as cores: a collection's time then is its own.
  const int threads =
      static_cast<int>(std::clamp(std::thread::hardware_concurrency(), 2u, 8u));
  const int64_t jobs = large ? 4000 : 400;
  example::Stopwatch watch;
  ThreadPool pool(threads);
  std::vector<std::future<int64_t>> results;
  std::vector<int64_t> terms;
  for (int64_t i = 0; i < jobs; ++i) {
    terms.push_back(1000 + i % 7 * 1000);  // 1,000 to 7,000 numbers
    results.push_back(pool.Submit([n = terms.back()] { return SumJob(n); }));
  }
  int64_t wrong = 0;
  for (int64_t i = 0; i < jobs; ++i) {
    if (results[i].get() != terms[i] * (terms[i] + 1) / 2) ++wrong;
  }
  pool.Join();
  const absl::Duration wall = watch.Elapsed();

  example::Table table({"worker", "jobs", "collections", "collected",
                        "examined", "gc time", "found at exit"});
  for (size_t i = 0; i < pool.stats().size(); ++i) {
    const WorkerStats& w = pool.stats()[i];
    table.AddRow(
        {"thread " + std::to_string(i), example::Count(w.jobs),
         example::PerGeneration(w.stats, &gc::GenerationStats::collections),
         example::PerGeneration(w.stats, &gc::GenerationStats::collected),
         example::PerGeneration(w.stats, &gc::GenerationStats::candidates),
         example::Millis(w.gc_time), example::Count(w.found_at_exit)});
  }
  example::PrintHeading("thread_pool: " + std::to_string(threads) +
                        " workers, one gc::Heap each");
  table.Print();
  example::PrintNote(absl::StrFormat(
      "%s jobs in %s (wall clock); %s results wrong. Per generation: g0 / g1 "
      "/ g2. gc time: the worker's CPU time in collections. found at exit: "
      "garbage a last full Collect() found on that worker.",
      example::Count(jobs), example::Millis(wall), example::Count(wrong)));
  return wrong == 0 ? 0 : 1;
}
