// Copyright 2026 The cyclegc Authors.
//
// A timeline of the collections: gc::CollectionTimeline, written as a
// Chrome trace (Trace Event Format).

#include "gc/collection_timeline.h"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "gc/internal/heap_state.h"
#include "gc/internal/heap_watch.h"

namespace gc {
namespace {

using internal::HeapState;

// Microseconds with three decimals (nanosecond resolution). Not
// absl::StrFormat: see collector.cc.
std::string Micros(absl::Duration d) {
  char text[48];
  std::snprintf(text, sizeof(text), "%.3f", absl::ToDoubleMicroseconds(d));
  return text;
}

// The fields every event of this trace shares.
std::string EventHead(absl::string_view name, const char* phase,
                      absl::Duration ts, int64_t pid, int64_t tid) {
  return absl::StrCat("{\"name\": \"", name, "\", \"cat\": \"gc\", \"ph\": \"",
                      phase, "\", \"ts\": ", Micros(ts), ", \"pid\": ", pid,
                      ", \"tid\": ", tid);
}

std::string SizesJson(const CollectionRecord& r) {
  return absl::StrCat("\"generation 0\": ", r.generation_sizes[0],
                      ", \"generation 1\": ", r.generation_sizes[1],
                      ", \"generation 2\": ", r.generation_sizes[2],
                      ", \"permanent\": ", r.permanent);
}

}  // namespace

CollectionTimeline::CollectionTimeline(Heap& heap)
    : heap_(heap), origin_(absl::Now()) {
  watch_ = std::make_unique<internal::HeapWatch>(
      heap, "CollectionTimeline",
      [this](Phase phase, const CollectionInfo& info) {
        OnCollection(phase, info);
      });
}

CollectionTimeline::~CollectionTimeline() = default;

void CollectionTimeline::OnCollection(Phase phase, const CollectionInfo& info) {
  if (phase == Phase::kStart) {
    pending_start_ = absl::Now() - origin_;
    return;
  }
  // kStop comes after the survivors moved up: these are the sizes after the
  // collection, counts the heap keeps as objects come and go.
  const HeapState& state = *HeapState::FromHeap(heap_);
  CollectionRecord record;
  record.start = pending_start_;
  record.duration = info.duration;
  record.generation = info.generation;
  record.collected = info.collected;
  record.uncollectable = info.uncollectable;
  record.candidates = info.candidates;
  record.generation_sizes = state.GenerationSizes();
  record.permanent = state.ListSize(internal::kListPermanent);
  records_.push_back(record);  // out of memory: reported by the heap, dropped
}

std::string CollectionTimeline::ChromeTraceJson() const {
  const int64_t pid = ::getpid();
  const int64_t tid =
      HeapState::FromHeap(heap_)->id_bits >> internal::kHeapIdShift;
  std::string out = "{\"displayTimeUnit\": \"ms\", \"traceEvents\": [\n";
  absl::StrAppend(&out,
                  EventHead("thread_name", "M", absl::ZeroDuration(), pid, tid),
                  ", \"args\": {\"name\": \"gc heap ", tid, "\"}}");
  for (const CollectionRecord& r : records_) {
    absl::StrAppend(&out, ",\n",
                    EventHead(absl::StrCat("collect generation ", r.generation),
                              "X", r.start, pid, tid),
                    ", \"dur\": ", Micros(r.duration),
                    ", \"args\": {\"generation\": ", r.generation,
                    ", \"collected\": ", r.collected,
                    ", \"uncollectable\": ", r.uncollectable,
                    ", \"candidates\": ", r.candidates, ", ", SizesJson(r),
                    "}}");
    absl::StrAppend(
        &out, ",\n",
        EventHead("live tracked objects", "C", r.start + r.duration, pid, tid),
        ", \"args\": {", SizesJson(r), "}}");
  }
  out += "\n]}\n";
  return out;
}

absl::Status CollectionTimeline::WriteChromeTrace(std::string_view path) const {
  const std::string json = ChromeTraceJson();
  const std::string name(path);
  auto fail = [&](int error) {
    return absl::ErrnoToStatus(
        error,
        absl::StrCat("cannot write the collection timeline to \"", name, "\""));
  };
  std::FILE* file = std::fopen(name.c_str(), "w");
  if (file == nullptr) return fail(errno);
  const bool written =
      std::fwrite(json.data(), 1, json.size(), file) == json.size();
  const int write_error = errno;
  if (std::fclose(file) != 0) return fail(errno);
  if (!written) return fail(write_error);
  return absl::OkStatus();
}

}  // namespace gc
