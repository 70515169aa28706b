// Copyright 2026 The cyclegc Authors.

#include "gc/heap.h"

#include <cstdio>
#include <cstdlib>
#include <utility>

#include "absl/strings/str_cat.h"
#include "gc/internal/collector.h"
#include "gc/internal/env_config.h"
#include "gc/internal/heap_state.h"

namespace gc {
namespace internal {

constinit thread_local HeapCore* tls_current_heap = nullptr;

namespace {

// The thread's default heap: made on first use, destroyed at thread exit.
constinit thread_local Heap* tls_default_heap = nullptr;
constinit thread_local bool tls_default_heap_gone = false;

struct DefaultHeapOwner {
  ~DefaultHeapOwner() {
    Heap* heap = std::exchange(tls_default_heap, nullptr);
    tls_default_heap_gone = true;
    if (tls_current_heap == HeapState::FromHeap(*heap)) {
      tls_current_heap = nullptr;
    }
    delete heap;
  }
};

Heap& DefaultHeap() {
  if (tls_default_heap == nullptr) {
    tls_default_heap = new Heap;
    if (!tls_default_heap_gone) {
      // Registers the owner's destructor for this thread's exit. After it
      // ran (code running during thread exit), a new default heap lives on.
      thread_local DefaultHeapOwner owner;
      (void)owner;
    }
  }
  return *tls_default_heap;
}

[[noreturn]] void Fail(const std::string& message) {
  std::fprintf(stderr, "%s\n", message.c_str());
  std::abort();
}

absl::Status CheckThreshold(int index, int64_t value) {
  if (value < 0 || value > Heap::kMaxThreshold) {
    return absl::InvalidArgumentError(
        absl::StrCat("threshold", index, " must be between 0 and ",
                     Heap::kMaxThreshold, "; got ", value));
  }
  return absl::OkStatus();
}

}  // namespace

void CheckGeneration(const char* function, int generation) {
  if (generation < 0 || generation >= Heap::kNumGenerations) {
    Fail(absl::StrCat("gc::Heap::", function,
                      ": generation must be 0, 1 or 2; got ", generation));
  }
}

HeapCore* CurrentHeapCoreSlow() {
  tls_current_heap = HeapState::FromHeap(DefaultHeap());
  return tls_current_heap;
}

}  // namespace internal

using internal::HeapState;
using internal::kListGenerations;
using internal::kListPermanent;

Heap::Heap() : state_(new HeapState(this)) {}

Heap::~Heap() {
  HeapState* state = state_;
  if (state->collecting) {
    internal::Fail("gc::Heap destroyed during its own collection");
  }
  if (internal::tls_current_heap == state) {
    internal::Fail(
        "gc::Heap destroyed while it is this thread's current heap (a "
        "gc::HeapScope still names it)");
  }
  // Callbacks often capture state that is gone by now (a thread's default
  // heap dies at thread exit): drop them (and whatever they hold) first.
  state->callbacks.clear();
  internal::RunCollection(*state, 2);

  std::vector<Ref<Object>> garbage = std::move(state->garbage);
  state->garbage.clear();
  if (!garbage.empty() && (state->debug & kDebugSaveAll) == 0) {
    if ((state->debug & kDebugUncollectable) != 0) {
      state->Report([&] {
        return absl::StrCat("gc: ", garbage.size(),
                            " uncollectable objects at shutdown");
      });
      for (const Ref<Object>& object : garbage) {
        state->Report([&] {
          return absl::StrCat("gc:   <", internal::TypeName(*object), ">");
        });
      }
    } else {
      state->Report([&] {
        return absl::StrCat("gc: ", garbage.size(),
                            " uncollectable objects at shutdown; use "
                            "SetDebug(gc::kDebugUncollectable) to list them");
      });
    }
  }

  // Whatever is still referenced lives on, untracked.
  int64_t survivors = 0;
  for (int list = kListGenerations; list <= int{kListPermanent}; ++list) {
    for (Object* object : state->lists[list]) {
      if (object == nullptr) continue;
      internal::ObjectAccess::Bits(*object) &= ~internal::kListMask;
      ++survivors;
    }
  }
  for (auto& list : state->lists) std::vector<Object*>().swap(list);
  state->tombstones = {};
  state->gen1_begin = state->gen0_begin = 0;
  if (survivors > 0) {
    state->Report([&] {
      return absl::StrCat(
          "gc: ", survivors,
          " objects still referenced when their heap was destroyed; they "
          "are no longer tracked");
    });
  }
  // Sinks may hold references: drop them while attached.
  state->report_sink = nullptr;
  state->error_reporter = nullptr;
  std::vector<Object*>().swap(state->mark_stack);

  state->owner = nullptr;
  if (state->live_objects == 0) delete state;  // else: the last object does
  garbage.clear();  // may free `state` (its last object dies)
}

Heap& Heap::Current() {
  return *HeapState::FromCore(internal::CurrentHeapCore())->owner;
}

std::array<int64_t, 3> Heap::GetThreshold() const { return state_->threshold; }

absl::Status Heap::SetThreshold(int64_t threshold0) {
  return SetThreshold(threshold0, state_->threshold[1], state_->threshold[2]);
}

absl::Status Heap::SetThreshold(int64_t threshold0, int64_t threshold1) {
  return SetThreshold(threshold0, threshold1, state_->threshold[2]);
}

absl::Status Heap::SetThreshold(int64_t threshold0, int64_t threshold1,
                                int64_t threshold2) {
  const std::array<int64_t, 3> values{threshold0, threshold1, threshold2};
  for (int i = 0; i < 3; ++i) {
    absl::Status status = internal::CheckThreshold(i, values[i]);
    if (!status.ok()) return status;
  }
  state_->threshold = values;
  return absl::OkStatus();
}

std::array<int64_t, 3> Heap::GetCount() const { return state_->count; }

void Heap::Enable() { state_->enabled = true; }
void Heap::Disable() { state_->enabled = false; }
bool Heap::IsEnabled() const { return state_->enabled; }

absl::Status Heap::ConfigureFromEnv() {
  absl::StatusOr<internal::EnvConfig> config = internal::ReadEnvConfig();
  if (!config.ok()) return config.status();
  if (config->threshold.has_value()) {
    const std::vector<int64_t>& t = *config->threshold;
    absl::Status status = t.size() == 1   ? SetThreshold(t[0])
                          : t.size() == 2 ? SetThreshold(t[0], t[1])
                                          : SetThreshold(t[0], t[1], t[2]);
    if (!status.ok()) {
      return absl::InvalidArgumentError(absl::StrCat("CYCLEGC_THRESHOLD=\"",
                                                     config->threshold_text,
                                                     "\": ", status.message()));
    }
  }
  if (config->debug.has_value()) state_->debug = *config->debug;
  return absl::OkStatus();
}

int64_t Heap::Collect(int generation) {
  internal::CheckGeneration("Collect", generation);
  if (state_->collecting) return 0;
  return internal::RunCollection(*state_, generation);
}

bool Heap::IsCollecting() const { return state_->collecting; }

CallbackId Heap::AddCallback(CollectionCallback callback) {
  const CallbackId id = state_->next_callback_id++;
  state_->callbacks.emplace_back(id, std::move(callback));
  return id;
}

bool Heap::RemoveCallback(CallbackId id) {
  auto& callbacks = state_->callbacks;
  for (auto it = callbacks.begin(); it != callbacks.end(); ++it) {
    if (it->first == id) {
      callbacks.erase(it);
      return true;
    }
  }
  return false;
}

std::array<GenerationStats, 3> Heap::GetStats() const { return state_->stats; }

std::vector<Ref<Object>>& Heap::Garbage() { return state_->garbage; }

void Heap::SetDebug(int flags) { state_->debug = flags; }
int Heap::GetDebug() const { return state_->debug; }

int64_t Heap::LiveObjects() const { return state_->live_objects; }

void Heap::SetSlowCollectionThreshold(absl::Duration threshold) {
  state_->slow_collection = threshold;
}

absl::Duration Heap::GetSlowCollectionThreshold() const {
  return state_->slow_collection;
}

void Heap::SetReportSink(TextSink sink) {
  state_->report_sink = std::move(sink);
}

void Heap::SetErrorReporter(TextSink reporter) {
  state_->error_reporter = std::move(reporter);
}

absl::Status Heap::SetAllocator(Allocator* allocator) {
  if (state_->live_objects != 0) {
    return absl::FailedPreconditionError(absl::StrCat(
        "SetAllocator: the heap still holds ", state_->live_objects,
        " objects made with its current allocator"));
  }
  state_->allocator = allocator;
  return absl::OkStatus();
}

HeapScope::HeapScope(Heap& heap) : previous_(internal::tls_current_heap) {
  internal::tls_current_heap = HeapState::FromHeap(heap);
}

HeapScope::~HeapScope() {
  internal::tls_current_heap = static_cast<internal::HeapCore*>(previous_);
}

}  // namespace gc
