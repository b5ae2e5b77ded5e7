#include "storage/lmdb_group_commit.h"

#include <cassert>
#include <string>

#include "storage/lmdb_env.h"

namespace coffer::storage {

struct LmdbGroupCommit::Waiter {
  LmdbWrite write;
  std::condition_variable cv;
  bool done = false;  // guarded by mu_
};

Status LmdbGroupCommit::Submit(std::string_view what, const LmdbApply& apply) {
  Waiter waiter;
  waiter.write.what = what;
  waiter.write.apply = &apply;
  // Fail closed: only a runner that committed the request may report OK.
  waiter.write.result = Status::Internal("lmdb write: not committed");
  std::unique_lock<std::mutex> lock(mu_);
  queue_.push_back(&waiter);
  // A leader that finishes wakes the requests it ran, and the oldest queued
  // one to lead next; a writer that finds no leader leads at once. A leader
  // marks its whole batch done before it steps down, so a waiter that is
  // not done when there is no leader is still in queue_.
  waiter.cv.wait(lock, [&] { return waiter.done || !leading_; });
  if (!waiter.done) {
    LeadBatch(lock);
  }
  assert(waiter.done);
  return std::move(waiter.write.result);
}

void LmdbGroupCommit::LeadBatch(std::unique_lock<std::mutex>& lock) {
  assert(!leading_);
  leading_ = true;
  std::vector<Waiter*> batch;
  batch.swap(queue_);
  lock.unlock();

  std::vector<LmdbWrite*> writes;
  writes.reserve(batch.size());
  for (Waiter* waiter : batch) {
    writes.push_back(&waiter->write);
  }
  run_batch_(writes);

  lock.lock();
  // Notified under the lock: a waiter that sees done returns and destroys
  // its condition variable, so it must not be touched after unlocking.
  for (Waiter* waiter : batch) {
    waiter->done = true;
    waiter->cv.notify_one();
  }
  leading_ = false;
  if (!queue_.empty()) {
    queue_.front()->cv.notify_one();
  }
}

namespace {

// ApplyAlone runs a lone request straight in `parent`: a child transaction
// would isolate it from nobody, and skipping it keeps a single writer as
// cheap as it was before group commit.
int ApplyAlone(MDB_txn* parent, std::vector<LmdbWrite*>& pending,
               std::vector<LmdbWrite*>& applied) {
  LmdbWrite* write = pending.front();
  int rc = (*write->apply)(parent);
  if (rc == MDB_MAP_FULL) {
    return rc;  // stays pending, to run again once the map has grown
  }
  pending.clear();
  if (rc != 0) {
    write->result = Status::IOError("lmdb " + std::string(write->what) + ": " + LmdbError(rc));
    return MDB_BAD_TXN;  // parent holds its partial changes
  }
  applied.push_back(write);
  return 0;
}

}  // namespace

int ApplyInChildTxns(MDB_env* env, MDB_txn* parent, std::vector<LmdbWrite*>& pending,
                     std::vector<LmdbWrite*>& applied) {
  if (pending.size() == 1 && applied.empty()) {
    return ApplyAlone(parent, pending, applied);
  }
  std::vector<LmdbWrite*> rest;
  int stop = 0;
  size_t i = 0;
  for (; i < pending.size(); ++i) {
    LmdbWrite* write = pending[i];
    MDB_txn* child = nullptr;
    bool committing = false;
    int rc = mdb_txn_begin(env, parent, 0, &child);
    if (rc == 0) {
      rc = (*write->apply)(child);
      if (rc == 0) {
        committing = true;
        rc = mdb_txn_commit(child);  // frees child whether or not it succeeds
      } else {
        mdb_txn_abort(child);  // leaves parent as it was before the child
      }
    }
    if (rc == 0) {
      applied.push_back(write);
      continue;
    }
    const bool full = !committing && (rc == MDB_MAP_FULL || rc == MDB_TXN_FULL);
    if (full && !applied.empty()) {
      break;  // the batch filled it, not this request: it runs in the next txn
    }
    if (full && rc == MDB_MAP_FULL) {
      stop = MDB_MAP_FULL;  // it does not fit even alone: the map must grow
      break;
    }
    write->result = Status::IOError("lmdb " + std::string(write->what) + ": " + LmdbError(rc));
    if (committing) {
      // A failed nested commit may leave the parent flagged as failed.
      ++i;
      stop = MDB_BAD_TXN;
      break;
    }
  }
  rest.assign(pending.begin() + static_cast<std::ptrdiff_t>(i), pending.end());
  pending.swap(rest);
  return stop;
}

}  // namespace coffer::storage
