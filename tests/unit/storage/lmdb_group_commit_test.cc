// LmdbGroupCommit's queue and leader hand-off, with a fake batch runner, and
// ApplyInChildTxns's per-caller isolation against a real LMDB environment.
#include "storage/lmdb_group_commit.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "status_testing.h"
#include "storage/lmdb_env.h"
#include "temp_dir.h"

namespace coffer::storage::testing {
namespace {

int Noop(MDB_txn*) { return 0; }

TEST(LmdbGroupCommitTest, LoneWriterRunsAloneAtOnce) {
  std::vector<size_t> batch_sizes;
  LmdbGroupCommit group([&](std::span<LmdbWrite* const> batch) {
    batch_sizes.push_back(batch.size());
    for (LmdbWrite* write : batch) {
      write->result = Status::Ok();
    }
  });
  for (int i = 0; i < 3; ++i) {
    EXPECT_TRUE(IsOk(group.Submit("put", &Noop)));
  }
  EXPECT_EQ(batch_sizes, (std::vector<size_t>{1, 1, 1}));
}

TEST(LmdbGroupCommitTest, RequestTheRunnerLeavesUnresolvedIsNotOk) {
  LmdbGroupCommit group([](std::span<LmdbWrite* const>) {});
  EXPECT_TRUE(HasCode(group.Submit("put", &Noop), Code::kInternal));
}

// Writers that arrive while a batch is in flight share the next one, only
// one batch runs at a time, and each writer gets its own request's result.
TEST(LmdbGroupCommitTest, ConcurrentWritersShareBatchesAndKeepTheirOwnResults) {
  constexpr size_t kWriters = 16;
  std::atomic<bool> running{false};
  std::atomic<bool> overlapped{false};
  std::atomic<size_t> started{0};
  std::mutex sizes_mu;
  std::vector<size_t> batch_sizes;
  LmdbGroupCommit group([&](std::span<LmdbWrite* const> batch) {
    if (running.exchange(true)) {
      overlapped = true;
    }
    {
      std::lock_guard<std::mutex> lock(sizes_mu);
      batch_sizes.push_back(batch.size());
    }
    // Hold the first batch until every writer is about to submit, so the
    // rest queue up behind it.
    while (started.load() < kWriters) {
      std::this_thread::yield();
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    for (LmdbWrite* write : batch) {
      write->result = write->what.starts_with("odd")
                          ? Status::IOError(std::string(write->what))
                          : Status::Ok();
    }
    running = false;
  });
  std::vector<Status> results(kWriters);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < kWriters; ++t) {
    threads.emplace_back([&, t] {
      const std::string what = (t % 2 == 1 ? "odd " : "even ") + std::to_string(t);
      ++started;
      results[t] = group.Submit(what, &Noop);
    });
  }
  for (std::thread& thread : threads) {
    thread.join();
  }
  EXPECT_FALSE(overlapped.load());
  for (size_t t = 0; t < kWriters; ++t) {
    if (t % 2 == 1) {
      EXPECT_TRUE(HasCode(results[t], Code::kIOError)) << t;
      EXPECT_EQ(results[t].message(), "odd " + std::to_string(t));
    } else {
      EXPECT_TRUE(IsOk(results[t])) << t;
    }
  }
  size_t total = 0;
  for (size_t size : batch_sizes) {
    total += size;
  }
  EXPECT_EQ(total, kWriters);
  EXPECT_LT(batch_sizes.size(), kWriters / 2) << "writers did not share batches";
}

// Many rounds from many writers hand leadership on again and again: every
// request is run exactly once, batches never overlap, and each writer gets
// its own request's result.
TEST(LmdbGroupCommitTest, LeadershipHandOffUnderManyWritersLosesNothing) {
  constexpr size_t kWriters = 24;
  constexpr size_t kRounds = 200;
  std::atomic<bool> running{false};
  std::atomic<bool> overlapped{false};
  std::atomic<size_t> run{0};
  LmdbGroupCommit group([&](std::span<LmdbWrite* const> batch) {
    if (running.exchange(true)) {
      overlapped = true;
    }
    for (LmdbWrite* write : batch) {
      ++run;
      write->result = write->what.ends_with("7") ? Status::IOError(std::string(write->what))
                                                 : Status::Ok();
    }
    if (batch.size() % 3 == 0) {
      std::this_thread::yield();
    }
    running = false;
  });
  std::vector<size_t> wrong(kWriters, 0);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < kWriters; ++t) {
    threads.emplace_back([&, t] {
      for (size_t i = 0; i < kRounds; ++i) {
        const std::string what = std::to_string(t) + "/" + std::to_string(i);
        Status status = group.Submit(what, &Noop);
        const bool want_error = what.ends_with("7");
        if (want_error ? !(HasCode(status, Code::kIOError) && status.message() == what)
                       : !status.ok()) {
          ++wrong[t];
        }
      }
    });
  }
  for (std::thread& thread : threads) {
    thread.join();
  }
  EXPECT_FALSE(overlapped.load());
  EXPECT_EQ(run.load(), kWriters * kRounds);
  for (size_t t = 0; t < kWriters; ++t) {
    EXPECT_EQ(wrong[t], 0u) << "writer " << t;
  }
}

// Runs ApplyInChildTxns over real transactions in a fresh environment.
class ApplyInChildTxnsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(dir_.path().empty());
    LmdbOptions options;
    options.path = dir_.path();
    options.map_size = kLmdbMinMapSize;
    auto env = LmdbEnv::Open(options);
    ASSERT_TRUE(IsOk(env));
    env_ = std::move(env).value();
  }

  // Add queues a request whose operations are `apply`.
  LmdbWrite* Add(std::string what, LmdbApply apply) {
    whats_.push_back(std::move(what));
    applies_.push_back(std::move(apply));
    writes_.push_back(LmdbWrite{whats_.back(), &applies_.back(), Status::Ok()});
    return &writes_.back();
  }

  LmdbApply PutOf(std::string key, size_t size) {
    return [this, key, size](MDB_txn* txn) {
      std::string value(size, 'v');
      MDB_val k{key.size(), const_cast<char*>(key.data())};
      MDB_val v{value.size(), value.data()};
      return mdb_put(txn, env_->dbi(), &k, &v, 0);
    };
  }

  // PutThenFail puts `key`, then fails as LMDB would: the put must be
  // rolled back with the rest of the request.
  LmdbApply PutThenFail(std::string key) {
    return [this, put = PutOf(std::move(key), 10)](MDB_txn* txn) {
      int rc = put(txn);
      return rc != 0 ? rc : MDB_BAD_VALSIZE;
    };
  }

  std::vector<LmdbWrite*> All() {
    std::vector<LmdbWrite*> all;
    for (LmdbWrite& write : writes_) {
      all.push_back(&write);
    }
    return all;
  }

  bool Has(const std::string& key) {
    MDB_txn* txn = nullptr;
    if (mdb_txn_begin(env_->env(), nullptr, MDB_RDONLY, &txn) != 0) {
      ADD_FAILURE() << "begin read";
      return false;
    }
    MDB_val k{key.size(), const_cast<char*>(key.data())};
    MDB_val v{};
    int rc = mdb_get(txn, env_->dbi(), &k, &v);
    mdb_txn_abort(txn);
    return rc == 0;
  }

  MDB_txn* BeginWrite() {
    MDB_txn* txn = nullptr;
    EXPECT_EQ(mdb_txn_begin(env_->env(), nullptr, 0, &txn), 0);
    return txn;
  }

  TempDir dir_;
  std::unique_ptr<LmdbEnv> env_;
  std::deque<std::string> whats_;
  std::deque<LmdbApply> applies_;
  std::deque<LmdbWrite> writes_;
};

