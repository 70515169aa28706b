// Copyright 2026 The cyclegc Authors.
//
// Pictures and timelines: Heap::ToDot (rendered by Graphviz) and
// gc::CollectionTimeline (its Chrome trace parsed as JSON).

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "gc/gc.h"
#include "gtest/gtest.h"
#include "test_types.h"

namespace gc_test {
namespace {

using LeakPicturesTest = HeapTest;

std::string Address(const gc::Object* object) {
  return absl::StrCat("0x", absl::Hex(reinterpret_cast<uintptr_t>(object)));
}

bool Draws(const std::string& dot, const gc::Object* object) {
  return dot.find(Address(object) + "\\n") != std::string::npos;
}

// a -> b -> c -> d
struct Chain {
  Chain() {
    for (int i = 0; i < 4; ++i) nodes.push_back(gc::Make<Node>(i));
    for (int i = 0; i < 3; ++i) nodes[i]->children.push_back(nodes[i + 1]);
  }
  std::vector<gc::Ref<Node>> nodes;
};

std::string TempPath(const std::string& name) {
  const char* dir = std::getenv("TEST_TMPDIR");
  return absl::StrCat(dir != nullptr ? dir : "/tmp", "/", name);
}

// Runs `command` and returns its exit status and output (stdout + stderr).
std::pair<int, std::string> RunCommand(const std::string& command) {
  std::string output;
  std::FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return {-1, "popen failed"};
  char buffer[4096];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof(buffer), pipe)) > 0) {
    output.append(buffer, n);
  }
  return {::pclose(pipe), output};
}

// The first of `candidates` that exists, or "".
std::string FindTool(std::initializer_list<const char*> candidates) {
  for (const char* path : candidates) {
    if (std::ifstream(path).good()) return path;
  }
  return "";
}

void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream(path) << text;
}

std::string ReadFile(const std::string& path) {
  std::ostringstream text;
  text << std::ifstream(path).rdbuf();
  return text.str();
}

TEST_F(LeakPicturesTest, ToDotDrawsTheNeighbourhoodWithinDepth) {
  Chain chain;
  absl::StatusOr<std::string> dot =
      heap_.ToDot({chain.nodes[1]}, gc::DotOptions{.depth = 1});
  ASSERT_TRUE(dot.ok()) << dot.status();
  EXPECT_TRUE(Draws(*dot, chain.nodes[0].get()));  // referrer
  EXPECT_TRUE(Draws(*dot, chain.nodes[1].get()));
  EXPECT_TRUE(Draws(*dot, chain.nodes[2].get()));   // referent
  EXPECT_FALSE(Draws(*dot, chain.nodes[3].get()));  // two edges away
  EXPECT_NE(dot->find("n0 -> "), std::string::npos);
  EXPECT_EQ(dot->find("cut"), std::string::npos);

  dot = heap_.ToDot({chain.nodes[0]}, gc::DotOptions{.depth = 0});
  ASSERT_TRUE(dot.ok());
  EXPECT_TRUE(Draws(*dot, chain.nodes[0].get()));
  EXPECT_FALSE(Draws(*dot, chain.nodes[1].get()));
}

TEST_F(LeakPicturesTest, ToDotFollowsOnlyTheDirectionsAsked) {
  Chain chain;
  absl::StatusOr<std::string> down = heap_.ToDot(
      {chain.nodes[1]}, gc::DotOptions{.depth = 5, .referrers = false});
  ASSERT_TRUE(down.ok());
  EXPECT_FALSE(Draws(*down, chain.nodes[0].get()));
  EXPECT_TRUE(Draws(*down, chain.nodes[3].get()));

  absl::StatusOr<std::string> up = heap_.ToDot(
      {chain.nodes[2]}, gc::DotOptions{.depth = 5, .referents = false});
  ASSERT_TRUE(up.ok());
  EXPECT_TRUE(Draws(*up, chain.nodes[0].get()));
  EXPECT_FALSE(Draws(*up, chain.nodes[3].get()));
}

TEST_F(LeakPicturesTest, ToDotCutsAtMaxNodesAndSaysSo) {
  gc::Ref<Node> hub = gc::Make<Node>();
  for (int i = 0; i < 10; ++i) hub->children.push_back(gc::Make<Node>(i));
  absl::StatusOr<std::string> dot =
      heap_.ToDot({hub}, gc::DotOptions{.max_nodes = 4});
  ASSERT_TRUE(dot.ok());
  EXPECT_TRUE(Draws(*dot, hub.get()));
  EXPECT_NE(dot->find("  n3 ["), std::string::npos);
  EXPECT_EQ(dot->find("  n4 ["), std::string::npos);
  EXPECT_NE(dot->find("cut at max_nodes = 4: 7 more objects within depth 2"),
            std::string::npos)
      << *dot;
}

