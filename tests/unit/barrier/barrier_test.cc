#include "barrier/barrier.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <thread>
#include <vector>

#include "barrier/entry_format.h"
#include "crypto/aead.h"
#include "crypto/random.h"
#include "storage/backend.h"

namespace coffer::barrier {
namespace {

class BarrierTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto backend = storage::OpenBackend("inmem", {});
    ASSERT_TRUE(backend.ok()) << backend.status().ToString();
    physical_ = std::move(backend).value();
    barrier_ = std::make_unique<Barrier>(*physical_);
    auto master = crypto::RandomKey();
    ASSERT_TRUE(master.ok());
    master_ = master->Clone();
    auto ops = barrier_->Initialize(std::move(master).value());
    ASSERT_TRUE(ops.ok()) << ops.status().ToString();
    ASSERT_TRUE(physical_->Transaction(*ops).ok());
  }

  std::unique_ptr<storage::Backend> physical_;
  std::unique_ptr<Barrier> barrier_;
  crypto::SecureBuffer master_;
};

TEST_F(BarrierTest, PutThenGetReturnsPlaintext) {
  ASSERT_TRUE(barrier_->Put("sys/thing", "hello").ok());
  auto got = barrier_->Get("sys/thing");
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(*got, "hello");
}

// The two-step read: GetStored is the sealed entry itself, Open gives
// what Get gives and authenticates like it, and both refuse while sealed.
TEST_F(BarrierTest, GetStoredIsTheSealedEntryAndOpenIsGet) {
  ASSERT_TRUE(barrier_->Put("logical/m1/k", "plaintext-value").ok());
  Result<std::string> stored = barrier_->GetStored("logical/m1/k");
  ASSERT_TRUE(stored.ok()) << stored.status().ToString();
  EXPECT_EQ(*stored, physical_->Get("logical/m1/k").value());
  EXPECT_EQ(stored->find("plaintext-value"), std::string::npos);
  EXPECT_EQ(barrier_->Open("logical/m1/k", *stored).value(), "plaintext-value");

  // The entry is bound to its key, and any changed byte fails.
  EXPECT_EQ(barrier_->Open("logical/m1/other", *stored).status().code(), Code::kCorruption);
  std::string tampered = *stored;
  tampered[tampered.size() - 1] ^= 1;
  EXPECT_EQ(barrier_->Open("logical/m1/k", tampered).status().code(), Code::kCorruption);
  EXPECT_EQ(barrier_->GetStored("logical/m1/none").status().code(), Code::kNotFound);

  barrier_->Seal();
  EXPECT_EQ(barrier_->GetStored("logical/m1/k").status().code(), Code::kSealed);
  EXPECT_EQ(barrier_->Open("logical/m1/k", *stored).status().code(), Code::kSealed);
}

TEST_F(BarrierTest, PhysicalStorageHoldsOnlyCiphertext) {
  const std::string marker = "MARKER-7f3a9c-plaintext-must-not-leak";
  ASSERT_TRUE(barrier_->Put("logical/mount-a/secret", marker).ok());
  auto raw = physical_->Get("logical/mount-a/secret");
  ASSERT_TRUE(raw.ok());
  EXPECT_EQ(raw->find(marker), std::string::npos);
  EXPECT_EQ(raw->find("MARKER"), std::string::npos);
}

TEST_F(BarrierTest, EveryFlippedByteFailsToDecrypt) {
  ASSERT_TRUE(barrier_->Put("sys/flip", "some secret value").ok());
  auto raw = physical_->Get("sys/flip");
  ASSERT_TRUE(raw.ok());
  for (size_t i = 0; i < raw->size(); ++i) {
    std::string tampered = *raw;
    tampered[i] = static_cast<char>(tampered[i] ^ 0x01);
    ASSERT_TRUE(physical_->Put("sys/flip", tampered).ok());
    auto got = barrier_->Get("sys/flip");
    EXPECT_FALSE(got.ok()) << "flipping byte " << i << " went unnoticed";
  }
}

