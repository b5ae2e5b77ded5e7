// A Ticket follows one audit entry through every device it was handed to:
// each device reports once, and the broker waits until one device has made
// the entry durable, every device has failed, or the deadline passes.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>

namespace coffer::audit {

class Ticket {
 public:
  explicit Ticket(int devices) : pending_(devices) {}

  // Done records one device's outcome. Each device calls it exactly once.
  void Done(bool durable) {
    std::lock_guard lock(mu_);
    --pending_;
    if (durable) {
      ++durable_;
    }
    cv_.notify_all();
  }

  // WaitAny returns true as soon as one device has the entry durable, false
  // once all devices failed or `deadline` passed without a success.
  bool WaitAny(std::chrono::steady_clock::time_point deadline) {
    std::unique_lock lock(mu_);
    cv_.wait_until(lock, deadline, [&] { return durable_ > 0 || pending_ == 0; });
    return durable_ > 0;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int pending_;
  int durable_ = 0;
};

}  // namespace coffer::audit
