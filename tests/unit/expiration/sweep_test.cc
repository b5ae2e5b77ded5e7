// The sweep: due-time index, token expiry, tidy and the sweep thread.
#include <thread>

#include "expiration_fixture.h"

namespace coffer::core::expiration {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

TEST_F(ExpirationTest, SweepRevokesOnlyDueLeases) {
  Lease due = Register("database/creds/ro", 60, 3600);
  Lease later = Register("database/creds/ro", 120, 3600);
  clock_.Advance(milliseconds(59'999));
  EXPECT_EQ(Sweep(), 0);  // one millisecond early
  clock_.Advance(milliseconds(1));
  EXPECT_EQ(Sweep(), 1);
  EXPECT_EQ(engines_.Revoked(), std::vector<std::string>{due.id});
  EXPECT_FALSE(LeaseExists(due.id));
  EXPECT_TRUE(LeaseExists(later.id));
  EXPECT_TRUE(Exists(later.IndexKey()));
}

TEST_F(ExpirationTest, SweepCrossesMinuteBuckets) {
  Lease a = Register("database/creds/ro", 30, 3600);
  Lease b = Register("database/creds/ro", 150, 3600);  // a later minute bucket
  Lease c = Register("database/creds/ro", 7200, 7200);
  clock_.Advance(seconds(200));
  EXPECT_EQ(Sweep(), 2);
  EXPECT_FALSE(LeaseExists(a.id));
  EXPECT_FALSE(LeaseExists(b.id));
  EXPECT_TRUE(LeaseExists(c.id));
}

TEST_F(ExpirationTest, SweepAfterRestartRevokesDueLeases) {
  Lease due = Register("database/creds/ro", 60, 3600, "client1");
  Lease later = Register("database/creds/ro", 600, 3600);
  manager_.reset();  // the server goes away

  clock_.Advance(seconds(61));
  FakeEngines engines;
  ExpirationManager restarted(*barrier_, clock_, engines);
  auto n = restarted.SweepOnce();
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(*n, 1);
  EXPECT_EQ(engines.Revoked(), std::vector<std::string>{due.id});
  EXPECT_FALSE(LeaseExists(due.id));
  EXPECT_FALSE(Exists(TokenIndexKey("client1", due.id)));
  EXPECT_TRUE(LeaseExists(later.id));
}

TEST_F(ExpirationTest, RenewedLeaseIsNotRevokedAtItsOldExpiry) {
  Lease l = Register("database/creds/ro", 60, 3600);
  clock_.Advance(seconds(30));
  ASSERT_TRUE(manager_->Renew(l.id, 300).ok());
  clock_.Advance(seconds(31));  // past the original expiry
  EXPECT_EQ(Sweep(), 0);
  EXPECT_TRUE(LeaseExists(l.id));
  EXPECT_TRUE(engines_.RevokeCalls().empty());
  clock_.Advance(seconds(270));  // the renewed expiry
  EXPECT_EQ(Sweep(), 1);
  EXPECT_FALSE(LeaseExists(l.id));
}

TEST_F(ExpirationTest, TokenIndexOpsMakeSweepExpireTokenOnce) {
  const std::string id_key = "sys/token/id/abcdef";
  ASSERT_TRUE(barrier_->Transaction(ExpirationManager::IndexTokenOps(id_key, 0, kStart + 10)).ok());
  const std::string key = TimeIndexKey((kStart + 10) * 1000, "token", id_key);
  ASSERT_TRUE(Exists(key));
  EXPECT_EQ(*barrier_->Get(key), id_key);

  EXPECT_EQ(Sweep(), 0);
  clock_.Advance(seconds(10));
  EXPECT_EQ(Sweep(), 1);
  EXPECT_EQ(engines_.ExpiredTokens(), std::vector<std::string>{id_key});
  EXPECT_FALSE(Exists(key));
  clock_.Advance(seconds(10));
  EXPECT_EQ(Sweep(), 0);
  EXPECT_EQ(engines_.ExpiredTokens().size(), 1u);
}

TEST_F(ExpirationTest, TokenReindexReplacesAndUnindexRemovesTheEntry) {
  const std::string id_key = "sys/token/id/abcdef";
  ASSERT_TRUE(barrier_->Transaction(ExpirationManager::IndexTokenOps(id_key, 0, kStart + 10)).ok());
  ASSERT_TRUE(
      barrier_->Transaction(ExpirationManager::IndexTokenOps(id_key, kStart + 10, kStart + 100)).ok());
  EXPECT_FALSE(Exists(TimeIndexKey((kStart + 10) * 1000, "token", id_key)));
  EXPECT_TRUE(Exists(TimeIndexKey((kStart + 100) * 1000, "token", id_key)));
  clock_.Advance(seconds(50));
  EXPECT_EQ(Sweep(), 0);  // the renewed token is not expired at its old time
  ASSERT_TRUE(barrier_->Transaction(ExpirationManager::UnindexTokenOps(id_key, kStart + 100)).ok());
  EXPECT_FALSE(Exists(TimeIndexKey((kStart + 100) * 1000, "token", id_key)));
  clock_.Advance(seconds(100));
  EXPECT_EQ(Sweep(), 0);
  EXPECT_TRUE(engines_.ExpiredTokens().empty());
}

TEST_F(ExpirationTest, SweepDropsIndexEntryOfAVanishedLease) {
  const std::string dangling = TimeIndexKey((kStart + 5) * 1000, "lease", "database/creds/ro/gone");
  ASSERT_TRUE(barrier_->Put(dangling, "database/creds/ro/gone").ok());
  clock_.Advance(seconds(5));
  EXPECT_EQ(Sweep(), 0);
  EXPECT_FALSE(Exists(dangling));
  EXPECT_TRUE(engines_.RevokeCalls().empty());
}

TEST_F(ExpirationTest, TidyFixesDanglingAndMissingIndexEntries) {
  Lease kept = Register("database/creds/ro", 600, 3600, "client1");
  const std::string dangling = TimeIndexKey((kStart + 5) * 1000, "lease", "database/creds/ro/gone");
  ASSERT_TRUE(barrier_->Put(dangling, "database/creds/ro/gone").ok());
  const std::string dangling_token = TokenIndexKey("client9", "database/creds/ro/gone");
  ASSERT_TRUE(barrier_->Put(dangling_token, "database/creds/ro/gone").ok());
  ASSERT_TRUE(barrier_->Delete(kept.IndexKey()).ok());  // a lease that would never expire

  auto fixed = manager_->Tidy();
  ASSERT_TRUE(fixed.ok()) << fixed.status().ToString();
  EXPECT_EQ(*fixed, 3);
  EXPECT_FALSE(Exists(dangling));
  EXPECT_FALSE(Exists(dangling_token));
  EXPECT_TRUE(Exists(kept.IndexKey()));
  EXPECT_EQ(*manager_->Tidy(), 0);  // nothing left to fix

  clock_.Advance(seconds(600));
  EXPECT_EQ(Sweep(), 1);  // the restored entry makes it expire again
  EXPECT_FALSE(LeaseExists(kept.id));
}

class ExpirationThreadTest : public ExpirationTest {
 protected:
  void SetUp() override {
    ExpirationTest::SetUp();
    manager_ = std::make_unique<ExpirationManager>(*barrier_, Clock::Real(), engines_);
  }

  bool WaitForRevocation(const std::string& id) {
    for (int i = 0; i < 60; ++i) {
      if (!LeaseExists(id)) {
        return true;
      }
      std::this_thread::sleep_for(milliseconds(50));
    }
    return false;
  }
};

TEST_F(ExpirationThreadTest, StartedSweeperRevokesDueLeaseWithRealClock) {
  manager_->Start();
  manager_->Start();  // idempotent
  Lease l = Register("database/creds/ro", 1, 60);
  EXPECT_TRUE(LeaseExists(l.id));
  EXPECT_TRUE(WaitForRevocation(l.id));
  EXPECT_EQ(engines_.Revoked(), std::vector<std::string>{l.id});
  manager_->Stop();
  manager_->Stop();  // idempotent
}

TEST_F(ExpirationThreadTest, SweeperRunsAgainAfterStopAndStart) {
  manager_->Start();
  manager_->Stop();
  Lease stopped = Register("database/creds/ro", 1, 60);
  std::this_thread::sleep_for(milliseconds(2100));
  EXPECT_TRUE(LeaseExists(stopped.id));  // no sweeper while stopped (sealed)
  manager_->Start();
  EXPECT_TRUE(WaitForRevocation(stopped.id));
  // Stop wakes the thread at once rather than after its wait.
  auto before = std::chrono::steady_clock::now();
  manager_->Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - before, milliseconds(200));
}

}  // namespace
}  // namespace coffer::core::expiration