TEST_F(BarrierTest, TruncatedEntryFailsToDecrypt) {
  ASSERT_TRUE(barrier_->Put("sys/trunc", "value").ok());
  auto raw = physical_->Get("sys/trunc");
  ASSERT_TRUE(raw.ok());
  for (size_t len : {size_t{0}, size_t{3}, size_t{7}, raw->size() - 1}) {
    ASSERT_TRUE(physical_->Put("sys/trunc", raw->substr(0, len)).ok());
    EXPECT_FALSE(barrier_->Get("sys/trunc").ok()) << "length " << len;
  }
}

TEST_F(BarrierTest, BlobCopiedUnderAnotherKeyFailsToDecrypt) {
  ASSERT_TRUE(barrier_->Put("sys/a", "value-a").ok());
  auto raw = physical_->Get("sys/a");
  ASSERT_TRUE(raw.ok());
  ASSERT_TRUE(physical_->Put("sys/b", *raw).ok());
  auto got = barrier_->Get("sys/b");
  ASSERT_FALSE(got.ok());
  EXPECT_TRUE(got.status().IsCorruption()) << got.status().ToString();
}

TEST_F(BarrierTest, BlobCopiedIntoAnotherMountFailsToDecrypt) {
  ASSERT_TRUE(barrier_->Put("logical/mount-a/k", "value").ok());
  ASSERT_TRUE(barrier_->Put("logical/mount-b/other", "x").ok());
  auto raw = physical_->Get("logical/mount-a/k");
  ASSERT_TRUE(raw.ok());
  ASSERT_TRUE(physical_->Put("logical/mount-b/k", *raw).ok());
  EXPECT_FALSE(barrier_->Get("logical/mount-b/k").ok());
}

TEST_F(BarrierTest, EachMountGetsItsOwnKeyring) {
  ASSERT_TRUE(barrier_->Put("logical/mount-a/k", "a").ok());
  ASSERT_TRUE(barrier_->Put("logical/mount-b/k", "b").ok());
  EXPECT_TRUE(physical_->Get("core/kek/mount-a/1").ok());
  EXPECT_TRUE(physical_->Get("core/kek/mount-b/1").ok());
  EXPECT_TRUE(physical_->Get("core/kek/system/1").ok());
}

TEST_F(BarrierTest, SealedBarrierRefusesEveryOperation) {
  ASSERT_TRUE(barrier_->Put("sys/x", "v").ok());
  barrier_->Seal();
  EXPECT_TRUE(barrier_->sealed());
  EXPECT_EQ(barrier_->Get("sys/x").status().code(), Code::kSealed);
  EXPECT_EQ(barrier_->Put("sys/y", "v").code(), Code::kSealed);
  EXPECT_EQ(barrier_->List("sys/").status().code(), Code::kSealed);
  EXPECT_EQ(barrier_->DeriveKey("x").status().code(), Code::kSealed);
}

TEST_F(BarrierTest, WrongMasterKeyDoesNotUnseal) {
  barrier_->Seal();
  auto wrong = crypto::RandomKey();
  ASSERT_TRUE(wrong.ok());
  Status st = barrier_->Unseal(std::move(wrong).value());
  EXPECT_TRUE(st.IsInvalidArgument()) << st.ToString();
  EXPECT_TRUE(barrier_->sealed());
}

TEST_F(BarrierTest, ReopenedBarrierReadsWithTheSameMasterKey) {
  ASSERT_TRUE(barrier_->Put("logical/m/k", "persisted").ok());
  Barrier reopened(*physical_);
  ASSERT_TRUE(reopened.Unseal(master_.Clone()).ok());
  auto got = reopened.Get("logical/m/k");
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(*got, "persisted");
}

TEST_F(BarrierTest, RotatedKekStillDecryptsOlderEntries) {
  ASSERT_TRUE(barrier_->Put("logical/m/old", "old-value").ok());
  auto v2 = barrier_->RotateKek("m");
  ASSERT_TRUE(v2.ok()) << v2.status().ToString();
  EXPECT_EQ(*v2, 2u);
  ASSERT_TRUE(barrier_->Put("logical/m/new", "new-value").ok());

  auto raw_new = physical_->Get("logical/m/new");
  ASSERT_TRUE(raw_new.ok());
  auto parts = DecodeEntry(*raw_new);
  ASSERT_TRUE(parts.ok());
  EXPECT_EQ(parts->kek_version, 2u);

  Barrier reopened(*physical_);
  ASSERT_TRUE(reopened.Unseal(master_.Clone()).ok());
  EXPECT_EQ(*reopened.Get("logical/m/old"), "old-value");
  EXPECT_EQ(*reopened.Get("logical/m/new"), "new-value");
}

