// KV v2 keeps decoded key metadata and config in per-mount caches. These
// tests show reads through a warm cache always answer what storage holds
// now: after every kind of change, through any path, and after changes
// made directly to storage.
#include <atomic>
#include <memory>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "barrier/barrier.h"
#include "core/storage_view.h"
#include "crypto/random.h"
#include "engines/engine_harness.h"
#include "engines/kv/v2/key_metadata.h"
#include "storage/forwarding_backend.h"

namespace coffer::engines::testing {
namespace {

using core::Operation;
using nlohmann::json;

json Data(json data) { return {{"data", std::move(data)}}; }

class KvV2MetadataCacheTest : public ::testing::Test {
 protected:
  // Outcome is what a call answered: its status code, HTTP status and body.
  struct Outcome {
    Code code;
    int status;
    json data;
    bool operator==(const Outcome&) const = default;
  };

  static Outcome OutcomeOf(const Result<core::Response>& r) {
    if (!r.ok()) {
      return {r.status().code(), 0, json()};
    }
    return {Code::kOk, r->http_status, r->WholeData()};
  }

  Outcome Cached(Operation op, const std::string& path, json data = json::object()) {
    return OutcomeOf(kv_.Call(op, path, std::move(data)));
  }

  // Fresh answers from a new engine over the same storage: its caches are
  // empty, so it decodes everything it reads.
  Outcome Fresh(Operation op, const std::string& path, json data = json::object()) {
    Result<std::unique_ptr<core::Engine>> engine = core::CreateEngine({"kv-v2", "secret/", {}});
    EXPECT_TRUE(engine.ok());
    core::EngineRequest request;
    request.operation = op;
    request.path = path;
    request.data = std::move(data);
    request.storage = &kv_.storage();
    request.mount_point = "secret/";
    request.clock = &kv_.clock();
    return OutcomeOf((*engine)->Handle(std::move(request)));
  }

  // ExpectReadsMatchFresh reads `key` through every reading path twice
  // (the second read is a cache hit) and compares with a fresh engine.
  void ExpectReadsMatchFresh(const std::string& key) {
    for (const std::string& path :
         {"data/" + key, "metadata/" + key, "subkeys/" + key, std::string("config")}) {
      for (int round = 0; round < 2; ++round) {
        EXPECT_EQ(Cached(Operation::kRead, path), Fresh(Operation::kRead, path))
            << path << " round " << round;
      }
    }
    for (int version = 1; version <= 3; ++version) {
      json asked = {{"version", version}};
      EXPECT_EQ(Cached(Operation::kRead, "data/" + key, asked),
                Fresh(Operation::kRead, "data/" + key, asked))
          << "version " << version;
    }
  }

  json StoredMetadata(const std::string& key) {
    Result<std::string> bytes = kv_.storage().Get("metadata/" + key);
    EXPECT_TRUE(bytes.ok());
    return bytes.ok() ? json::parse(*bytes) : json();
  }

