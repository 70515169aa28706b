// Copyright 2026 The cyclegc Authors.
//
// Google Benchmark microbenchmarks of threads that cooperate (issue 18):
//
//   * a gc::Handle copied and dropped on a thread that does not own the
//     object's heap, beside a std::shared_ptr copied and dropped there
//     (target: the handle at most 1.2x the shared_ptr);
//   * gc::Isolate of a 100,000-node tree with parent pointers, and its Adopt
//     (target: Isolate at least 20 million objects per second; items/s).
//
//   bazel run -c opt //bench:cooperation_bench

#include <cstdint>
#include <future>
#include <memory>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "benchmark/benchmark.h"
#include "gc/gc.h"

namespace {

class Node : public gc::Object {
 public:
  void Trace(gc::Visitor& visitor) override {
    visitor.Visit(parent);
    for (gc::Ref<Node>& child : children) visitor.Visit(child);
  }
  gc::Ref<Node> parent;
  std::vector<gc::Ref<Node>> children;
};

struct Plain {
  int64_t value = 0;
};

// A heap owned by a helper thread, with one shared object: the benchmark's
// thread holds only a handle to it.
class RemoteObject {
 public:
  RemoteObject() {
    std::promise<gc::Handle<Node>> handle;
    std::future<gc::Handle<Node>> ready = handle.get_future();
    owner_ = std::thread([this, &handle] {
      gc::Heap heap;
      gc::HeapScope scope(heap);
      handle.set_value(gc::Share(gc::Make<Node>()));
      done_.get_future().wait();
      heap.DrainRemote();  // before the heap goes
    });
    handle_ = ready.get();
  }
  ~RemoteObject() {
    handle_.reset();
    done_.set_value();
    owner_.join();
  }
  const gc::Handle<Node>& handle() const { return handle_; }

 private:
  std::promise<void> done_;
  std::thread owner_;
  gc::Handle<Node> handle_;
};

void BM_HandleCopyDropOffOwner(benchmark::State& state) {
  RemoteObject remote;
  for (auto _ : state) {
    gc::Handle<Node> copy = remote.handle();
    benchmark::DoNotOptimize(copy);
  }
}
BENCHMARK(BM_HandleCopyDropOffOwner);

void BM_SharedPtrCopyDropOffOwner(benchmark::State& state) {
  std::shared_ptr<Plain> shared;
  std::thread([&shared] { shared = std::make_shared<Plain>(); }).join();
  for (auto _ : state) {
    std::shared_ptr<Plain> copy = shared;
    benchmark::DoNotOptimize(copy);
  }
}
BENCHMARK(BM_SharedPtrCopyDropOffOwner);

gc::Ref<Node> BuildTree(int nodes) {
  std::vector<gc::Ref<Node>> all;
  all.reserve(nodes);
  for (int i = 0; i < nodes; ++i) {
    all.push_back(gc::Make<Node>());
    if (i > 0) {
      all[i]->parent = all[(i - 1) / 2];
      all[(i - 1) / 2]->children.push_back(all[i]);
    }
  }
  return all[0];
}

// Isolates a tree of range(0) nodes and adopts it back, again and again;
// the Adopt is timed only if `time_adopt`.
void IsolateRounds(benchmark::State& state, bool time_adopt) {
  const int nodes = static_cast<int>(state.range(0));
  gc::Heap heap;
  gc::HeapScope scope(heap);
  gc::Ref<Node> root = BuildTree(nodes);
  for (auto _ : state) {
    absl::StatusOr<gc::Isolated<Node>> iso = gc::Isolate(std::move(root));
    if (!iso.ok()) state.SkipWithError("isolate failed");
    if (!time_adopt) state.PauseTiming();
    root = heap.Adopt(std::move(*iso));
    if (!time_adopt) state.ResumeTiming();
  }
  state.SetItemsProcessed(state.iterations() * nodes);
}

void BM_Isolate(benchmark::State& state) { IsolateRounds(state, false); }
BENCHMARK(BM_Isolate)->Arg(100000)->Unit(benchmark::kMillisecond);

void BM_IsolateAndAdopt(benchmark::State& state) { IsolateRounds(state, true); }
BENCHMARK(BM_IsolateAndAdopt)->Arg(100000)->Unit(benchmark::kMillisecond);

}  // namespace
