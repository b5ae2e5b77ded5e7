#include "core/storage_view.h"

namespace coffer::core {

Result<std::string> StorageView::Full(std::string_view key) const {
  // Relative keys may not climb out of the view or be absolute.
  if (key.empty() || key.front() == '/') {
    return Status::InvalidArgument("invalid storage key");
  }
  std::string full = prefix_;
  full.append(key);
  return full;
}

Result<std::string> StorageView::Get(std::string_view key) {
  COFFER_ASSIGN_OR_RETURN(std::string full, Full(key));
  return inner_.Get(full);
}

Result<std::string> StorageView::GetStored(std::string_view key) {
  COFFER_ASSIGN_OR_RETURN(std::string full, Full(key));
  return inner_.GetStored(full);
}

Result<std::string> StorageView::Open(std::string_view key, std::string_view stored) {
  COFFER_ASSIGN_OR_RETURN(std::string full, Full(key));
  return inner_.Open(full, stored);
}

Status StorageView::Put(std::string_view key, std::string_view value) {
  COFFER_ASSIGN_OR_RETURN(std::string full, Full(key));
  return inner_.Put(full, value);
}

Status StorageView::Delete(std::string_view key) {
  COFFER_ASSIGN_OR_RETURN(std::string full, Full(key));
  return inner_.Delete(full);
}

Result<std::vector<std::string>> StorageView::List(std::string_view prefix) {
  if (!prefix.empty() && prefix.front() == '/') {
    return Status::InvalidArgument("invalid storage prefix");
  }
  return inner_.List(prefix_ + std::string(prefix));
}

Status StorageView::Transaction(const std::vector<storage::TxnOp>& ops) {
  std::vector<storage::TxnOp> full_ops;
  full_ops.reserve(ops.size());
  for (const auto& op : ops) {
    COFFER_ASSIGN_OR_RETURN(std::string full, Full(op.key));
    full_ops.push_back({op.kind, std::move(full), op.value});
  }
  return inner_.Transaction(full_ops);
}

Status StorageView::DeleteAll() {
  constexpr size_t kBatch = 256;
  std::vector<std::string> pending = {""};
  std::vector<storage::TxnOp> batch;
  while (!pending.empty()) {
    std::string folder = std::move(pending.back());
    pending.pop_back();
    COFFER_ASSIGN_OR_RETURN(std::vector<std::string> names, List(folder));
    for (const std::string& name : names) {
      std::string key = folder + name;
      if (key.ends_with('/')) {
        pending.push_back(std::move(key));
        continue;
      }
      batch.push_back(storage::TxnOp::Delete(prefix_ + key));
      if (batch.size() >= kBatch) {
        COFFER_RETURN_IF_ERROR(inner_.Transaction(batch));
        batch.clear();
      }
    }
  }
  if (!batch.empty()) {
    COFFER_RETURN_IF_ERROR(inner_.Transaction(batch));
  }
  return Status::Ok();
}

}  // namespace coffer::core
