// Copyright 2026 The cyclegc Authors.
//
// Steps 1-4 of a round (gc/internal/round.h): gathering the members,
// subtracting their edges to each other, marking what is referenced from
// outside, and splitting the suspected into weakly connected groups. Each
// step stops at the pause's deadline after any member (Continue).

#include <algorithm>
#include <cstdint>
#include <new>
#include <vector>

#include "gc/internal/edge_visitor.h"
#include "gc/internal/heap_state.h"
#include "gc/internal/round.h"
#include "gc/internal/safe_trace.h"

namespace gc::internal {

// Traces member `member` and calls `on_member` with the index of each
// member it references. False if the Trace threw (reported).
template <typename Fn>
bool Round::TraceMembers(uint32_t member, Fn&& on_member) {
  const uint32_t match = kInRound | heap_.id_bits;
  EdgeVisitor visit([&](Object*& target) {
    if ((ObjectBits::Of(*target) & (kInRound | kHeapIdMask)) != match) return;
    on_member(IndexOf(target));
  });
  return SafeTrace(heap_, a_.members[member], visit);
}

// Step 1, walking the generations' slots down from the end.
bool Round::GatherStep() {
  const std::vector<Object*>& slots = heap_.lists[kListGenerations];
  while (cursor_ > 0) {
    --cursor_;
    if (cursor_ >= slots.size()) continue;  // compacted away
    Object* object = slots[cursor_];
    if (object == nullptr) continue;
    uint32_t& bits = ObjectBits::Of(*object);
    if (ObjectBits::InRound(bits)) continue;  // slid down from above
    const auto member = static_cast<uint32_t>(a_.members.size());
    const uint32_t refs = ObjectAccess::RefCountField(*object);
    try {
      a_.members.push_back(object);
      a_.counts.push_back(static_cast<int32_t>(refs));
      a_.links.push_back(refs);
      heap_.weak_cells.SetRoundMember(*object, member);
    } catch (const std::bad_alloc&) {
      a_.members.resize(member);
      a_.counts.resize(member);
      a_.links.resize(member);
      throw;
    }
    ObjectBits::SetInRound(bits);
    ++alive_;
    ++gathered_;
    if (!Continue()) return false;
  }
  stage_ = Stage::kSubtract;
  cursor_ = 0;
  return true;
}

// Step 2.
bool Round::SubtractStep() {
  while (cursor_ < a_.members.size()) {
    const auto member = static_cast<uint32_t>(cursor_++);
    if (a_.members[member] == nullptr) continue;
    TraceMembers(member, [&](uint32_t target) { --a_.counts[target]; });
    if (!Continue()) return false;
  }
  stage_ = Stage::kMark;
  cursor_ = 0;
  return true;
}

// Step 3.
bool Round::MarkStep() {
  std::vector<uint32_t>& stack = a_.stack;
  auto drain = [&] {
    while (!stack.empty()) {
      const uint32_t member = stack.back();
      stack.pop_back();
      if (a_.members[member] == nullptr) continue;
      TraceMembers(member, [&](uint32_t target) {
        if (a_.counts[target] == kReached) return;
        a_.counts[target] = kReached;
        stack.push_back(target);
      });
      if (!Continue()) return false;
    }
    return true;
  };
  if (!drain()) return false;
  while (cursor_ < a_.members.size()) {
    const auto member = static_cast<uint32_t>(cursor_++);
    // The member's gathered refcount is read here for the last time: its
    // place holds its union-find parent (itself) from here on.
    const int64_t gathered = a_.links[member];
    a_.links[member] = member;
    // A count at or below zero stays there (the references lost below only
    // lower it): the object is not read. Nor are the reached.
    if (a_.members[member] == nullptr || a_.counts[member] <= 0) {
      if (!Continue()) return false;
      continue;
    }
    // References gone since the gathering (their holders died, perhaps
    // before their Trace was subtracted) no longer count: the count may
    // only err low, which costs a verification, never a missed group.
    const int64_t now = ObjectAccess::RefCountField(*a_.members[member]);
    const int64_t lost = std::max<int64_t>(0, gathered - now);
    if (a_.counts[member] - lost <= 0) {
      if (!Continue()) return false;
      continue;
    }
    a_.counts[member] = kReached;
    stack.push_back(member);
    if (!drain()) return false;
  }
  stage_ = Stage::kGroup;
  cursor_ = 0;
  return true;
}

uint32_t Round::Find(uint32_t member) {
  std::vector<uint32_t>& parent = a_.links;
  uint32_t root = member;
  while (parent[root] != root) root = parent[root];
  while (parent[member] != root) {
    const uint32_t next = parent[member];
    parent[member] = root;
    member = next;
  }
  return root;
}

// Step 4: the suspected, joined along their edges to each other. A group's
// root is its member of the lowest index (a parent is never above its
// child).
bool Round::GroupStep() {
  while (cursor_ < a_.members.size()) {
    const auto member = static_cast<uint32_t>(cursor_++);
    if (Suspected(member)) {
      TraceMembers(member, [&](uint32_t target) {
        if (!Suspected(target)) return;
        const uint32_t a = Find(member);
        const uint32_t b = Find(target);
        if (a != b) a_.links[std::max(a, b)] = std::min(a, b);
      });
    }
    if (!Continue()) return false;
  }
  stage_ = Stage::kChain;
  cursor_ = 0;
  return true;
}

// Step 4, end: each group's members chained in a ring through its root.
// The members below the cursor point straight at their root, so the root of
// the member at the cursor is its parent's parent; a root is never above its
// members, so it comes first and starts its ring alone, and each further
// member goes in right after it: from the root's link, the ring runs down
// the index order and ends at the root. The links take the counts' place
// (the member's own, read first). A root forgotten (dead) since the
// grouping still holds its group's ring.
bool Round::ChainStep() {
  std::vector<uint32_t>& parent = a_.links;
  while (cursor_ < a_.members.size()) {
    const auto member = static_cast<uint32_t>(cursor_++);
    const uint32_t root = parent[parent[member]];
    parent[member] = root;
    if (member == root) {
      if (Suspected(member)) {
        ++suspected_;
        a_.roots.push_back(root);
        a_.counts[member] = static_cast<int32_t>(member);
      } else if (a_.members[member] == nullptr &&
                 a_.counts[member] != kReached) {
        // Forgotten since the grouping, perhaps the root of a group that
        // lives on: its ring starts, the group is listed by its first
        // suspected member.
        a_.counts[member] = static_cast<int32_t>(member);
      }
    } else if (Suspected(member)) {
      ++suspected_;
      if (a_.members[root] == nullptr &&
          a_.counts[root] == static_cast<int32_t>(root)) {
        a_.roots.push_back(root);
      }
      a_.counts[member] = a_.counts[root];
      a_.counts[root] = static_cast<int32_t>(member);
    }
    if (!Continue()) return false;
  }
  stage_ = Stage::kVerify;
  cursor_ = 0;
  return true;
}

}  // namespace gc::internal
