// Copyright 2026 The cyclegc Authors.

#include "gc/internal/remote_releases.h"

#include <cstring>

#include "gc/internal/heap_state.h"

namespace gc::internal {

HandleBlock* RemoteReleases::NewBlock(Object* object) {
  HandleBlock* block = new HandleBlock;  // may throw: nothing changed
  ObjectAccess::IncRef(object);
  block->object = object;
  block->remote = this;
  ++live_;
  return block;
}

bool RemoteReleases::OnOwner() const noexcept {
  return open() && heap_.owner_thread.load(std::memory_order_relaxed) ==
                       std::this_thread::get_id();
}

void RemoteReleases::Post(HandleBlock* block) noexcept {
  if (OnOwner()) {
    Release(block);
    return;
  }
  HandleBlock* head = queue_.load(std::memory_order_relaxed);
  do {
    block->next = head;
  } while (!queue_.compare_exchange_weak(head, block, std::memory_order_release,
                                         std::memory_order_relaxed));
}

void RemoteReleases::Release(HandleBlock* block) {
  Object* object = block->object;
  delete block;
  --live_;
  ObjectAccess::DecRef(object);  // may destroy it, and post more releases
}

void RemoteReleases::PushBlock(void* block) noexcept {
  void* head = blocks_.load(std::memory_order_relaxed);
  do {
    std::memcpy(block, &head, sizeof(void*));
  } while (!blocks_.compare_exchange_weak(
      head, block, std::memory_order_release, std::memory_order_relaxed));
}

int64_t RemoteReleases::Drain() {
  if (!open()) return 0;
  for (void* block = TakeBlocks(); block != nullptr;) {
    void* next;
    std::memcpy(&next, block, sizeof(void*));
    DeallocateOn(&heap_, block, ChunkOf(block)->size_class);
    block = next;
  }
  int64_t released = 0;
  HandleBlock* block = queue_.exchange(nullptr, std::memory_order_acquire);
  while (block != nullptr) {
    HandleBlock* next = block->next;
    Release(block);
    ++released;
    block = next;
  }
  return released;
}

int64_t RemoteReleases::Close() {
  Drain();
  open_.store(false, std::memory_order_release);
  return live_;
}

}  // namespace gc::internal
