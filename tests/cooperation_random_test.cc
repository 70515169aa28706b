// Copyright 2026 The cyclegc Authors.
//
// Random programs over several heaps, each owned by its own thread, checked
// against a simple oracle after every step: objects linked within a heap,
// handles made on the owner and dropped on any thread (released when the
// owner drains or collects), graphs isolated and adopted by other heaps. The
// oracle models reference counts exactly (automatic collection is off), so
// every heap's LiveObjects() must match it after each step, and every
// Isolate must succeed or fail exactly when the oracle says.

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "gc/gc.h"
#include "gtest/gtest.h"

namespace {

class Obj : public gc::Object {
 public:
  explicit Obj(int id) : id(id) {}
  void Trace(gc::Visitor& visitor) override {
    for (gc::Ref<Obj>& child : children) visitor.Visit(child);
  }
  int id;
  std::vector<gc::Ref<Obj>> children;
};

// A thread that runs what it is given, one call at a time, and waits.
class Runner {
 public:
  Runner() : thread_([this] { Loop(); }) {}
  ~Runner() {
    Run(nullptr);
    thread_.join();
  }
  // Runs `fn` on this runner's thread and returns when it is done (a null
  // `fn` stops the thread).
  void Run(std::function<void()> fn) {
    std::unique_lock<std::mutex> lock(mutex_);
    job_ = std::move(fn);
    pending_ = true;
    cv_.notify_all();
    cv_.wait(lock, [this] { return !pending_; });
  }

 private:
  void Loop() {
    for (;;) {
      std::unique_lock<std::mutex> lock(mutex_);
      cv_.wait(lock, [this] { return pending_; });
      std::function<void()> job = std::move(job_);
      if (job) job();
      pending_ = false;
      cv_.notify_all();
      if (!job) return;
    }
  }
  std::mutex mutex_;
  std::condition_variable cv_;
  std::function<void()> job_;
  bool pending_ = false;
  std::thread thread_;
};

// The oracle's object.
struct Model {
  int heap = 0;
  int roots = 0;                // 0 or 1: its heap's root table holds it
  int handles = 0;              // handle blocks holding it, not released
  std::multiset<int> children;  // edges
  int in = 0;                   // edges into it from existing objects
  int Count() const { return roots + handles + in; }
};

class Program {
 public:
  static constexpr int kHeaps = 3;

  explicit Program(uint32_t seed) : random_(seed) {
    for (int h = 0; h < kHeaps; ++h) {
      runners_[h].Run([this, h] {
        heaps_[h] = std::make_unique<gc::Heap>();
        heaps_[h]->Disable();  // the oracle predicts every death
        heaps_[h]->SetErrorReporter([](std::string_view) {});
        heaps_[h]->SetReportSink([](std::string_view) {});
        scopes_[h] = std::make_unique<gc::HeapScope>(*heaps_[h]);
      });
    }
  }
  ~Program() {
    for (int h = 0; h < kHeaps; ++h) {
      runners_[h].Run([this, h] { roots_[h].clear(); });
    }
    handles_.clear();
    for (int h = 0; h < kHeaps; ++h) {
      runners_[h].Run([this, h] {
        scopes_[h].reset();
        heaps_[h].reset();
      });
    }
  }

  void Step();
  void CheckLive();
  int isolated = 0;
  int refused = 0;

 private:
  int Pick(int n) {
    return std::uniform_int_distribution<int>(0, n - 1)(random_);
  }
  // A root of heap h, or -1.
  int PickRoot(int h) {
    std::vector<int> ids;
    for (auto& [id, m] : model_) {
      if (m.heap == h && m.roots > 0) ids.push_back(id);
    }
    return ids.empty() ? -1 : ids[Pick(static_cast<int>(ids.size()))];
  }
  void Lower(int id);  // one reference to `id` went
  void Free(int id);
  std::set<int> Reach(int from) const;
  bool Isolable(int root) const;
  void CollectModel(int h);
  void ReleasePending(int h);

