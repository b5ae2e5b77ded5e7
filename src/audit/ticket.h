// A Ticket follows one submission (one or more audit entries) through every
// device it was handed to: each device reports once, and the ticket is
// settled as soon as one device has made the submission durable, every
// device has failed, or the deadline passes.
//
// Two ways to hear the outcome: a blocking caller waits in WaitAny; an
// asynchronous one gives a completion, which runs exactly once, on the
// thread that settles the ticket (a device's writer, the deadline thread,
// or the submitter when a device refuses at once).
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <utility>

namespace coffer::audit {

class Ticket {
 public:
  using Completion = std::function<void(bool durable)>;

  explicit Ticket(int devices, Completion on_settled = nullptr)
      : pending_(devices), on_settled_(std::move(on_settled)) {}

  // Done records one device's outcome. Each device calls it exactly once.
  void Done(bool durable) {
    Completion fire;
    bool outcome = false;
    {
      std::lock_guard lock(mu_);
      --pending_;
      if (durable) {
        ++durable_;
      }
      outcome = durable_ > 0;
      if (outcome || pending_ == 0) {
        fire = TakeCompletion();
      }
      cv_.notify_all();
    }
    if (fire) {
      fire(outcome);
    }
  }

  // Expire settles the ticket as failed if it has not settled yet (its
  // deadline passed while a device still had it).
  void Expire() {
    Completion fire;
    {
      std::lock_guard lock(mu_);
      fire = TakeCompletion();
    }
    if (fire) {
      fire(false);
    }
  }

  // WaitAny returns true as soon as one device has the entry durable, false
  // once all devices failed or `deadline` passed without a success.
  bool WaitAny(std::chrono::steady_clock::time_point deadline) {
    std::unique_lock lock(mu_);
    cv_.wait_until(lock, deadline, [&] { return durable_ > 0 || pending_ == 0; });
    return durable_ > 0;
  }

 private:
  // mu_ held. The completion leaves the ticket so it runs once.
  Completion TakeCompletion() {
    Completion taken;
    if (!settled_ && on_settled_) {
      settled_ = true;
      taken = std::move(on_settled_);
      on_settled_ = nullptr;
    }
    return taken;
  }

  std::mutex mu_;
  std::condition_variable cv_;
  int pending_;
  int durable_ = 0;
  bool settled_ = false;
  Completion on_settled_;
};

}  // namespace coffer::audit
