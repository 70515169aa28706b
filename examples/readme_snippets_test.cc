// Copyright 2026 The cyclegc Authors.
//
// The README's tutorial, compiled and run. Each C++ block of README.md is the
// text between a "[START name]" and an "[END name]" marker in a file of
// examples/ (this one, first_program.cc, or an example program), and the
// test below checks that: edit the code here, then copy it to the README.
// The tests run each tutorial snippet and assert what the README says of it.

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "gc/gc.h"
#include "gtest/gtest.h"
#include "tests/test_types.h"

namespace {

// [START node_types]
class Node : public gc::Object {
 public:
  explicit Node(std::string name) : name(std::move(name)) {}
  ~Node() override { ++destroyed; }

  // Reports every strong edge, once. Only the collector calls it.
  void Trace(gc::Visitor& visitor) override {
    visitor.Visit(parent);
    for (gc::Ref<Node>& child : children) visitor.Visit(child);
  }

  std::string name;
  gc::Ref<Node> parent;                 // strong: parent <-> child cycles
  std::vector<gc::Ref<Node>> children;  // strong
  static inline int destroyed = 0;
};

// No Trace: it can never be part of a cycle, so it is never tracked.
class Blob : public gc::Object {
 public:
  std::vector<char> bytes;
};
// [END node_types]

// [START tree_node]
class TreeNode : public gc::Object {
 public:
  void Trace(gc::Visitor& visitor) override {  // the parent is not an edge
    for (gc::Ref<TreeNode>& child : children) visitor.Visit(child);
  }

  gc::WeakRef<TreeNode> parent;  // weak: never keeps the parent alive
  std::vector<gc::Ref<TreeNode>> children;
};
// [END tree_node]

// [START acyclic_tree_node]
class Element : public gc::Object {
 public:
  static constexpr bool kAcyclic = true;  // strong edges only go down

  void Trace(gc::Visitor& visitor) override {
    for (gc::Ref<Element>& child : children) visitor.Visit(child);
  }

