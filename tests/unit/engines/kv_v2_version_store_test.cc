// The stored form of a KV v2 version's data: PutVersionOp writes it around
// the request's data without copying that into a new object; these tests
// hold it to the bytes the json object it replaced dumped.
#include <cstdint>
#include <limits>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "engines/engine_harness.h"
#include "engines/kv/v2/version_store.h"

namespace coffer::engines::testing {
namespace {

using nlohmann::json;

// The encoding this replaced, kept here only as the reference.
std::string ReferenceEncoding(const json& data, int64_t created_ns) {
  json stored = json::object();
  stored.emplace("data", data);
  stored.emplace("created_time", created_ns);
  return stored.dump();
}

const json kData[] = {
      json::object(),
      {{"password", "hunter2"}},
      {{"b", 1}, {"a", {{"nested", json::array({1, 2.5, nullptr, true, "x"})}}}},
      {{"quote\"key", "back\\slash\n\t\x01"}, {"unicode", "gr\xc3\xbc\xc3\x9f \xf0\x9f\x94\x91"}},
      {{"big", std::numeric_limits<uint64_t>::max()}, {"neg", -42}, {"float", 1e-7}},
};

const int64_t kCreated[] = {0, -1, 1521685446945319214, std::numeric_limits<int64_t>::max(),
                            std::numeric_limits<int64_t>::min()};

TEST(KvV2VersionStoreTest, PutVersionOpBytesMatchTheJsonObjectDump) {
  for (int64_t created : kCreated) {
    for (const json& data : kData) {
      Result<storage::TxnOp> op = kv::PutVersionOp("app", 3, data, created);
      ASSERT_TRUE(op.ok()) << op.status().ToString();
      EXPECT_EQ(op->key, "versions/app/3");
      EXPECT_EQ(op->value, ReferenceEncoding(data, created)) << data.dump();
    }
  }
}

TEST(KvV2VersionStoreTest, DataNotValidUtf8IsInvalidArgument) {
  EXPECT_EQ(CodeOf(kv::PutVersionOp("app", 1, json{{"bad", "\xff"}}, 1)),
            Code::kInvalidArgument);
}

// A read serves the data's text sliced out of the stored bytes: it must be
// the data's own encoding whatever the data and the creation time.
TEST(KvV2VersionStoreTest, EncodedVersionDataIsTheDataTextOfTheStoredBytes) {
  for (int64_t created : kCreated) {
    for (const json& data : kData) {
      Result<storage::TxnOp> op = kv::PutVersionOp("app", 3, data, created);
      ASSERT_TRUE(op.ok());
      Result<std::string> encoded = kv::EncodedVersionData(op->value);
      ASSERT_TRUE(encoded.ok()) << encoded.status().ToString();
      EXPECT_EQ(*encoded, data.dump());
    }
  }
}

// Bytes in another layout (none is written today) are parsed and encoded
// again rather than sliced wrongly; no data object is corruption.
TEST(KvV2VersionStoreTest, EncodedVersionDataOfOtherLayoutsIsReEncoded) {
  EXPECT_EQ(kv::EncodedVersionData(R"({"data": {"k": "v"}, "created_time": 1})").value(),
            R"({"k":"v"})");
  EXPECT_EQ(kv::EncodedVersionData(R"({"created_time":1,"data":{"k":"v"},"x":{}})").value(),
            R"({"k":"v"})");
  EXPECT_EQ(kv::EncodedVersionData(R"({"created_time":,"data":{"k":1}})").status().code(),
            Code::kCorruption);
  for (const char* bad : {R"({"created_time":1,"data":"s"})", R"({"created_time":1})", "[]",
                          "", R"({"created_time":1,"data":{})"}) {
    EXPECT_EQ(CodeOf(kv::EncodedVersionData(bad)), Code::kCorruption) << bad;
  }
}

}  // namespace
}  // namespace coffer::engines::testing
