// storage::WriteGate: storage writes that must wait for something else to
// be settled first — the request's write-ahead audit entry being durable.
//
// The request pipeline used to block a worker until the request entry was
// on disk and only then run the operation. With a gate it hands the entry
// to the audit log, makes the gate current on its thread and runs the
// operation at once; every backend write made while the gate is current
// takes effect only after the gate opens, and fails with the gate's status
// (changing nothing) if the entry could not be recorded. The LMDB group
// commit queues such a write only once its gate opens (WhenSettled), so
// its writer sleeps once, for the commit, instead of twice.
//
// Every Backend must honour the current gate on Put, Delete and
// Transaction (see backend.h). Thread-safe: Settle may run on any thread.
#pragma once

#include <condition_variable>
#include <functional>
#include <mutex>
#include <vector>

#include "base/status.h"

namespace coffer::storage {

class WriteGate {
 public:
  WriteGate() = default;
  WriteGate(const WriteGate&) = delete;
  WriteGate& operator=(const WriteGate&) = delete;

  // Settle opens the gate (OK) or fails it; only the first call counts.
  void Settle(Status status);
  // Wait returns once the gate is settled, with its status.
  Status Wait() const;
  bool settled() const;
  // WhenSettled runs `then` with the gate's status once it is settled: at
  // once on this thread if it is already, otherwise on the thread that
  // settles it, which it must not hold up.
  void WhenSettled(std::function<void(const Status&)> then);

  // Current is the gate of the request this thread is serving, or null.
  static WriteGate* Current();

  // Scope makes `gate` current on this thread for its lifetime (and
  // restores the previous one). It must end on the thread it began on.
  class Scope {
   public:
    explicit Scope(WriteGate* gate);
    ~Scope();
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;

   private:
    WriteGate* previous_;
  };

 private:
  mutable std::mutex mu_;
  mutable std::condition_variable settled_cv_;
  bool settled_ = false;                                    // guarded by mu_
  Status status_;                                           // guarded by mu_
  std::vector<std::function<void(const Status&)>> then_;    // guarded by mu_
};

// WaitForCurrentGate is what a backend without a queued commit calls
// before it writes: OK at once when no gate is current.
Status WaitForCurrentGate();

}  // namespace coffer::storage
