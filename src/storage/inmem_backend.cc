#include "storage/inmem_backend.h"

#include <mutex>

#include "storage/key_util.h"
#include "storage/write_gate.h"

namespace coffer::storage {

Result<std::unique_ptr<Backend>> InmemBackend::Open(const BackendConfig& config) {
  if (!config.empty()) {
    return Status::InvalidArgument("unknown parameter \"" + config.begin()->first +
                                   "\": the inmem storage takes no parameters");
  }
  return std::unique_ptr<Backend>(new InmemBackend());
}

Result<std::string> InmemBackend::Get(std::string_view key) {
  COFFER_RETURN_IF_ERROR(ValidateKey(key));
  std::shared_lock lock(mu_);
  auto it = entries_.find(key);
  if (it == entries_.end()) {
    return Status::NotFound("no entry at \"" + std::string(key) + "\"");
  }
  return it->second;
}

Status InmemBackend::Put(std::string_view key, std::string_view value) {
  COFFER_RETURN_IF_ERROR(ValidateKey(key));
  COFFER_RETURN_IF_ERROR(WaitForCurrentGate());
  std::unique_lock lock(mu_);
  entries_.insert_or_assign(std::string(key), std::string(value));
  return Status::Ok();
}

Status InmemBackend::Delete(std::string_view key) {
  COFFER_RETURN_IF_ERROR(ValidateKey(key));
  COFFER_RETURN_IF_ERROR(WaitForCurrentGate());
  std::unique_lock lock(mu_);
  auto it = entries_.find(key);
  if (it != entries_.end()) {
    entries_.erase(it);
  }
  return Status::Ok();
}

Result<std::vector<std::string>> InmemBackend::List(std::string_view prefix) {
  std::vector<std::string> names;
  std::shared_lock lock(mu_);
  auto it = entries_.lower_bound(prefix);
  while (it != entries_.end() && std::string_view(it->first).starts_with(prefix)) {
    ListEntry entry = ListEntryFor(prefix, it->first);
    if (entry.is_folder) {
      // Jump over the folder's subtree rather than walking every key in it.
      std::string folder_key = std::string(prefix) + entry.name;
      names.push_back(std::move(entry.name));
      it = entries_.lower_bound(SubtreeEnd(folder_key));
      continue;
    }
    if (!entry.name.empty()) {
      names.push_back(std::move(entry.name));
    }
    ++it;
  }
  return names;
}

Status InmemBackend::Transaction(const std::vector<TxnOp>& ops) {
  // Validate everything first so a bad op leaves the map untouched; after
  // that nothing below can fail (short of bad_alloc, which aborts).
  COFFER_RETURN_IF_ERROR(ValidateTxnOps(ops));
  COFFER_RETURN_IF_ERROR(WaitForCurrentGate());
  std::unique_lock lock(mu_);
  for (const TxnOp& op : ops) {
    if (op.kind == TxnOp::Kind::kPut) {
      entries_.insert_or_assign(op.key, op.value);
    } else {
      entries_.erase(op.key);
    }
  }
  return Status::Ok();
}

COFFER_REGISTER_STORAGE("inmem", &InmemBackend::Open);

}  // namespace coffer::storage
