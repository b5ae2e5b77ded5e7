#include "audit/device.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

#include "audit/broker.h"
#include "audit/verify.h"
#include "audit_test_util.h"

namespace coffer::audit {
namespace {

using nlohmann::json;

json Entry(const std::string& path, const std::string& secret) {
  return {{"type", "request"},
          {"auth", {{"client_token", "tok"}}},
          {"request", {{"path", path}, {"data", {{"password", secret}}}}}};
}

TEST(AuditDevice, WritesAGenesisThenHashedChainedEntries) {
  const std::string log = TempDir() + "/audit.log";
  auto device = OpenFile(log, true);
  ASSERT_TRUE(device.ok()) << device.status().ToString();
  Broker broker;
  ASSERT_TRUE(broker.Enable(std::move(*device)).ok());
  ASSERT_TRUE(broker.Log(Entry("secret/a", "pw-1")).ok());
  ASSERT_TRUE(broker.Log(Entry("secret/b", "pw-2")).ok());
  auto lines = ReadLines(log);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0]["type"], "genesis");
  EXPECT_EQ(lines[1]["request"]["path"], "secret/a");
  EXPECT_EQ(lines[1]["chain"]["seq"], 1);
  auto hash = broker.Hash("file/", "pw-1");
  ASSERT_TRUE(hash.ok());
  EXPECT_EQ(lines[1]["request"]["data"]["password"], *hash);
  EXPECT_EQ(lines[1]["auth"]["client_token"], *broker.Hash("file/", "tok"));
  EXPECT_FALSE(broker.Hash("nope/", "x").ok());
  auto report = VerifyFiles({log});
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok) << report->problem;
}

TEST(AuditDevice, ConcurrentRequestsShareWritesAndAllLand) {
  const std::string log = TempDir() + "/audit.log";
  auto device = OpenFile(log, true, {{"checkpoint_every", "100"}});
  ASSERT_TRUE(device.ok());
  Broker broker;
  ASSERT_TRUE(broker.Enable(std::move(*device)).ok());
  constexpr int kThreads = 8;
  constexpr int kEach = 200;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        if (!broker.Log(Entry("p/" + std::to_string(t) + "/" + std::to_string(i), "s")).ok()) {
          ++failures;
        }
      }
    });
  }
  for (auto& th : threads) {
    th.join();
  }
  EXPECT_EQ(failures.load(), 0);
  auto lines = ReadLines(log);
  int requests = 0;
  int checkpoints = 0;
  for (const auto& l : lines) {
    requests += l["type"] == "request";
    checkpoints += l["type"] == "checkpoint";
  }
  EXPECT_EQ(requests, kThreads * kEach);
  EXPECT_GE(checkpoints, kThreads * kEach / 100 - 1);
  auto report = VerifyFiles({log});
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok) << report->problem;
  EXPECT_EQ(report->checkpoints.size(), static_cast<size_t>(checkpoints));
}

TEST(AuditDevice, ReopenContinuesTheChainInANewFileAfterACheckpoint) {
  const std::string dir = TempDir();
  const std::string log = dir + "/audit.log";
  auto device = OpenFile(log, true);
  ASSERT_TRUE(device.ok());
  Broker broker;
  ASSERT_TRUE(broker.Enable(std::move(*device)).ok());
  ASSERT_TRUE(broker.Log(Entry("before", "s")).ok());
  ASSERT_EQ(std::rename(log.c_str(), (log + ".1").c_str()), 0);
  broker.Reopen();
  ASSERT_TRUE(broker.Log(Entry("after", "s")).ok());
  auto old_lines = ReadLines(log + ".1");
  auto new_lines = ReadLines(log);
  ASSERT_FALSE(old_lines.empty());
  EXPECT_EQ(old_lines.back()["type"], "checkpoint");
  ASSERT_EQ(new_lines.size(), 1u);
  EXPECT_EQ(new_lines[0]["request"]["path"], "after");
  auto report = VerifyFiles({log + ".1", log});
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok) << report->problem;
}

TEST(AuditDevice, ReopeningTheSameFileResumesItsChain) {
  const std::string log = TempDir() + "/audit.log";
  for (int round = 0; round < 2; ++round) {
    auto device = OpenFile(log, true);
    ASSERT_TRUE(device.ok());
    Broker broker;
    ASSERT_TRUE(broker.Enable(std::move(*device)).ok());
    ASSERT_TRUE(broker.Log(Entry("round" + std::to_string(round), "s")).ok());
  }
  int genesis = 0;
  for (const auto& l : ReadLines(log)) {
    genesis += l["type"] == "genesis";
  }
  EXPECT_EQ(genesis, 1);
  auto report = VerifyFiles({log});
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok) << report->problem;
}

