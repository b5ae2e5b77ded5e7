// StorageView: a storage::Backend that confines its user to the keys under
// one prefix (Vault's BarrierView). Each mount gets a view of
// "logical/<mount-uuid>/" over the barrier, so an engine can neither read
// nor write another mount's data, and its keys pick the mount's own KEK.
#pragma once

#include <string>

#include "storage/backend.h"

namespace coffer::core {

class StorageView final : public storage::Backend {
 public:
  // `inner` must outlive the view; `prefix` is non-empty and ends in '/'.
  StorageView(storage::Backend& inner, std::string prefix)
      : inner_(inner), prefix_(std::move(prefix)) {}

  const std::string& prefix() const { return prefix_; }

  Result<std::string> Get(std::string_view key) override;
  Result<std::string> GetStored(std::string_view key) override;
  Result<std::string> Open(std::string_view key, std::string_view stored) override;
  Status Put(std::string_view key, std::string_view value) override;
  Status Delete(std::string_view key) override;
  Result<std::vector<std::string>> List(std::string_view prefix) override;
  Status Transaction(const std::vector<storage::TxnOp>& ops) override;
  std::string_view Name() const override { return "view"; }

  // DeleteAll removes every key of the view (a mount being disabled), in
  // transactions of bounded size.
  Status DeleteAll();

 private:
  Result<std::string> Full(std::string_view key) const;

  storage::Backend& inner_;
  const std::string prefix_;
};

}  // namespace coffer::core
