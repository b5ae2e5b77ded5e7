#include "audit/ticket_deadlines.h"

#include <algorithm>
#include <vector>

namespace coffer::audit {

TicketDeadlines::~TicketDeadlines() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) {
    thread_.join();
  }
}

void TicketDeadlines::Watch(const std::shared_ptr<Ticket>& ticket,
                            std::chrono::steady_clock::time_point deadline) {
  bool wake = false;
  {
    std::lock_guard lock(mu_);
    if (!thread_.joinable()) {
      thread_ = std::thread([this] { Run(); });
    }
    // The thread sleeps until the front's deadline (or forever when the
    // queue is empty); only a new front needs to wake it.
    wake = queue_.empty();
    queue_.push_back(Watched{deadline, ticket});
  }
  if (wake) {
    cv_.notify_one();
  }
}

void TicketDeadlines::Run() {
  std::vector<std::shared_ptr<Ticket>> due;
  std::unique_lock lock(mu_);
  while (!stop_) {
    if (queue_.empty()) {
      cv_.wait(lock);
      continue;
    }
    const auto now = std::chrono::steady_clock::now();
    while (!queue_.empty() && queue_.front().deadline <= now) {
      if (auto ticket = queue_.front().ticket.lock()) {
        due.push_back(std::move(ticket));
      }
      queue_.pop_front();
    }
    if (!due.empty()) {
      // Completions post replies; they run without the lock so Watch is
      // never held up by them.
      lock.unlock();
      for (auto& ticket : due) {
        ticket->Expire();
      }
      due.clear();
      lock.lock();
      continue;
    }
    cv_.wait_until(lock, std::max(queue_.front().deadline, now + kSweepInterval));
  }
}

}  // namespace coffer::audit
