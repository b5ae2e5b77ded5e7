// TicketDeadlines settles asynchronous tickets whose devices have not
// answered in time, so a request whose audit device hangs (a stuck disk, a
// peer that stopped reading) is refused after the device's timeout instead
// of waiting forever. One thread, started on first use; it holds tickets
// weakly, so a ticket that settled normally costs nothing more here.
//
// Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>

#include "audit/ticket.h"

namespace coffer::audit {

class TicketDeadlines {
 public:
  TicketDeadlines() = default;
  // Joins the thread; tickets still watched are left to their devices.
  ~TicketDeadlines();
  TicketDeadlines(const TicketDeadlines&) = delete;
  TicketDeadlines& operator=(const TicketDeadlines&) = delete;

  // Watch expires `ticket` at `deadline`, or up to kSweepInterval after
  // it, unless it settled before. Tickets are expected in roughly
  // increasing deadline order (every request of a broker gets the same
  // timeout); one that arrives out of order is expired no later than the
  // deadline of the ticket queued before it.
  void Watch(const std::shared_ptr<Ticket>& ticket,
             std::chrono::steady_clock::time_point deadline);

 private:
  struct Watched {
    std::chrono::steady_clock::time_point deadline;
    std::weak_ptr<Ticket> ticket;
  };
  void Run();

  // The thread sweeps at most this often: every request has its own
  // deadline, and waking for each one would cost a context switch per
  // request. Device timeouts are seconds, so being this late is harmless.
  static constexpr std::chrono::milliseconds kSweepInterval{100};

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Watched> queue_;  // guarded by mu_
  bool stop_ = false;          // guarded by mu_
  std::thread thread_;         // started under mu_ by the first Watch
};

}  // namespace coffer::audit
