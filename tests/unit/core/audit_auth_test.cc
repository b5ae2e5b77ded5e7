#include "core/audit_auth.h"

#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "core/audit_record.h"

namespace coffer::core {
namespace {

using nlohmann::json;

TokenEntry Token(const std::string& id_key) {
  TokenEntry t;
  t.id_key = id_key;
  t.accessor = "acc-" + id_key;
  t.policies = {"default", "app"};
  t.display_name = "token";
  t.issue_time = 1000;
  t.ttl = 3600;
  return t;
}

TEST(AuditAuthCacheTest, RequestsOfATokenWithinOneSecondShareOneMember) {
  AuditAuthCache cache;
  const TokenEntry t = Token("k1");
  auto a = cache.For(t, "hvs.one", 1600);
  auto b = cache.For(t, "hvs.one", 1600);
  EXPECT_TRUE(a.shared);
  EXPECT_EQ(a.auth.get(), b.auth.get());
  EXPECT_EQ(*a.auth, AuditAuthJson(t, "hvs.one", 3000));
}

TEST(AuditAuthCacheTest, ANewTtlSecondOrARenewalBuildsANewMember) {
  AuditAuthCache cache;
  TokenEntry t = Token("k1");
  auto first = cache.For(t, "hvs.one", 1600);
  auto next_second = cache.For(t, "hvs.one", 1601);
  EXPECT_NE(first.auth.get(), next_second.auth.get());
  EXPECT_EQ((*next_second.auth)["token_ttl"], 2999);
  t.issue_time = 1601;  // renewed
  auto renewed = cache.For(t, "hvs.one", 1601);
  EXPECT_NE(renewed.auth.get(), next_second.auth.get());
  EXPECT_EQ((*renewed.auth)["token_ttl"], 3600);
  // The member handed out earlier is unchanged (it is immutable).
  EXPECT_EQ((*first.auth)["token_ttl"], 3000);
}

TEST(AuditAuthCacheTest, AnotherTokenStringIsNeverServedAnotherTokensMember) {
  AuditAuthCache cache;
  const TokenEntry t = Token("k1");
  auto a = cache.For(t, "hvs.one", 1600);
  auto b = cache.For(t, "hvs.other", 1600);
  EXPECT_NE(a.auth.get(), b.auth.get());
  EXPECT_EQ((*b.auth)["client_token"], "hvs.other");
}

TEST(AuditAuthCacheTest, BatchTokensAreBuiltEachTimeAndNotShared) {
  AuditAuthCache cache;
  TokenEntry t = Token("");
  t.batch = true;
  auto a = cache.For(t, "hvb.one", 1600);
  EXPECT_FALSE(a.shared);
  EXPECT_EQ((*a.auth)["token_type"], "batch");
}

TEST(AuditAuthCacheTest, StaysWithinItsBoundAndStillAnswersCorrectly) {
  AuditAuthCache cache;
  for (size_t i = 0; i < AuditAuthCache::kMaxEntries * 2 + 3; ++i) {
    const TokenEntry t = Token("k" + std::to_string(i));
    auto m = cache.For(t, "hvs." + std::to_string(i), 1600);
    ASSERT_EQ((*m.auth)["client_token"], "hvs." + std::to_string(i));
    ASSERT_EQ((*m.auth)["accessor"], "acc-k" + std::to_string(i));
  }
}

TEST(AuditAuthCacheTest, ConcurrentRequestsGetTheirOwnTokensMember) {
  AuditAuthCache cache;
  std::vector<std::thread> threads;
  std::atomic<int> wrong{0};
  for (int n = 0; n < 8; ++n) {
    threads.emplace_back([&, n] {
      for (int i = 0; i < 2000; ++i) {
        const std::string id = std::to_string((n * 7 + i) % 50);
        auto m = cache.For(Token("k" + id), "hvs." + id, 1600 + i % 3);
        if ((*m.auth)["client_token"] != "hvs." + id || (*m.auth)["accessor"] != "acc-k" + id) {
          ++wrong;
        }
      }
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  EXPECT_EQ(wrong.load(), 0);
}

// Through the record: the pair carries the cached member, marked shared,
// and its entries are the ones built without the cache.
TEST(AuditAuthCacheTest, ARecordsPairCarriesTheSharedMember) {
  AuditAuthCache cache;
  Request request;
  request.id = "r";
  request.operation = Operation::kRead;
  request.path = "secret/data/a";
  request.client_token = "hvs.one";
  const TokenEntry t = Token("k1");
  AuditRecord cached(request, 0);
  cached.SetToken(t, 1600, &cache);
  AuditRecord uncached(request, 0);
  uncached.SetToken(t, 1600);
  const audit::EntryPair a = cached.RequestPair();
  const audit::EntryPair b = uncached.RequestPair();
  EXPECT_TRUE(a.auth_shared);
  EXPECT_FALSE(b.auth_shared);
  EXPECT_EQ(a.RequestEntry(), b.RequestEntry());
  AuditRecord again(request, 0);
  again.SetToken(t, 1600, &cache);
  EXPECT_EQ(again.RequestPair().auth.get(), a.auth.get());
}

}  // namespace
}  // namespace coffer::core
