// Copyright 2026 The cyclegc Authors.
//
// leak_hunt: a small server that leaks the way real programs do, and the
// leak-hunting tools that find out why.
//
//   * A document cache that keeps what it should have dropped: every
//     request's Document stays in it, pages and all.
//   * A session cycle through an object that needs ordered destruction: a
//     Connection flushes its Session's log in its destructor, so the
//     collector will not break the cycle; it lands in Heap::Garbage().
//
// Each round serves requests, collects, and prints the census and what grew.
// Then FindRootPath shows who holds a document, ToDot draws its
// neighbourhood (rendered to SVG when Graphviz `dot` is installed), and the
// collection timeline is written as a Chrome trace.
//
//   bazel run -c opt //examples:leak_hunt -- [--out=DIR] [--rounds=N]

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "gc/gc.h"

namespace leak_hunt {

class Document;

class Page : public gc::Object {
 public:
  gc::Ref<Document> document;  // back to its document: a cycle
  std::string text = std::string(64, 'x');
  void Trace(gc::Visitor& visitor) override { visitor.Visit(document); }
};

class Document : public gc::Object {
 public:
  std::vector<gc::Ref<Page>> pages;
  void Trace(gc::Visitor& visitor) override {
    for (gc::Ref<Page>& page : pages) visitor.Visit(page);
  }
};

// The culprit: documents go in and never come out.
class Cache : public gc::Object {
 public:
  absl::flat_hash_map<int64_t, gc::Ref<Document>> entries;
  void Trace(gc::Visitor& visitor) override {
    for (auto& [key, document] : entries) visitor.Visit(document);
  }
};

class Session;

// Its destructor uses its session, so a cycle through it must not be
// broken in arbitrary order.
class Connection : public gc::Object {
 public:
  gc::Ref<Session> session;
  bool RequiresOrderedDestruction() const override { return true; }
  void Trace(gc::Visitor& visitor) override { visitor.Visit(session); }
  ~Connection() override;
};

class Session : public gc::Object {
 public:
  gc::Ref<Connection> connection;  // and back: a cycle
  std::vector<std::string> log;
  void Trace(gc::Visitor& visitor) override { visitor.Visit(connection); }
};

Connection::~Connection() {
  if (session) session->log.push_back("connection closed");
}

gc::Ref<Document> MakeDocument() {
  gc::Ref<Document> document = gc::Make<Document>();
  for (int i = 0; i < 3; ++i) {
    document->pages.push_back(gc::Make<Page>());
    document->pages.back()->document = document;
  }
  return document;
}

// One request: renders a document (and caches it: the leak) over a session
// that is dropped afterwards (a cycle the collector must leave alone).
void Serve(Cache& cache, int64_t request) {
  gc::Ref<Session> session = gc::Make<Session>();
  session->connection = gc::Make<Connection>();
  session->connection->session = session;
  cache.entries[request] = MakeDocument();
}

void PrintCensus(gc::Heap& heap) {
  std::printf("  %-22s %8s %10s\n", "type", "objects", "bytes");
  for (const gc::TypeCount& row : heap.CountByType()) {
    std::printf("  %-22s %8lld %10lld\n", row.type_name.c_str(),
                static_cast<long long>(row.count),
                static_cast<long long>(row.bytes));
  }
}

// Prints each link of the chain that keeps `object` alive.
void PrintRootPath(gc::Heap& heap, const gc::Object& object) {
  // [START leak_hunt]
  std::vector<gc::Ref<gc::Object>> chain = heap.FindRootPath(object);
  for (size_t i = 0; i < chain.size(); ++i) {
    // chain[0] is held from outside the tracked objects (a local, a global,
    // an untracked object, Garbage()); each one holds the next.
    std::printf("  %s%s%s\n", i == 0 ? "" : "-> ",
                gc::TypeNameOf(*chain[i]).c_str(),
                i == 0 ? " (held from outside)" : "");
  }
  // [END leak_hunt]
}

std::string Flag(int argc, char** argv, absl::string_view name,
                 std::string fallback) {
  const std::string prefix = absl::StrCat("--", name, "=");
  for (int i = 1; i < argc; ++i) {
    absl::string_view arg = argv[i];
    if (arg.substr(0, prefix.size()) == prefix) {
      return std::string(arg.substr(prefix.size()));
    }
  }
  return fallback;
}

int Run(int argc, char** argv) {
  const std::string out = Flag(argc, argv, "out", "/tmp");
  int rounds = 3;
  if (!absl::SimpleAtoi(Flag(argc, argv, "rounds", "3"), &rounds)) return 2;
  gc::Heap heap;
  gc::HeapScope scope(heap);
  gc::CollectionTimeline timeline(heap);  // records from here on
  gc::Ref<Cache> cache = gc::Make<Cache>();
  gc::GrowthTracker growth(heap);

  std::printf("leak_hunt: %d rounds of 200 requests\n", rounds);
  int64_t request = 0;
  for (int round = 1; round <= rounds; ++round) {
    for (int i = 0; i < 200; ++i) Serve(*cache, request++);
    heap.Collect();
    std::printf("\nafter round %d: %zu objects in Garbage()\n", round,
                heap.Garbage().size());
    if (round == 1) PrintCensus(heap);
    std::printf("  grew since the last look:\n");
    for (const gc::TypeGrowth& g : growth.Update()) {
      std::printf("  %-22s %8lld (+%lld)\n", g.type_name.c_str(),
                  static_cast<long long>(g.count),
                  static_cast<long long>(g.delta));
    }
  }

  // Why is the first document still alive? And a session of Garbage()?
  Document* document = cache->entries[0].get();
  std::printf("\nwhy is a Document alive?\n");
  PrintRootPath(heap, *document);
  gc::Object* session = heap.Garbage()[0].get();
  std::printf("why is a %s alive?\n", gc::TypeNameOf(*session).c_str());
  PrintRootPath(heap, *session);

  // A picture: the document, an evicted document (now cyclic garbage: no
  // collection ran since), and a session cycle left in Garbage().
  Document* evicted = cache->entries[1].get();
  cache->entries.erase(1);
  absl::StatusOr<std::string> dot =
      heap.ToDot({gc::Ref<gc::Object>(document), gc::Ref<gc::Object>(evicted),
                  gc::Ref<gc::Object>(session)},
                 gc::DotOptions{.depth = 1, .max_nodes = 24});
  if (!dot.ok()) {
    std::fprintf(stderr, "%s\n", dot.status().ToString().c_str());
    return 1;
  }
  const std::string dot_path = absl::StrCat(out, "/leak_hunt.dot");
  const std::string svg_path = absl::StrCat(out, "/leak_hunt.svg");
  if (std::FILE* file = std::fopen(dot_path.c_str(), "w")) {
    std::fputs(dot->c_str(), file);
    std::fclose(file);
    std::printf("\npicture: %s\n", dot_path.c_str());
    if (std::system("command -v dot >/dev/null 2>&1") == 0) {
      const std::string render =
          absl::StrCat("dot -Tsvg -o '", svg_path, "' '", dot_path, "'");
      if (std::system(render.c_str()) == 0) {
        std::printf("rendered: %s\n", svg_path.c_str());
      }
    } else {
      std::printf("(install Graphviz to render it: dot -Tsvg %s)\n",
                  dot_path.c_str());
    }
  }

  // The timeline of every collection above.
  const std::string trace_path = absl::StrCat(out, "/leak_hunt_trace.json");
  absl::Status written = timeline.WriteChromeTrace(trace_path);
  if (written.ok()) {
    std::printf("timeline: %s (%zu collections; open in ui.perfetto.dev)\n",
                trace_path.c_str(), timeline.records().size());
  } else {
    std::printf("timeline: %s\n", written.ToString().c_str());
  }

  // Fix the leaks: empty the cache, break the sessions' cycles by hand.
  cache->entries.clear();
  for (gc::Ref<gc::Object>& object : heap.Garbage()) {
    if (auto c = gc::DynamicRefCast<Connection>(object)) c->session.reset();
  }
  heap.Garbage().clear();
  heap.Collect();
  std::printf("after the fix: %lld tracked objects left (the cache)\n",
              static_cast<long long>(heap.GetObjects().size()));
  return 0;
}

}  // namespace leak_hunt

int main(int argc, char** argv) { return leak_hunt::Run(argc, argv); }
