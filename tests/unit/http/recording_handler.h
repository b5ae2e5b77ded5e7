// A core::RequestHandler fake for the HTTP tests: records every request and
// answers with a reply the test sets.
#pragma once

#include <functional>
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
  std::mutex mu_;
  std::vector<core::Request> requests_;
  Reply reply_;
};

}  // namespace coffer::http::testing
