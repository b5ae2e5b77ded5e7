#include "engines/database/connection_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

namespace coffer::engines::database {
namespace {

using namespace std::chrono_literals;

struct FakeConn {
  explicit FakeConn(int id, std::atomic<int>* closed) : id(id), closed(closed) {}
  ~FakeConn() { closed->fetch_add(1); }
  int id;
  std::atomic<int>* closed;
};

// Harness owns a pool of FakeConns with a controllable clock and factory.
struct Harness {
  explicit Harness(int max_open, std::chrono::seconds lifetime = 0s,
                   std::chrono::milliseconds wait = 200ms) {
    ConnectionPool<FakeConn>::Options options;
    options.max_open = max_open;
    options.max_lifetime = lifetime;
    options.wait_timeout = wait;
    options.now = [this] { return now; };
    pool = std::make_unique<ConnectionPool<FakeConn>>(
        options, [this]() -> Result<std::unique_ptr<FakeConn>> {
          if (fail) {
            return Status::Unavailable("down");
          }
          return std::make_unique<FakeConn>(++opened, &closed);
        });
  }
  std::chrono::steady_clock::time_point now{};
  bool fail = false;
  std::atomic<int> opened{0};
  std::atomic<int> closed{0};
  std::unique_ptr<ConnectionPool<FakeConn>> pool;
};

TEST(ConnectionPoolTest, ReusesReleasedConnection) {
  Harness h(2);
  {
    auto lease = h.pool->Acquire();
    ASSERT_TRUE(lease.ok());
    EXPECT_EQ((*lease)->id, 1);
    EXPECT_FALSE(lease->reused());
  }
  auto again = h.pool->Acquire();
  ASSERT_TRUE(again.ok());
  EXPECT_EQ((*again)->id, 1);
  EXPECT_TRUE(again->reused());
  EXPECT_EQ(h.opened, 1);
  EXPECT_EQ(h.pool->open_count(), 1);
}

TEST(ConnectionPoolTest, OpensUpToMaxThenTimesOut) {
  Harness h(2, 0s, 50ms);
  auto a = h.pool->Acquire();
  auto b = h.pool->Acquire();
  ASSERT_TRUE(a.ok());
  ASSERT_TRUE(b.ok());
  auto start = std::chrono::steady_clock::now();
  auto c = h.pool->Acquire();
  EXPECT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), Code::kUnavailable);
  EXPECT_GE(std::chrono::steady_clock::now() - start, 50ms);
  EXPECT_EQ(h.opened, 2);
}

TEST(ConnectionPoolTest, WaiterGetsReleasedConnection) {
  Harness h(1, 0s, 5000ms);
  auto held = std::make_unique<Result<ConnectionPool<FakeConn>::Lease>>(h.pool->Acquire());
  ASSERT_TRUE(held->ok());
  std::thread releaser([&] {
    std::this_thread::sleep_for(30ms);
    held.reset();
  });
  auto lease = h.pool->Acquire();
  releaser.join();
  ASSERT_TRUE(lease.ok());
  EXPECT_EQ((*lease)->id, 1);
  EXPECT_EQ(h.opened, 1);
}

TEST(ConnectionPoolTest, DiscardedConnectionIsClosedAndFreesASlot) {
  Harness h(1);
  {
    auto lease = h.pool->Acquire();
    ASSERT_TRUE(lease.ok());
    lease->Discard();
  }
  EXPECT_EQ(h.closed, 1);
  EXPECT_EQ(h.pool->open_count(), 0);
  auto next = h.pool->Acquire();
  ASSERT_TRUE(next.ok());
  EXPECT_EQ((*next)->id, 2);
}

TEST(ConnectionPoolTest, FactoryFailureIsReturnedAndFreesTheSlot) {
  Harness h(1);
  h.fail = true;
  auto lease = h.pool->Acquire();
  EXPECT_FALSE(lease.ok());
  EXPECT_EQ(lease.status().message(), "down");
  EXPECT_EQ(h.pool->open_count(), 0);
  h.fail = false;
  EXPECT_TRUE(h.pool->Acquire().ok());
}

TEST(ConnectionPoolTest, ExpiredConnectionsAreNotReused) {
  Harness h(2, 60s);
  { ASSERT_TRUE(h.pool->Acquire().ok()); }
  h.now += 59s;
  {
    auto lease = h.pool->Acquire();
    ASSERT_TRUE(lease.ok());
    EXPECT_EQ((*lease)->id, 1);
  }
  h.now += 2s;
  auto lease = h.pool->Acquire();
  ASSERT_TRUE(lease.ok());
  EXPECT_EQ((*lease)->id, 2);
  EXPECT_EQ(h.closed, 1);
  EXPECT_EQ(h.pool->open_count(), 1);
}

TEST(ConnectionPoolTest, ExpiredLeaseIsClosedOnRelease) {
  Harness h(1, 10s);
  {
    auto lease = h.pool->Acquire();
    ASSERT_TRUE(lease.ok());
    h.now += 11s;
  }
  EXPECT_EQ(h.closed, 1);
  EXPECT_EQ(h.pool->idle_count(), 0);
}

TEST(ConnectionPoolTest, CloseAllClosesIdleAndRetiresLeased) {
  Harness h(3);
  auto leased = std::make_unique<Result<ConnectionPool<FakeConn>::Lease>>(h.pool->Acquire());
  { ASSERT_TRUE(h.pool->Acquire().ok()); }  // a second one, now idle
  ASSERT_TRUE(leased->ok());
  EXPECT_EQ(h.pool->idle_count(), 1);
  h.pool->CloseAll();
  EXPECT_EQ(h.closed, 1);
  EXPECT_EQ(h.pool->open_count(), 1);
  leased.reset();
  EXPECT_EQ(h.closed, 2);
  EXPECT_EQ(h.pool->open_count(), 0);
  auto fresh = h.pool->Acquire();
  ASSERT_TRUE(fresh.ok());
  EXPECT_EQ((*fresh)->id, 3);
}

TEST(ConnectionPoolTest, ConcurrentUseNeverExceedsMax) {
  Harness h(3, 0s, 5000ms);
  std::atomic<int> in_use{0};
  std::atomic<int> peak{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 50; ++i) {
        auto lease = h.pool->Acquire();
        ASSERT_TRUE(lease.ok());
        int now = in_use.fetch_add(1) + 1;
        int p = peak.load();
        while (now > p && !peak.compare_exchange_weak(p, now)) {
        }
        std::this_thread::yield();
        in_use.fetch_sub(1);
      }
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  EXPECT_LE(peak.load(), 3);
  EXPECT_LE(h.opened, 3);
}

}  // namespace
}  // namespace coffer::engines::database
