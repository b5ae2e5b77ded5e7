// InmemBackend: a storage::Backend held in process memory, for tests and
// `storage "inmem"` dev servers. Nothing survives the process (backend.h
// exempts in-memory backends from durability). Thread-safe.
#pragma once

#include <map>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

#include "storage/backend.h"

namespace coffer::storage {

class InmemBackend final : public Backend {
 public:
  // Open validates `config` (inmem takes no parameters; any parameter is
  // InvalidArgument naming it) and returns an empty backend.
  static Result<std::unique_ptr<Backend>> Open(const BackendConfig& config);

  Result<std::string> Get(std::string_view key) override;
  Status Put(std::string_view key, std::string_view value) override;
  Status Delete(std::string_view key) override;
  Result<std::vector<std::string>> List(std::string_view prefix) override;
  Status Transaction(const std::vector<TxnOp>& ops) override;
  std::string_view Name() const override { return "inmem"; }

 private:
  std::shared_mutex mu_;
  std::map<std::string, std::string, std::less<>> entries_;  // guarded by mu_
};

}  // namespace coffer::storage