TEST_F(BarrierTest, KekKeysAreReserved) {
  EXPECT_TRUE(barrier_->Put("core/kek/system/9", "x").IsInvalidArgument());
  EXPECT_TRUE(barrier_->Get("core/kek/system/1").status().IsInvalidArgument());
}

TEST_F(BarrierTest, TransactionEncryptsEveryPut) {
  std::vector<storage::TxnOp> ops = {storage::TxnOp::Put("sys/t1", "TXN-MARKER-1"),
                                     storage::TxnOp::Put("sys/t2", "TXN-MARKER-2")};
  ASSERT_TRUE(barrier_->Transaction(ops).ok());
  EXPECT_EQ(physical_->Get("sys/t1")->find("TXN-MARKER"), std::string::npos);
  EXPECT_EQ(*barrier_->Get("sys/t2"), "TXN-MARKER-2");
}

TEST_F(BarrierTest, DerivedKeysDifferByLabelAndAreStable) {
  auto a1 = barrier_->DeriveKey("token-hmac");
  auto a2 = barrier_->DeriveKey("token-hmac");
  auto b = barrier_->DeriveKey("audit");
  ASSERT_TRUE(a1.ok() && a2.ok() && b.ok());
  EXPECT_EQ(a1->view(), a2->view());
  EXPECT_NE(a1->view(), b->view());
  EXPECT_NE(a1->view(), master_.view());
}

// The KEK a test needs to build or open entries by hand, as the format's
// spec describes them.
crypto::SecureBuffer KekOf(storage::Backend& physical, const crypto::SecureBuffer& master,
                           std::string_view domain) {
  const std::string key = std::string(kKekPrefix) + std::string(domain) + "/1";
  auto blob = physical.Get(key);
  EXPECT_TRUE(blob.ok()) << key;
  auto kek = crypto::AeadOpenKey(master, blob.ok() ? *blob : "", key);
  EXPECT_TRUE(kek.ok());
  return kek.ok() ? std::move(kek).value() : crypto::SecureBuffer();
}

TEST_F(BarrierTest, EntryWrittenFollowsTheSpecifiedFormat) {
  const std::string key = "logical/m/format";
  ASSERT_TRUE(barrier_->Put(key, "format-value").ok());
  crypto::SecureBuffer kek = KekOf(*physical_, master_, "m");
  auto raw = physical_->Get(key);
  ASSERT_TRUE(raw.ok());
  auto parts = DecodeEntry(*raw);
  ASSERT_TRUE(parts.ok());
  EXPECT_EQ(parts->kek_version, 1u);
  EXPECT_EQ(parts->wrapped_dek.size(), crypto::DataKey::kSize + crypto::kAeadOverhead);
  auto dek = crypto::AeadOpenKey(kek, parts->wrapped_dek, DekAad(key));
  ASSERT_TRUE(dek.ok()) << dek.status().ToString();
  auto value = crypto::AeadOpen(*dek, parts->ciphertext, key);
  ASSERT_TRUE(value.ok()) << value.status().ToString();
  EXPECT_EQ(*value, "format-value");
}

TEST_F(BarrierTest, ReadsAnEntryBuiltByTheSpecifiedFormat) {
  const std::string key = "logical/m/by-hand";
  ASSERT_TRUE(barrier_->Put("logical/m/first", "creates the keyring").ok());
  crypto::SecureBuffer kek = KekOf(*physical_, master_, "m");
  crypto::SecureBuffer dek = crypto::RandomKey().value();
  auto wrapped = crypto::AeadSeal(kek, dek.view(), DekAad(key));
  auto ciphertext = crypto::AeadSeal(dek, "hand-made", key);
  ASSERT_TRUE(wrapped.ok() && ciphertext.ok());
  ASSERT_TRUE(physical_->Put(key, EncodeEntry(1, *wrapped, *ciphertext)).ok());
  auto got = barrier_->Get(key);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(*got, "hand-made");
}

