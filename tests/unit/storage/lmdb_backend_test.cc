#include <gtest/gtest.h>
#include <sys/stat.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "conformance.h"
#include "status_testing.h"
#include "storage/backend.h"
#include "temp_dir.h"

namespace coffer::storage::testing {
namespace {

// Members are destroyed in reverse order: the backend closes before its
// directory is removed.
class LmdbHarness final : public BackendHarness {
 public:
  Status Open() {
    if (dir_.path().empty()) {
      return Status::IOError("could not create a temp dir");
    }
    auto backend = OpenBackend("lmdb", {{"path", dir_.path()}});
    if (!backend.ok()) {
      return backend.status();
    }
    backend_ = std::move(backend).value();
    return Status::Ok();
  }
  Backend& backend() override { return *backend_; }

 private:
  TempDir dir_;
  std::unique_ptr<Backend> backend_;
};

std::unique_ptr<BackendHarness> MakeLmdbHarness() {
  auto harness = std::make_unique<LmdbHarness>();
  Status status = harness->Open();
  EXPECT_TRUE(IsOk(status));
  if (!status.ok()) {
    return nullptr;
  }
  return harness;
}

INSTANTIATE_TEST_SUITE_P(Lmdb, BackendConformanceTest,
                         ::testing::Values(BackendParam{"lmdb", &MakeLmdbHarness}),
                         BackendParamName);

mode_t ModeOf(const std::string& path) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) {
    return 0;
  }
  return st.st_mode & 0777;
}

bool MessageNames(const Status& status, const std::string& word) {
  return status.message().find(word) != std::string::npos;
}

TEST(LmdbBackendTest, ReopenKeepsData) {
  TempDir dir;
  {
    auto backend = OpenBackend("lmdb", {{"path", dir.path()}});
    ASSERT_TRUE(IsOk(backend));
    EXPECT_EQ((*backend)->Name(), "lmdb");
    ASSERT_TRUE(IsOk((*backend)->Put("core/master", std::string("ct\0xt", 5))));
    ASSERT_TRUE(IsOk((*backend)->Transaction({TxnOp::Put("a/1", "x"), TxnOp::Put("a/2", "y")})));
    ASSERT_TRUE(IsOk((*backend)->Delete("a/2")));
  }
  auto backend = OpenBackend("lmdb", {{"path", dir.path()}});
  ASSERT_TRUE(IsOk(backend));
  auto master = (*backend)->Get("core/master");
  ASSERT_TRUE(IsOk(master));
  EXPECT_EQ(*master, std::string("ct\0xt", 5));
  auto names = (*backend)->List("a/");
  ASSERT_TRUE(IsOk(names));
  EXPECT_EQ(*names, std::vector<std::string>{"1"});
}

TEST(LmdbBackendTest, CreatesMissingDirectoryPrivately) {
  TempDir dir;
  const std::string path = dir.path() + "/nested/store";
  auto backend = OpenBackend("lmdb", {{"path", path}});
  ASSERT_TRUE(IsOk(backend));
  EXPECT_EQ(ModeOf(path), 0700u);
  ASSERT_TRUE(IsOk((*backend)->Put("k", "v")));
  EXPECT_EQ(ModeOf(path + "/data.mdb"), 0600u);
  EXPECT_EQ(ModeOf(path + "/lock.mdb"), 0600u);
}

TEST(LmdbBackendTest, UnknownParameterIsRejectedByName) {
  TempDir dir;
  auto backend = OpenBackend("lmdb", {{"path", dir.path()}, {"nosync", "true"}});
  ASSERT_TRUE(HasCode(backend, Code::kInvalidArgument));
  EXPECT_TRUE(MessageNames(backend.status(), "\"nosync\"")) << backend.status().message();
}

TEST(LmdbBackendTest, MissingPathIsRejected) {
  auto backend = OpenBackend("lmdb", {});
  ASSERT_TRUE(HasCode(backend, Code::kInvalidArgument));
  EXPECT_TRUE(MessageNames(backend.status(), "\"path\"")) << backend.status().message();
}