  EngineHarness kv_{"kv-v2"};
};

TEST_F(KvV2MetadataCacheTest, ReadsSeeEveryKindOfChange) {
  ExpectReadsMatchFresh("app");  // nothing yet
  kv_.MustCall(Operation::kUpdate, "data/app", Data({{"n", 1}}));
  ExpectReadsMatchFresh("app");
  EXPECT_EQ(kv_.MustCall(Operation::kRead, "data/app")["data"], json({{"n", 1}}));

  kv_.clock().Advance(std::chrono::seconds(1));
  kv_.MustCall(Operation::kUpdate, "data/app", Data({{"n", 2}}));
  ExpectReadsMatchFresh("app");
  EXPECT_EQ(kv_.MustCall(Operation::kRead, "data/app")["metadata"]["version"], 2);

  kv_.MustCall(Operation::kPatch, "data/app", Data({{"m", 3}}));
  ExpectReadsMatchFresh("app");
  EXPECT_EQ(kv_.MustCall(Operation::kRead, "data/app")["data"], json({{"m", 3}, {"n", 2}}));

  kv_.MustCall(Operation::kDelete, "data/app");  // soft-deletes version 3
  ExpectReadsMatchFresh("app");
  EXPECT_EQ(Cached(Operation::kRead, "data/app").status, 404);

  kv_.MustCall(Operation::kUpdate, "undelete/app", {{"versions", {3}}});
  ExpectReadsMatchFresh("app");
  EXPECT_EQ(Cached(Operation::kRead, "data/app").status, 200);

  kv_.MustCall(Operation::kUpdate, "delete/app", {{"versions", {1, 3}}});
  ExpectReadsMatchFresh("app");
  EXPECT_EQ(Cached(Operation::kRead, "data/app", {{"version", 1}}).status, 404);

  kv_.MustCall(Operation::kUpdate, "destroy/app", {{"versions", {2}}});
  ExpectReadsMatchFresh("app");
  EXPECT_EQ(kv_.MustCall(Operation::kRead, "metadata/app")["versions"]["2"]["destroyed"], true);

  kv_.MustCall(Operation::kUpdate, "metadata/app",
               {{"max_versions", 2}, {"custom_metadata", {{"owner", "ops"}}}});
  ExpectReadsMatchFresh("app");
  EXPECT_EQ(kv_.MustCall(Operation::kRead, "metadata/app")["max_versions"], 2);

  kv_.MustCall(Operation::kPatch, "metadata/app", {{"custom_metadata", {{"owner", nullptr}}}});
  ExpectReadsMatchFresh("app");
  EXPECT_EQ(kv_.MustCall(Operation::kRead, "metadata/app")["custom_metadata"], nullptr);

  kv_.MustCall(Operation::kUpdate, "config", {{"cas_required", true}});
  ExpectReadsMatchFresh("app");
  EXPECT_EQ(CodeOf(kv_.Call(Operation::kUpdate, "data/app", Data({{"n", 4}}))),
            Code::kInvalidArgument);

  kv_.MustCall(Operation::kDelete, "metadata/app");
  ExpectReadsMatchFresh("app");
  EXPECT_EQ(Cached(Operation::kRead, "data/app").code, Code::kNotFound);
  EXPECT_EQ(Cached(Operation::kRead, "metadata/app").code, Code::kNotFound);
  Result<bool> exists = kv_.Exists("data/app");
  ASSERT_TRUE(exists.ok());
  EXPECT_FALSE(*exists);

  // A key recreated after its metadata was deleted starts again at 1.
  kv_.MustCall(Operation::kUpdate, "data/app", {{"data", {{"n", 5}}}, {"options", {{"cas", 0}}}});
  ExpectReadsMatchFresh("app");
  EXPECT_EQ(kv_.MustCall(Operation::kRead, "data/app")["metadata"]["version"], 1);
}

TEST_F(KvV2MetadataCacheTest, ChangesWrittenDirectlyToStorageAreSeen) {
  kv_.MustCall(Operation::kUpdate, "data/app", Data({{"n", 1}}));
  kv_.MustCall(Operation::kUpdate, "data/app", Data({{"n", 2}}));
  ExpectReadsMatchFresh("app");  // the cache now holds the metadata
  Result<std::string> original = kv_.storage().Get("metadata/app");
  ASSERT_TRUE(original.ok());

  // A change made behind the engine's back.
  json changed = StoredMetadata("app");
  changed["current_version"] = 1;
  changed["custom_metadata"] = {{"changed", "behind"}};
  ASSERT_TRUE(kv_.storage().Put("metadata/app", changed.dump()).ok());
  ExpectReadsMatchFresh("app");
  json read = kv_.MustCall(Operation::kRead, "data/app");
  EXPECT_EQ(read["data"], json({{"n", 1}}));
  EXPECT_EQ(read["metadata"]["custom_metadata"], json({{"changed", "behind"}}));

  // A rollback to the bytes the cache saw first.
  ASSERT_TRUE(kv_.storage().Put("metadata/app", *original).ok());
  ExpectReadsMatchFresh("app");
  EXPECT_EQ(kv_.MustCall(Operation::kRead, "data/app")["data"], json({{"n", 2}}));

  // Damage is reported, not hidden by what was decoded before.
  ASSERT_TRUE(kv_.storage().Put("metadata/app", "{not json").ok());
  EXPECT_EQ(Cached(Operation::kRead, "data/app").code, Code::kCorruption);
  EXPECT_EQ(Cached(Operation::kRead, "metadata/app").code, Code::kCorruption);
  EXPECT_EQ(CodeOf(kv_.Exists("data/app")), Code::kCorruption);
  ASSERT_TRUE(kv_.storage().Put("metadata/app", *original).ok());
  EXPECT_EQ(kv_.MustCall(Operation::kRead, "data/app")["data"], json({{"n", 2}}));

  // A delete.
  ASSERT_TRUE(kv_.storage().Delete("metadata/app").ok());
  ExpectReadsMatchFresh("app");
  EXPECT_EQ(Cached(Operation::kRead, "data/app").code, Code::kNotFound);
}

// Over the barrier (through a mount's storage view, as in the server), a
// warm read compares the sealed entry, not its plaintext: it must still see
// every change, and a damaged entry or a sealed barrier must never be
// answered from the cache.
class KvV2MetadataCacheOverBarrierTest : public KvV2MetadataCacheTest {
 protected:
  void SetUp() override {
    physical_ = std::move(storage::OpenBackend("inmem", {})).value();
    barrier_ = std::make_unique<barrier::Barrier>(*physical_);
    Result<crypto::SecureBuffer> master = crypto::RandomKey();
    ASSERT_TRUE(master.ok());
    Result<std::vector<storage::TxnOp>> ops = barrier_->Initialize(std::move(master).value());
    ASSERT_TRUE(ops.ok()) << ops.status().ToString();
    ASSERT_TRUE(physical_->Transaction(*ops).ok());
    view_ = std::make_unique<core::StorageView>(*barrier_, "logical/m1/");
    kv_.UseStorage(*view_);
  }

