#include "storage/lmdb_backend.h"

#include <limits>
#include <mutex>
#include <string>
#include <vector>

#include "storage/key_util.h"

namespace coffer::storage {
namespace {

// How many times one write may grow a full map before giving up: 8
// doublings is 256x the map it started with.
constexpr int kMaxGrowths = 8;
constexpr int kMaxResizeRetries = 3;
// Idle read transactions kept for reuse: enough for a busy thread pool,
// far below the 1024 reader slots (lmdb_env.cc).
constexpr size_t kMaxIdleReaders = 64;

MDB_val ToVal(std::string_view bytes) {
  return MDB_val{bytes.size(), const_cast<char*>(bytes.data())};
}

std::string_view FromVal(const MDB_val& val) {
  return std::string_view(static_cast<const char*>(val.mv_data), val.mv_size);
}


size_t MapSize(MDB_env* env) {
  MDB_envinfo info{};
  mdb_env_info(env, &info);
  return info.me_mapsize;
}

// Resolve sets every request's result: OK for an empty `error`, otherwise
// IOError naming the request.
void Resolve(const std::vector<LmdbWrite*>& writes, const std::string& error) {
  for (LmdbWrite* write : writes) {
    write->result = error.empty() ? Status::Ok()
                                  : Status::IOError("lmdb " + std::string(write->what) + ": " +
                                                    error);
  }
}

}  // namespace

Result<std::unique_ptr<Backend>> LmdbBackend::Open(const BackendConfig& config) {
  COFFER_ASSIGN_OR_RETURN(LmdbOptions options, ParseLmdbOptions(config));
  COFFER_ASSIGN_OR_RETURN(std::unique_ptr<LmdbEnv> env, LmdbEnv::Open(options));
  return std::unique_ptr<Backend>(new LmdbBackend(std::move(env)));
}

LmdbBackend::~LmdbBackend() {
  for (MDB_txn* txn : idle_readers_) {
    mdb_txn_abort(txn);
  }
}

// Ends a read-only transaction (and closes its cursor) when leaving scope.
class LmdbBackend::ReadScope {
 public:
  explicit ReadScope(LmdbBackend& backend) : backend_(backend) {}
  ReadScope(const ReadScope&) = delete;
  ReadScope& operator=(const ReadScope&) = delete;
  ~ReadScope() {
    if (cursor != nullptr) {
      mdb_cursor_close(cursor);
    }
    if (txn != nullptr) {
      backend_.EndRead(txn);
    }
  }

  MDB_txn* txn = nullptr;
  MDB_cursor* cursor = nullptr;