TEST(LmdbBackendTest, PathThatIsAFileIsRejected) {
  TempDir dir;
  const std::string file = dir.path() + "/file";
  FILE* f = fopen(file.c_str(), "w");
  ASSERT_NE(f, nullptr);
  fclose(f);
  auto backend = OpenBackend("lmdb", {{"path", file}});
  ASSERT_TRUE(HasCode(backend, Code::kInvalidArgument));
  EXPECT_TRUE(MessageNames(backend.status(), "not a directory")) << backend.status().message();
}

TEST(LmdbBackendTest, BadMapSizeIsRejectedByName) {
  TempDir dir;
  for (const char* size : {"", "lots", "12XB", "1KB", "99999999999999999999999"}) {
    SCOPED_TRACE(size);
    auto backend = OpenBackend("lmdb", {{"path", dir.path()}, {"map_size", size}});
    ASSERT_TRUE(HasCode(backend, Code::kInvalidArgument));
    EXPECT_TRUE(MessageNames(backend.status(), "\"map_size\"")) << backend.status().message();
  }
}

TEST(LmdbBackendTest, SecondOpenOfSameDirectoryFails) {
  TempDir dir;
  auto first = OpenBackend("lmdb", {{"path", dir.path()}});
  ASSERT_TRUE(IsOk(first));
  auto second = OpenBackend("lmdb", {{"path", dir.path() + "/."}});
  EXPECT_TRUE(HasCode(second, Code::kFailedPrecondition));
  first.value().reset();  // closing releases the directory
  EXPECT_TRUE(IsOk(OpenBackend("lmdb", {{"path", dir.path()}})));
}

TEST(LmdbBackendTest, MapGrowsWhenFull) {
  TempDir dir;
  auto backend = OpenBackend("lmdb", {{"path", dir.path()}, {"map_size", "1MB"}});
  ASSERT_TRUE(IsOk(backend));
  const std::string value(size_t{512} << 10, 'x');
  for (size_t i = 0; i < 16; ++i) {  // 8 MiB into a 1 MiB map
    ASSERT_TRUE(IsOk((*backend)->Put("big/" + std::to_string(i), value))) << "put " << i;
  }
  ASSERT_TRUE(IsOk((*backend)->Transaction(
      {TxnOp::Put("big/t1", value), TxnOp::Put("big/t2", value), TxnOp::Put("big/t3", value)})));
  auto names = (*backend)->List("big/");
  ASSERT_TRUE(IsOk(names));
  EXPECT_EQ(names->size(), 19u);
  auto got = (*backend)->Get("big/15");
  ASSERT_TRUE(IsOk(got));
  EXPECT_TRUE(*got == value);
}

// Growing the map needs every transaction in the process out of the way;
// writers that fill it while others read and write must all still succeed.
TEST(LmdbBackendTest, MapGrowsUnderConcurrentReadersAndWriters) {
  TempDir dir;
  auto opened = OpenBackend("lmdb", {{"path", dir.path()}, {"map_size", "1MB"}});
  ASSERT_TRUE(IsOk(opened));
  Backend& backend = **opened;
  const std::string value(size_t{200} << 10, 'g');
  std::vector<std::thread> threads;
  for (size_t t = 0; t < 4; ++t) {
    threads.emplace_back([&backend, &value, t] {
      for (size_t i = 0; i < 8; ++i) {
        const std::string key = "grow/" + std::to_string(t) + "/" + std::to_string(i);
        EXPECT_TRUE(IsOk(backend.Put(key, value))) << key;
        auto got = backend.Get(key);
        EXPECT_TRUE(IsOk(got)) << key;
        EXPECT_TRUE(IsOk(backend.List("grow/")));
      }
    });
  }
  for (std::thread& thread : threads) {
    thread.join();
  }
  auto folders = backend.List("grow/");
  ASSERT_TRUE(IsOk(folders));
  EXPECT_EQ(*folders, (std::vector<std::string>{"0/", "1/", "2/", "3/"}));
}

