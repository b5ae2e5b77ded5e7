// StoreKeyMetadata writes key metadata through to the mount's metadata
// cache once its transaction commits. These tests hold the cache to its
// guarantee (a value only for byte-identical bytes, equal to what decoding
// them gives) and show that a failed commit caches nothing and that
// version data never enters the cache.
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "engines/engine_harness.h"
#include "engines/kv/v2/key_metadata.h"
#include "engines/kv/v2/version_store.h"
#include "storage/forwarding_backend.h"

namespace coffer::engines::testing {
namespace {

using kv::KeyMetadata;
using nlohmann::json;

// FailingBackend is inmem storage whose transactions can be made to fail.
class FailingBackend : public storage::testing::ForwardingBackend {
 public:
  FailingBackend() : ForwardingBackend(std::move(storage::OpenBackend("inmem", {})).value()) {}

  Status Transaction(const std::vector<storage::TxnOp>& ops) override {
    if (fail_transactions_) {
      return Status::IOError("transaction failed on purpose");
    }
    return inner().Transaction(ops);
  }

  void set_fail_transactions(bool fail) { fail_transactions_ = fail; }

 private:
  bool fail_transactions_ = false;
};

// A metadata value with every member set.
KeyMetadata FullMetadata(const std::string& key) {
  KeyMetadata meta{.key = key};
  for (int64_t t = 1; t <= 12; ++t) {
    meta.AddVersion(1521685446945319214 + t, t % 2 == 0 ? std::optional<int64_t>(t) : std::nullopt,
                    0);
  }
  meta.versions.at(11).destroyed = true;
  meta.max_versions = 11;
  meta.cas_required = true;
  meta.delete_version_after = 7200;
  meta.custom_metadata = {{"owner", "ops \"team\""}, {"region", "eu-\xc3\xa9"}};
  return meta;
}

class KvV2MetadataWriteThroughTest : public ::testing::Test {
 protected:
  std::string StoredBytes(const std::string& key) {
    Result<std::string> bytes = storage_.Get(kv::MetadataStorageKey(key));
    EXPECT_TRUE(bytes.ok()) << bytes.status().ToString();
    return bytes.ok() ? *bytes : std::string();
  }

  FailingBackend storage_;
  kv::MetadataCache cache_{16, 1 << 20};
};

TEST_F(KvV2MetadataWriteThroughTest, CachedValueIsWhatTheWrittenBytesDecodeTo) {
  for (const KeyMetadata& meta : {KeyMetadata{.key = "bare"}, FullMetadata("full")}) {
    Result<std::shared_ptr<const KeyMetadata>> stored =
        kv::StoreKeyMetadata(cache_, storage_, {}, meta);
    ASSERT_TRUE(stored.ok()) << stored.status().ToString();
    EXPECT_EQ(**stored, meta);

    std::string bytes = StoredBytes(meta.key);
    Result<KeyMetadata> decoded = kv::DecodeKeyMetadata(bytes, meta.key);
    ASSERT_TRUE(decoded.ok());
    std::shared_ptr<const KeyMetadata> cached =
        cache_.Find(kv::MetadataStorageKey(meta.key), bytes);
    ASSERT_NE(cached, nullptr) << meta.key << ": the written bytes are cached";
    EXPECT_EQ(cached, *stored);
    EXPECT_EQ(*cached, *decoded) << meta.key;
  }
}

TEST_F(KvV2MetadataWriteThroughTest, NextLoadAfterAWriteIsACacheHit) {
  Result<std::shared_ptr<const KeyMetadata>> stored =
      kv::StoreKeyMetadata(cache_, storage_, {}, FullMetadata("app"));
  ASSERT_TRUE(stored.ok());
  Result<std::shared_ptr<const KeyMetadata>> loaded =
      kv::LoadKeyMetadata(cache_, storage_, "app");
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(*loaded, *stored);  // the same object: nothing was decoded

  // Storage changed behind the cache's back: the load decodes it.
  KeyMetadata other = FullMetadata("app");
  other.current_version = 99;
  Result<std::string> other_bytes = kv::EncodeKeyMetadata(other);
  ASSERT_TRUE(other_bytes.ok());
  ASSERT_TRUE(storage_.Put("metadata/app", *other_bytes).ok());
  Result<std::shared_ptr<const KeyMetadata>> reloaded =
      kv::LoadKeyMetadata(cache_, storage_, "app");
  ASSERT_TRUE(reloaded.ok());
  EXPECT_EQ((*reloaded)->current_version, 99u);
}

TEST_F(KvV2MetadataWriteThroughTest, FailedCommitLeavesNoEntry) {
  storage_.set_fail_transactions(true);
  EXPECT_EQ(CodeOf(kv::StoreKeyMetadata(cache_, storage_, {}, FullMetadata("app"))),
            Code::kIOError);
  EXPECT_EQ(cache_.Size(), 0u);

  // With an entry already there, a failed commit leaves that entry alone.
  storage_.set_fail_transactions(false);
  KeyMetadata first{.key = "app"};
  first.AddVersion(100, std::nullopt, 0);
  Result<std::shared_ptr<const KeyMetadata>> stored =
      kv::StoreKeyMetadata(cache_, storage_, {}, first);
  ASSERT_TRUE(stored.ok());
  std::string first_bytes = StoredBytes("app");

  storage_.set_fail_transactions(true);
  KeyMetadata second = first;
  second.AddVersion(200, std::nullopt, 0);
  EXPECT_EQ(CodeOf(kv::StoreKeyMetadata(cache_, storage_, {}, second)), Code::kIOError);
  EXPECT_EQ(StoredBytes("app"), first_bytes);
  EXPECT_EQ(cache_.Size(), 1u);
  EXPECT_EQ(cache_.Find("metadata/app", first_bytes), *stored);
  Result<std::string> second_bytes = kv::EncodeKeyMetadata(second);
  ASSERT_TRUE(second_bytes.ok());
  EXPECT_EQ(cache_.Find("metadata/app", *second_bytes), nullptr);
}

TEST_F(KvV2MetadataWriteThroughTest, VersionDataInTheSameTransactionIsNotCached) {
  KeyMetadata meta{.key = "app"};
  meta.AddVersion(100, std::nullopt, 0);
  Result<storage::TxnOp> put_version =
      kv::PutVersionOp("app", 1, json{{"password", "hunter2"}}, 100);
  ASSERT_TRUE(put_version.ok());
  std::vector<storage::TxnOp> ops;
  ops.push_back(std::move(put_version).value());
  ASSERT_TRUE(kv::StoreKeyMetadata(cache_, storage_, std::move(ops), meta).ok());

  EXPECT_TRUE(storage_.Get(kv::VersionStorageKey("app", 1)).ok());  // it was written
  std::string metadata_bytes = StoredBytes("app");
  EXPECT_EQ(cache_.Size(), 1u);
  EXPECT_EQ(cache_.StoredBytes(), metadata_bytes.size());
  EXPECT_EQ(metadata_bytes.find("hunter2"), std::string::npos);
}

}  // namespace
}  // namespace coffer::engines::testing
