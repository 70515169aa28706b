// Copyright 2026 The cyclegc Authors.
//
// File: gc/visitor.h
// -----------------------------------------------------------------------------
//
// `gc::Visitor` is what an object's `Trace` reports its strong edges to. The
// collector passes different visitors to `Trace`: one subtracts internal
// references, one marks what is reachable, one resets the references of
// garbage to break its cycles, one lists referents. A `Trace` therefore only
// calls `Visit`, once per owned `gc::Ref`, and never assumes which visitor it
// has.
//
// Example:
//
//   void Trace(gc::Visitor& visitor) override {
//     visitor.Visit(parent);                         // may be null
//     for (gc::Ref<Node>& child : children) visitor.Visit(child);
//   }
//
// `Visit` accepts a `Ref` to any managed type, tracked or not, and null ones.
// It also takes, element by element, what holds `Ref`s, so that none is
// forgotten:
//   * standard containers and ranges of them (std::vector, std::deque,
//     std::list, std::array, ..., nested too: std::vector<std::vector<Ref>>);
//   * the values of maps (std::map, std::unordered_map, absl::flat_hash_map
//     and any range of std::pair<const K, V>: V is visited, never the key);
//   * std::optional and std::pair (both members);
//   * a value with a `void Trace(gc::Visitor&)` member that is not a managed
//     object itself, such as `gc::Function` or a struct embedded in an object.
// `gc::VisitAll(visitor, a, b, ...)` visits each of its arguments so.
// Keys of sets and maps are const and cannot be visited: the collector must
// be able to reset every reference it is told of. A `Ref` kept where no
// `Trace` reports it (inside a std::function's captures, say) is a hidden
// edge: cycles through it are never collected, and kDebugVerify cannot see it.
//
//   std::vector<gc::Ref<Node>> children;
//   std::map<std::string, gc::Ref<Node>> by_name;
//   std::optional<gc::Ref<Node>> cached;
//   void Trace(gc::Visitor& visitor) override {
//     gc::VisitAll(visitor, children, by_name, cached);
//   }

#ifndef CYCLEGC_INCLUDE_GC_VISITOR_H_
#define CYCLEGC_INCLUDE_GC_VISITOR_H_

#include <concepts>
#include <cstddef>
#include <optional>
#include <ranges>
#include <type_traits>
#include <utility>

#include "absl/base/optimization.h"
#include "gc/object.h"
#include "gc/ref.h"

namespace gc {

class Visitor;

namespace internal {
// A value, not a managed object, that reports its references itself.
template <typename T>
concept SelfTracing = !std::derived_from<T, Object> &&
                      requires(T& value, Visitor& visitor) {
                        { value.Trace(visitor) } -> std::same_as<void>;
                      };
// True when `V::Visit` takes a `T&` (V is gc::Visitor; a parameter so that
// the check waits until the class is complete).
template <typename V, typename T>
concept VisitableBy = requires(V& visitor, T& value) { visitor.Visit(value); };
}  // namespace internal

class Visitor {
 public:
  // Reports the strong edge held in `ref`. The visitor may reset `ref` (when
  // it breaks a garbage cycle). Cheap: it only notes the slot; the visitor
  // processes noted slots in batches.
  template <typename T>
  void Visit(Ref<T>& ref) {
    if (ref.ptr_ != nullptr) {
      if (ABSL_PREDICT_FALSE(count_ == kBatchSize)) Flush();
      batch_[count_++] = &ref.ptr_;
    }
  }

  // The containers and wrappers of the file comment.
  template <typename T>
    requires internal::VisitableBy<Visitor, T>
  void Visit(std::optional<T>& value) {
    if (value.has_value()) Visit(*value);
  }
  // The members of a pair that hold references (a const one, such as a
  // map's key, is never visited).
  template <typename K, typename V>
    requires(internal::VisitableBy<Visitor, K> ||
             internal::VisitableBy<Visitor, V>)
  void Visit(std::pair<K, V>& pair) {
    if constexpr (internal::VisitableBy<Visitor, K>) Visit(pair.first);
    if constexpr (internal::VisitableBy<Visitor, V>) Visit(pair.second);
  }
  template <std::ranges::range Range>
    requires(!internal::SelfTracing<Range> &&
             internal::VisitableBy<
                 Visitor, std::remove_reference_t<
                              std::ranges::range_reference_t<Range>>>)
  void Visit(Range& range) {
    for (auto&& element : range) Visit(element);
  }
  template <internal::SelfTracing T>
  void Visit(T& value) {
    value.Trace(*this);
  }

 protected:
  static constexpr size_t kBatchSize = 64;

  Visitor() = default;
  Visitor(const Visitor&) = delete;
  Visitor& operator=(const Visitor&) = delete;
  ~Visitor() = default;

  // Hands the noted slots to VisitEdges and forgets them. Whoever calls
  // Trace calls Flush before using what the visitor found.
  void Flush() {
    if (count_ == 0) return;
    const size_t count = count_;
    count_ = 0;
    VisitEdges(batch_, count);
  }

  // Called with the slots of the references visited, in order: non-null
  // when visited, though an earlier slot's handling may have reset a slot
  // visited twice.
  virtual void VisitEdges(Object** const* slots, size_t count) = 0;

 private:
  Object** batch_[kBatchSize];
  size_t count_ = 0;
};

// Visits each argument (see the file comment).
template <typename... Ts>
void VisitAll(Visitor& visitor, Ts&... values) {
  (visitor.Visit(values), ...);
}

}  // namespace gc

#endif  // CYCLEGC_INCLUDE_GC_VISITOR_H_
