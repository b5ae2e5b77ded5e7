// The lmdb backend under many concurrent writers, whose writes are grouped
// into shared transactions: every acknowledged write is there afterwards,
// each Transaction is seen whole or not at all, and a write that fails
// inside a batch takes no other caller's write down with it.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "status_testing.h"
#include "storage/backend.h"
#include "temp_dir.h"

namespace coffer::storage::testing {
namespace {

std::unique_ptr<Backend> OpenLmdb(const TempDir& dir, const std::string& map_size = "") {
  BackendConfig config{{"path", dir.path()}};
  if (!map_size.empty()) {
    config["map_size"] = map_size;
  }
  auto backend = OpenBackend("lmdb", config);
  EXPECT_TRUE(IsOk(backend));
  return backend.ok() ? std::move(backend).value() : nullptr;
}

// RunThreads runs body(0) .. body(n-1) on n threads and joins them.
template <typename Body>
void RunThreads(size_t n, Body body) {
  std::vector<std::thread> threads;
  for (size_t t = 0; t < n; ++t) {
    threads.emplace_back(body, t);
  }
  for (std::thread& thread : threads) {
    thread.join();
  }
}

std::string KeyOf(size_t thread, size_t i) {
  return "w/" + std::to_string(thread) + "/" + std::to_string(i);
}

TEST(LmdbConcurrentWriteTest, SixtyFourWritersAllSucceedAndEveryValueIsReadable) {
  TempDir dir;
  std::unique_ptr<Backend> backend = OpenLmdb(dir);
  ASSERT_NE(backend, nullptr);
  constexpr size_t kThreads = 64;
  constexpr size_t kPuts = 20;
  RunThreads(kThreads, [&](size_t t) {
    for (size_t i = 0; i < kPuts; ++i) {
      EXPECT_TRUE(IsOk(backend->Put(KeyOf(t, i), "v" + KeyOf(t, i)))) << KeyOf(t, i);
    }
    // Deletes and transactions ride in the same batches as the puts.
    EXPECT_TRUE(IsOk(backend->Delete(KeyOf(t, 0))));
    EXPECT_TRUE(IsOk(backend->Transaction(
        {TxnOp::Put(KeyOf(t, kPuts), "t"), TxnOp::Delete(KeyOf(t, 1))})));
  });
  for (size_t t = 0; t < kThreads; ++t) {
    EXPECT_TRUE(HasCode(backend->Get(KeyOf(t, 0)), Code::kNotFound));
    EXPECT_TRUE(HasCode(backend->Get(KeyOf(t, 1)), Code::kNotFound));
    for (size_t i = 2; i < kPuts; ++i) {
      auto got = backend->Get(KeyOf(t, i));
      ASSERT_TRUE(IsOk(got)) << KeyOf(t, i);
      EXPECT_EQ(*got, "v" + KeyOf(t, i));
    }
    auto got = backend->Get(KeyOf(t, kPuts));
    ASSERT_TRUE(IsOk(got));
    EXPECT_EQ(*got, "t");
  }
}

// Writers put and then delete five keys per Transaction while readers list
// them: a List is one snapshot, so it must see all five or none.
TEST(LmdbConcurrentWriteTest, ConcurrentTransactionsAreSeenWholeOrNotAtAll) {
  TempDir dir;
  std::unique_ptr<Backend> backend = OpenLmdb(dir);
  ASSERT_NE(backend, nullptr);
  constexpr size_t kWriters = 16;
  constexpr size_t kRounds = 10;
  constexpr size_t kKeys = 5;
  std::atomic<size_t> writers_left{kWriters};
  RunThreads(kWriters + 2, [&](size_t t) {
    if (t >= kWriters) {
      do {
        for (size_t w = 0; w < kWriters; ++w) {
          auto names = backend->List("atom/" + std::to_string(w) + "/");
          ASSERT_TRUE(IsOk(names));
          EXPECT_TRUE(names->empty() || names->size() == kKeys) << names->size();
        }
      } while (writers_left.load() > 0);
      return;
    }
    const std::string prefix = "atom/" + std::to_string(t) + "/";
    for (size_t round = 0; round < kRounds; ++round) {
      std::vector<TxnOp> puts;
      std::vector<TxnOp> deletes;
      for (size_t k = 0; k < kKeys; ++k) {
        puts.push_back(TxnOp::Put(prefix + std::to_string(k), std::to_string(round)));
        deletes.push_back(TxnOp::Delete(prefix + std::to_string(k)));
      }
      EXPECT_TRUE(IsOk(backend->Transaction(puts)));
      EXPECT_TRUE(IsOk(backend->Transaction(deletes)));
    }
    std::vector<TxnOp> last;
    for (size_t k = 0; k < kKeys; ++k) {
      last.push_back(TxnOp::Put(prefix + std::to_string(k), "last"));
    }
    EXPECT_TRUE(IsOk(backend->Transaction(last)));
    --writers_left;
  });
  for (size_t w = 0; w < kWriters; ++w) {
    auto names = backend->List("atom/" + std::to_string(w) + "/");
    ASSERT_TRUE(IsOk(names));
    EXPECT_EQ(names->size(), kKeys);
  }
}

// A 1 MiB map fills many times over while batches are in flight; each
// batch that hits MDB_MAP_FULL grows the map and runs again.
TEST(LmdbConcurrentWriteTest, MapGrowsWhileBatchesAreInFlight) {
  TempDir dir;
  std::unique_ptr<Backend> backend = OpenLmdb(dir, "1MB");
  ASSERT_NE(backend, nullptr);
  const std::string value(size_t{96} << 10, 'g');
  constexpr size_t kThreads = 24;
  constexpr size_t kPuts = 4;  // 9 MiB in all
  RunThreads(kThreads, [&](size_t t) {
    for (size_t i = 0; i < kPuts; ++i) {
      EXPECT_TRUE(IsOk(backend->Put(KeyOf(t, i), value + KeyOf(t, i)))) << KeyOf(t, i);
    }
  });
  for (size_t t = 0; t < kThreads; ++t) {
    for (size_t i = 0; i < kPuts; ++i) {
      auto got = backend->Get(KeyOf(t, i));
      ASSERT_TRUE(IsOk(got)) << KeyOf(t, i);
      EXPECT_TRUE(*got == value + KeyOf(t, i)) << KeyOf(t, i);
    }
  }
}

// A Transaction whose value cannot fit even after the map has grown as far
// as the backend allows (256x its 1 MiB start) fails inside LMDB, in the
// middle of batches of other writers: it applies nothing, and every other
// writer's puts still succeed.
TEST(LmdbConcurrentWriteTest, TransactionThatCannotFitFailsAloneAmongOtherWriters) {
  TempDir dir;
  std::unique_ptr<Backend> backend = OpenLmdb(dir, "1MB");
  ASSERT_NE(backend, nullptr);
  constexpr size_t kWriters = 16;
  constexpr size_t kMinPuts = 10;
  std::atomic<bool> huge_done{false};
  std::vector<size_t> puts(kWriters, 0);
  Status huge_status;
  // Built before the writers start: while it is being filled they would
  // otherwise write enough to grow the map once or twice, and 8 doublings
  // from a bigger map would let the huge value fit.
  const std::string huge(size_t{260} << 20, 'h');
  RunThreads(kWriters + 1, [&](size_t t) {
    if (t == kWriters) {
      huge_status = backend->Transaction({TxnOp::Put("huge/marker", "m"),
                                          TxnOp::Put("huge/value", huge)});
      huge_done = true;
      return;
    }
    // Keep writing until the huge transaction is over, so batches around
    // it always have other writers in them. They overwrite the same few
    // keys: the store must not grow from their writes (however many there
    // are before the huge transaction starts, on a loaded machine), or the
    // map the huge one starts from could be big enough for it to fit.
    for (size_t i = 0; i < kMinPuts || !huge_done.load(); ++i) {
      const std::string key = KeyOf(t, i % kMinPuts);
      EXPECT_TRUE(IsOk(backend->Put(key, "v"))) << key;
      puts[t] = std::min(i + 1, kMinPuts);
    }
  });
  EXPECT_TRUE(HasCode(huge_status, Code::kIOError));
  EXPECT_TRUE(HasCode(backend->Get("huge/marker"), Code::kNotFound));
  EXPECT_TRUE(HasCode(backend->Get("huge/value"), Code::kNotFound));
  for (size_t t = 0; t < kWriters; ++t) {
    for (size_t i = 0; i < puts[t]; ++i) {
      ASSERT_TRUE(IsOk(backend->Get(KeyOf(t, i)))) << KeyOf(t, i);
    }
  }
  // The store still takes writes afterwards.
  EXPECT_TRUE(IsOk(backend->Put("after", "v")));
}

}  // namespace
}  // namespace coffer::storage::testing
