// LmdbGroupCommit: concurrent writers share LMDB write transactions and
// their fdatasync (group commit).
//
// LMDB admits one write transaction at a time and a durable commit costs an
// fdatasync, so writers that each commit alone are bounded by the disk's
// sync rate. Here a writer queues its request; the first writer to find no
// batch in flight becomes the leader, takes every queued request and hands
// them to the batch runner, which applies them in one write transaction,
// each in its own nested transaction (a lone request needs none), and
// commits and syncs once. Requests that arrive meanwhile form the next
// batch, led by the oldest of them. A lone writer leads a batch of one at
// once: nothing waits on a timer.
//
// Guarantees (given a runner that keeps the RunBatch contract below):
//  - Submit returns only once the runner has resolved the caller's request,
//    and returns that request's own status: OK means committed and synced.
//  - At most one batch runs at a time; each request is in exactly one.
//  - ApplyInChildTxns isolates callers: a request whose operations fail is
//    rolled back alone and the others in the batch still apply.
//  - Write gates (write_gate.h): a request submitted while a gate is
//    current on its thread joins the queue only once that gate opens, from
//    the thread that opens it; if the gate fails, Submit returns its status
//    and the request never reaches a batch. No batch waits for a gate.
// Thread-safe. No extra thread: leaders are borrowed callers.
//
// Wake-ups: a waiting writer sleeps on its own condition variable and is
// woken once, either with its result or to lead the next batch; it never
// goes back to the shared queue lock. The leader hands leadership straight
// to the oldest queued writer and wakes it before the finished batch's
// writers, so the next batch's commit starts as early as possible.
#pragma once

#include <lmdb.h>

#include <condition_variable>
#include <functional>
#include <mutex>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"
#include "storage/write_gate.h"

namespace coffer::storage {

// LmdbApply runs one caller's operations in `txn` and returns 0 or the
// first LMDB error; it never commits or aborts `txn`. It may run more than
// once (the batch is retried after the map grows), so it must be idempotent
// in effect: every run starts from a transaction without its changes.
using LmdbApply = std::function<int(MDB_txn* txn)>;

// LmdbWrite is one caller's request as the batch runner sees it.
struct LmdbWrite {
  std::string_view what;  // for error messages, e.g. "put \"a/b\""
  const LmdbApply* apply = nullptr;
  Status result;  // set by the runner; starts as an error, never as OK
};

class LmdbGroupCommit {
 public:
  // RunBatch commits `batch` durably and sets every request's result: OK
  // only for requests whose changes are committed and synced. It is called
  // by one thread at a time, without the queue's lock held.
  using RunBatch = std::function<void(std::span<LmdbWrite* const> batch)>;

  explicit LmdbGroupCommit(RunBatch run_batch) : run_batch_(std::move(run_batch)) {}
  LmdbGroupCommit(const LmdbGroupCommit&) = delete;
  LmdbGroupCommit& operator=(const LmdbGroupCommit&) = delete;

  // Submit applies `apply` as part of a batch and returns its result once
  // that batch is committed (OK) or has failed for this request. `what`
  // and `apply` need only live until Submit returns.
  Status Submit(std::string_view what, const LmdbApply& apply);

 private:
  struct Waiter;

  // LeadBatch runs everything queued (`self` among it) as one batch, then
  // hands leadership on and wakes the batch's other writers. The caller
  // must be the leader and not hold mu_.
  void LeadBatch(Waiter& self);
  // Wake sets a waiting writer's state (done, or lead the next batch) and
  // wakes it; the waiter may be gone as soon as Wake returns.
  static void Wake(Waiter* waiter, bool lead);
  // Enqueue queues `waiter` and tells whether it must lead (no writer was
  // leading).
  bool Enqueue(Waiter* waiter);

  const RunBatch run_batch_;
  std::mutex mu_;
  std::vector<Waiter*> queue_;  // guarded by mu_; waiting for a leader
  // guarded by mu_; a writer leads (a batch is in flight or is about to be
  // taken by a writer that was handed leadership)
  bool leading_ = false;
  // The leader's scratch, kept to reuse its capacity; only the leader uses
  // it, and leadership passes under mu_ or a waiter's mutex.
  std::vector<LmdbWrite*> writes_;
};

// ApplyInChildTxns is the core of a RunBatch for LMDB: it runs each request
// of `pending`, in order, in its own child transaction of `parent` (a lone
// request runs in `parent` itself, as nothing needs isolating from it). A
// request that applies is moved to `applied`; one whose operations fail is
// rolled back alone, resolved with IOError and dropped from `pending`.
// Requests it did not get to stay in `pending` for another transaction.
// It stops early, returning:
//  - MDB_MAP_FULL when the map filled before anything applied: the caller
//    must abort `parent`, grow the map and run `pending` again;
//  - MDB_BAD_TXN when `parent` may be unusable or hold a failed request's
//    partial changes (a child's commit failed, or a lone request, which
//    runs straight in `parent`, failed): the caller must abort `parent` and
//    run `applied` and `pending` again in a fresh one;
//  - 0 otherwise (all run, or the batch's own size filled the map or the
//    transaction, so `applied` should be committed and the rest run next).
int ApplyInChildTxns(MDB_env* env, MDB_txn* parent, std::vector<LmdbWrite*>& pending,
                     std::vector<LmdbWrite*>& applied);

}  // namespace coffer::storage
