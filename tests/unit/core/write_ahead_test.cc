// The write-ahead rule for operations that run while their request entry
// is still being written (Engine::WritesOnlyStorage; KV here): each storage
// write they make reaches the physical store only once the entry is in the
// audit log, and a write whose entry cannot be recorded fails and changes
// nothing.
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <atomic>
#include <csignal>
#include <filesystem>
#include <fstream>

#include "core/core.h"
#include "one_share_core.h"
#include "storage/backend.h"
#include "storage/forwarding_backend.h"
#include "storage/temp_dir.h"
#include "storage/write_gate.h"

namespace coffer::core {
namespace {

// Checks, at every write made under a write gate, that the audit file
// already holds the request entry of `watched_path`.
class AuditCheckingBackend final : public storage::testing::ForwardingBackend {
 public:
  using ForwardingBackend::ForwardingBackend;

  Status Put(std::string_view key, std::string_view value) override {
    Check();
    return inner().Put(key, value);
  }
  Status Delete(std::string_view key) override {
    Check();
    return inner().Delete(key);
  }
  Status Transaction(const std::vector<storage::TxnOp>& ops) override {
    Check();
    return inner().Transaction(ops);
  }

  std::string audit_file;
  std::string watched_path;
  std::atomic<int> gated_writes{0};
  std::atomic<int> writes_before_their_entry{0};

 private:
  void Check() {
    if (storage::WriteGate::Current() == nullptr || !storage::WaitForCurrentGate().ok()) {
      return;  // not held back, or refused by the store below
    }
    ++gated_writes;
    std::ifstream in(audit_file);
    std::string line;
    bool recorded = false;
    while (std::getline(in, line)) {
      recorded = recorded || (line.find("\"type\":\"request\"") != std::string::npos &&
                              line.find("\"path\":\"" + watched_path + "\"") != std::string::npos);
    }
    if (!recorded) {
      ++writes_before_their_entry;
    }
  }
};

class WriteAheadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(dir_.path().empty());
    physical_ = std::make_unique<AuditCheckingBackend>(
        std::move(storage::OpenBackend("inmem", {})).value());
    physical_->audit_file = dir_.path() + "/audit.log";
    core_ = std::move(Core::Open(*physical_, {})).value();
    auto share = testing::InitWithOneShare(*core_);
    ASSERT_TRUE(share.ok()) << share.status().ToString();
    root_ = share->root_token;
    MountEntry kv;
    kv.path = "secret/";
    kv.type = "kv";
    kv.options = {{"version", "2"}};
    ASSERT_TRUE(core_->Mount(kv).ok());
    audit::DeviceSpec file;
    file.path = "file/";
    file.type = "file";
    file.options = {{"file_path", physical_->audit_file}};
    Status enabled = core_->EnableAudit(file);
    ASSERT_TRUE(enabled.ok()) << enabled.ToString();
  }

  Result<Response> Write(const std::string& path, nlohmann::json data) {
    return testing::Call(*core_, Operation::kUpdate, path, root_, std::move(data));
  }

  storage::testing::TempDir dir_;
  std::unique_ptr<AuditCheckingBackend> physical_;
  std::unique_ptr<Core> core_;
  std::string root_;
};

TEST_F(WriteAheadTest, AKvWriteReachesStorageOnlyAfterItsRequestEntryIsRecorded) {
  for (int i = 0; i < 5; ++i) {
    const std::string path = "secret/data/cfg" + std::to_string(i);
    physical_->watched_path = path;
    auto written = Write(path, {{"data", {{"password", "s3cret"}}}});
    ASSERT_TRUE(written.ok()) << written.status().ToString();
  }
  // Each write (a new key's metadata and version) ran ahead of its entry
  // and was held back until the entry was on file.
  EXPECT_GE(physical_->gated_writes.load(), 5);
  EXPECT_EQ(physical_->writes_before_their_entry.load(), 0);
}

// While the process may not grow the audit file (RLIMIT_FSIZE), the file
// device cannot write; restored on destruction.
class AuditFileCannotGrow {
 public:
  explicit AuditFileCannotGrow(const std::string& file) {
    getrlimit(RLIMIT_FSIZE, &saved_);
    previous_handler_ = std::signal(SIGXFSZ, SIG_IGN);  // write fails with EFBIG instead
    rlimit limit = saved_;
    limit.rlim_cur = static_cast<rlim_t>(std::filesystem::file_size(file));
    setrlimit(RLIMIT_FSIZE, &limit);
  }
  ~AuditFileCannotGrow() {
    setrlimit(RLIMIT_FSIZE, &saved_);
    std::signal(SIGXFSZ, previous_handler_);
  }

 private:
  rlimit saved_{};
  void (*previous_handler_)(int) = nullptr;
};

TEST_F(WriteAheadTest, AKvWriteWhoseRequestEntryCannotBeRecordedFailsAndChangesNothing) {
  physical_->watched_path = "secret/data/kept";
  ASSERT_TRUE(Write("secret/data/kept", {{"data", {{"v", "original"}}}}).ok());
  const int gated_before = physical_->gated_writes.load();
  {
    AuditFileCannotGrow full(physical_->audit_file);
    auto update = Write("secret/data/kept", {{"data", {{"v", "changed"}}}});
    EXPECT_FALSE(update.ok());
    auto create = Write("secret/data/new", {{"data", {{"v", "new"}}}});
    EXPECT_FALSE(create.ok());
    if (!create.ok()) {
      EXPECT_NE(create.status().message().find("audit"), std::string::npos)
          << create.status().ToString();
    }
  }
  // No write got past its gate, and once the device can write again the
  // store is as it was.
  EXPECT_EQ(physical_->gated_writes.load(), gated_before);
  auto kept = testing::Call(*core_, Operation::kRead, "secret/data/kept", root_);
  ASSERT_TRUE(kept.ok()) << kept.status().ToString();
  EXPECT_EQ(kept->WholeData()["data"], nlohmann::json({{"v", "original"}}));
  EXPECT_FALSE(testing::Call(*core_, Operation::kRead, "secret/data/new", root_).ok());
}

// What the HTTP server gives the storage-only worker pool: KV and AppRole
// requests, and nothing that may call out or that the core serves itself.
TEST_F(WriteAheadTest, OnlyKvAndAppRoleRequestsBlockOnlyOnStorage) {
  MountEntry approle;
  approle.path = "auth/approle/";
  approle.type = "approle";
  ASSERT_TRUE(core_->Mount(approle).ok());
  auto request = [](std::string path) {
    Request r;
    r.operation = Operation::kUpdate;
    r.path = std::move(path);
    return r;
  };
  EXPECT_TRUE(core_->BlocksOnlyOnStorage(request("secret/data/cfg")));
  EXPECT_TRUE(core_->BlocksOnlyOnStorage(request("secret/metadata/cfg")));
  EXPECT_TRUE(core_->BlocksOnlyOnStorage(request("auth/approle/login")));
  EXPECT_TRUE(core_->BlocksOnlyOnStorage(request("auth/approle/role/web")));
  EXPECT_FALSE(core_->BlocksOnlyOnStorage(request("cubbyhole/x")));
  EXPECT_FALSE(core_->BlocksOnlyOnStorage(request("sys/mounts/kv2")));
  EXPECT_FALSE(core_->BlocksOnlyOnStorage(request("auth/token/create")));
  EXPECT_FALSE(core_->BlocksOnlyOnStorage(request("nothing/mounted/here")));
  core_->Seal();
  EXPECT_FALSE(core_->BlocksOnlyOnStorage(request("secret/data/cfg")));
}

}  // namespace
}  // namespace coffer::core
