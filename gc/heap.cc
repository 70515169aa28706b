// Copyright 2026 The cyclegc Authors.

#include "gc/heap.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "gc/internal/check.h"
#include "gc/internal/collector.h"
#include "gc/internal/env_config.h"
#include "gc/internal/heap_state.h"
#include "gc/internal/owner.h"
#include "gc/internal/remote_releases.h"
#include "gc/internal/round.h"
#include "gc/internal/shutdown.h"

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
    HeapState* state = HeapState::FromHeap(*heap);
    if (tls_current_heap == state) tls_current_heap = nullptr;
    // What the sinks captured may be gone by now (main's locals, for the
    // main thread): the last collection reports to stderr.
    state->report_sink = nullptr;
    state->error_reporter = nullptr;
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
    FatalError(absl::StrCat("gc::Heap::", function,
                      ": generation must be 0, 1 or 2; got ", generation));
  }
}

HeapCore* CurrentHeapCoreSlow() {
  tls_current_heap = HeapState::FromHeap(DefaultHeap());
  return tls_current_heap;
}

}  // namespace internal

using internal::HeapState;

Heap::Heap() : state_(new HeapState(this)) {}

Heap::~Heap() {
  HeapState* state = state_;
  if (state->collecting()) {
    internal::FatalError("gc::Heap destroyed during its own collection");
  }
  if (internal::tls_current_heap == state) {
    internal::FatalError(
        "gc::Heap destroyed while it is this thread's current heap (a "
        "gc::HeapScope still names it)");
  }
  if (state->scoped_handles != 0 && internal::ChecksOwner(*state)) {
    internal::FatalError(absl::StrCat(
        "gc::Heap destroyed while ", state->scoped_handles,
        " gc::ScopedCallback / gc::ScopedReportSink still name it: destroy "
        "them first (declare the heap before them)"));
  }
  internal::TakeOwnership(*state);  // its last collection runs here
  // Releases queued by other threads; handles still alive leak their objects.
  if (state->remote() != nullptr) {
    const int64_t handles = state->remote()->Close();
    if (handles != 0) {
      state->ReportError([&] {
        return absl::StrCat(
            "gc: heap destroyed while ", handles,
            " gc::Handle(s) to its objects live: those objects are leaked "
            "(destroy every handle before its heap)");
      });
    }
  }
  // Callbacks often capture state that is gone by now (a thread's default
  // heap dies at thread exit): drop them (and whatever they hold) first.
  state->callbacks.clear();
  if (state->round != nullptr) {  // the last collection below finds it all
    state->round->Abandon();
    state->round.reset();
  }
  internal::RunCollection(*state, 2);

  std::vector<Ref<Object>> garbage = std::move(state->garbage);
  state->garbage.clear();
  internal::ReportShutdownGarbage(*state, garbage);
  // Whatever is still referenced lives on, untracked.
  internal::ReportSurvivors(*state);
  state->Detach();  // may delete `state`
  garbage.clear();  // may free `state` (its last object dies)
}

Heap& Heap::Current() {
  return *HeapState::FromCore(internal::CurrentHeapCore())->owner();
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
  internal::GuardOwner(*state_, "gc::Heap::SetThreshold");
  const std::array<int64_t, 3> values{threshold0, threshold1, threshold2};
  for (int i = 0; i < 3; ++i) {
    absl::Status status = internal::CheckThreshold(i, values[i]);
    if (!status.ok()) return status;
  }
  state_->threshold = values;
  return absl::OkStatus();
}

std::array<int64_t, 3> Heap::GetCount() const { return state_->count; }

void Heap::Enable() {
  internal::GuardOwner(*state_, "gc::Heap::Enable");
  state_->enabled = true;
}
void Heap::Disable() {
  internal::GuardOwner(*state_, "gc::Heap::Disable");
  state_->enabled = false;
}
bool Heap::IsEnabled() const { return state_->enabled; }

absl::Status Heap::ConfigureFromEnv() {
  internal::GuardOwner(*state_, "gc::Heap::ConfigureFromEnv");
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
  internal::GuardOwner(*state_, "gc::Heap::Collect");
  internal::CheckGeneration("Collect", generation);
  if (state_->collecting()) return 0;
  internal::FinishRound(*state_);
  return internal::RunCollection(*state_, generation);
}

bool Heap::IsCollecting() const { return state_->collecting(); }

CallbackId Heap::AddCallback(CollectionCallback callback) {
  internal::GuardOwner(*state_, "gc::Heap::AddCallback");
  const CallbackId id = state_->next_callback_id++;
  state_->callbacks.emplace_back(id, std::move(callback));
  return id;
}

bool Heap::RemoveCallback(CallbackId id) {
  internal::GuardOwner(*state_, "gc::Heap::RemoveCallback");
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

std::vector<Ref<Object>>& Heap::Garbage() {
  internal::GuardOwner(*state_, "gc::Heap::Garbage");
  return state_->garbage;
}

void Heap::SetDebug(int flags) {
  internal::GuardOwner(*state_, "gc::Heap::SetDebug");
  state_->debug = flags;
}
int Heap::GetDebug() const { return state_->debug; }

int64_t Heap::LiveObjects() const { return state_->live_objects; }

void Heap::SetSlowCollectionThreshold(absl::Duration threshold) {
  state_->slow_collection = threshold;
}

absl::Duration Heap::GetSlowCollectionThreshold() const {
  return state_->slow_collection;
}

void Heap::SetReportSink(TextSink sink) {
  internal::GuardOwner(*state_, "gc::Heap::SetReportSink");
  state_->report_sink = std::move(sink);
}

void Heap::SetErrorReporter(TextSink reporter) {
  internal::GuardOwner(*state_, "gc::Heap::SetErrorReporter");
  state_->error_reporter = std::move(reporter);
}

void Heap::SetShutdownReport(ShutdownReport report) {
  internal::GuardOwner(*state_, "gc::Heap::SetShutdownReport");
  state_->shutdown_report = report;
}

ShutdownReport Heap::GetShutdownReport() const {
  return state_->shutdown_report;
}

absl::Status Heap::SetAllocator(Allocator* allocator) {
  internal::GuardOwner(*state_, "gc::Heap::SetAllocator");
  if (state_->live_objects != 0) {
    return absl::FailedPreconditionError(absl::StrCat(
        "SetAllocator: the heap still holds ", state_->live_objects,
        " objects made with its current allocator"));
  }
  state_->allocator = allocator;
  return absl::OkStatus();
}

HeapScope::HeapScope(Heap& heap) : previous_(internal::tls_current_heap) {
  HeapState* state = HeapState::FromHeap(heap);
  internal::TakeOwnership(*state);  // the hand-over
  internal::tls_current_heap = state;
}

HeapScope::~HeapScope() {
  internal::tls_current_heap = static_cast<internal::HeapCore*>(previous_);
}

}  // namespace gc
