// Copyright 2026 The cyclegc Authors.

#include "tests/reliability/stress.h"

#include <cstdio>
#include <cstring>

namespace gc_reliability {

gc::Ref<FanNode> MakeFanOut(int64_t width, int64_t* destroyed) {
  gc::Ref<FanNode> hub = gc::Make<FanNode>(destroyed);
  hub->edges.reserve(static_cast<size_t>(width));
  for (int64_t i = 0; i < width; ++i) {
    gc::Ref<FanNode> leaf = gc::Make<FanNode>(destroyed);
    leaf->edges.push_back(hub);
    hub->edges.push_back(std::move(leaf));
  }
  return hub;
}

int64_t BuildAndDropGraphs(int64_t scale, int64_t* destroyed) {
  int64_t made = 0;
  std::vector<gc::Ref<FanNode>> roots;
  std::vector<gc::WeakRef<FanNode>> weaks;
  // Rings of 100.
  for (int64_t ring = 0; ring < scale / 400; ++ring) {
    gc::Ref<FanNode> first = gc::Make<FanNode>(destroyed);
    gc::Ref<FanNode> last = first;
    for (int i = 1; i < 100; ++i) {
      last->edges.push_back(gc::Make<FanNode>(destroyed));
      last = last->edges.back();
    }
    last->edges.push_back(first);
    weaks.emplace_back(first);
    roots.push_back(std::move(first));
    made += 100;
  }
  // A fan-out.
  roots.push_back(MakeFanOut(scale / 4, destroyed));
  made += scale / 4 + 1;
  // Trees with parent pointers, fan-out 4 (iteratively, level by level).
  std::vector<gc::Ref<FanNode>> level = {gc::Make<FanNode>(destroyed)};
  roots.push_back(level.front());
  made += 1;
  while (made < scale) {
    std::vector<gc::Ref<FanNode>> next;
    for (const gc::Ref<FanNode>& parent : level) {
      for (int i = 0; i < 4 && made < scale; ++i, ++made) {
        gc::Ref<FanNode> child = gc::Make<FanNode>(destroyed);
        child->edges.push_back(parent);
        parent->edges.push_back(child);
        next.push_back(std::move(child));
      }
    }
    level = std::move(next);
  }
  level.clear();
  roots.clear();  // all of it is garbage now
  return made;
}

int64_t ResidentBytes() {
  std::FILE* file = std::fopen("/proc/self/status", "r");
  if (file == nullptr) return -1;
  char line[256];
  int64_t kib = -1;
  while (std::fgets(line, sizeof(line), file) != nullptr) {
    if (std::strncmp(line, "VmRSS:", 6) == 0) {
      long long value = 0;
      if (std::sscanf(line + 6, "%lld", &value) == 1) kib = value;
    }
  }
  std::fclose(file);
  return kib < 0 ? -1 : kib * 1024;
}

bool SanitizerKeepsMemory() {
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  return true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
  return true;
#endif
#endif
  return false;
}

}  // namespace gc_reliability
