// EngineHarness drives one engine the way the Router does: EngineRequests
// over an inmem storage view, with a clock the test controls.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "base/clock.h"
#include "core/engine.h"
#include "storage/backend.h"

namespace coffer::engines::testing {

class FakeClock : public Clock {
 public:
  std::chrono::system_clock::time_point Now() const override { return now_; }
  void Advance(std::chrono::nanoseconds d) { now_ += d; }
  void Set(std::chrono::system_clock::time_point t) { now_ = t; }

 private:
  // 2018-03-22T02:24:06.945319214Z, the time in Vault's API docs.
  std::chrono::system_clock::time_point now_{std::chrono::nanoseconds(1521685446945319214LL)};
};

class EngineHarness {
 public:
  // The engine type and mount options, as a mount would give them.
  explicit EngineHarness(const std::string& type, std::map<std::string, std::string> options = {}) {
    Result<std::unique_ptr<storage::Backend>> backend = storage::OpenBackend("inmem", {});
    EXPECT_TRUE(backend.ok()) << backend.status().ToString();
    storage_ = std::move(backend).value();
    active_ = storage_.get();
    Result<std::unique_ptr<core::Engine>> engine =
        core::CreateEngine({type, "secret/", std::move(options)});
    EXPECT_TRUE(engine.ok()) << engine.status().ToString();
    engine_ = std::move(engine).value();
  }

  // Call answers with the whole data, as a client sees it (a member the
  // engine gave as encoded JSON is parsed in).
  Result<core::Response> Call(core::Operation op, const std::string& path,
                              nlohmann::json data = nlohmann::json::object(),
                              const std::string& client_id = "") {
    Result<core::Response> r = CallAsServed(op, path, std::move(data), client_id);
    if (r.ok() && r->encoded_data_member) {
      r->data = r->WholeData();
      r->encoded_data_member.reset();
    }
    return r;
  }

  // CallAsServed answers with the response as the engine made it.
  Result<core::Response> CallAsServed(core::Operation op, const std::string& path,
                                      nlohmann::json data = nlohmann::json::object(),
                                      const std::string& client_id = "") {
    return engine_->Handle(Make(op, path, std::move(data), client_id));
  }

  Result<bool> Exists(const std::string& path, nlohmann::json data = nlohmann::json::object(),
                      const std::string& client_id = "") {
    return engine_->Exists(Make(core::Operation::kCreate, path, std::move(data), client_id));
  }

  // MustCall fails the test unless the call succeeds, returning its data.
  nlohmann::json MustCall(core::Operation op, const std::string& path,
                          nlohmann::json data = nlohmann::json::object(),
                          const std::string& client_id = "") {
    Result<core::Response> r = Call(op, path, std::move(data), client_id);
    EXPECT_TRUE(r.ok()) << "operation " << static_cast<int>(op) << " " << path << ": "
                        << r.status().ToString();
    return r.ok() ? r->data : nlohmann::json();
  }

  // The client address the next calls come from (auth methods' CIDR checks).
  void set_remote_address(std::string address) { remote_address_ = std::move(address); }

  FakeClock& clock() { return clock_; }
  storage::Backend& storage() { return *active_; }
  // UseStorage makes the engine's requests use `storage` (a barrier, say)
  // instead of the harness's own inmem backend; it must outlive the calls.
  void UseStorage(storage::Backend& storage) { active_ = &storage; }
  core::Engine& engine() { return *engine_; }

 private:
  core::EngineRequest Make(core::Operation op, const std::string& path, nlohmann::json data,
                           const std::string& client_id) {
    core::EngineRequest request;
    request.operation = op;
    request.path = path;
    request.data = std::move(data);
    request.storage = active_;
    request.mount_point = "secret/";
    request.client_id = client_id;
    request.remote_address = remote_address_;
    request.clock = &clock_;
    return request;
  }

  FakeClock clock_;
  std::string remote_address_ = "127.0.0.1";
  std::unique_ptr<storage::Backend> storage_;
  storage::Backend* active_ = nullptr;
  std::unique_ptr<core::Engine> engine_;
};

// CodeOf is the status code of a result (kOk on success).
template <typename T>
Code CodeOf(const Result<T>& result) {
  return result.status().code();
}

}  // namespace coffer::engines::testing