  gc::WeakRef<Element> parent;
  std::vector<gc::Ref<Element>> children;
};
// [END acyclic_tree_node]

class TutorialTest : public gc_test::HeapTest {
 protected:
  TutorialTest() { Node::destroyed = 0; }
};

TEST_F(TutorialTest, AllocateManagedObjects) {
  // [START allocate]
  gc::Ref<Node> root = gc::Make<Node>("root");  // on the current heap
  gc::Ref<Node> alias = root;                   // two references
  gc::Ref<Blob> blob = gc::Make<Blob>();        // untracked
  alias.reset();
  root.reset();  // the last reference: ~Node runs right here
  // [END allocate]
  EXPECT_EQ(Node::destroyed, 1);
  EXPECT_FALSE(gc::IsTracked(*blob));
  EXPECT_EQ(gc::RefCount(*blob), 1);
}

TEST_F(TutorialTest, CollectACycle) {
  // [START collect_cycle]
  gc::Ref<Node> parent = gc::Make<Node>("parent");
  gc::Ref<Node> child = gc::Make<Node>("child");
  child->parent = parent;  // parent <-> child: a cycle
  parent->children.push_back(child);
  parent.reset();
  child.reset();  // unreachable, yet each still holds a reference
  int64_t freed = gc::Heap::Current().Collect();  // finds both: 2
  // [END collect_cycle]
  EXPECT_EQ(freed, 2);
  EXPECT_EQ(Node::destroyed, 2);
}

TEST_F(TutorialTest, TuneGenerationThresholds) {
  // [START thresholds]
  gc::Heap& heap = gc::Heap::Current();
  std::array<int64_t, 3> defaults = heap.GetThreshold();  // 700, 10, 10
  // Collect generation 0 after 10,000 net new tracked objects, not 700:
  absl::Status status = heap.SetThreshold(10000, 10, 10);
  absl::Status bad = heap.SetThreshold(-1);        // rejected; nothing changes
  std::array<int64_t, 3> count = heap.GetCount();  // progress towards each
  // [END thresholds]
  EXPECT_EQ(defaults, (std::array<int64_t, 3>{700, 10, 10}));
  EXPECT_TRUE(status.ok());
  EXPECT_EQ(bad.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(heap.GetThreshold(), (std::array<int64_t, 3>{10000, 10, 10}));
  EXPECT_EQ(count, (std::array<int64_t, 3>{0, 0, 0}));
}

TEST_F(TutorialTest, BoundPauses) {
  gc::Heap& heap = gc::Heap::Current();
  gc::Ref<Node> world = gc::Make<Node>("world");
  // [START bound_pauses]
  heap.Freeze();   // after start-up: what is alive now is never examined
  heap.Disable();  // no automatic collections from here on
  // At each idle point of the loop, the young generation only (short):
  heap.Collect(0);
  // At a loading screen, say, everything but the frozen objects:
  heap.Collect();
  // [END bound_pauses]
  EXPECT_EQ(heap.GetFreezeCount(), 1);
  EXPECT_FALSE(heap.IsEnabled());
  EXPECT_TRUE(heap.GetObjects(2).empty());  // the world is frozen
  heap.Unfreeze();
  heap.Enable();
}

TEST_F(TutorialTest, PauseBudget) {
  gc::Heap& heap = gc::Heap::Current();
  gc::Ref<Node> cycle = gc::Make<Node>("cycle");
  cycle->parent = cycle;
  cycle.reset();  // cyclic garbage
  heap.ScheduleCollection();
  // [START pause_budget]
  absl::Status on = heap.SetPauseBudget(absl::Milliseconds(1));  // zero: off
  // At idle points of the loop, if there are any:
  while (heap.Step(absl::Milliseconds(2))) {}
  // Pauses longer than the budget, if any:
  int64_t overruns = heap.GetStats()[2].overruns;
  // [END pause_budget]
  EXPECT_TRUE(on.ok());
  EXPECT_GE(overruns, 0);
  EXPECT_EQ(heap.GetStats()[2].collections, 1);  // the round ran
  EXPECT_EQ(Node::destroyed, 1);
  EXPECT_TRUE(heap.SetPauseBudget(absl::ZeroDuration()).ok());
}

TEST_F(TutorialTest, RegisterCollectionCallbacks) {
  testing::internal::CaptureStdout();
  // [START callbacks]
  gc::Heap& heap = gc::Heap::Current();
  gc::CallbackId id =
      heap.AddCallback([](gc::Phase phase, const gc::CollectionInfo& info) {
        std::printf("%s: generation=%d collected=%lld uncollectable=%lld\n",
                    phase == gc::Phase::kStart ? "start" : "stop",
                    info.generation, static_cast<long long>(info.collected),
                    static_cast<long long>(info.uncollectable));
      });
  heap.Collect();  // prints a "start: generation=2 ..." and a "stop: ..." line
  heap.RemoveCallback(id);
  // [END callbacks]
  EXPECT_EQ(testing::internal::GetCapturedStdout(),
            "start: generation=2 collected=0 uncollectable=0\n"
            "stop: generation=2 collected=0 uncollectable=0\n");
}

// The README's report snippet, on the current heap: the lines it got, and
// the stats. Its sink is gone when it returns.
std::pair<std::vector<std::string>, std::array<gc::GenerationStats, 3>>
RunReportsSnippet() {
  gc::Heap& heap = gc::Heap::Current();
  // [START reports]
  std::vector<std::string> report;  // or your logger
  // Lines go to `report` until `sink` goes (before `report` does).
  gc::ScopedReportSink sink(
      heap, [&report](std::string_view line) { report.emplace_back(line); });
  heap.SetDebug(gc::kDebugStats);  // CPython's lines for each collection
  heap.SetSlowCollectionThreshold(absl::Milliseconds(1));  // and slow ones
  heap.Collect(0);
  std::array<gc::GenerationStats, 3> stats = heap.GetStats();
  // stats[0].collections == 1; also .collected, .uncollectable,
  // .candidates (objects examined) and .total_duration (wall clock)
  // [END reports]
  heap.SetDebug(0);
  return {report, stats};
}

TEST_F(TutorialTest, StatsAndReports) {
  const auto [report, stats] = RunReportsSnippet();
  EXPECT_EQ(stats[0].collections, 1);
  ASSERT_FALSE(report.empty());
  EXPECT_EQ(report.front(), "gc: collecting generation 0...");
  // "done" ends the kDebugStats lines; a "slow collection" line follows it
  // when the collection took longer than 1 ms (a preempted thread, say).
  auto done = std::find_if(report.begin(), report.end(), [](const auto& line) {
    return line.rfind("gc: done, 0 unreachable", 0) == 0;
  });
  ASSERT_NE(done, report.end());
  const std::ptrdiff_t after = report.end() - done - 1;
  ASSERT_LE(after, 1);
  if (after == 1) {
    EXPECT_EQ(report.back().rfind("gc: slow collection of generation 0: ", 0),
              0u);
  }
}

// The README's report snippet on a thread's default heap, which that thread
// then leaves with a survivor and its sink set by hand to a local that is
// gone: the heap's last reports go to stderr, and no sink is called after
// the thread's code returned (tools/test.sh runs this under ASan too).
TEST(ReadmeDefaultHeapTest, ReportsSnippetThenThreadExitCallsNoSink) {
  static gc::Ref<Node> survivor;  // keeps a cycle past the thread's heap
  static bool thread_code_done = false;
  static int sink_calls_after_exit = 0;
  std::vector<std::string> report;
  std::thread thread([&report] {
    report = RunReportsSnippet().first;
    std::vector<std::string> local;  // the mistake: gone before the heap
    gc::Heap::Current().SetReportSink([&local](std::string_view line) {
      if (thread_code_done) ++sink_calls_after_exit;
      local.emplace_back(line);
    });
    survivor = gc::Make<Node>("survivor");
    survivor->parent = survivor;
    thread_code_done = true;
  });
  thread.join();
  EXPECT_FALSE(report.empty());
  EXPECT_EQ(sink_calls_after_exit, 0);
  EXPECT_FALSE(gc::IsTracked(*survivor));  // its heap is gone
  survivor->parent.reset();
  survivor.reset();
}

TEST_F(TutorialTest, UseWeakParentPointers) {
  // [START weak_parents]
  gc::Ref<TreeNode> root = gc::Make<TreeNode>();
  gc::Ref<TreeNode> leaf = gc::Make<TreeNode>();
  leaf->parent = root;
  root->children.push_back(leaf);
  if (gc::Ref<TreeNode> up = leaf->parent.Lock()) {
    // `up` keeps the parent alive while it is used.
  }
  root.reset();  // no cycle: the root dies here, by reference counting
  bool orphan = leaf->parent.expired();  // true
  // [END weak_parents]
  EXPECT_TRUE(orphan);
  EXPECT_EQ(heap_.Collect(), 0);  // nothing was left for the collector
}

TEST_F(TutorialTest, PromiseAcyclic) {
  const std::array<int64_t, 3> count_before = heap_.GetCount();
  // [START acyclic_use]
  gc::Ref<Element> page = gc::Make<Element>();
  gc::Ref<Element> para = gc::Make<Element>();
  para->parent = page;
  page->children.push_back(para);
  bool tracked = gc::IsTracked(*para);  // false: never examined
  page.reset();  // the whole tree dies here, by reference counting
  // [END acyclic_use]
  EXPECT_FALSE(tracked);
  EXPECT_EQ(heap_.GetCount(), count_before);  // no tracked allocation
  EXPECT_TRUE(para->parent.expired());
  EXPECT_EQ(heap_.LiveObjects(), 1);
}

// --- The README shows exactly the snippets --------------------------------

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::string> SplitLines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// The lines between "// [START name]" and "// [END name]", by name, with
// the indentation they share removed.
void AddSnippets(const std::string& source,
                 std::map<std::string, std::string>& snippets) {
  std::string name;
  std::vector<std::string> body;
  for (const std::string& line : SplitLines(source)) {
    const size_t indent = line.find_first_not_of(' ');
    const std::string_view text = indent == std::string::npos
                                      ? ""
                                      : std::string_view(line).substr(indent);
    if (text.rfind("// [START ", 0) == 0) {
      name = std::string(text.substr(10, text.size() - 11));
      body.clear();
    } else if (!name.empty() && text == "// [END " + name + "]") {
      size_t common = std::string::npos;
      for (const std::string& l : body) {
        if (!l.empty()) common = std::min(common, l.find_first_not_of(' '));
      }
      std::string& out = snippets[name];
      for (const std::string& l : body) {
        out += (l.empty() ? l : l.substr(common)) + "\n";
      }
      name.clear();
    } else if (!name.empty()) {
      body.push_back(line);
    }
  }
}

// The contents of the ```cpp blocks of a Markdown text.
std::vector<std::string> CppBlocks(const std::string& markdown) {
  std::vector<std::string> blocks;
  bool in_block = false;
  for (const std::string& line : SplitLines(markdown)) {
    if (!in_block && line == "```cpp") {
      in_block = true;
      blocks.emplace_back();
    } else if (in_block && line == "```") {
      in_block = false;
    } else if (in_block) {
      blocks.back() += line + "\n";
    }
  }
  return blocks;
}

TEST(ReadmeTest, EveryCppBlockIsASnippetOfExamples) {
  const std::string readme = ReadFile("README.md");
  ASSERT_FALSE(readme.empty()) << "README.md is missing from the runfiles";
  std::map<std::string, std::string> snippets;
  for (const auto& entry : std::filesystem::directory_iterator("examples")) {
    if (entry.path().extension() == ".cc") {
      AddSnippets(ReadFile(entry.path()), snippets);
    }
  }
  ASSERT_FALSE(snippets.empty()) << "no examples/*.cc in the runfiles";
  std::set<std::string> shown;
  for (const std::string& block : CppBlocks(readme)) {
    bool found = false;
    for (const auto& [name, text] : snippets) {
      if (text == block) {
        found = true;
        shown.insert(name);
      }
    }
    EXPECT_TRUE(found) << "This README block is no snippet of examples/:\n"
                       << block;
  }
  for (const auto& [name, text] : snippets) {
    EXPECT_TRUE(shown.count(name) == 1)
        << "Snippet [" << name << "] is not in the README as it is:\n"
        << text;
  }
}

}  // namespace