 private:
  LmdbBackend& backend_;
};

int LmdbBackend::BeginRead(SharedLock& lock, MDB_txn** txn) {
  MDB_txn* idle = nullptr;
  {
    std::lock_guard<std::mutex> guard(idle_readers_mu_);
    if (!idle_readers_.empty()) {
      idle = idle_readers_.back();
      idle_readers_.pop_back();
    }
  }
  if (idle != nullptr) {
    if (mdb_txn_renew(idle) == 0) {
      *txn = idle;
      return 0;
    }
    // MDB_MAP_RESIZED or worse: start afresh, which handles the former.
    mdb_txn_abort(idle);
  }
  return BeginTxn(lock, MDB_RDONLY, txn);
}

void LmdbBackend::EndRead(MDB_txn* txn) {
  mdb_txn_reset(txn);
  {
    std::lock_guard<std::mutex> guard(idle_readers_mu_);
    if (idle_readers_.size() < kMaxIdleReaders) {
      idle_readers_.push_back(txn);
      return;
    }
  }
  mdb_txn_abort(txn);
}

Status LmdbBackend::CheckKey(std::string_view key) const {
  COFFER_RETURN_IF_ERROR(ValidateKey(key));
  if (key.size() > env_->MaxKeySize()) {
    return Status::InvalidArgument("storage key is " + std::to_string(key.size()) +
                                   " bytes; lmdb allows at most " +
                                   std::to_string(env_->MaxKeySize()));
  }
  return Status::Ok();
}

int LmdbBackend::BeginTxn(SharedLock& lock, unsigned flags, MDB_txn** txn) {
  int rc = 0;
  for (int attempt = 0; attempt <= kMaxResizeRetries; ++attempt) {
    rc = mdb_txn_begin(env_->env(), nullptr, flags, txn);
    if (rc != MDB_MAP_RESIZED) {
      return rc;
    }
    // Another process grew the map; adopting its size needs no active txn.
    lock.unlock();
    {
      std::unique_lock<std::shared_mutex> exclusive(resize_mu_);
      mdb_env_set_mapsize(env_->env(), 0);
    }
    lock.lock();
  }
  return rc;
}

Result<std::string> LmdbBackend::Get(std::string_view key) {
  COFFER_RETURN_IF_ERROR(CheckKey(key));
  SharedLock lock(resize_mu_);
  ReadScope scope(*this);
  int rc = BeginRead(lock, &scope.txn);
  if (rc != 0) {
    scope.txn = nullptr;
    return Status::IOError("lmdb get: begin read transaction: " + LmdbError(rc));
  }
  MDB_val k = ToVal(key);
  MDB_val v{};
  rc = mdb_get(scope.txn, env_->dbi(), &k, &v);
  if (rc == MDB_NOTFOUND) {
    return Status::NotFound("no entry at \"" + std::string(key) + "\"");
  }
  if (rc != 0) {
    return Status::IOError("lmdb get \"" + std::string(key) + "\": " + LmdbError(rc));
  }
  // Copy out before the transaction ends: v points into the map.
  return std::string(FromVal(v));
}

Status LmdbBackend::Put(std::string_view key, std::string_view value) {
  COFFER_RETURN_IF_ERROR(CheckKey(key));
  return Write("put \"" + std::string(key) + "\"", [&](MDB_txn* txn) {
    MDB_val k = ToVal(key);
    MDB_val v = ToVal(value);
    return mdb_put(txn, env_->dbi(), &k, &v, 0);
  });
}

Status LmdbBackend::Delete(std::string_view key) {
  COFFER_RETURN_IF_ERROR(CheckKey(key));
  // Deleting a missing key leaves the transaction clean, and LMDB commits a
  // clean transaction without writing or syncing anything.
  return Write("delete \"" + std::string(key) + "\"", [&](MDB_txn* txn) {
    MDB_val k = ToVal(key);
    int rc = mdb_del(txn, env_->dbi(), &k, nullptr);
    return rc == MDB_NOTFOUND ? 0 : rc;
  });
}

Status LmdbBackend::Transaction(const std::vector<TxnOp>& ops) {
  for (size_t i = 0; i < ops.size(); ++i) {
    Status status = CheckKey(ops[i].key);
    if (!status.ok()) {
      return status.Annotate("transaction op " + std::to_string(i));
    }
  }
  return Write("transaction", [&](MDB_txn* txn) {
    for (const TxnOp& op : ops) {
      MDB_val k = ToVal(op.key);
      int rc = 0;
      if (op.kind == TxnOp::Kind::kPut) {
        MDB_val v = ToVal(op.value);
        rc = mdb_put(txn, env_->dbi(), &k, &v, 0);
      } else {
        rc = mdb_del(txn, env_->dbi(), &k, nullptr);
        rc = rc == MDB_NOTFOUND ? 0 : rc;
      }
      if (rc != 0) {
        return rc;
      }
    }
    return 0;
  });
}

Result<std::vector<std::string>> LmdbBackend::List(std::string_view prefix) {
  std::vector<std::string> names;
  if (prefix.size() > env_->MaxKeySize()) {
    return names;  // every stored key is shorter than the prefix
  }
  SharedLock lock(resize_mu_);
  ReadScope scope(*this);
  int rc = BeginRead(lock, &scope.txn);
  if (rc != 0) {
    scope.txn = nullptr;
    return Status::IOError("lmdb list: begin read transaction: " + LmdbError(rc));
  }
  rc = mdb_cursor_open(scope.txn, env_->dbi(), &scope.cursor);
  if (rc != 0) {
    scope.cursor = nullptr;
    return Status::IOError("lmdb list: open cursor: " + LmdbError(rc));
  }
  MDB_val k = ToVal(prefix);
  MDB_val v{};
  // MDB_SET_RANGE rejects an empty key, so the root starts at the first key.
  rc = mdb_cursor_get(scope.cursor, &k, &v, prefix.empty() ? MDB_FIRST : MDB_SET_RANGE);
  std::string seek;  // must outlive the cursor_get that reads it
  while (rc == 0 && FromVal(k).starts_with(prefix)) {
    ListEntry entry = ListEntryFor(prefix, FromVal(k));
    if (entry.is_folder) {
      // Jump over the folder's subtree rather than walking every key in it.
      seek = SubtreeEnd(std::string(prefix) + entry.name);
      names.push_back(std::move(entry.name));
      k = ToVal(seek);
      rc = mdb_cursor_get(scope.cursor, &k, &v, MDB_SET_RANGE);
      continue;
    }
    if (!entry.name.empty()) {
      names.push_back(std::move(entry.name));
    }
    rc = mdb_cursor_get(scope.cursor, &k, &v, MDB_NEXT);
  }
  if (rc != 0 && rc != MDB_NOTFOUND) {
    return Status::IOError("lmdb list \"" + std::string(prefix) + "\": " + LmdbError(rc));
  }
  return names;
}

// LMDB admits one write transaction at a time and each commit pays an
// fdatasync, so writers that arrive together are committed together: the
// group commit hands CommitBatch everything queued behind the writer in
// flight. A lone writer still commits at once, alone.
Status LmdbBackend::Write(std::string_view what, const LmdbApply& apply) {
  return group_commit_.Submit(what, apply);
}

void LmdbBackend::CommitBatch(std::span<LmdbWrite* const> batch) {
  std::vector<LmdbWrite*> pending(batch.begin(), batch.end());
  // Growths since the last commit that made progress: bounds how far one
  // request (or one batch) that never fits can grow the map.
  int growths = 0;
  while (!pending.empty()) {
    std::vector<LmdbWrite*> applied;
    // The requests that need room: `pending`'s first when it did not fit
    // alone, or `applied` when the whole batch's commit did not.
    std::vector<LmdbWrite*> needs_room;
    size_t full_size = 0;
    {
      SharedLock lock(resize_mu_);
      MDB_txn* txn = nullptr;
      int rc = BeginTxn(lock, 0, &txn);
      if (rc != 0) {
        Resolve(pending, "begin write transaction: " + LmdbError(rc));
        return;
      }
      rc = ApplyInChildTxns(env_->env(), txn, pending, applied);
      if (rc == MDB_BAD_TXN) {
        mdb_txn_abort(txn);
        pending.insert(pending.begin(), applied.begin(), applied.end());
        continue;
      }
      if (rc == MDB_MAP_FULL) {
        mdb_txn_abort(txn);
        needs_room.push_back(pending.front());
        pending.erase(pending.begin());
      } else {
        rc = mdb_txn_commit(txn);  // frees txn whether or not it succeeds
        if (rc == 0) {
          Resolve(applied, "");
          growths = 0;
          continue;
        }
        if (rc != MDB_MAP_FULL) {
          Resolve(applied, "commit: " + LmdbError(rc));
          continue;
        }
        needs_room = std::move(applied);
      }
      full_size = MapSize(env_->env());
    }
    Status grown = Status::Ok();
    if (growths == kMaxGrowths) {
      grown = Status::IOError("map still full at " + std::to_string(full_size) +
                              " bytes after growing it " + std::to_string(kMaxGrowths) +
                              " times: " + LmdbError(MDB_MAP_FULL));
    } else {
      ++growths;
      grown = GrowMap(full_size);
    }
    if (!grown.ok()) {
      Resolve(needs_room, grown.message());
      continue;
    }
    pending.insert(pending.begin(), needs_room.begin(), needs_room.end());
  }
}

Status LmdbBackend::GrowMap(size_t seen) {
  std::unique_lock<std::shared_mutex> exclusive(resize_mu_);
  if (MapSize(env_->env()) != seen) {
    return Status::Ok();  // another writer grew it while we waited
  }
  if (seen > std::numeric_limits<size_t>::max() / 2) {
    return Status::IOError("map full at " + std::to_string(seen) + " bytes: " +
                           LmdbError(MDB_MAP_FULL));
  }
  int rc = mdb_env_set_mapsize(env_->env(), seen * 2);
  if (rc != 0) {
    return Status::IOError("map full at " + std::to_string(seen) + " bytes; growing to " +
                           std::to_string(seen * 2) + " failed: " + LmdbError(rc));
  }
  return Status::Ok();
}

COFFER_REGISTER_STORAGE("lmdb", &LmdbBackend::Open);

}  // namespace coffer::storage
