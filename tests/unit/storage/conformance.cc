#include "conformance.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "status_testing.h"
#include "storage/write_gate.h"

namespace coffer::storage::testing {
namespace {

using Names = std::vector<std::string>;

// Every byte value, NULs included, twice over.
std::string AllBytes() {
  std::string bytes;
  for (int round = 0; round < 2; ++round) {
    for (int b = 0; b < 256; ++b) {
      bytes.push_back(static_cast<char>(b));
    }
  }
  return bytes;
}

}  // namespace

std::string BackendParamName(const ::testing::TestParamInfo<BackendParam>& info) {
  return info.param.name;
}

void PrintTo(const BackendParam& param, std::ostream* os) { *os << param.name; }

void BackendConformanceTest::SetUp() {
  harness_ = GetParam().make();
  ASSERT_NE(harness_, nullptr) << "could not create a " << GetParam().name << " backend";
}

TEST_P(BackendConformanceTest, GetOfMissingKeyIsNotFound) {
  EXPECT_TRUE(HasCode(backend().Get("missing"), Code::kNotFound));
  EXPECT_TRUE(HasCode(backend().Get("no/such/key"), Code::kNotFound));
}

TEST_P(BackendConformanceTest, PutThenGetReturnsValue) {
  ASSERT_TRUE(IsOk(backend().Put("a/b", "hello")));
  auto got = backend().Get("a/b");
  ASSERT_TRUE(IsOk(got));
  EXPECT_EQ(*got, "hello");
}

TEST_P(BackendConformanceTest, PutOverwritesPreviousValue) {
  ASSERT_TRUE(IsOk(backend().Put("k", "first, and longer")));
  ASSERT_TRUE(IsOk(backend().Put("k", "second")));
  auto got = backend().Get("k");
  ASSERT_TRUE(IsOk(got));
  EXPECT_EQ(*got, "second");
}

TEST_P(BackendConformanceTest, EmptyValueIsStoredNotMissing) {
  ASSERT_TRUE(IsOk(backend().Put("empty", "")));
  auto got = backend().Get("empty");
  ASSERT_TRUE(IsOk(got));
  EXPECT_EQ(*got, "");
}

TEST_P(BackendConformanceTest, BinaryValueWithNulBytesRoundTrips) {
  const std::string value = AllBytes();
  ASSERT_TRUE(IsOk(backend().Put("bin", value)));
  auto got = backend().Get("bin");
  ASSERT_TRUE(IsOk(got));
  EXPECT_EQ(got->size(), value.size());
  EXPECT_EQ(*got, value);
}

TEST_P(BackendConformanceTest, LargeValueRoundTrips) {
  std::string big(size_t{1} << 20, '\0');
  for (size_t i = 0; i < big.size(); ++i) {
    big[i] = static_cast<char>((i * 131) ^ (i >> 8));
  }
  ASSERT_TRUE(IsOk(backend().Put("big", big)));
  auto got = backend().Get("big");
  ASSERT_TRUE(IsOk(got));
  EXPECT_TRUE(*got == big) << "1 MiB value came back different";

  ASSERT_TRUE(IsOk(backend().Put("big", "small now")));
  got = backend().Get("big");
  ASSERT_TRUE(IsOk(got));
  EXPECT_EQ(*got, "small now");
}

TEST_P(BackendConformanceTest, DeleteRemovesKey) {
  ASSERT_TRUE(IsOk(backend().Put("gone", "v")));
  ASSERT_TRUE(IsOk(backend().Put("kept", "v")));
  ASSERT_TRUE(IsOk(backend().Delete("gone")));
  EXPECT_TRUE(HasCode(backend().Get("gone"), Code::kNotFound));
  EXPECT_TRUE(IsOk(backend().Get("kept")));
}

TEST_P(BackendConformanceTest, DeleteOfMissingKeyIsOk) {
  EXPECT_TRUE(IsOk(backend().Delete("never/was")));
  ASSERT_TRUE(IsOk(backend().Put("x", "v")));
  ASSERT_TRUE(IsOk(backend().Delete("x")));
  EXPECT_TRUE(IsOk(backend().Delete("x")));
}

TEST_P(BackendConformanceTest, InvalidKeysAreRejected) {
  for (const char* key : {"", "/leading/slash"}) {
    SCOPED_TRACE(std::string("key \"") + key + "\"");
    EXPECT_TRUE(HasCode(backend().Put(key, "v"), Code::kInvalidArgument));
    EXPECT_TRUE(HasCode(backend().Get(key), Code::kInvalidArgument));
    EXPECT_TRUE(HasCode(backend().Delete(key), Code::kInvalidArgument));
  }
  auto root = backend().List("");
  ASSERT_TRUE(IsOk(root));
  EXPECT_EQ(*root, Names{});
}

TEST_P(BackendConformanceTest, ListOfEmptyStoreIsEmpty) {
  auto root = backend().List("");
  ASSERT_TRUE(IsOk(root));
  EXPECT_EQ(*root, Names{});
  auto nested = backend().List("some/folder/");
  ASSERT_TRUE(IsOk(nested));
  EXPECT_EQ(*nested, Names{});
}

TEST_P(BackendConformanceTest, ListWithNoMatchesIsEmpty) {
  ASSERT_TRUE(IsOk(backend().Put("a/b", "v")));
  ASSERT_TRUE(IsOk(backend().Put("c", "v")));
  for (const char* prefix : {"b/", "a/b/", "c/", "zzz/"}) {
    auto names = backend().List(prefix);
    ASSERT_TRUE(IsOk(names));
    EXPECT_EQ(*names, Names{}) << "prefix " << prefix;
  }
}

TEST_P(BackendConformanceTest, ListRootCollapsesFoldersAndSorts) {
  for (const char* key : {"zeta", "sys/token/id/1", "sys/policy/default", "core/master",
                          "alpha", "core/kek/m1/1", "core/kek/m1/2", "sys/token/id/2"}) {
    ASSERT_TRUE(IsOk(backend().Put(key, "v")));
  }
  auto names = backend().List("");
  ASSERT_TRUE(IsOk(names));
  EXPECT_EQ(*names, (Names{"alpha", "core/", "sys/", "zeta"}));
}

TEST_P(BackendConformanceTest, ListNestedPrefixStripsPrefix) {
  for (const char* key : {"sys/token/id/b", "sys/token/id/a", "sys/token/accessor/x",
                          "sys/token/parent/p/c", "sys/policy/default", "sysx/other"}) {
    ASSERT_TRUE(IsOk(backend().Put(key, "v")));
  }
  auto sys = backend().List("sys/");
  ASSERT_TRUE(IsOk(sys));
  EXPECT_EQ(*sys, (Names{"policy/", "token/"}));
  auto token = backend().List("sys/token/");
  ASSERT_TRUE(IsOk(token));
  EXPECT_EQ(*token, (Names{"accessor/", "id/", "parent/"}));
  auto ids = backend().List("sys/token/id/");
  ASSERT_TRUE(IsOk(ids));
  EXPECT_EQ(*ids, (Names{"a", "b"}));
}

TEST_P(BackendConformanceTest, ListReturnsKeyAndFolderOfSameName) {
  ASSERT_TRUE(IsOk(backend().Put("dir/a", "v")));
  ASSERT_TRUE(IsOk(backend().Put("dir/a/b", "v")));
  ASSERT_TRUE(IsOk(backend().Put("dir/a/c/d", "v")));
  auto names = backend().List("dir/");
  ASSERT_TRUE(IsOk(names));
  EXPECT_EQ(*names, (Names{"a", "a/"}));
}

// Bytes just below and above '/' sort around a folder's subtree; skipping
// the subtree must neither drop nor repeat them.
TEST_P(BackendConformanceTest, ListSortsNamesAroundFolderBoundaries) {
  for (const char* key : {"p/a0", "p/a/x", "p/a/y/z", "p/a.b", "p/a-", "p/a", "p/b",
                          "p/\xc3\xbc", "p/A"}) {
    ASSERT_TRUE(IsOk(backend().Put(key, "v")));
  }
  auto names = backend().List("p/");
  ASSERT_TRUE(IsOk(names));
  // Byte order: 'A' < 'a' < "a-" < "a." < "a/" < "a0" < 'b' < 0xC3.
  EXPECT_EQ(*names, (Names{"A", "a", "a-", "a.b", "a/", "a0", "b", "\xc3\xbc"}));
  EXPECT_TRUE(std::is_sorted(names->begin(), names->end()));
}

TEST_P(BackendConformanceTest, ListMatchesPrefixAsBytesNotPathSegments) {
  ASSERT_TRUE(IsOk(backend().Put("foo/a", "v")));
  ASSERT_TRUE(IsOk(backend().Put("foobar/b", "v")));
  ASSERT_TRUE(IsOk(backend().Put("fo", "v")));
  auto names = backend().List("foo/");
  ASSERT_TRUE(IsOk(names));
  EXPECT_EQ(*names, (Names{"a"}));
}

TEST_P(BackendConformanceTest, ListDropsFolderOnceItsLastKeyIsDeleted) {
  ASSERT_TRUE(IsOk(backend().Put("f/x/1", "v")));
  ASSERT_TRUE(IsOk(backend().Put("f/y", "v")));
  ASSERT_TRUE(IsOk(backend().Delete("f/x/1")));
  auto names = backend().List("f/");
  ASSERT_TRUE(IsOk(names));
  EXPECT_EQ(*names, (Names{"y"}));
}

TEST_P(BackendConformanceTest, TransactionAppliesAllOpsInOrder) {
  ASSERT_TRUE(IsOk(backend().Put("t/old", "v")));
  ASSERT_TRUE(IsOk(backend().Transaction({
      TxnOp::Put("t/a", "1"),
      TxnOp::Put("t/b", "2"),
      TxnOp::Delete("t/old"),
      TxnOp::Put("t/gone", "x"),
      TxnOp::Delete("t/gone"),
      TxnOp::Delete("t/back"),
      TxnOp::Put("t/back", "3"),
      TxnOp::Put("t/a", "1b"),
      TxnOp::Delete("t/never-existed"),
  })));
  auto names = backend().List("t/");
  ASSERT_TRUE(IsOk(names));
  EXPECT_EQ(*names, (Names{"a", "b", "back"}));
  auto a = backend().Get("t/a");
  ASSERT_TRUE(IsOk(a));
  EXPECT_EQ(*a, "1b");
  auto back = backend().Get("t/back");
  ASSERT_TRUE(IsOk(back));
  EXPECT_EQ(*back, "3");
}

TEST_P(BackendConformanceTest, FailedTransactionAppliesNothing) {
  ASSERT_TRUE(IsOk(backend().Put("t/existing", "before")));
  for (const char* bad_key : {"", "/absolute"}) {
    SCOPED_TRACE(std::string("bad key \"") + bad_key + "\"");
    Status status = backend().Transaction({
        TxnOp::Put("t/new", "1"),
        TxnOp::Put("t/existing", "after"),
        TxnOp::Delete("t/existing"),
        TxnOp::Put(bad_key, "x"),
    });
    EXPECT_TRUE(HasCode(status, Code::kInvalidArgument));
    EXPECT_TRUE(HasCode(backend().Get("t/new"), Code::kNotFound));
    auto existing = backend().Get("t/existing");
    ASSERT_TRUE(IsOk(existing));
    EXPECT_EQ(*existing, "before");
  }
}

TEST_P(BackendConformanceTest, EmptyTransactionIsOk) {
  EXPECT_TRUE(IsOk(backend().Transaction({})));
}

TEST_P(BackendConformanceTest, ConcurrentPutsGetsAndListsFromEightThreads) {
  constexpr size_t kThreads = 8;
  constexpr size_t kKeysPerThread = 40;
  std::vector<std::thread> threads;
  for (size_t t = 0; t < kThreads; ++t) {
    threads.emplace_back([this, t] {
      const std::string dir = "c/t" + std::to_string(t) + "/";
      for (size_t k = 0; k < kKeysPerThread; ++k) {
        const std::string key = dir + std::to_string(k);
        const std::string value = key + std::string(k * 10, 'v');
        EXPECT_TRUE(IsOk(backend().Put(key, value)));
        auto got = backend().Get(key);
        EXPECT_TRUE(IsOk(got));
        if (got.ok()) {
          EXPECT_EQ(*got, value);
        }
        // A key every thread writes: readers must see some whole value.
        EXPECT_TRUE(IsOk(backend().Put("c/shared", "shared-" + std::to_string(t))));
        auto shared = backend().Get("c/shared");
        EXPECT_TRUE(IsOk(shared));
        if (shared.ok()) {
          EXPECT_TRUE(shared->starts_with("shared-")) << *shared;
        }
        EXPECT_TRUE(IsOk(backend().List("c/")));
      }
    });
  }
  for (std::thread& thread : threads) {
    thread.join();
  }
  auto folders = backend().List("c/");
  ASSERT_TRUE(IsOk(folders));
  EXPECT_EQ(*folders, (Names{"shared", "t0/", "t1/", "t2/", "t3/", "t4/", "t5/", "t6/", "t7/"}));
  for (size_t t = 0; t < kThreads; ++t) {
    auto keys = backend().List("c/t" + std::to_string(t) + "/");
    ASSERT_TRUE(IsOk(keys));
    EXPECT_EQ(keys->size(), kKeysPerThread);
  }
}

// A write made under a gate that has not opened does not take effect (nor
// hold up writers without a gate); it does once the gate opens.
TEST_P(BackendConformanceTest, GatedWriteTakesEffectOnlyOnceItsGateOpens) {
  using namespace std::chrono_literals;
  WriteGate gate;
  std::atomic<bool> returned{false};
  Status put = Status::Internal("not returned");
  std::thread gated([&] {
    WriteGate::Scope scope(&gate);
    put = backend().Put("g/held", "value");
    returned = true;
  });
  std::this_thread::sleep_for(50ms);
  EXPECT_FALSE(returned.load());
  EXPECT_TRUE(HasCode(backend().Get("g/held"), Code::kNotFound));
  // Another writer is not queued behind the closed gate.
  EXPECT_TRUE(IsOk(backend().Put("g/free", "value")));
  EXPECT_TRUE(IsOk(backend().Get("g/free")));
  EXPECT_FALSE(returned.load());

  gate.Settle(Status::Ok());
  gated.join();
  EXPECT_TRUE(IsOk(put));
  auto held = backend().Get("g/held");
  ASSERT_TRUE(IsOk(held));
  EXPECT_EQ(*held, "value");
}

// A failed gate fails every write made under it with its status, whether
// it failed before or while the write waited, and nothing changes.
TEST_P(BackendConformanceTest, WritesUnderAFailedGateFailWithItsStatusAndChangeNothing) {
  using namespace std::chrono_literals;
  ASSERT_TRUE(IsOk(backend().Put("f/kept", "before")));
  WriteGate failed_while_waiting;
  Status put = Status::Internal("not returned");
  std::thread gated([&] {
    WriteGate::Scope scope(&failed_while_waiting);
    put = backend().Put("f/kept", "after");
  });
  std::this_thread::sleep_for(20ms);
  failed_while_waiting.Settle(Status::Unavailable("audit: no device recorded the request"));
  gated.join();
  EXPECT_TRUE(HasCode(put, Code::kUnavailable)) << put.ToString();

  WriteGate failed;
  failed.Settle(Status::Unavailable("audit: no device recorded the request"));
  {
    WriteGate::Scope scope(&failed);
    EXPECT_TRUE(HasCode(backend().Put("f/new", "v"), Code::kUnavailable));
    EXPECT_TRUE(HasCode(backend().Delete("f/kept"), Code::kUnavailable));
    EXPECT_TRUE(HasCode(backend().Transaction({TxnOp::Put("f/txn", "v"), TxnOp::Delete("f/kept")}),
                        Code::kUnavailable));
  }
  auto kept = backend().Get("f/kept");
  ASSERT_TRUE(IsOk(kept));
  EXPECT_EQ(*kept, "before");
  EXPECT_TRUE(HasCode(backend().Get("f/new"), Code::kNotFound));
  EXPECT_TRUE(HasCode(backend().Get("f/txn"), Code::kNotFound));
}

}  // namespace coffer::storage::testing
