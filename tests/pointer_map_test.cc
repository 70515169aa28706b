// Copyright 2026 The cyclegc Authors.
//
// PointerMap (the heap's exception-safe side tables) against
// std::unordered_map, over random insertions and erasures.

#include "gc/internal/pointer_map.h"

#include <cstdint>
#include <random>
#include <unordered_map>
#include <vector>

#include "gtest/gtest.h"

namespace gc_test {
namespace {

using gc::internal::PointerMap;

TEST(PointerMapTest, EmptyMapFindsNothing) {
  PointerMap<int> map;
  int x = 0;
  EXPECT_TRUE(map.empty());
  EXPECT_EQ(map.Find(&x), nullptr);
  EXPECT_FALSE(map.Erase(&x));
}

TEST(PointerMapTest, AgreesWithUnorderedMapOverRandomOperations) {
  std::vector<int64_t> storage(4096);  // distinct, aligned addresses
  std::mt19937_64 random(12345);
  for (int round = 0; round < 20; ++round) {
    PointerMap<uint32_t> map;
    std::unordered_map<const void*, uint32_t> model;
    const size_t keys = 1 + random() % storage.size();
    for (int op = 0; op < 20000; ++op) {
      const void* key = &storage[random() % keys];
      switch (random() % 3) {
        case 0: {
          uint32_t value = static_cast<uint32_t>(random());
          map.GetOrInsert(key) = value;
          model[key] = value;
          break;
        }
        case 1:
          EXPECT_EQ(map.Erase(key), model.erase(key) == 1);
          break;
        default: {
          const uint32_t* found = map.Find(key);
          auto it = model.find(key);
          ASSERT_EQ(found != nullptr, it != model.end());
          if (found != nullptr) {
            EXPECT_EQ(*found, it->second);
          }
        }
      }
      ASSERT_EQ(map.size(), model.size());
    }
    size_t visited = 0;
    map.ForEach([&](const void* key, uint32_t value) {
      ++visited;
      EXPECT_EQ(model.at(key), value);
    });
    EXPECT_EQ(visited, model.size());
  }
}

}  // namespace
}  // namespace gc_test
