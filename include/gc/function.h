// Copyright 2026 The cyclegc Authors.
//
// File: gc/function.h
// -----------------------------------------------------------------------------
//
// `gc::Function<R(Args...)>` is a callable that holds strong references the
// collector can see. A `std::function` (or lambda) that captures a `gc::Ref`
// hides that edge from `Trace`: a callback that points back at its owner
// closes a cycle that is never collected. A `gc::Function` keeps its `Ref`s
// apart from the code, passes them to it on each call, and reports them when
// its owner's `Trace` visits it.
//
// Example: a task's done-callback bound to its scheduler.
//
//   class Task : public gc::Object {
//    public:
//     gc::Function<void(Task&)> on_done;
//     void Trace(gc::Visitor& visitor) override { visitor.Visit(on_done); }
//   };
//
//   // Like a bound method: calls scheduler->Forget(task).
//   task->on_done = gc::Function<void(Task&)>(&Scheduler::Forget, scheduler);
//   // Any callable: the captured Refs come first, then the call's arguments.
//   task->on_done = gc::Function<void(Task&)>(
//       [](gc::Ref<Scheduler>& scheduler, Task& task) { ... }, scheduler);
//   task->on_done(*task);
//
// The callable itself must capture no `Ref` (pass them as above): they would
// be hidden again. When the collector breaks a garbage cycle through a
// `gc::Function`, it resets the captured `Ref`s: a call after that (from a
// destructor, say) receives null references.
//
// A `gc::Function` is movable, not copyable; an empty one (default, or moved
// from) must not be called. Calling allocates nothing; making one allocates
// the callable and its references once, with `operator new`.

#ifndef CYCLEGC_INCLUDE_GC_FUNCTION_H_
#define CYCLEGC_INCLUDE_GC_FUNCTION_H_

#include <cstddef>
#include <functional>
#include <memory>
#include <tuple>
#include <type_traits>
#include <utility>

#include "gc/ref.h"
#include "gc/visitor.h"

namespace gc {

template <typename Signature>
class Function;

template <typename R, typename... Args>
class Function<R(Args...)> {
 public:
  Function() noexcept = default;
  Function(std::nullptr_t) noexcept {}  // NOLINT: implicit from nullptr

  // Calls `callable(captured..., args...)` when called (`std::invoke`, so a
  // member function pointer with its receiver's Ref first works too).
  template <typename F, typename... Ts>
    requires std::is_invocable_r_v<R, F&, Ref<Ts>&..., Args...>
  explicit Function(F callable, Ref<Ts>... captured)
      : impl_(std::make_unique<Bound<F, Ts...>>(std::move(callable),
                                                std::move(captured)...)) {}

  Function(Function&&) noexcept = default;
  Function& operator=(Function&&) noexcept = default;
  Function& operator=(std::nullptr_t) noexcept {
    impl_.reset();
    return *this;
  }

  // REQUIRES: not empty.
  R operator()(Args... args) const {
    return impl_->Call(std::forward<Args>(args)...);
  }
  explicit operator bool() const noexcept { return impl_ != nullptr; }

  // Reports the captured references (`visitor.Visit(function)` calls it).
  void Trace(Visitor& visitor) {
    if (impl_ != nullptr) impl_->Trace(visitor);
  }

 private:
  struct Impl {
    virtual ~Impl() = default;
    virtual R Call(Args&&... args) = 0;
    virtual void Trace(Visitor& visitor) = 0;
  };

  template <typename F, typename... Ts>
  struct Bound final : Impl {
    Bound(F f, Ref<Ts>... refs)
        : callable(std::move(f)), captured(std::move(refs)...) {}
    R Call(Args&&... args) override {
      return std::apply(
          [&](Ref<Ts>&... refs) -> R {
            return std::invoke(callable, refs..., std::forward<Args>(args)...);
          },
          captured);
    }
    void Trace(Visitor& visitor) override {
      std::apply([&](Ref<Ts>&... refs) { (visitor.Visit(refs), ...); },
                 captured);
    }

    F callable;
    std::tuple<Ref<Ts>...> captured;
  };

  std::unique_ptr<Impl> impl_;
};

}  // namespace gc

#endif  // CYCLEGC_INCLUDE_GC_FUNCTION_H_
