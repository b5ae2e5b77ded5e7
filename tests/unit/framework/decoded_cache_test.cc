// DecodedCache: hits only on byte-identical bytes (or stored forms), stays within its bounds,
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

// The stored (sealed) form is a second identity of an entry: a hit needs
// the byte-identical stored form recorded with it, by Insert or by
// NoteStored after a hit on the opened bytes.
TEST(DecodedCacheTest, StoredFormHitsOnlyWhenRecordedAndIdentical) {
  DecodedCache<Decoded> cache(16, 1 << 20);
  auto value = Decode("v1");
  cache.Insert("k", "v1", value);  // write-through: no stored form known
  EXPECT_EQ(cache.FindStored("k", "v1"), nullptr);
  EXPECT_EQ(cache.FindStored("k", "sealed-1"), nullptr);

  cache.NoteStored("k", "v1", "sealed-1");
  EXPECT_EQ(cache.FindStored("k", "sealed-1"), value);
  EXPECT_EQ(cache.FindStored("k", "sealed-2"), nullptr);  // re-sealed, same plaintext
  EXPECT_EQ(cache.FindStored("k", "sealed-"), nullptr);
  EXPECT_EQ(cache.FindStored("other", "sealed-1"), nullptr);
  EXPECT_EQ(cache.Find("k", "v1"), value);

  // Noting a stored form for bytes the entry no longer holds changes nothing.
  auto newer = Decode("v2");
  cache.Insert("k", "v2", newer, std::string("sealed-3"));
  EXPECT_EQ(cache.FindStored("k", "sealed-1"), nullptr);
  EXPECT_EQ(cache.FindStored("k", "sealed-3"), newer);
  cache.NoteStored("k", "v1", "sealed-1");
  EXPECT_EQ(cache.FindStored("k", "sealed-1"), nullptr);
  EXPECT_EQ(cache.FindStored("k", "sealed-3"), newer);

  // Both forms count against the byte bound.
  EXPECT_EQ(cache.StoredBytes(), std::string("v2").size() + std::string("sealed-3").size());
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
