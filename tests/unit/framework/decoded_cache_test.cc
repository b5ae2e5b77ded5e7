// DecodedCache: hits only on byte-identical bytes, stays within its bounds,
// and stays consistent under concurrent use.
#include "core/framework/decoded_cache.h"

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace coffer::core::framework {
namespace {

// A value that remembers the bytes it was "decoded" from, so a test can
// check that a hit belongs to the bytes asked about.
struct Decoded {
  std::string from;
};

std::shared_ptr<const Decoded> Decode(const std::string& bytes) {
  return std::make_shared<const Decoded>(Decoded{bytes});
}

TEST(DecodedCacheTest, HitsOnlyOnIdenticalBytes) {
  DecodedCache<Decoded> cache(16, 1 << 20);
  EXPECT_EQ(cache.Find("k", "v1"), nullptr);
  auto value = Decode("v1");
  cache.Insert("k", "v1", value);
  EXPECT_EQ(cache.Find("k", "v1"), value);
  EXPECT_EQ(cache.Find("k", "v2"), nullptr);
  EXPECT_EQ(cache.Find("k", "v1 "), nullptr);
  EXPECT_EQ(cache.Find("k", "v"), nullptr);
  EXPECT_EQ(cache.Find("k", ""), nullptr);
  EXPECT_EQ(cache.Find("other", "v1"), nullptr);
}

TEST(DecodedCacheTest, InsertReplacesTheEntryOfAKey) {
  DecodedCache<Decoded> cache(16, 1 << 20);
  cache.Insert("k", "v1", Decode("v1"));
  auto second = Decode("v2");
  cache.Insert("k", "v2", second);
  EXPECT_EQ(cache.Find("k", "v1"), nullptr);
  EXPECT_EQ(cache.Find("k", "v2"), second);
  EXPECT_EQ(cache.Size(), 1u);
  EXPECT_EQ(cache.StoredBytes(), 2u);
}

TEST(DecodedCacheTest, EntryBoundHolds) {
  constexpr size_t kMaxEntries = 64;
  DecodedCache<Decoded> cache(kMaxEntries, 1 << 20);
  for (int i = 0; i < 10000; ++i) {
    std::string key = "key/" + std::to_string(i);
    cache.Insert(key, "bytes", Decode("bytes"));
    ASSERT_LE(cache.Size(), kMaxEntries);
    // What was just inserted is there: eviction makes room first.
    ASSERT_NE(cache.Find(key, "bytes"), nullptr);
  }
  EXPECT_GT(cache.Size(), 0u);
}

TEST(DecodedCacheTest, ByteBoundHolds) {
  constexpr size_t kMaxBytes = 16 * 1024;
  DecodedCache<Decoded> cache(4096, kMaxBytes);
  std::string bytes(300, 'x');
  for (int i = 0; i < 5000; ++i) {
    cache.Insert("key/" + std::to_string(i), bytes, Decode(bytes));
    ASSERT_LE(cache.StoredBytes(), kMaxBytes);
  }
  EXPECT_GT(cache.Size(), 0u);
}

TEST(DecodedCacheTest, ValueTooBigForAShardIsNotKept) {
  DecodedCache<Decoded> cache(16, 16 * 100);  // 16 shards of 100 bytes
  std::string big(101, 'x');
  cache.Insert("k", big, Decode(big));
  EXPECT_EQ(cache.Find("k", big), nullptr);
  EXPECT_EQ(cache.Size(), 0u);
  // Nor does a too-big value leave the key's old entry behind.
  cache.Insert("k", "small", Decode("small"));
  cache.Insert("k", big, Decode(big));
  EXPECT_EQ(cache.Find("k", "small"), nullptr);
  EXPECT_EQ(cache.StoredBytes(), 0u);
}

TEST(DecodedCacheTest, SingleEntryCacheKeepsTheLatest) {
  DecodedCache<Decoded> cache(1, 4096);
  cache.Insert("a", "1", Decode("1"));
  cache.Insert("b", "2", Decode("2"));
  EXPECT_EQ(cache.Find("a", "1"), nullptr);
  EXPECT_NE(cache.Find("b", "2"), nullptr);
  EXPECT_EQ(cache.Size(), 1u);
}

// Readers and writers on a few keys at once: a hit is always the value
// decoded from exactly the bytes asked about, and the bounds hold.
TEST(DecodedCacheTest, ConcurrentFindsAndInsertsStayConsistent) {
  constexpr size_t kMaxEntries = 32;
  DecodedCache<Decoded> cache(kMaxEntries, 1 << 20);
  std::atomic<bool> wrong{false};
  std::atomic<int> hits{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 20000; ++i) {
        std::string key = "key/" + std::to_string((i * 7 + t) % 48);
        std::string bytes = key + "@" + std::to_string(i % 5);
        if (std::shared_ptr<const Decoded> hit = cache.Find(key, bytes)) {
          hits.fetch_add(1, std::memory_order_relaxed);
          if (hit->from != bytes) {
            wrong = true;
          }
        } else {
          cache.Insert(key, bytes, Decode(bytes));
        }
      }
    });
  }
  for (std::thread& thread : threads) {
    thread.join();
  }
  EXPECT_FALSE(wrong);
  EXPECT_GT(hits.load(), 0);
  EXPECT_LE(cache.Size(), kMaxEntries);
}

}  // namespace
}  // namespace coffer::core::framework