TEST_F(ApplyInChildTxnsTest, FailedRequestRollsBackAloneAndTheOthersApply) {
  LmdbWrite* first = Add("first", PutOf("a", 10));
  LmdbWrite* failing = Add("failing", PutThenFail("b/1"));
  LmdbWrite* last = Add("last", PutOf("c", 10));
  std::vector<LmdbWrite*> pending = All();
  std::vector<LmdbWrite*> applied;
  MDB_txn* txn = BeginWrite();
  ASSERT_NE(txn, nullptr);
  EXPECT_EQ(ApplyInChildTxns(env_->env(), txn, pending, applied), 0);
  ASSERT_EQ(mdb_txn_commit(txn), 0);

  EXPECT_TRUE(pending.empty());
  EXPECT_EQ(applied, (std::vector<LmdbWrite*>{first, last}));
  EXPECT_TRUE(HasCode(failing->result, Code::kIOError));
  EXPECT_NE(failing->result.message().find("failing"), std::string::npos);
  EXPECT_TRUE(Has("a"));
  EXPECT_FALSE(Has("b/1"));
  EXPECT_TRUE(Has("c"));
}

TEST_F(ApplyInChildTxnsTest, LoneFailedRequestAsksForTheParentToBeAborted) {
  LmdbWrite* failing = Add("failing", PutThenFail("b/1"));
  std::vector<LmdbWrite*> pending = All();
  std::vector<LmdbWrite*> applied;
  MDB_txn* txn = BeginWrite();
  ASSERT_NE(txn, nullptr);
  EXPECT_EQ(ApplyInChildTxns(env_->env(), txn, pending, applied), MDB_BAD_TXN);
  mdb_txn_abort(txn);
  EXPECT_TRUE(pending.empty());
  EXPECT_TRUE(applied.empty());
  EXPECT_TRUE(HasCode(failing->result, Code::kIOError));
  EXPECT_FALSE(Has("b/1"));
}

