// Copyright 2026 The cyclegc Authors.
//
// The README's first program (between the markers, as it stands there): a
// parent and a child that point at each other, freed by the cycle collector.
// readme_snippets_test checks that the README shows this very text.

// [START first_program]
#include <cstdint>
#include <cstdio>
#include <vector>

#include "gc/gc.h"

class Node : public gc::Object {
 public:
  gc::Ref<Node> parent;                 // strong edge
  std::vector<gc::Ref<Node>> children;  // strong edges
  gc::WeakRef<Node> sibling;            // weak edge: never traced

  void Trace(gc::Visitor& visitor) override {  // report every strong edge
    visitor.Visit(parent);
    for (gc::Ref<Node>& child : children) visitor.Visit(child);
  }
};

int main() {
  gc::Ref<Node> root = gc::Make<Node>();
  gc::Ref<Node> child = gc::Make<Node>();
  child->parent = root;  // a cycle: root <-> child
  root->children.push_back(child);
  root.reset();
  child.reset();  // unreachable, but each still holds a reference
  const int64_t freed = gc::Heap::Current().Collect();  // trial deletion
  std::printf("the collector freed %lld objects\n",
              static_cast<long long>(freed));
  return freed == 2 ? 0 : 1;
}
// [END first_program]
