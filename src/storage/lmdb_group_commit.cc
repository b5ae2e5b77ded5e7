#include "storage/lmdb_group_commit.h"

#include <cassert>
#include <string>

#include "storage/lmdb_env.h"

namespace coffer::storage {

struct LmdbGroupCommit::Waiter {
  enum class State { kQueued, kLead, kDone };
  LmdbWrite write;
  // The leader sets `state` under `mu` and notifies while still holding
  // it: the writer returns (destroying this) as soon as it sees kDone, so
  // nothing may touch the waiter once `mu` is released.
  std::mutex mu;
  std::condition_variable cv;
  State state = State::kQueued;  // guarded by mu
};

void LmdbGroupCommit::Wake(Waiter* waiter, bool lead) {
  std::lock_guard<std::mutex> lock(waiter->mu);
  waiter->state = lead ? Waiter::State::kLead : Waiter::State::kDone;
  waiter->cv.notify_one();
}

Status LmdbGroupCommit::Submit(std::string_view what, const LmdbApply& apply) {
  Waiter waiter;
  waiter.write.what = what;
  waiter.write.apply = &apply;
  // Fail closed: only a runner that committed the request may report OK.
  waiter.write.result = Status::Internal("lmdb write: not committed");
  bool lead = false;
  if (WriteGate* gate = WriteGate::Current(); gate != nullptr && !gate->settled()) {
    // Queued by whoever opens the gate; until then this writer only waits.
    gate->WhenSettled([this, w = &waiter](const Status& open) {
      if (!open.ok()) {
        w->write.result = open;
        Wake(w, /*lead=*/false);
      } else if (Enqueue(w)) {
        Wake(w, /*lead=*/true);
      }
    });
  } else if (Status open = WaitForCurrentGate(); !open.ok()) {
    return open;  // settled already, and failed
  } else {
    lead = Enqueue(&waiter);
  }
  if (!lead) {
    std::unique_lock<std::mutex> lock(waiter.mu);
    waiter.cv.wait(lock, [&] { return waiter.state != Waiter::State::kQueued; });
    lead = waiter.state == Waiter::State::kLead;
  }
  if (lead) {
    LeadBatch(waiter);
  }
  return std::move(waiter.write.result);
}

bool LmdbGroupCommit::Enqueue(Waiter* waiter) {
  std::lock_guard<std::mutex> lock(mu_);
  queue_.push_back(waiter);
  // A writer that finds no leader leads at once; otherwise the leader in
  // flight either runs this request in its batch or hands leadership to it
  // (the oldest queued) when it finishes.
  if (leading_) {
    return false;
  }
  leading_ = true;
  return true;
}

void LmdbGroupCommit::LeadBatch(Waiter& self) {
  std::vector<Waiter*> batch;
  {
    std::lock_guard<std::mutex> lock(mu_);
    assert(leading_);
    batch.swap(queue_);
  }
  writes_.clear();
  for (Waiter* waiter : batch) {
    writes_.push_back(&waiter->write);
  }
  run_batch_(writes_);
  writes_.clear();

  Waiter* next = nullptr;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (queue_.empty()) {
      leading_ = false;
    } else {
      next = queue_.front();  // stays queued: it takes the queue as its batch
    }
  }
  // The next batch first: its commit is what everyone queued waits on.
  if (next != nullptr) {
    Wake(next, /*lead=*/true);
  }
  for (Waiter* waiter : batch) {
    if (waiter != &self) {
      Wake(waiter, /*lead=*/false);
    }
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
