// Copyright 2026 The cyclegc Authors.
//
// Edges that cannot hide: Visit overloads for standard containers, VisitAll,
// gc::Function, and the compile-time check of Trace's signature.

#include <array>
#include <deque>
#include <functional>
#include <list>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "gc/gc.h"
#include "gtest/gtest.h"
#include "tests/test_types.h"

namespace {

using gc_test::Counters;
using gc_test::HeapTest;

// Holds references in every kind of container that Visit takes.
class Holder : public gc::Object {
 public:
  explicit Holder(Counters* c) : counters(c) {}
  ~Holder() override { ++counters->destroyed; }
  void Trace(gc::Visitor& visitor) override {
    gc::VisitAll(visitor, vector, deque, list, array, optional, map,
                 unordered_map, flat_map, nested, pairs);
  }

  Counters* counters;
  std::vector<gc::Ref<Holder>> vector;
  std::deque<gc::Ref<Holder>> deque;
  std::list<gc::Ref<Holder>> list;
  std::array<gc::Ref<Holder>, 2> array;
  std::optional<gc::Ref<Holder>> optional;
  std::map<std::string, gc::Ref<Holder>> map;
  std::unordered_map<int, gc::Ref<Holder>> unordered_map;
  absl::flat_hash_map<int, gc::Ref<Holder>> flat_map;
  std::vector<std::vector<gc::Ref<Holder>>> nested;
  std::vector<std::pair<std::string, gc::Ref<Holder>>> pairs;
};

using ContainerVisitTest = HeapTest;

TEST_F(ContainerVisitTest, VisitReportsEveryRefInStandardContainers) {
  Counters counters;
  gc::Ref<Holder> hub = gc::Make<Holder>(&counters);
  std::vector<gc::Ref<Holder>> spokes;
  for (int i = 0; i < 11; ++i) {
    spokes.push_back(gc::Make<Holder>(&counters));
    spokes.back()->vector.push_back(hub);  // each spoke points back: cycles
  }
  hub->vector.push_back(spokes[0]);
  hub->deque.push_back(spokes[1]);
  hub->list.push_back(spokes[2]);
  hub->array[1] = spokes[3];
  hub->optional = spokes[4];
  hub->map["five"] = spokes[5];
  hub->unordered_map[6] = spokes[6];
  hub->flat_map[7] = spokes[7];
  hub->nested.resize(2);
  hub->nested[1].push_back(spokes[8]);
  hub->pairs.emplace_back("nine", spokes[9]);
  hub->pairs.emplace_back("ten", spokes[10]);
  EXPECT_EQ(heap_.GetReferents(*hub).size(), 11u);
  hub.reset();
  spokes.clear();
  EXPECT_EQ(Collect(), 12);  // every cycle was seen
  EXPECT_EQ(counters.destroyed, 12);
  EXPECT_TRUE(errors_.lines.empty());
}

// A callback stored in its owner, which refers back to the owner.
class Widget : public gc::Object {
 public:
  explicit Widget(Counters* c) : counters(c) {}
  ~Widget() override { ++counters->destroyed; }
  void Trace(gc::Visitor& visitor) override { visitor.Visit(on_click); }
  int Click(int times) {
    clicks += times;
    return clicks;
  }

  Counters* counters;
  int clicks = 0;
  gc::Function<int(int)> on_click;
};

using FunctionTest = HeapTest;

TEST_F(FunctionTest, CallbackPointingBackAtItsOwnerIsCollected) {
  Counters counters;
  heap_.Disable();  // all of them wait for the collection below
  for (int i = 0; i < 1000; ++i) {
    gc::Ref<Widget> widget = gc::Make<Widget>(&counters);
    widget->on_click = gc::Function<int(int)>(&Widget::Click, widget);
  }
  EXPECT_EQ(heap_.LiveObjects(), 1000);
  EXPECT_EQ(Collect(), 1000);
  EXPECT_EQ(counters.destroyed, 1000);
  heap_.Enable();
}

// The same cycle through a std::function: the edge is hidden, nothing is
// collected (what gc::Function is for).
class HiddenWidget : public gc::Object {
 public:
  void Trace(gc::Visitor&) override {}  // the captured Ref is invisible
  std::function<void()> on_click;
};

TEST_F(FunctionTest, StdFunctionCapturingItsOwnerHidesTheCycle) {
  gc::Ref<HiddenWidget> widget = gc::Make<HiddenWidget>();
  widget->on_click = [widget] {};
  HiddenWidget* raw = widget.get();
  widget.reset();
  EXPECT_EQ(Collect(), 0);
  EXPECT_EQ(heap_.LiveObjects(), 1);
  std::function<void()> taken = std::move(raw->on_click);
  taken = nullptr;  // breaks the cycle by hand
  EXPECT_EQ(heap_.LiveObjects(), 0);
}

TEST_F(FunctionTest, CallPassesCapturedRefsThenArguments) {
  Counters counters;
  gc::Ref<Widget> a = gc::Make<Widget>(&counters);
  gc::Ref<Widget> b = gc::Make<Widget>(&counters);
  gc::Function<int(int)> both(
      [](gc::Ref<Widget>& x, gc::Ref<Widget>& y, int n) {
        return x->Click(n) + y->Click(2 * n);
      },
      a, b);
  EXPECT_EQ(both(1), 1 + 2);
  EXPECT_EQ(both(1), 2 + 4);
  gc::Function<int(int)> bound(&Widget::Click, a);
  EXPECT_EQ(bound(10), 12);
  EXPECT_EQ(gc::RefCount(*a), 3);  // a, both, bound
}

TEST_F(FunctionTest, MovedFromAndDefaultFunctionsAreEmpty) {
  Counters counters;
  gc::Ref<Widget> widget = gc::Make<Widget>(&counters);
  gc::Function<int(int)> first(&Widget::Click, widget);
  EXPECT_TRUE(first);
  gc::Function<int(int)> second = std::move(first);
  EXPECT_FALSE(first);  // NOLINT: checks the moved-from state
  EXPECT_TRUE(second);
  EXPECT_FALSE(gc::Function<void()>());
  second = nullptr;
  EXPECT_EQ(gc::RefCount(*widget), 1);
}

// Trace declared with the wrong signature: gc::Make rejects these types at
// compile time (tests/trace_signature_compile_test.sh compiles the failing
// calls); here, the trait it uses.
class ConstTrace : public gc::Object {
 public:
  void Trace(gc::Visitor&) const {}
};
class PointerTrace : public gc::Object {
 public:
  void Trace(gc::Visitor*) {}
};
class GoodTrace : public gc::Object {
 public:
  void Trace(gc::Visitor&) override {}
};
class NoexceptTrace : public gc::Object {
 public:
  void Trace(gc::Visitor&) noexcept override {}
};
static_assert(!gc::internal::kOverridesTrace<decltype(&ConstTrace::Trace)>);
static_assert(!gc::internal::kOverridesTrace<decltype(&PointerTrace::Trace)>);
static_assert(gc::internal::kOverridesTrace<decltype(&GoodTrace::Trace)>);
static_assert(gc::internal::kOverridesTrace<decltype(&NoexceptTrace::Trace)>);

TEST(TraceSignatureTest, TypesThatOverrideTraceAreTracked) {
  gc::Heap heap;
  gc::HeapScope scope(heap);
  EXPECT_TRUE(gc::IsTracked(*gc::Make<GoodTrace>()));
  EXPECT_TRUE(gc::IsTracked(*gc::Make<NoexceptTrace>()));
}

}  // namespace