TEST_F(ApplyInChildTxnsTest, RequestTooBigForTheMapAloneAsksForGrowth) {
  LmdbWrite* huge = Add("huge", PutOf("huge", size_t{4} << 20));
  LmdbWrite* small = Add("small", PutOf("small", 10));
  std::vector<LmdbWrite*> pending = All();
  std::vector<LmdbWrite*> applied;
  MDB_txn* txn = BeginWrite();
  ASSERT_NE(txn, nullptr);
  EXPECT_EQ(ApplyInChildTxns(env_->env(), txn, pending, applied), MDB_MAP_FULL);
  mdb_txn_abort(txn);
  EXPECT_TRUE(applied.empty());
  EXPECT_EQ(pending, (std::vector<LmdbWrite*>{huge, small}));
  EXPECT_TRUE(IsOk(huge->result));  // not resolved: it runs again after growth
}

TEST_F(ApplyInChildTxnsTest, MapFilledByTheBatchLeavesTheRestForTheNextTransaction) {
  LmdbWrite* small = Add("small", PutOf("small", 10));
  LmdbWrite* huge = Add("huge", PutOf("huge", size_t{4} << 20));
  LmdbWrite* after = Add("after", PutOf("after", 10));
  std::vector<LmdbWrite*> pending = All();
  std::vector<LmdbWrite*> applied;
  MDB_txn* txn = BeginWrite();
  ASSERT_NE(txn, nullptr);
  EXPECT_EQ(ApplyInChildTxns(env_->env(), txn, pending, applied), 0);
  ASSERT_EQ(mdb_txn_commit(txn), 0);
  EXPECT_EQ(applied, (std::vector<LmdbWrite*>{small}));
  EXPECT_EQ(pending, (std::vector<LmdbWrite*>{huge, after}));
  EXPECT_TRUE(Has("small"));
  EXPECT_FALSE(Has("huge"));
}

}  // namespace
}  // namespace coffer::storage::testing
