// KV v2 LIST metadata/: Vault's folder listing plus coffer's pagination and
// recursive scan.
#include <gtest/gtest.h>

#include "engines/engine_harness.h"

namespace coffer::engines::testing {
namespace {

using core::Operation;
using nlohmann::json;

class KvV2ListTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* key : {"a", "b/c", "b/d/e", "b/d/f", "b-x", "c"}) {
      kv_.MustCall(Operation::kUpdate, std::string("data/") + key, {{"data", {{"v", 1}}}});
    }
  }

  json List(const std::string& path, json options = json::object()) {
    return kv_.MustCall(Operation::kList, "metadata/" + path, std::move(options));
  }

  EngineHarness kv_{"kv-v2"};
};

TEST_F(KvV2ListTest, ListsOneLevelWithFolders) {
  EXPECT_EQ(List(""), json({{"keys", {"a", "b-x", "b/", "c"}}}));
  EXPECT_EQ(List("b/"), json({{"keys", {"c", "d/"}}}));
  EXPECT_EQ(List("b/d/"), json({{"keys", {"e", "f"}}}));
}

TEST_F(KvV2ListTest, EmptyFolderIsNotFound) {
  EXPECT_EQ(CodeOf(kv_.Call(Operation::kList, "metadata/zzz/")), Code::kNotFound);
}

TEST_F(KvV2ListTest, MetadataOnlyKeysAreListed) {
  kv_.MustCall(Operation::kUpdate, "metadata/only-meta", {{"max_versions", 2}});
  EXPECT_EQ(List("")["keys"].back(), "only-meta");
}

TEST_F(KvV2ListTest, DeletedMetadataDisappearsFromList) {
  kv_.MustCall(Operation::kDelete, "metadata/b/d/e");
  EXPECT_EQ(List("b/d/"), json({{"keys", {"f"}}}));
}

TEST_F(KvV2ListTest, LimitAndAfterPage) {
  EXPECT_EQ(List("", {{"limit", 2}}), json({{"keys", {"a", "b-x"}}}));
  EXPECT_EQ(List("", {{"limit", "2"}, {"after", "b-x"}}), json({{"keys", {"b/", "c"}}}));
  EXPECT_EQ(CodeOf(kv_.Call(Operation::kList, "metadata/", {{"after", "c"}})), Code::kNotFound);
}

TEST_F(KvV2ListTest, NegativeLimitIsRejected) {
  EXPECT_EQ(CodeOf(kv_.Call(Operation::kList, "metadata/", {{"limit", -1}})),
            Code::kInvalidArgument);
}

TEST_F(KvV2ListTest, RecursiveListsEveryKeyPathSorted) {
  EXPECT_EQ(List("", {{"recursive", "true"}}),
            json({{"keys", {"a", "b-x", "b/c", "b/d/e", "b/d/f", "c"}}}));
  EXPECT_EQ(List("b/", {{"recursive", true}}), json({{"keys", {"c", "d/e", "d/f"}}}));
}

TEST_F(KvV2ListTest, RecursivePagesThroughTheTree) {
  json page1 = List("", {{"recursive", true}, {"limit", 3}});
  EXPECT_EQ(page1, json({{"keys", {"a", "b-x", "b/c"}}}));
  json page2 = List("", {{"recursive", true}, {"limit", 3}, {"after", "b/c"}});
  EXPECT_EQ(page2, json({{"keys", {"b/d/e", "b/d/f", "c"}}}));
  json page3 = List("", {{"recursive", true}, {"after", "b/d/e"}});
  EXPECT_EQ(page3, json({{"keys", {"b/d/f", "c"}}}));
  EXPECT_EQ(CodeOf(kv_.Call(Operation::kList, "metadata/", {{"recursive", true}, {"after", "c"}})),
            Code::kNotFound);
}

}  // namespace
}  // namespace coffer::engines::testing