TEST_F(LeakPicturesTest, ToDotShowsReferencesFromOutside) {
  gc::Ref<Node> held = gc::Make<Node>();
  gc::Ref<Node> child = gc::Make<Node>();
  held->children.push_back(child);
  absl::StatusOr<std::string> dot = heap_.ToDot({held});
  ASSERT_TRUE(dot.ok());
  // `held`: our local only; `child`: our local and `held`. The Refs passed
  // to ToDot are not counted.
  EXPECT_NE(dot->find(Address(held.get()) + "\\nrefcount 1, 1 from outside"),
            std::string::npos)
      << *dot;
  EXPECT_NE(dot->find(Address(child.get()) + "\\nrefcount 2, 1 from outside"),
            std::string::npos)
      << *dot;
}

TEST_F(LeakPicturesTest, ToDotDrawsCyclicGarbageInsideClusterGarbage) {
  gc::Ref<Node> live = gc::Make<Node>();
  gc::Ref<Link> ring = MakeRing(3);
  gc::Object* member = ring->next.get();
  ring.reset();
  live->children.push_back(gc::Make<Node>());
  // The list's own reference to `member` is not one from outside.
  absl::StatusOr<std::string> dot =
      heap_.ToDot({live, gc::Ref<gc::Object>(member)});
  ASSERT_TRUE(dot.ok());
  const size_t cluster = dot->find("subgraph cluster_garbage {");
  ASSERT_NE(cluster, std::string::npos) << *dot;
  const size_t cluster_end = dot->find("\n  }\n", cluster);
  const std::string inside = dot->substr(cluster, cluster_end - cluster);
  EXPECT_EQ(std::count(inside.begin(), inside.end(), '['), 3) << inside;
  EXPECT_FALSE(Draws(inside, live.get()));
  EXPECT_EQ(Collect(), 3);
}