  std::mt19937 random_;
  Runner runners_[kHeaps];
  std::unique_ptr<gc::Heap> heaps_[kHeaps];
  std::unique_ptr<gc::HeapScope> scopes_[kHeaps];  // on each heap's thread
  std::map<int, gc::Ref<Obj>> roots_[kHeaps];      // used on its heap's thread
  struct HandleSlot {
    gc::Handle<Obj> handle;
    int object;
    int holder;  // the thread that holds it
  };
  std::vector<HandleSlot> handles_;
  std::map<int, Model> model_;
  std::vector<int> pending_[kHeaps];  // handle releases queued on heap h
  int next_id_ = 0;
};

void Program::Free(int id) {
  Model m = std::move(model_.at(id));
  model_.erase(id);
  for (int child : m.children) {
    if (model_.count(child) != 0) {
      --model_[child].in;
      Lower(child);
    }
  }
}

void Program::Lower(int id) {
  if (model_.count(id) != 0 && model_[id].Count() == 0) Free(id);
}

std::set<int> Program::Reach(int from) const {
  std::set<int> seen{from};
  std::vector<int> stack{from};
  while (!stack.empty()) {
    const int id = stack.back();
    stack.pop_back();
    for (int child : model_.at(id).children) {
      if (seen.insert(child).second) stack.push_back(child);
    }
  }
  return seen;
}

bool Program::Isolable(int root) const {
  const std::set<int> graph = Reach(root);
  std::map<int, int> inside;
  for (int id : graph) {
    for (int child : model_.at(id).children) ++inside[child];
  }
  for (int id : graph) {
    const Model& m = model_.at(id);
    if (m.heap != model_.at(root).heap) return false;
    if (m.Count() != inside[id] + (id == root ? 1 : 0)) return false;
  }
  return true;
}

void Program::ReleasePending(int h) {
  std::vector<int> ids = std::move(pending_[h]);
  pending_[h].clear();
  for (int id : ids) {
    --model_.at(id).handles;
    Lower(id);
  }
}

void Program::CollectModel(int h) {
  ReleasePending(h);
  std::set<int> live;
  for (auto& [id, m] : model_) {
    if (m.heap == h && (m.roots > 0 || m.handles > 0)) {
      for (int r : Reach(id)) live.insert(r);
    }
  }
  std::vector<int> garbage;
  for (auto& [id, m] : model_) {
    if (m.heap == h && live.count(id) == 0) garbage.push_back(id);
  }
  for (int id : garbage) {  // their edges into live objects go
    for (int child : model_.at(id).children) {
      if (live.count(child) != 0) --model_.at(child).in;
    }
  }
  for (int id : garbage) model_.erase(id);
}

void Program::Step() {
  const int h = Pick(kHeaps);
  gc::Heap& heap = *heaps_[h];
  switch (Pick(9)) {
    case 0:
    case 1: {  // make a root
      const int id = next_id_++;
      Model& model = model_[id];
      model.heap = h;
      model.roots = 1;
      runners_[h].Run([&, id] { roots_[h][id] = gc::Make<Obj>(id); });
      break;
    }
    case 2: {  // link two roots of one heap
      const int a = PickRoot(h), b = PickRoot(h);
      if (a < 0) break;
      model_[a].children.insert(b);
      ++model_[b].in;
      runners_[h].Run(
          [&, a, b] { roots_[h][a]->children.push_back(roots_[h][b]); });
      break;
    }
    case 3: {  // drop a root
      const int a = PickRoot(h);
      if (a < 0) break;
      runners_[h].Run([&, a] { roots_[h].erase(a); });
      model_[a].roots = 0;
      Lower(a);
      break;
    }
    case 4: {  // share a root; some other thread holds the handle
      const int a = PickRoot(h);
      if (a < 0) break;
      ++model_[a].handles;
      gc::Handle<Obj> handle;
      runners_[h].Run([&, a] { handle = gc::Share(roots_[h][a]); });
      handles_.push_back({std::move(handle), a, Pick(kHeaps)});
      break;
    }
    case 5: {  // a handle is copied and dropped on another thread; or its
               // last copy dropped by its holder
      if (handles_.empty()) break;
      const size_t i =
          static_cast<size_t>(Pick(static_cast<int>(handles_.size())));
      HandleSlot slot = std::move(handles_[i]);
      handles_.erase(handles_.begin() + i);
      const int owner = model_.at(slot.object).heap;
      runners_[slot.holder].Run([&slot, owner] {
        gc::Handle<Obj> copy = slot.handle;
        EXPECT_EQ(copy.IsLocal(), slot.holder == owner);
        slot.handle.reset();
      });
      if (slot.holder == owner) {
        --model_.at(slot.object).handles;  // released at once
        Lower(slot.object);
      } else {
        pending_[owner].push_back(slot.object);
      }
      break;
    }
    case 6: {  // isolate a root's graph and adopt it elsewhere
      const int a = PickRoot(h);
      if (a < 0) break;
      const int to = Pick(kHeaps);
      const bool expect = Isolable(a);
      std::optional<gc::Isolated<Obj>> graph;
      bool ok = false;
      runners_[h].Run([&, a] {
        absl::StatusOr<gc::Isolated<Obj>> iso =
            gc::Isolate(std::move(roots_[h][a]));
        ok = iso.ok();
        if (ok) {
          roots_[h].erase(a);
          graph.emplace(std::move(*iso));
        } else {
          EXPECT_NE(roots_[h][a], nullptr);
        }
      });
      ASSERT_EQ(ok, expect) << "isolating object " << a;
      if (!ok) {
        ++refused;
        break;
      }
      ++isolated;
      for (int id : Reach(a)) model_[id].heap = to;
      const bool drop = Pick(4) == 0;  // dropped: adopted by `to`, root goes
      runners_[to].Run([&, a, drop] {
        if (drop) {
          graph.reset();
        } else {
          roots_[to][a] = heaps_[to]->Adopt(std::move(*graph));
        }
      });
      if (drop) {
        model_[a].roots = 0;
        Lower(a);
      }
      break;
    }
    case 7:
      runners_[h].Run([&] { heap.Collect(); });
      CollectModel(h);
      break;
    case 8: {
      int64_t released = 0;
      runners_[h].Run([&] { released = heap.DrainRemote(); });
      EXPECT_EQ(released, static_cast<int64_t>(pending_[h].size()));
      ReleasePending(h);
      break;
    }
  }
}

void Program::CheckLive() {
  for (int h = 0; h < kHeaps; ++h) {
    int64_t expected = 0;
    for (auto& [id, m] : model_) expected += m.heap == h ? 1 : 0;
    int64_t live = 0;
    runners_[h].Run([&] { live = heaps_[h]->LiveObjects(); });
    ASSERT_EQ(live, expected) << "heap " << h;
  }
}

TEST(CooperationRandomTest, HeapsHandlesAndIsolationsMatchTheOracle) {
  int isolated = 0, refused = 0;
  for (uint32_t seed = 1; seed <= 40; ++seed) {
    SCOPED_TRACE(seed);
    Program program(seed);
    for (int step = 0; step < 400; ++step) {
      program.Step();
      program.CheckLive();
      if (testing::Test::HasFatalFailure()) return;
    }
    isolated += program.isolated;
    refused += program.refused;
  }
  // Both outcomes were exercised.
  EXPECT_GT(isolated, 50);
  EXPECT_GT(refused, 50);
}

}  // namespace
