// KV v2 data/<path>: versions, reads by version, check-and-set, patch.
#include <set>
#include <thread>

#include <gtest/gtest.h>

#include "core/framework/time_format.h"
#include "engines/engine_harness.h"
#include "storage/forwarding_backend.h"

namespace coffer::engines::testing {
namespace {

using core::Operation;
using nlohmann::json;

json Data(json data) { return {{"data", std::move(data)}}; }

json DataWithCas(json data, json cas) {
  return {{"data", std::move(data)}, {"options", {{"cas", std::move(cas)}}}};
}

class KvV2DataTest : public ::testing::Test {
 protected:
  EngineHarness kv_{"kv", {{"version", "2"}}};
};

TEST_F(KvV2DataTest, WriteResponseHasVaultShape) {
  json written = kv_.MustCall(Operation::kCreate, "data/app", Data({{"k", "v"}}));
  EXPECT_EQ(written, json({{"created_time", "2018-03-22T02:24:06.945319214Z"},
                           {"custom_metadata", nullptr},
                           {"deletion_time", ""},
                           {"destroyed", false},
                           {"version", 1}}));
}

TEST_F(KvV2DataTest, ReadReturnsDataAndVersionMetadata) {
  kv_.MustCall(Operation::kUpdate, "data/app", Data({{"k", "v"}}));
  json read = kv_.MustCall(Operation::kRead, "data/app");
  EXPECT_EQ(read, json({{"data", {{"k", "v"}}},
                        {"metadata",
                         {{"created_time", "2018-03-22T02:24:06.945319214Z"},
                          {"custom_metadata", nullptr},
                          {"deletion_time", ""},
                          {"destroyed", false},
                          {"version", 1}}}}));
}

// A read hands the version's stored text on as it is (no parse, no
// re-encode): the response's data member is that text, and the rest of the
// data is the version's metadata.
TEST_F(KvV2DataTest, ReadServesTheStoredVersionTextAsItIs) {
  const json secret = {{"api_key", "sk-\"quoted\"\n"}, {"caf\u00e9", {1, 2.5, nullptr}},
                       {"nested", {{"z", true}, {"a", ""}}}};
  kv_.MustCall(Operation::kUpdate, "data/app", Data(secret));
  Result<core::Response> r = kv_.CallAsServed(Operation::kRead, "data/app");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_TRUE(r->encoded_data_member.has_value());
  EXPECT_EQ(r->encoded_data_member->name, "data");
  EXPECT_EQ(r->encoded_data_member->json, secret.dump());
  EXPECT_FALSE(r->data.contains("data"));
  EXPECT_EQ(r->data["metadata"]["version"], 1);
  EXPECT_EQ(r->WholeData()["data"], secret);

  // A deleted version has no text to serve: its data is null, as parsed.
  kv_.MustCall(Operation::kDelete, "data/app");
  Result<core::Response> gone = kv_.CallAsServed(Operation::kRead, "data/app");
  ASSERT_TRUE(gone.ok());
  EXPECT_FALSE(gone->encoded_data_member.has_value());
  EXPECT_TRUE(gone->data["data"].is_null());
}

TEST_F(KvV2DataTest, EachWriteAddsAVersionAndReadsCanPickOne) {
  kv_.MustCall(Operation::kUpdate, "data/app", Data({{"n", 1}}));
  kv_.clock().Advance(std::chrono::seconds(1));
  json second = kv_.MustCall(Operation::kUpdate, "data/app", Data({{"n", 2}}));
  EXPECT_EQ(second["version"], 2);
  EXPECT_EQ(second["created_time"], "2018-03-22T02:24:07.945319214Z");

  EXPECT_EQ(kv_.MustCall(Operation::kRead, "data/app")["data"], json({{"n", 2}}));
  // Query parameters arrive as strings.
  json first = kv_.MustCall(Operation::kRead, "data/app", {{"version", "1"}});
  EXPECT_EQ(first["data"], json({{"n", 1}}));
  EXPECT_EQ(first["metadata"]["version"], 1);
}

TEST_F(KvV2DataTest, ReadOfMissingKeyOrVersionIsNotFound) {
  EXPECT_EQ(CodeOf(kv_.Call(Operation::kRead, "data/none")), Code::kNotFound);
  kv_.MustCall(Operation::kUpdate, "data/app", Data({{"n", 1}}));
  EXPECT_EQ(CodeOf(kv_.Call(Operation::kRead, "data/app", {{"version", 7}})), Code::kNotFound);
}

TEST_F(KvV2DataTest, WriteWithoutDataIsRejected) {
  Result<core::Response> r = kv_.Call(Operation::kUpdate, "data/app", {{"k", "v"}});
  ASSERT_EQ(CodeOf(r), Code::kInvalidArgument);
  EXPECT_EQ(r.status().message(), "no data provided");
}

TEST_F(KvV2DataTest, DataMustBeAnObject) {
  Result<core::Response> r = kv_.Call(Operation::kUpdate, "data/app", {{"data", "text"}});
  ASSERT_EQ(CodeOf(r), Code::kInvalidArgument);
  EXPECT_NE(r.status().message().find("field \"data\""), std::string::npos);
}

TEST_F(KvV2DataTest, CasZeroCreatesOnlyWhenAbsent) {
  kv_.MustCall(Operation::kUpdate, "data/app", DataWithCas({{"n", 1}}, 0));
  Result<core::Response> again = kv_.Call(Operation::kUpdate, "data/app", DataWithCas({{"n", 2}}, 0));
  ASSERT_EQ(CodeOf(again), Code::kInvalidArgument);
  EXPECT_EQ(again.status().message(), "check-and-set parameter did not match the current version");
  EXPECT_EQ(kv_.MustCall(Operation::kRead, "data/app")["data"], json({{"n", 1}}));
}

TEST_F(KvV2DataTest, CasMatchingCurrentVersionSucceeds) {
  kv_.MustCall(Operation::kUpdate, "data/app", Data({{"n", 1}}));
  json written = kv_.MustCall(Operation::kUpdate, "data/app", DataWithCas({{"n", 2}}, "1"));
  EXPECT_EQ(written["version"], 2);
  EXPECT_EQ(CodeOf(kv_.Call(Operation::kUpdate, "data/app", DataWithCas({{"n", 3}}, 1))),
            Code::kInvalidArgument);
  EXPECT_EQ(CodeOf(kv_.Call(Operation::kUpdate, "data/app", DataWithCas({{"n", 3}}, "x"))),
            Code::kInvalidArgument);
}

TEST_F(KvV2DataTest, CasRequiredByMountConfig) {
  kv_.MustCall(Operation::kUpdate, "config", {{"cas_required", true}});
  Result<core::Response> r = kv_.Call(Operation::kUpdate, "data/app", Data({{"n", 1}}));
  ASSERT_EQ(CodeOf(r), Code::kInvalidArgument);
  EXPECT_EQ(r.status().message(), "check-and-set parameter required for this call");
  kv_.MustCall(Operation::kUpdate, "data/app", DataWithCas({{"n", 1}}, 0));
}

TEST_F(KvV2DataTest, CasRequiredByKeyMetadata) {
  kv_.MustCall(Operation::kUpdate, "metadata/app", {{"cas_required", true}});
  EXPECT_EQ(CodeOf(kv_.Call(Operation::kUpdate, "data/app", Data({{"n", 1}}))),
            Code::kInvalidArgument);
  kv_.MustCall(Operation::kUpdate, "data/app", DataWithCas({{"n", 1}}, 0));
  // Other keys are unaffected.
  kv_.MustCall(Operation::kUpdate, "data/other", Data({{"n", 1}}));
}

TEST_F(KvV2DataTest, PatchMergesAndNullDeletesKeys) {
  kv_.MustCall(Operation::kUpdate, "data/app",
               Data({{"keep", "a"}, {"change", "b"}, {"drop", "c"}, {"nested", {{"x", 1}, {"y", 2}}}}));
  json patched = kv_.MustCall(
      Operation::kPatch, "data/app",
      Data({{"change", "B"}, {"drop", nullptr}, {"added", true}, {"nested", {{"y", nullptr}, {"z", 3}}}}));
  EXPECT_EQ(patched["version"], 2);
  EXPECT_EQ(kv_.MustCall(Operation::kRead, "data/app")["data"],
            json({{"keep", "a"}, {"change", "B"}, {"added", true}, {"nested", {{"x", 1}, {"z", 3}}}}));
  // The previous version is untouched.
  EXPECT_EQ(kv_.MustCall(Operation::kRead, "data/app", {{"version", 1}})["data"]["drop"], "c");
}

TEST_F(KvV2DataTest, PatchOfMissingKeyIsNotFound) {
  EXPECT_EQ(CodeOf(kv_.Call(Operation::kPatch, "data/none", Data({{"a", 1}}))), Code::kNotFound);
}

TEST_F(KvV2DataTest, PatchHonoursCas) {
  kv_.MustCall(Operation::kUpdate, "data/app", Data({{"a", 1}}));
  EXPECT_EQ(CodeOf(kv_.Call(Operation::kPatch, "data/app", DataWithCas({{"a", 2}}, 5))),
            Code::kInvalidArgument);
  kv_.MustCall(Operation::kPatch, "data/app", DataWithCas({{"a", 2}}, 1));
  EXPECT_EQ(kv_.MustCall(Operation::kRead, "data/app")["data"], json({{"a", 2}}));
}

TEST_F(KvV2DataTest, PatchOfDeletedVersionIs404WithMetadata) {
  kv_.MustCall(Operation::kUpdate, "data/app", Data({{"a", 1}}));
  kv_.MustCall(Operation::kDelete, "data/app");
  Result<core::Response> r = kv_.Call(Operation::kPatch, "data/app", Data({{"a", 2}}));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->http_status, 404);
  EXPECT_EQ(r->data["version"], 1);
  EXPECT_NE(r->data["deletion_time"], "");
}

TEST_F(KvV2DataTest, PathThatIsNotUtf8RoundTrips) {
  std::string path = "data/bin\xff\xfe";
  kv_.MustCall(Operation::kUpdate, path, Data({{"a", 1}}));
  EXPECT_EQ(kv_.MustCall(Operation::kRead, path)["data"], json({{"a", 1}}));
  kv_.MustCall(Operation::kUpdate, path, Data({{"a", 2}}));
  EXPECT_EQ(kv_.MustCall(Operation::kRead, "metadata/bin\xff\xfe")["current_version"], 2);
}

TEST_F(KvV2DataTest, ExistsTellsCreateFromUpdate) {
  EXPECT_FALSE(*kv_.Exists("data/app"));
  kv_.MustCall(Operation::kUpdate, "data/app", Data({{"a", 1}}));
  EXPECT_TRUE(*kv_.Exists("data/app"));
  EXPECT_TRUE(*kv_.Exists("metadata/app"));
}

TEST_F(KvV2DataTest, PathsOutsideTheV2ApiPointAtIt) {
  Result<core::Response> r = kv_.Call(Operation::kRead, "app");
  ASSERT_EQ(CodeOf(r), Code::kNotFound);
  EXPECT_NE(r.status().message().find("Invalid path for a versioned K/V secrets engine"),
            std::string::npos);
  EXPECT_NE(r.status().message().find("'vault kv get'"), std::string::npos);
}

TEST_F(KvV2DataTest, SubkeysShowTheShapeWithoutValues) {
  kv_.MustCall(Operation::kUpdate, "data/app",
               Data({{"user", "u"}, {"db", {{"host", "h"}, {"opts", {{"tls", true}}}}}, {"e", json::object()}}));
  json subkeys = kv_.MustCall(Operation::kRead, "subkeys/app");
  EXPECT_EQ(subkeys["subkeys"],
            json({{"user", nullptr}, {"db", {{"host", nullptr}, {"opts", {{"tls", nullptr}}}}}, {"e", nullptr}}));
  EXPECT_EQ(subkeys["metadata"]["version"], 1);
  json shallow = kv_.MustCall(Operation::kRead, "subkeys/app", {{"depth", "1"}});
  EXPECT_EQ(shallow["subkeys"], json({{"user", nullptr}, {"db", nullptr}, {"e", nullptr}}));
}

TEST_F(KvV2DataTest, ConcurrentWritesToOneKeyGetDistinctVersions) {
  constexpr int kThreads = 4;
  constexpr int kWrites = 25;
  std::vector<std::thread> threads;
  std::vector<std::vector<int64_t>> seen(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([this, t, &seen] {
      for (int i = 0; i < kWrites; ++i) {
        Result<core::Response> r = kv_.Call(Operation::kUpdate, "data/hot", Data({{"t", t}}));
        if (r.ok()) {
          seen[t].push_back(r->data["version"].get<int64_t>());
        }
      }
    });
  }
  for (std::thread& thread : threads) {
    thread.join();
  }
  std::set<int64_t> versions;
  for (const auto& list : seen) {
    versions.insert(list.begin(), list.end());
  }
  EXPECT_EQ(versions.size(), static_cast<size_t>(kThreads * kWrites));
  EXPECT_EQ(kv_.MustCall(Operation::kRead, "metadata/hot")["current_version"], kThreads * kWrites);
}

// FailingTxnBackend passes everything through but fails transactions.
class FailingTxnBackend : public storage::testing::ForwardingBackend {
 public:
  using ForwardingBackend::ForwardingBackend;
  Status Transaction(const std::vector<storage::TxnOp>&) override {
    return Status::IOError("disk full");
  }
};

TEST_F(KvV2DataTest, FailedWriteLeavesThePreviousVersion) {
  kv_.MustCall(Operation::kUpdate, "data/app", Data({{"n", 1}}));
  FailingTxnBackend failing(kv_.storage());
  core::EngineRequest request;
  request.operation = Operation::kUpdate;
  request.path = "data/app";
  request.data = Data({{"n", 2}});
  request.storage = &failing;
  request.clock = &kv_.clock();
  EXPECT_EQ(CodeOf(kv_.engine().Handle(request)), Code::kIOError);
  json read = kv_.MustCall(Operation::kRead, "data/app");
  EXPECT_EQ(read["data"], json({{"n", 1}}));
  EXPECT_EQ(read["metadata"]["version"], 1);
}

}  // namespace
}  // namespace coffer::engines::testing