// Read transactions are reset and renewed rather than begun afresh: a
// renewed one must see the newest commit, never the snapshot it last had.
TEST(LmdbBackendTest, ReusedReadTransactionsSeeTheLatestCommit) {
  TempDir dir;
  auto opened = OpenBackend("lmdb", {{"path", dir.path()}});
  ASSERT_TRUE(IsOk(opened));
  Backend& backend = **opened;
  for (int i = 0; i < 50; ++i) {
    const std::string value = "v" + std::to_string(i);
    ASSERT_TRUE(IsOk(backend.Put("k", value)));
    auto got = backend.Get("k");
    ASSERT_TRUE(IsOk(got));
    EXPECT_EQ(*got, value);
    auto names = backend.List("");
    ASSERT_TRUE(IsOk(names));
    EXPECT_EQ(names->size(), static_cast<size_t>(i) + 1) << i;
    ASSERT_TRUE(IsOk(backend.Put("n" + std::to_string(i), "x")));
  }
  ASSERT_TRUE(IsOk(backend.Delete("k")));
  EXPECT_TRUE(HasCode(backend.Get("k"), Code::kNotFound));
}

// Whichever (renewed) read transaction a Get runs in, it sees every write
// acknowledged before the Get began.
TEST(LmdbBackendTest, ConcurrentReadersSeeEveryAcknowledgedWrite) {
  TempDir dir;
  auto opened = OpenBackend("lmdb", {{"path", dir.path()}});
  ASSERT_TRUE(IsOk(opened));
  Backend& backend = **opened;
  constexpr int kWrites = 100;
  ASSERT_TRUE(IsOk(backend.Put("counter", "0")));
  std::atomic<int> acknowledged{0};
  std::atomic<bool> writing{true};
  std::vector<std::thread> readers;
  std::vector<std::string> errors(6);
  for (size_t t = 0; t < errors.size(); ++t) {
    readers.emplace_back([&, t] {
      while (writing.load()) {
        const int floor = acknowledged.load();
        auto got = backend.Get("counter");
        if (!got.ok()) {
          errors[t] = got.status().ToString();
        } else if (std::stoi(*got) < floor) {
          errors[t] = "read " + *got + " after " + std::to_string(floor) + " was acknowledged";
        }
      }
    });
  }
  for (int i = 1; i <= kWrites; ++i) {
    ASSERT_TRUE(IsOk(backend.Put("counter", std::to_string(i))));
    acknowledged = i;
  }
  writing = false;
  for (std::thread& reader : readers) {
    reader.join();
  }
  for (size_t t = 0; t < errors.size(); ++t) {
    EXPECT_EQ(errors[t], "") << "reader " << t;
  }
  EXPECT_EQ(*backend.Get("counter"), std::to_string(kWrites));
}

TEST(LmdbBackendTest, OverlongKeyIsInvalidArgument) {
  TempDir dir;
  auto backend = OpenBackend("lmdb", {{"path", dir.path()}});
  ASSERT_TRUE(IsOk(backend));
  const std::string longest(511, 'k');
  EXPECT_TRUE(IsOk((*backend)->Put(longest, "v")));
  const std::string too_long(512, 'k');
  EXPECT_TRUE(HasCode((*backend)->Put(too_long, "v"), Code::kInvalidArgument));
  EXPECT_TRUE(HasCode((*backend)->Get(too_long), Code::kInvalidArgument));
  EXPECT_TRUE(HasCode((*backend)->Transaction({TxnOp::Put("ok", "v"), TxnOp::Put(too_long, "v")}),
                      Code::kInvalidArgument));
  EXPECT_TRUE(HasCode((*backend)->Get("ok"), Code::kNotFound));
  auto names = (*backend)->List(too_long + "/");
  ASSERT_TRUE(IsOk(names));
  EXPECT_TRUE(names->empty());
}

}  // namespace
}  // namespace coffer::storage::testing