TEST(AuditDevice, ATornLineFromACrashIsDroppedAndTheChainContinues) {
  const std::string log = TempDir() + "/audit.log";
  {
    auto device = OpenFile(log, true);
    ASSERT_TRUE(device.ok());
    Broker broker;
    ASSERT_TRUE(broker.Enable(std::move(*device)).ok());
    ASSERT_TRUE(broker.Log(Entry("before-crash", "s")).ok());
  }
  {
    std::ofstream torn(log, std::ios::app);
    torn << R"({"chain":{"seq":3,"prev":"ab)";
  }
  auto device = OpenFile(log, true);
  ASSERT_TRUE(device.ok());
  Broker broker;
  ASSERT_TRUE(broker.Enable(std::move(*device)).ok());
  ASSERT_TRUE(broker.Log(Entry("after-crash", "s")).ok());
  auto report = VerifyFiles({log});
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok) << report->problem;
  EXPECT_EQ(ReadLines(log).back()["request"]["path"], "after-crash");
}

TEST(AuditDevice, StrictOpenRefusesADestinationThatCannotWrite) {
  EXPECT_FALSE(OpenFile("/dev/full", true).ok());
  EXPECT_FALSE(OpenFile(TempDir() + "/missing/audit.log", true).ok());
  EXPECT_FALSE(OpenFile("/tmp/x.log", true, {{"format", "yaml"}}).ok());
  EXPECT_FALSE(OpenFile("/tmp/x.log", true, {{"log_raw", "maybe"}}).ok());
}

TEST(AuditBroker, FailsClosedWhenNoDeviceWritesAndRecordsTheGapLater) {
  const std::string dir = TempDir() + "/later";
  const std::string log = dir + "/audit.log";
  auto device = OpenFile(log, /*strict=*/false);
  ASSERT_TRUE(device.ok());
  Broker broker;
  ASSERT_TRUE(broker.Enable(std::move(*device)).ok());
  Status failed = broker.Log(Entry("lost", "s"));
  EXPECT_EQ(failed.code(), Code::kUnavailable);
  ASSERT_EQ(mkdir(dir.c_str(), 0700), 0);
  ASSERT_TRUE(broker.Log(Entry("kept", "s")).ok());
  auto lines = ReadLines(log);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0]["type"], "genesis");
  EXPECT_EQ(lines[1]["type"], "gap");
  EXPECT_EQ(lines[1]["missed"], 1);
  EXPECT_EQ(lines[2]["request"]["path"], "kept");
}

TEST(AuditBroker, OneWorkingDeviceIsEnough) {
  Broker broker;
  auto broken = OpenFile("/dev/full", /*strict=*/false);
  ASSERT_TRUE(broken.ok());
  ASSERT_TRUE(broker.Enable(std::move(*broken)).ok());
  EXPECT_FALSE(broker.Log(Entry("x", "s")).ok());
  const std::string log = TempDir() + "/audit.log";
  auto good = OpenFile(log, true);
  ASSERT_TRUE(good.ok());
  DeviceSpec spec = (*good)->spec();
  EXPECT_EQ(broker.Enable(std::move(*good)).code(), Code::kInvalidArgument);  // path taken
  DeviceSpec other = spec;
  other.path = "file2/";
  auto good2 = Device::Open(other, crypto::SecureBuffer::FromBytes("salt"),
                            crypto::SecureBuffer::FromBytes("k"), Clock::Real(), true);
  ASSERT_TRUE(good2.ok());
  ASSERT_TRUE(broker.Enable(std::move(*good2)).ok());
  EXPECT_TRUE(broker.Log(Entry("y", "s")).ok());
  EXPECT_EQ(broker.Specs().size(), 2u);
  EXPECT_TRUE(broker.Disable("file/").ok());
  EXPECT_EQ(broker.Disable("file/").code(), Code::kNotFound);
  EXPECT_EQ(broker.Specs().size(), 1u);
}

TEST(AuditBroker, NoDevicesMeansNothingToDo) {
  Broker broker;
  EXPECT_FALSE(broker.enabled());
  EXPECT_TRUE(broker.Log(Entry("x", "s")).ok());
}

}  // namespace
}  // namespace coffer::audit