TEST_F(BarrierTest, LongKeysRoundTrip) {
  // Longer than the inline buffer for the DEK's associated data.
  const std::string key = "logical/m/" + std::string(600, 'k');
  ASSERT_TRUE(barrier_->Put(key, "long").ok());
  EXPECT_EQ(*barrier_->Get(key), "long");
  std::string moved = key;
  moved.back() = 'j';
  ASSERT_TRUE(physical_->Put(moved, *physical_->Get(key)).ok());
  EXPECT_EQ(barrier_->Get(moved).status().code(), Code::kCorruption);
}

TEST_F(BarrierTest, TransactionOfManyPutsGivesEveryEntryItsOwnKeyAndNonces) {
  // More puts than one draw of randomness covers, with deletes among them.
  std::vector<storage::TxnOp> ops;
  for (int i = 0; i < 21; ++i) {
    ops.push_back(storage::TxnOp::Put("logical/m/t" + std::to_string(i), "same value"));
    if (i % 5 == 0) {
      ops.push_back(storage::TxnOp::Delete("logical/m/gone" + std::to_string(i)));
    }
  }
  ASSERT_TRUE(barrier_->Transaction(ops).ok());
  crypto::SecureBuffer kek = KekOf(*physical_, master_, "m");
  std::set<std::string> nonces;
  std::set<std::string> deks;
  for (int i = 0; i < 21; ++i) {
    const std::string key = "logical/m/t" + std::to_string(i);
    EXPECT_EQ(*barrier_->Get(key), "same value") << key;
    auto raw = physical_->Get(key);  // the parts are views into it
    ASSERT_TRUE(raw.ok());
    auto parts = DecodeEntry(*raw);
    ASSERT_TRUE(parts.ok());
    const std::string wrap_nonce(parts->wrapped_dek.substr(0, crypto::kAeadNonceSize));
    const std::string value_nonce(parts->ciphertext.substr(0, crypto::kAeadNonceSize));
    nonces.insert(wrap_nonce);
    nonces.insert(value_nonce);
    // The DEK itself, unwrapped: distinct per entry and drawn apart from
    // the entry's nonces.
    auto dek = crypto::AeadOpenKey(kek, parts->wrapped_dek, DekAad(key));
    ASSERT_TRUE(dek.ok()) << key << ": " << dek.status().ToString();
    const std::string dek_bytes(dek->view());
    EXPECT_EQ(dek_bytes.find(wrap_nonce), std::string::npos) << key;
    EXPECT_EQ(dek_bytes.find(value_nonce), std::string::npos) << key;
    deks.insert(dek_bytes);
  }
  EXPECT_EQ(nonces.size(), 42u) << "a nonce was used twice";
  EXPECT_EQ(deks.size(), 21u) << "two entries share a DEK";
}

TEST_F(BarrierTest, ConcurrentPutsAndGetsFromManyThreads) {
  constexpr int kThreads = 8;
  constexpr int kRounds = 100;
  std::vector<int> failures(kThreads, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      // Two mounts, so keyrings are created concurrently too.
      const std::string prefix = "logical/mount-" + std::to_string(t % 2) + "/";
      for (int i = 0; i < kRounds; ++i) {
        const std::string key = prefix + std::to_string(t) + "/" + std::to_string(i);
        const std::string value = "v" + std::to_string(t * 1000 + i);
        Status put = i % 2 == 0 ? barrier_->Put(key, value)
                                : barrier_->Transaction({storage::TxnOp::Put(key, value)});
        auto got = barrier_->Get(key);
        if (!put.ok() || !got.ok() || *got != value) {
          ++failures[t];
        }
      }
    });
  }
  for (std::thread& thread : threads) {
    thread.join();
  }
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_EQ(failures[t], 0) << "thread " << t;
  }
}

TEST(DomainOfTest, MapsLogicalKeysToTheirMount) {
  EXPECT_EQ(Barrier::DomainOf("logical/abc/x/y"), "abc");
  EXPECT_EQ(Barrier::DomainOf("sys/token/id/x"), "system");
  EXPECT_EQ(Barrier::DomainOf("logical/"), "system");
  EXPECT_EQ(Barrier::DomainOf("logical//x"), "system");
}

}  // namespace
}  // namespace coffer::barrier