  static constexpr char kKey[] = "logical/m1/metadata/app";
  std::unique_ptr<storage::Backend> physical_;
  std::unique_ptr<barrier::Barrier> barrier_;
  std::unique_ptr<core::StorageView> view_;
};

// Counts what a backend is asked to open (decrypt).
class OpenCounter final : public storage::testing::ForwardingBackend {
 public:
  using ForwardingBackend::ForwardingBackend;
  Result<std::string> Open(std::string_view key, std::string_view stored) override {
    ++opens;
    return inner().Open(key, stored);
  }

  int opens = 0;
};

// A warm read opens no metadata: the sealed entry it reads is the one the
// cache recorded. The first read after a write opens it once.
TEST_F(KvV2MetadataCacheOverBarrierTest, WarmReadsOpenNoMetadata) {
  OpenCounter counter(*view_);
  kv_.UseStorage(counter);
  kv_.MustCall(Operation::kUpdate, "data/app", Data({{"n", 1}}));
  kv_.MustCall(Operation::kRead, "data/app");
  const int after_first = counter.opens;
  EXPECT_LE(after_first, 1);
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(kv_.MustCall(Operation::kRead, "data/app")["data"], json({{"n", 1}}));
    EXPECT_EQ(kv_.MustCall(Operation::kRead, "metadata/app")["current_version"], 1);
  }
  EXPECT_EQ(counter.opens, after_first);

