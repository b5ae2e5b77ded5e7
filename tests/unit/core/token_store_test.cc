#include "core/token_store.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <set>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "core/token_entry_json.h"
#include "crypto/random.h"
#include "storage/backend.h"
#include "storage/forwarding_backend.h"

namespace coffer::core {
namespace {

class ManualClock final : public Clock {
 public:
  std::chrono::system_clock::time_point Now() const override { return now_.load(); }
  void Advance(std::chrono::seconds s) { now_.store(now_.load() + s); }

 private:
  std::atomic<std::chrono::system_clock::time_point> now_{
      std::chrono::system_clock::time_point(std::chrono::seconds(1'800'000'000))};
};

class TokenStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    physical_ = std::move(storage::OpenBackend("inmem", {})).value();
    barrier_ = std::make_unique<barrier::Barrier>(*physical_);
    auto ops = barrier_->Initialize(std::move(crypto::RandomKey()).value());
    ASSERT_TRUE(ops.ok());
    ASSERT_TRUE(physical_->Transaction(*ops).ok());
    store_ = std::make_unique<TokenStore>(*barrier_, clock_);
    ASSERT_TRUE(store_->OnUnseal().ok());
  }

  TokenStore::Created Make(TokenCreateRequest req) {
    auto created = store_->Create(req);
    EXPECT_TRUE(created.ok()) << created.status().ToString();
    return created.ok() ? *created : TokenStore::Created{};
  }

  ManualClock clock_;
  std::unique_ptr<storage::Backend> physical_;
  std::unique_ptr<barrier::Barrier> barrier_;
  std::unique_ptr<TokenStore> store_;
};

TEST_F(TokenStoreTest, CreatedTokenLooksUpWithItsPolicies) {
  TokenCreateRequest req;
  req.policies = {"default", "dev"};
  req.ttl = 3600;
  auto created = Make(req);
  EXPECT_TRUE(created.token.starts_with("hvs."));
  auto entry = store_->Lookup(created.token);
  ASSERT_TRUE(entry.ok());
  EXPECT_EQ(entry->policies, req.policies);
  EXPECT_EQ(entry->RemainingTtl(1'800'000'000), 3600);
  EXPECT_EQ(store_->Lookup("hvs.unknown").status().code(), Code::kPermissionDenied);
}

TEST_F(TokenStoreTest, BoundCidrsRefuseOtherAddressesWithoutSpendingAUse) {
  TokenCreateRequest req;
  req.policies = {"default"};
  req.num_uses = 2;
  req.bound_cidrs = {"10.0.0.0/8", "127.0.0.1"};
  auto created = Make(req);
  EXPECT_EQ(store_->Use(created.token, "192.168.1.1").status().code(),
            Code::kPermissionDenied);
  auto used = store_->Use(created.token, "10.9.8.7");
  ASSERT_TRUE(used.ok());
  EXPECT_EQ(used->num_uses, 1);  // the refused attempt spent nothing
  EXPECT_EQ(used->bound_cidrs, req.bound_cidrs);
  EXPECT_TRUE(store_->Use(created.token, "127.0.0.1").ok());
}

TEST_F(TokenStoreTest, BatchTokensAreSealedNotStored) {
  auto before = physical_->List("sys/token/id/");
  ASSERT_TRUE(before.ok());
  TokenCreateRequest req;
  req.batch = true;
  req.policies = {"default", "app"};
  req.meta = {{"role_name", "web"}};
  req.ttl = 60;
  req.bound_cidrs = {"127.0.0.1"};
  auto created = Make(req);
  EXPECT_TRUE(created.token.starts_with("hvb."));
  EXPECT_TRUE(created.entry.accessor.empty());
  auto after = physical_->List("sys/token/id/");
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->size(), before->size());  // nothing persisted

  auto entry = store_->Use(created.token, "127.0.0.1");
  ASSERT_TRUE(entry.ok()) << entry.status().ToString();
  EXPECT_TRUE(entry->batch);
  EXPECT_EQ(entry->policies, req.policies);
  EXPECT_EQ(entry->meta.at("role_name"), "web");
  EXPECT_EQ(entry->id_key, created.entry.id_key);
  EXPECT_EQ(store_->Use(created.token, "10.0.0.1").status().code(), Code::kPermissionDenied);

  // One flipped character of the sealed entry: refused, not misread.
  std::string forged = created.token;
  forged[10] = forged[10] == 'A' ? 'B' : 'A';
  EXPECT_EQ(store_->Lookup(forged).status().code(), Code::kPermissionDenied);
  EXPECT_EQ(store_->Lookup("hvb.!!!").status().code(), Code::kPermissionDenied);

  clock_.Advance(std::chrono::seconds(61));
  EXPECT_EQ(store_->Lookup(created.token).status().code(), Code::kPermissionDenied);
}

TEST_F(TokenStoreTest, BatchTokensRefuseUsesPeriodsAndIds) {
  TokenCreateRequest req;
  req.batch = true;
  req.num_uses = 1;
  EXPECT_EQ(store_->Create(req).status().code(), Code::kInvalidArgument);
  req.num_uses = 0;
  req.period = 60;
  EXPECT_EQ(store_->Create(req).status().code(), Code::kInvalidArgument);
}

TEST_F(TokenStoreTest, ExpiredTokenIsRejectedOnTheNextLookup) {
  TokenCreateRequest req;
  req.ttl = 2;
  auto created = Make(req);
  ASSERT_TRUE(store_->Lookup(created.token).ok());
  clock_.Advance(std::chrono::seconds(2));
  EXPECT_EQ(store_->Lookup(created.token).status().code(), Code::kPermissionDenied);
  EXPECT_FALSE(store_->LookupAccessor(created.entry.accessor).ok());
}

TEST_F(TokenStoreTest, LimitedUsesAreExactUnderConcurrency) {
  TokenCreateRequest req;
  req.num_uses = 7;
  auto created = Make(req);
  std::atomic<int> granted{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 16; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 4; ++i) {
        if (store_->Use(created.token, "127.0.0.1").ok()) {
          granted.fetch_add(1);
        }
      }
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  EXPECT_EQ(granted.load(), 7);
  EXPECT_FALSE(store_->Lookup(created.token).ok());
}

TEST_F(TokenStoreTest, RevokingAParentRevokesItsWholeTree) {
  auto parent = Make({});
  TokenCreateRequest child_req;
  child_req.parent_key = parent.entry.id_key;
  auto child = Make(child_req);
  TokenCreateRequest grandchild_req;
  grandchild_req.parent_key = child.entry.id_key;
  auto grandchild = Make(grandchild_req);
  auto sibling = Make({});

  ASSERT_TRUE(store_->Revoke(parent.entry.id_key).ok());
  EXPECT_FALSE(store_->Lookup(parent.token).ok());
  EXPECT_FALSE(store_->Lookup(child.token).ok());
  EXPECT_FALSE(store_->Lookup(grandchild.token).ok());
  EXPECT_TRUE(store_->Lookup(sibling.token).ok());
}

TEST_F(TokenStoreTest, RevokeOrphanKeepsTheChildren) {
  auto parent = Make({});
  TokenCreateRequest child_req;
  child_req.parent_key = parent.entry.id_key;
  auto child = Make(child_req);
  ASSERT_TRUE(store_->RevokeOrphan(parent.entry.id_key).ok());
  EXPECT_FALSE(store_->Lookup(parent.token).ok());
  auto orphan = store_->Lookup(child.token);
  ASSERT_TRUE(orphan.ok());
  EXPECT_TRUE(orphan->parent_key.empty());
}

TEST_F(TokenStoreTest, ChildOfARevokedParentCannotBeCreated) {
  auto parent = Make({});
  ASSERT_TRUE(store_->Revoke(parent.entry.id_key).ok());
  TokenCreateRequest child_req;
  child_req.parent_key = parent.entry.id_key;
  EXPECT_FALSE(store_->Create(child_req).ok());
}

TEST_F(TokenStoreTest, AccessorFindsTheTokenWithoutItsId) {
  auto created = Make({});
  auto entry = store_->LookupAccessor(created.entry.accessor);
  ASSERT_TRUE(entry.ok());
  EXPECT_EQ(entry->id_key, created.entry.id_key);
  EXPECT_TRUE(store_->LookupAccessor("nope").status().IsInvalidArgument());
}

TEST_F(TokenStoreTest, RenewIsCappedByExplicitMaxTtl) {
  TokenCreateRequest req;
  req.ttl = 100;
  req.explicit_max_ttl = 150;
  auto created = Make(req);
  clock_.Advance(std::chrono::seconds(90));
  auto renewed = store_->Renew(created.entry.id_key, 1000, 0);
  ASSERT_TRUE(renewed.ok());
  EXPECT_EQ(renewed->ttl, 60);  // creation + 150 - now
  TokenCreateRequest fixed;
  fixed.ttl = 100;
  fixed.renewable = false;
  auto nonrenewable = Make(fixed);
  EXPECT_TRUE(store_->Renew(nonrenewable.entry.id_key, 10, 0).status().IsInvalidArgument());
}

TEST_F(TokenStoreTest, ChosenIdCannotOverwriteALiveToken) {
  TokenCreateRequest req;
  req.id = "my-token";
  Make(req);
  EXPECT_TRUE(store_->Create(req).status().IsInvalidArgument());
}

TEST_F(TokenStoreTest, SealedStoreFailsClosed) {
  auto created = Make({});
  store_->OnSeal();
  EXPECT_EQ(store_->Lookup(created.token).status().code(), Code::kSealed);
}

}  // namespace
}  // namespace coffer::core

namespace coffer::core {
namespace {

TEST_F(TokenStoreTest, CachedTokenIsRefusedRightAfterRevocation) {
  TokenCreateRequest req;
  req.policies = {"default"};
  auto created = Make(req);
  ASSERT_TRUE(store_->Lookup(created.token).ok());  // now cached
  ASSERT_TRUE(store_->Lookup(created.token).ok());
  ASSERT_TRUE(store_->Revoke(created.entry.id_key).ok());
  EXPECT_EQ(store_->Lookup(created.token).status().code(), Code::kPermissionDenied);
}

TEST_F(TokenStoreTest, CheckSharedSharesTheCachedEntryAndStillRefusesAtOnce) {
  TokenCreateRequest req;
  req.policies = {"default", "dev"};
  req.ttl = 60;
  req.bound_cidrs = {"127.0.0.1"};
  auto created = Make(req);
  auto first = store_->CheckShared(created.token, "127.0.0.1");
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  auto second = store_->CheckShared(created.token, "127.0.0.1");
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(first->get(), second->get());  // one cached entry, not a copy each
  auto copied = store_->Check(created.token, "127.0.0.1");
  ASSERT_TRUE(copied.ok());
  EXPECT_EQ((*first)->policies, copied->policies);
  EXPECT_EQ((*first)->id_key, copied->id_key);
  EXPECT_EQ(store_->CheckShared(created.token, "10.1.2.3").status().code(),
            Code::kPermissionDenied);

  // A renewal is a new entry: the one already handed out is not changed.
  ASSERT_TRUE(store_->Renew(created.entry.id_key, 600, 0).ok());
  auto renewed = store_->CheckShared(created.token, "127.0.0.1");
  ASSERT_TRUE(renewed.ok());
  EXPECT_NE(renewed->get(), first->get());
  EXPECT_EQ((*first)->ttl, 60);
  EXPECT_EQ((*renewed)->ttl, 600);

  // Revoked: refused on the next check, while what was handed out stays
  // readable for the request that holds it.
  ASSERT_TRUE(store_->Revoke(created.entry.id_key).ok());
  EXPECT_EQ(store_->CheckShared(created.token, "127.0.0.1").status().code(),
            Code::kPermissionDenied);
  EXPECT_EQ((*first)->policies, req.policies);
}

TEST_F(TokenStoreTest, CheckSharedOpensBatchTokensAndRefusesExpiredOnes) {
  TokenCreateRequest req;
  req.policies = {"default"};
  req.batch = true;
  req.ttl = 60;
  auto created = Make(req);
  auto entry = store_->CheckShared(created.token, "127.0.0.1");
  ASSERT_TRUE(entry.ok()) << entry.status().ToString();
  EXPECT_TRUE((*entry)->batch);
  clock_.Advance(std::chrono::seconds(61));
  EXPECT_EQ(store_->CheckShared(created.token, "127.0.0.1").status().code(),
            Code::kPermissionDenied);
}

TEST_F(TokenStoreTest, CachedTokenSeesRenewalsAndExpiry) {
  TokenCreateRequest req;
  req.ttl = 60;
  auto created = Make(req);
  ASSERT_TRUE(store_->Lookup(created.token).ok());
  clock_.Advance(std::chrono::seconds(50));
  ASSERT_TRUE(store_->Renew(created.entry.id_key, 60, 0).ok());
  clock_.Advance(std::chrono::seconds(50));  // past the first expiry, within the renewal
  auto renewed = store_->Lookup(created.token);
  ASSERT_TRUE(renewed.ok());
  EXPECT_EQ(renewed->RemainingTtl(1'800'000'100), 10);
  clock_.Advance(std::chrono::seconds(11));
  EXPECT_FALSE(store_->Lookup(created.token).ok());
}

TEST_F(TokenStoreTest, LookupsRacingARevocationNeverResurrectTheToken) {
  for (int round = 0; round < 50; ++round) {
    TokenCreateRequest req;
    auto created = Make(req);
    std::atomic<bool> stop{false};
    std::thread reader([&] {
      while (!stop.load()) {
        (void)store_->Lookup(created.token);
      }
    });
    ASSERT_TRUE(store_->Revoke(created.entry.id_key).ok());
    stop = true;
    reader.join();
    EXPECT_FALSE(store_->Lookup(created.token).ok()) << "round " << round;
  }
}

TEST_F(TokenStoreTest, ChildrenCreatedWhileTheParentIsRevokedNeverOutliveIt) {
  for (int round = 0; round < 20; ++round) {
    auto parent = Make({});
    std::mutex mu;
    std::vector<std::string> created;
    std::vector<std::thread> creators;
    for (int t = 0; t < 4; ++t) {
      creators.emplace_back([&] {
        for (int i = 0; i < 10; ++i) {
          TokenCreateRequest req;
          req.parent_key = parent.entry.id_key;
          auto child = store_->Create(req);
          if (child.ok()) {
            std::lock_guard lock(mu);
            created.push_back(child->token);
          }
        }
      });
    }
    ASSERT_TRUE(store_->Revoke(parent.entry.id_key).ok());
    for (auto& t : creators) {
      t.join();
    }
    // A child either was refused or was taken down with its parent.
    for (const std::string& token : created) {
      EXPECT_FALSE(store_->Lookup(token).ok()) << "round " << round;
    }
  }
}

// RendezvousBackend holds every transaction until `want` are in flight at
// once (or a generous timeout passes) and records the most it saw: writers
// serialized by a lock never get there.
class RendezvousBackend final : public storage::testing::ForwardingBackend {
 public:
  RendezvousBackend(storage::Backend& inner, int want) : ForwardingBackend(inner), want_(want) {}
  Status Transaction(const std::vector<storage::TxnOp>& ops) override {
    if (armed_.load()) {
      std::unique_lock lock(mu_);
      ++inside_;
      max_inside_ = std::max(max_inside_, inside_);
      cv_.notify_all();
      cv_.wait_for(lock, std::chrono::seconds(10), [&] { return max_inside_ >= want_; });
      --inside_;
    }
    return inner().Transaction(ops);
  }
  void Arm() { armed_ = true; }
  int max_inside() {
    std::lock_guard lock(mu_);
    return max_inside_;
  }

 private:
  const int want_;
  std::atomic<bool> armed_{false};
  std::mutex mu_;
  std::condition_variable cv_;
  int inside_ = 0;
  int max_inside_ = 0;
};

TEST(TokenStoreConcurrencyTest, ConcurrentCreationsReachStorageTogether) {
  // Creations must not be serialized by the store: a storage group commit
  // can only batch the writes that arrive together.
  constexpr int kWriters = 4;
  auto inner = std::move(storage::OpenBackend("inmem", {})).value();
  RendezvousBackend physical(*inner, kWriters);
  barrier::Barrier barrier(physical);
  auto ops = barrier.Initialize(std::move(crypto::RandomKey()).value());
  ASSERT_TRUE(ops.ok());
  ASSERT_TRUE(inner->Transaction(*ops).ok());
  ManualClock clock;
  TokenStore store(barrier, clock);
  ASSERT_TRUE(store.OnUnseal().ok());
  physical.Arm();
  std::atomic<int> ok{0};
  std::vector<std::thread> writers;
  for (int t = 0; t < kWriters; ++t) {
    writers.emplace_back([&] {
      TokenCreateRequest req;
      req.policies = {"default"};
      ok += store.Create(req).ok() ? 1 : 0;
    });
  }
  for (auto& t : writers) {
    t.join();
  }
  EXPECT_EQ(ok.load(), kWriters);
  EXPECT_EQ(physical.max_inside(), kWriters);
}

TEST_F(TokenStoreTest, SealDropsTheCache) {
  TokenCreateRequest req;
  auto created = Make(req);
  ASSERT_TRUE(store_->Lookup(created.token).ok());
  store_->OnSeal();
  EXPECT_EQ(store_->Lookup(created.token).status().code(), Code::kSealed);
}

// A token and its accessor are drawn together; each must still be its own
// random base62 string.
TEST_F(TokenStoreTest, TokenAndAccessorAreSeparateRandomBase62Strings) {
  auto is_base62 = [](const std::string& s) {
    return std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isalnum(c) != 0; });
  };
  std::set<std::string> seen;
  for (int i = 0; i < 20; ++i) {
    auto created = Make(TokenCreateRequest{});
    ASSERT_EQ(created.token.size(), 28u);
    EXPECT_TRUE(created.token.starts_with("hvs."));
    EXPECT_TRUE(is_base62(created.token.substr(4))) << created.token;
    ASSERT_EQ(created.entry.accessor.size(), 24u);
    EXPECT_TRUE(is_base62(created.entry.accessor)) << created.entry.accessor;
    EXPECT_NE(created.token.substr(4), created.entry.accessor);
    EXPECT_TRUE(seen.insert(created.token.substr(4)).second);
    EXPECT_TRUE(seen.insert(created.entry.accessor).second);
    auto by_accessor = store_->LookupAccessor(created.entry.accessor);
    ASSERT_TRUE(by_accessor.ok()) << by_accessor.status().ToString();
    EXPECT_EQ(by_accessor->id_key, created.entry.id_key);
  }
}

// Stored entries are written without building a JSON document; the bytes
// must stay what the document's dump() wrote, so entries and batch tokens
// from before read back the same.
TEST(TokenEntryJsonTest, EncodeTokenEntryWritesWhatToStoredDumpWrites) {
  TokenEntry e;
  e.id_key = "sys/token/id/abc";
  e.accessor = "AbCdEf0123456789xyzXYZ01";
  e.parent_key = "sys/token/id/def";
  e.policies = {"default", "dev", "with \"quotes\" and \\ and /"};
  e.meta = {{"role_name", "web"}, {"ctl", std::string("tab\tnl\nnul") + '\0' + "\x1f"},
            {"unicode", "caf\u00e9 \u2603"}, {"", "empty key"}};
  e.display_name = "approle-web";
  e.path = "auth/approle/login";
  e.role = "r";
  e.creation_time = 1'800'000'000;
  e.issue_time = 1'800'000'100;
  e.ttl = 3600;
  e.creation_ttl = 3600;
  e.explicit_max_ttl = 7200;
  e.period = 60;
  e.num_uses = -1;
  e.renewable = true;
  e.entity_id = "entity";
  e.bound_cidrs = {"10.0.0.0/8", "127.0.0.1/32"};
  e.batch = true;
  EXPECT_EQ(EncodeTokenEntry(e), e.ToStored().dump());

  const TokenEntry empty;
  EXPECT_EQ(EncodeTokenEntry(empty), empty.ToStored().dump());

  Result<TokenEntry> decoded = TokenEntry::FromStored(e.id_key, EncodeTokenEntry(e));
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(decoded->policies, e.policies);
  EXPECT_EQ(decoded->meta, e.meta);
  EXPECT_EQ(decoded->bound_cidrs, e.bound_cidrs);
  EXPECT_EQ(decoded->num_uses, -1);
  EXPECT_EQ(decoded->explicit_max_ttl, 7200);
  EXPECT_TRUE(decoded->batch);
}

TEST(TokenEntryJsonTest, EncodeAccessorIndexWritesTheIdKey) {
  EXPECT_EQ(EncodeAccessorIndex("sys/token/id/0a1b"),
            nlohmann::json({{"id_key", "sys/token/id/0a1b"}}).dump());
}

}  // namespace
}  // namespace coffer::core
