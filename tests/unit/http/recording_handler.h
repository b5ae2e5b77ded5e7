// A core::RequestHandler fake for the HTTP tests: records every request and
// answers with a reply the test sets; with DeferAnswers, HandleAsync returns
// at once and the answers wait for ReleaseAnswers (as Core's do for their
// audit entry).
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "core/request.h"

namespace coffer::http::testing {

class RecordingHandler : public core::RequestHandler {
 public:
  using Reply = std::function<Result<core::Response>(const core::Request&)>;

  Result<core::Response> Handle(const core::Request& request) override {
    Reply reply;
    {
      std::lock_guard<std::mutex> lock(mu_);
      requests_.push_back(request);
      reply = reply_;
    }
    if (reply) {
      return reply(request);
    }
    return core::Response::Data({{"ok", true}});
  }

  void HandleAsync(const core::Request& request, const Completion& done) override {
    auto answer = std::make_shared<Result<core::Response>>(Handle(request));
    std::unique_lock<std::mutex> lock(mu_);
    if (!defer_) {
      lock.unlock();
      done(std::move(*answer));
      return;
    }
    held_.push_back([done, answer] { done(std::move(*answer)); });
    held_changed_.notify_all();
  }

  bool BlocksOnlyOnStorage(const core::Request& request) override {
    std::lock_guard<std::mutex> lock(mu_);
    return storage_only_ && storage_only_(request);
  }
  // StorageOnly says which requests BlocksOnlyOnStorage (default: none).
  void StorageOnly(std::function<bool(const core::Request&)> which) {
    std::lock_guard<std::mutex> lock(mu_);
    storage_only_ = std::move(which);
  }

  void DeferAnswers() {
    std::lock_guard<std::mutex> lock(mu_);
    defer_ = true;
  }

  // WaitForHeld waits (bounded) until `count` answers are held.
  bool WaitForHeld(size_t count, std::chrono::seconds timeout) {
    std::unique_lock<std::mutex> lock(mu_);
    return held_changed_.wait_for(lock, timeout, [&] { return held_.size() >= count; });
  }

  // ReleaseAnswers answers every held request, on the calling thread.
  void ReleaseAnswers() {
    std::vector<std::function<void()>> held;
    {
      std::lock_guard<std::mutex> lock(mu_);
      held.swap(held_);
    }
    for (auto& answer : held) {
      answer();
    }
  }

  void SetReply(Reply reply) {
    std::lock_guard<std::mutex> lock(mu_);
    reply_ = std::move(reply);
  }

  // Last returns the most recent request; the test must have sent one.
  core::Request Last() {
    std::lock_guard<std::mutex> lock(mu_);
    return requests_.back();
  }

  size_t Count() {
    std::lock_guard<std::mutex> lock(mu_);
    return requests_.size();
  }

 private:
  std::function<bool(const core::Request&)> storage_only_;  // guarded by mu_
  std::mutex mu_;
  std::vector<core::Request> requests_;
  Reply reply_;
  bool defer_ = false;
  std::vector<std::function<void()>> held_;
  std::condition_variable held_changed_;
};

}  // namespace coffer::http::testing
