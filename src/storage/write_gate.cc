#include "storage/write_gate.h"

namespace coffer::storage {

namespace {
thread_local WriteGate* current_gate = nullptr;
}  // namespace

void WriteGate::Settle(Status status) {
  std::vector<std::function<void(const Status&)>> then;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (settled_) {
      return;
    }
    settled_ = true;
    status_ = std::move(status);
    then.swap(then_);
  }
  settled_cv_.notify_all();
  // status_ no longer changes: the callbacks may read it without the lock.
  for (auto& run : then) {
    run(status_);
  }
}

Status WriteGate::Wait() const {
  std::unique_lock<std::mutex> lock(mu_);
  settled_cv_.wait(lock, [this] { return settled_; });
  return status_;
}

bool WriteGate::settled() const {
  std::lock_guard<std::mutex> lock(mu_);
  return settled_;
}

void WriteGate::WhenSettled(std::function<void(const Status&)> then) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!settled_) {
      then_.push_back(std::move(then));
      return;
    }
  }
  then(status_);
}

WriteGate* WriteGate::Current() { return current_gate; }

WriteGate::Scope::Scope(WriteGate* gate) : previous_(current_gate) { current_gate = gate; }

WriteGate::Scope::~Scope() { current_gate = previous_; }

Status WaitForCurrentGate() {
  const WriteGate* gate = WriteGate::Current();
  return gate == nullptr ? Status::Ok() : gate->Wait();
}

}  // namespace coffer::storage
