// Copyright 2026 The cyclegc Authors.
//
// The cppgc (Oilpan) peer, from Debian's libnode108 / libnode-dev, which
// bench/run_peers.sh unpacks into a build folder (they conflict with the
// machine's Node.js). bench/workloads.h on cppgc::MakeGarbageCollected, with
// cppgc::Member fields and root sets held by cppgc::Persistent.
//
// The heap marks and sweeps atomically (stop the world, on this thread):
// nothing pumps the platform's foreground task runner here, so incremental
// steps would not run, and the other peers collect on one thread too.
// Collection pauses come from cppgc's own trace events ("CppGC.Atomic*"
// scopes), received by a v8::TracingController given to the platform: a
// pause runs from the first atomic mark scope of a collection to the end of
// its last atomic scope.
//
// Known traps: compile with -fno-rtti (as V8); call v8::V8::InitializePlatform
// before cppgc::InitializeProcess, or the first collection crashes.
//
//   peer_cppgc default WORKLOAD [N]

#include <cstring>
#include <memory>
#include <vector>

#include "bench/peer_main.h"
#include "bench/workloads.h"
#include "cppgc/allocation.h"
#include "cppgc/default-platform.h"
#include "cppgc/garbage-collected.h"
#include "cppgc/heap-consistency.h"
#include "cppgc/heap.h"
#include "cppgc/member.h"
#include "cppgc/persistent.h"
#include "cppgc/visitor.h"
#include "v8-initialization.h"

namespace bench {

cppgc::Heap* g_heap = nullptr;

// A growable root set: a traced vector of Members on the cppgc heap, held by
// a Persistent. Indexing yields the Member, so slots can be assigned.
template <typename N>
class PersistentVector {
 public:
  explicit PersistentVector(size_t n = 0)
      : holder_(cppgc::MakeGarbageCollected<Holder>(
            g_heap->GetAllocationHandle())) {
    holder_->slots.resize(n);
  }
  void push_back(N* object) { holder_->slots.push_back(object); }
  cppgc::Member<N>& back() { return holder_->slots.back(); }
  cppgc::Member<N>& operator[](size_t i) { return holder_->slots[i]; }

 private:
  struct Holder : cppgc::GarbageCollected<Holder> {
    std::vector<cppgc::Member<N>> slots;
    void Trace(cppgc::Visitor* visitor) const {
      for (const cppgc::Member<N>& slot : slots) visitor->Trace(slot);
    }
  };
  cppgc::Persistent<Holder> holder_;
};

struct CppgcPolicy {
  template <typename N>
  struct Base : cppgc::GarbageCollected<N> {
    void Trace(cppgc::Visitor* visitor) const {
      const_cast<N*>(static_cast<const N*>(this))
          ->ForEachEdge(
              [visitor](const auto& member) { visitor->Trace(member); });
    }
  };
  template <typename N>
  struct LeafBase : cppgc::GarbageCollected<N> {
    void Trace(cppgc::Visitor*) const {}
  };

  template <typename N>
  using Ptr = N*;
  template <typename N>
  using Edge = cppgc::Member<N>;
  template <typename N>
  using Back = cppgc::Member<N>;
  template <typename N>
  using Vec = std::vector<cppgc::Member<N>>;
  template <typename N>
  using Roots = PersistentVector<N>;

  static constexpr bool kStrongBack = true;
  static constexpr bool kCollects = true;
  static constexpr bool kHasYoung = false;  // no young generation in Node 18

  template <typename N>
  static N* New() {
    return cppgc::MakeGarbageCollected<N>(g_heap->GetAllocationHandle());
  }
  static void Collect() {
    g_heap->ForceGarbageCollectionSlow(
        "bench", "Collect", cppgc::EmbedderStackState::kNoHeapPointers);
  }
  static void CollectYoung() {}
  static void SetAutomatic(bool on) {
    if (on) {
      cppgc::subtle::NoGarbageCollectionScope::Leave(g_heap->GetHeapHandle());
    } else {
      cppgc::subtle::NoGarbageCollectionScope::Enter(g_heap->GetHeapHandle());
    }
  }
};

// Turns cppgc's trace events into collection pauses (see the file comment).
class PauseTracer : public v8::TracingController {
 public:
  const uint8_t* GetCategoryGroupEnabled(const char*) override {
    static const uint8_t kEnabled = 1;
    return &kEnabled;
  }
  uint64_t AddTraceEvent(char phase, const uint8_t*, const char* name,
                         const char*, uint64_t, uint64_t, int32_t, const char**,
                         const uint8_t*, const uint64_t*,
                         std::unique_ptr<v8::ConvertableToTraceFormat>*,
                         unsigned) override {
    const double now = PauseSeconds();
    if (phase == 'B' || phase == 'X') {
      if (depth_++ == 0) OnTopLevelBegin(name, now);
    } else if (phase == 'E' && depth_ > 0 && --depth_ == 0) {
      last_end_ = now;
      last_was_sweep_ = std::strcmp(name, "CppGC.AtomicSweep") == 0;
    }
    return 0;
  }
  void UpdateTraceEventDuration(const uint8_t*, const char* name,
                                uint64_t) override {
    AddTraceEvent('E', nullptr, name, nullptr, 0, 0, 0, nullptr, nullptr,
                  nullptr, nullptr, 0);
  }
  // Books the collection in progress, if any.
  void Flush() {
    if (!in_collection_) return;
    in_collection_ = false;
    Pauses().Record((last_end_ - start_) * 1e3);
  }

 private:
  void OnTopLevelBegin(const char* name, double now) {
    const bool starts_marking = std::strcmp(name, "CppGC.AtomicMark") == 0;
    if (in_collection_ && !(starts_marking && last_was_sweep_)) return;
    Flush();
    in_collection_ = true;
    last_was_sweep_ = false;
    start_ = now;
  }

  int depth_ = 0;
  bool in_collection_ = false;
  bool last_was_sweep_ = false;
  double start_ = 0;  // CPU seconds
  double last_end_ = 0;
};

}  // namespace bench

int main(int argc, char** argv) {
  const bench::Invocation invocation = bench::ParseArgs(argc, argv);
  auto tracer = std::make_unique<bench::PauseTracer>();
  bench::PauseTracer* pauses = tracer.get();
  auto platform = std::make_shared<cppgc::DefaultPlatform>(
      1, cppgc::DefaultPlatform::IdleTaskSupport::kDisabled, std::move(tracer));
  v8::V8::InitializePlatform(platform->GetV8Platform());
  cppgc::InitializeProcess(platform->GetPageAllocator());
  cppgc::Heap::HeapOptions options = cppgc::Heap::HeapOptions::Default();
  options.marking_support = cppgc::Heap::MarkingType::kAtomic;
  options.sweeping_support = cppgc::Heap::SweepingType::kAtomic;
  std::unique_ptr<cppgc::Heap> heap =
      cppgc::Heap::Create(platform, std::move(options));
  bench::g_heap = heap.get();

  bench::Result result =
      bench::RunWorkload<bench::CppgcPolicy>(invocation.workload, invocation.n);
  pauses->Flush();
  bench::PrintResult("cppgc", invocation, result, /*has_pause_hook=*/true);
  return 0;
}