  // Re-sealed with the same plaintext: opened once, then warm again.
  ASSERT_TRUE(barrier_->Put(kKey, barrier_->Get(kKey).value()).ok());
  kv_.MustCall(Operation::kRead, "data/app");
  kv_.MustCall(Operation::kRead, "data/app");
  EXPECT_EQ(counter.opens, after_first + 1);
}

TEST_F(KvV2MetadataCacheOverBarrierTest, EveryChangeToTheSealedEntryIsSeen) {
  kv_.MustCall(Operation::kUpdate, "data/app", Data({{"n", 1}}));
  kv_.MustCall(Operation::kUpdate, "data/app", Data({{"n", 2}}));
  ExpectReadsMatchFresh("app");  // the cache now knows the sealed entry
  const std::string sealed = physical_->Get(kKey).value();
  EXPECT_EQ(view_->GetStored("metadata/app").value(), sealed);  // the view adds its prefix
  const std::string plain = barrier_->Get(kKey).value();

  // A change through the barrier, behind the engine's back.
  json changed = StoredMetadata("app");
  changed["current_version"] = 1;
  changed["custom_metadata"] = {{"changed", "behind"}};
  ASSERT_TRUE(barrier_->Put(kKey, changed.dump()).ok());
  ExpectReadsMatchFresh("app");
  EXPECT_EQ(kv_.MustCall(Operation::kRead, "data/app")["data"], json({{"n", 1}}));

  // The same plaintext sealed anew: another stored form, the same answer.
  ASSERT_TRUE(barrier_->Put(kKey, plain).ok());
  ExpectReadsMatchFresh("app");
  EXPECT_EQ(kv_.MustCall(Operation::kRead, "data/app")["data"], json({{"n", 2}}));

  // The first sealed entry put back physically (a rollback).
  ASSERT_TRUE(barrier_->Put(kKey, changed.dump()).ok());
  ExpectReadsMatchFresh("app");
  ASSERT_TRUE(physical_->Put(kKey, sealed).ok());
  ExpectReadsMatchFresh("app");
  EXPECT_EQ(kv_.MustCall(Operation::kRead, "data/app")["metadata"]["version"], 2);

  // A damaged sealed entry is refused, not answered from the cache.
  std::string tampered = sealed;
  tampered[tampered.size() - 1] ^= 1;
  ASSERT_TRUE(physical_->Put(kKey, tampered).ok());
  EXPECT_EQ(Cached(Operation::kRead, "data/app").code, Code::kCorruption);
  EXPECT_EQ(Cached(Operation::kRead, "metadata/app").code, Code::kCorruption);
  EXPECT_EQ(CodeOf(kv_.Exists("data/app")), Code::kCorruption);
  ASSERT_TRUE(physical_->Put(kKey, sealed).ok());
  EXPECT_EQ(kv_.MustCall(Operation::kRead, "data/app")["data"], json({{"n", 2}}));

  // Sealed: refused, whatever the cache holds.
  barrier_->Seal();
  EXPECT_EQ(Cached(Operation::kRead, "data/app").code, Code::kSealed);
  EXPECT_EQ(Cached(Operation::kRead, "metadata/app").code, Code::kSealed);
}

TEST_F(KvV2MetadataCacheTest, ConfigWrittenDirectlyToStorageIsSeen) {
  kv_.MustCall(Operation::kUpdate, "config", {{"max_versions", 3}});
  EXPECT_EQ(kv_.MustCall(Operation::kRead, "config")["max_versions"], 3);
  ASSERT_TRUE(kv_.storage()
                  .Put("config", json({{"max_versions", 7}, {"cas_required", true}}).dump())
                  .ok());
  json config = kv_.MustCall(Operation::kRead, "config");
  EXPECT_EQ(config["max_versions"], 7);
  EXPECT_EQ(config["cas_required"], true);
  EXPECT_EQ(CodeOf(kv_.Call(Operation::kUpdate, "data/app", Data({{"n", 1}}))),
            Code::kInvalidArgument);
  ASSERT_TRUE(kv_.storage().Delete("config").ok());
  EXPECT_EQ(kv_.MustCall(Operation::kRead, "config")["max_versions"], 0);
  kv_.MustCall(Operation::kUpdate, "data/app", Data({{"n", 1}}));
}

TEST(KvV2LoadKeyMetadataTest, DecodesOnlyBytesItHasNotSeen) {
  Result<std::unique_ptr<storage::Backend>> backend = storage::OpenBackend("inmem", {});
  ASSERT_TRUE(backend.ok());
  storage::Backend& storage = **backend;
  kv::MetadataCache cache(16, 1 << 20);
  kv::KeyMetadata meta{.key = "app"};
  meta.AddVersion(100, std::nullopt, 0);
  // Stored directly, not through StoreKeyMetadata, which would fill the cache.
  Result<std::string> bytes = kv::EncodeKeyMetadata(meta);
  ASSERT_TRUE(bytes.ok());
  ASSERT_TRUE(storage.Put("metadata/app", *bytes).ok());

  Result<std::shared_ptr<const kv::KeyMetadata>> first = kv::LoadKeyMetadata(cache, storage, "app");
  Result<std::shared_ptr<const kv::KeyMetadata>> second =
      kv::LoadKeyMetadata(cache, storage, "app");
  ASSERT_TRUE(first.ok() && second.ok());
  ASSERT_NE(*first, nullptr);
  EXPECT_EQ(*first, *second);  // the same decoded object: no second decode
  EXPECT_EQ((*first)->key, "app");
  EXPECT_EQ((*first)->current_version, 1u);

  // A copy for a writer is its own: changing it leaves the cache alone.
  Result<std::optional<kv::KeyMetadata>> copy = kv::LoadKeyMetadataCopy(cache, storage, "app");
  ASSERT_TRUE(copy.ok() && copy->has_value());
  (*copy)->AddVersion(200, std::nullopt, 0);
  EXPECT_EQ((*first)->current_version, 1u);
  Result<std::string> changed = kv::EncodeKeyMetadata(**copy);
  ASSERT_TRUE(changed.ok());
  ASSERT_TRUE(storage.Put("metadata/app", *changed).ok());

  Result<std::shared_ptr<const kv::KeyMetadata>> third = kv::LoadKeyMetadata(cache, storage, "app");
  ASSERT_TRUE(third.ok());
  EXPECT_NE(*third, *first);
  EXPECT_EQ((*third)->current_version, 2u);

  ASSERT_TRUE(storage.Delete("metadata/app").ok());
  Result<std::shared_ptr<const kv::KeyMetadata>> gone = kv::LoadKeyMetadata(cache, storage, "app");
  ASSERT_TRUE(gone.ok());
  EXPECT_EQ(*gone, nullptr);
}

// Writers and readers on one key at once: every read sees a version whose
// data matches its metadata (version n holds {"n": n}), and versions never
// go backwards for a reader.
TEST_F(KvV2MetadataCacheTest, ConcurrentReadsAndWritesAreConsistent) {
  kv_.MustCall(Operation::kUpdate, "data/app", Data({{"n", 1}}));
  kv_.MustCall(Operation::kUpdate, "metadata/app", {{"max_versions", 1000}});
  constexpr int kWrites = 200;
  std::atomic<bool> done{false};
  std::atomic<int> bad{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 3; ++t) {
    readers.emplace_back([&, t] {
      int64_t last = 0;
      while (!done) {
        const char* path = t == 2 ? "metadata/app" : "data/app";
        Result<core::Response> r = kv_.Call(Operation::kRead, path);
        if (!r.ok()) {
          ++bad;
          continue;
        }
        int64_t version = t == 2 ? r->data["current_version"].get<int64_t>()
                                 : r->data["metadata"]["version"].get<int64_t>();
        if (version < last || (t != 2 && r->data["data"]["n"] != version)) {
          ++bad;
        }
        last = version;
        // Readers hold the key's lock shared; give the writer a turn.
        std::this_thread::yield();
      }
    });
  }
  std::thread writer([&] {
    for (int n = 2; n <= kWrites; ++n) {
      Result<core::Response> r = kv_.Call(Operation::kUpdate, "data/app", Data({{"n", n}}));
      if (!r.ok() || r->data["version"] != n) {
        ++bad;
      }
    }
    done = true;
  });
  writer.join();
  for (std::thread& reader : readers) {
    reader.join();
  }
  EXPECT_EQ(bad.load(), 0);
  EXPECT_EQ(kv_.MustCall(Operation::kRead, "data/app")["data"], json({{"n", kWrites}}));
  ExpectReadsMatchFresh("app");
}

}  // namespace
}  // namespace coffer::engines::testing
