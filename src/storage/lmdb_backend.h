// LmdbBackend: the embedded default storage::Backend, an LMDB environment
// in a local directory. Reads are lock-free memory-mapped lookups in
// read-only transactions; writes are fdatasync'ed before they return, so an
// OK survives kill -9 and power loss. Concurrent writes share one write
// transaction and one sync (see lmdb_group_commit.h). Thread-safe.
#pragma once

#include <memory>
#include <mutex>
#include <shared_mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "storage/backend.h"
#include "storage/lmdb_env.h"
#include "storage/lmdb_group_commit.h"

namespace coffer::storage {

class LmdbBackend final : public Backend {
 public:
  // Open validates `config` (see lmdb_options.h and docs/storage.md) and
  // opens or creates the store. InvalidArgument names a bad parameter;
  // IOError carries LMDB's message.
  static Result<std::unique_ptr<Backend>> Open(const BackendConfig& config);
  ~LmdbBackend() override;

  Result<std::string> Get(std::string_view key) override;
  Status Put(std::string_view key, std::string_view value) override;
  Status Delete(std::string_view key) override;
  Result<std::vector<std::string>> List(std::string_view prefix) override;
  Status Transaction(const std::vector<TxnOp>& ops) override;
  std::string_view Name() const override { return "lmdb"; }

 private:
  using SharedLock = std::shared_lock<std::shared_mutex>;
  class ReadScope;

  explicit LmdbBackend(std::unique_ptr<LmdbEnv> env)
      : env_(std::move(env)),
        group_commit_([this](std::span<LmdbWrite* const> batch) { CommitBatch(batch); }) {}

  // CheckKey is ValidateKey plus LMDB's key-length limit.
  Status CheckKey(std::string_view key) const;
  // BeginTxn starts a transaction while `lock` (on resize_mu_) is held,
  // adopting a map another process grew (MDB_MAP_RESIZED) on the way.
  int BeginTxn(SharedLock& lock, unsigned flags, MDB_txn** txn);
  // BeginRead is BeginTxn for a read-only transaction, renewing an idle one
  // when there is one; EndRead resets it and keeps it for the next reader.
  // A renewed transaction keeps its reader slot and allocation, where
  // mdb_txn_begin allocates and claims a slot under LMDB's reader mutex.
  int BeginRead(SharedLock& lock, MDB_txn** txn);
  void EndRead(MDB_txn* txn);
  // Write runs `apply` in a write transaction shared with concurrent
  // writers and returns once that is committed and synced (or has failed
  // for this caller).
  Status Write(std::string_view what, const LmdbApply& apply);
  // CommitBatch is the group commit's runner: one write transaction (and so
  // one sync) for the whole batch, each request in a child transaction. On
  // MDB_MAP_FULL it grows the map and runs what was not committed again.
  void CommitBatch(std::span<LmdbWrite* const> batch);
  // GrowMap doubles the map unless someone already grew it past `seen`.
  Status GrowMap(size_t seen);

  const std::unique_ptr<LmdbEnv> env_;
  // Shared by every transaction; exclusive only to resize the map, which
  // LMDB allows only while no transaction is active in the process.
  std::shared_mutex resize_mu_;
  LmdbGroupCommit group_commit_;
  // Reset read-only transactions; each holds a reader slot (but no
  // snapshot, so it pins no pages).
  std::mutex idle_readers_mu_;
  std::vector<MDB_txn*> idle_readers_;  // guarded by idle_readers_mu_
};

}  // namespace coffer::storage
