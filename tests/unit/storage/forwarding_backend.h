// ForwardingBackend passes every call to an inner backend. Tests derive
// from it and override only the calls they change (fail, count, hold).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "storage/backend.h"

namespace coffer::storage::testing {

class ForwardingBackend : public Backend {
 public:
  // `inner` must outlive this backend.
  explicit ForwardingBackend(Backend& inner) : inner_(inner) {}
  explicit ForwardingBackend(std::unique_ptr<Backend> owned)
      : owned_(std::move(owned)), inner_(*owned_) {}

  Result<std::string> Get(std::string_view key) override { return inner_.Get(key); }
  Result<std::string> GetStored(std::string_view key) override { return inner_.GetStored(key); }
  Result<std::string> Open(std::string_view key, std::string_view stored) override {
    return inner_.Open(key, stored);
  }
  Status Put(std::string_view key, std::string_view value) override {
    return inner_.Put(key, value);
  }
  Status Delete(std::string_view key) override { return inner_.Delete(key); }
  Result<std::vector<std::string>> List(std::string_view prefix) override {
    return inner_.List(prefix);
  }
  Status Transaction(const std::vector<TxnOp>& ops) override { return inner_.Transaction(ops); }
  std::string_view Name() const override { return "forwarding"; }

 protected:
  Backend& inner() { return inner_; }

 private:
  std::unique_ptr<Backend> owned_;
  Backend& inner_;
};

}  // namespace coffer::storage::testing