TEST_F(LeakPicturesTest, ToDotRejectsBadOptionsAndChangesNothing) {
  gc::Ref<Node> x = gc::Make<Node>();
  absl::StatusOr<std::string> dot =
      heap_.ToDot({x}, gc::DotOptions{.depth = -1});
  EXPECT_EQ(dot.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(dot.status().message().find("depth"), absl::string_view::npos);
  dot = heap_.ToDot({x}, gc::DotOptions{.max_nodes = 0});
  EXPECT_EQ(dot.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(dot.status().message().find("max_nodes"), absl::string_view::npos);
  dot = heap_.ToDot({x, nullptr});
  EXPECT_EQ(dot.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(gc::RefCount(*x), 1);
}

TEST_F(LeakPicturesTest, ToDotDuringACollectionIsAFailedPrecondition) {
  gc::Ref<Node> x = gc::Make<Node>();
  absl::Status status;
  ScopedCallback callback(heap_, [&](gc::Phase, const gc::CollectionInfo&) {
    status = heap_.ToDot({x}).status();
  });
  Collect();
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(LeakPicturesTest, ToDotOutputRendersWithGraphviz) {
  const std::string dot_tool = FindTool({"/usr/bin/dot", "/usr/local/bin/dot"});
  ASSERT_FALSE(dot_tool.empty())
      << "Graphviz `dot` is not installed: run tools/install_deps.sh";
  gc::Ref<Node> hub = gc::Make<Node>();
  for (int i = 0; i < 6; ++i) hub->children.push_back(gc::Make<Node>(i));
  hub->children[0]->parent = hub;
  gc::Ref<Link> ring = MakeRing(3);
  gc::Object* member = ring->next.get();
  ring.reset();
  gc::Ref<gc::Object> leaf = gc::Make<Leaf>();
  absl::StatusOr<std::string> dot = heap_.ToDot(
      {hub, gc::Ref<gc::Object>(member), leaf}, gc::DotOptions{.max_nodes = 6});
  ASSERT_TRUE(dot.ok());
  ASSERT_NE(dot->find("cluster_garbage"), std::string::npos);
  ASSERT_NE(dot->find("cut at"), std::string::npos);
  const std::string in = TempPath("picture.dot");
  const std::string out = TempPath("picture.svg");
  WriteFile(in, *dot);
  auto [status, output] =
      RunCommand(absl::StrCat(dot_tool, " -Tsvg -o ", out, " ", in));
  EXPECT_EQ(status, 0) << output;
  EXPECT_EQ(output, "") << "dot complained:\n" << output;
  const std::string svg = ReadFile(out);
  EXPECT_NE(svg.find("<svg"), std::string::npos);
  EXPECT_NE(svg.find("<title>cluster_garbage</title>"), std::string::npos);
  EXPECT_EQ(Collect(), 3);
}

TEST_F(LeakPicturesTest, TimelineRecordsAutomaticAndManualCollections) {
  ASSERT_TRUE(heap_.SetThreshold(10, 10, 10).ok());
  gc::CollectionTimeline timeline(heap_);
  std::vector<gc::Ref<Node>> kept;
  for (int i = 0; i < 25; ++i) kept.push_back(gc::Make<Node>(i));  // 2 auto
  gc::Ref<Link> ring = MakeRing(4);
  ring.reset();
  Collect(1);
  const std::vector<gc::CollectionRecord>& records = timeline.records();
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0].generation, 0);
  EXPECT_EQ(records[0].candidates, 11);
  EXPECT_EQ(records[0].generation_sizes, (std::array<int64_t, 3>{0, 11, 0}));
  EXPECT_EQ(records[1].generation, 0);
  EXPECT_EQ(records[1].generation_sizes, (std::array<int64_t, 3>{0, 22, 0}));
  EXPECT_EQ(records[2].generation, 1);
  EXPECT_EQ(records[2].collected, 4);
  EXPECT_EQ(records[2].generation_sizes, (std::array<int64_t, 3>{0, 0, 25}));
  EXPECT_LE(records[0].start, records[1].start);
  for (int g = 0; g < 3; ++g) {  // the counts match the objects listed
    EXPECT_EQ(records[2].generation_sizes[g],
              static_cast<int64_t>(heap_.GetObjects(g).size()));
  }
  heap_.Freeze();
  Collect();
  ASSERT_EQ(records.size(), 4u);
  EXPECT_EQ(records[3].permanent, 25);
  heap_.Unfreeze();
}

TEST_F(LeakPicturesTest, TimelineStopsRecordingWhenDestroyed) {
  gc::CollectionTimeline outer(heap_);
  {
    gc::CollectionTimeline inner(heap_);
    Collect();
    EXPECT_EQ(inner.records().size(), 1u);
  }
  Collect(0);
  EXPECT_EQ(outer.records().size(), 2u);
}

TEST_F(LeakPicturesTest, ChromeTraceIsTraceEventJson) {
  const std::string python = FindTool({"/usr/bin/python3"});
  ASSERT_FALSE(python.empty())
      << "python3 is not installed: run tools/install_deps.sh";
  gc::CollectionTimeline timeline(heap_);
  gc::Ref<Link> ring = MakeRing(5);
  ring.reset();
  Collect(0);
  Collect();
  const std::string trace = TempPath("trace.json");
  ASSERT_TRUE(timeline.WriteChromeTrace(trace).ok());
  const std::string script = TempPath("check_trace.py");
  WriteFile(script, R"(import json, sys
doc = json.load(open(sys.argv[1]))
events = doc["traceEvents"]
for e in events:
    for key in ("name", "ph", "ts", "pid", "tid", "args"):
        assert key in e, (key, e)
    assert isinstance(e["ts"], (int, float)) and e["ts"] >= 0, e
    assert isinstance(e["pid"], int) and isinstance(e["tid"], int), e
    assert e["ph"] in ("X", "C", "M"), e
complete = [e for e in events if e["ph"] == "X"]
counters = [e for e in events if e["ph"] == "C"]
for e in complete:
    assert isinstance(e["dur"], (int, float)) and e["dur"] >= 0, e
    for key in ("generation", "collected", "uncollectable", "candidates",
                "generation 0", "generation 1", "generation 2", "permanent"):
        assert isinstance(e["args"][key], int), (key, e)
for e in counters:
    assert all(isinstance(v, int) for v in e["args"].values()), e
print(" ".join("%s/%d/%d" % (e["name"], e["args"]["generation"],
                             e["args"]["collected"]) for e in complete),
      len(counters))
)");
  auto [status, output] =
      RunCommand(absl::StrCat(python, " ", script, " ", trace));
  EXPECT_EQ(status, 0) << output;
  EXPECT_EQ(output, "collect generation 0/0/5 collect generation 2/2/0 2\n");
}

TEST_F(LeakPicturesTest, UnwritableTracePathIsNamedAndRecordingGoesOn) {
  gc::CollectionTimeline timeline(heap_);
  Collect();
  const absl::Status status =
      timeline.WriteChromeTrace("/nonexistent-dir/trace.json");
  EXPECT_FALSE(status.ok());
  EXPECT_NE(status.message().find("\"/nonexistent-dir/trace.json\""),
            absl::string_view::npos)
      << status;
  Collect();
  EXPECT_EQ(timeline.records().size(), 2u);
  EXPECT_TRUE(timeline.WriteChromeTrace(TempPath("after.json")).ok());
}

}  // namespace
}  // namespace gc_test
