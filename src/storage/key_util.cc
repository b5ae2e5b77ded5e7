#include "storage/key_util.h"

#include <cassert>

namespace coffer::storage {

Status ValidateKey(std::string_view key) {
  if (key.empty()) {
    return Status::InvalidArgument("storage key must not be empty");
  }
  if (key.front() == '/') {
    return Status::InvalidArgument("storage key must not start with '/'");
  }
  return Status::Ok();
}

Status ValidateTxnOps(const std::vector<TxnOp>& ops) {
  for (size_t i = 0; i < ops.size(); ++i) {
    Status status = ValidateKey(ops[i].key);
    if (!status.ok()) {
      return status.Annotate("transaction op " + std::to_string(i));
    }
  }
  return Status::Ok();
}

ListEntry ListEntryFor(std::string_view prefix, std::string_view key) {
  assert(key.substr(0, prefix.size()) == prefix);
  std::string_view rest = key.substr(prefix.size());
  size_t slash = rest.find('/');
  if (slash == std::string_view::npos) {
    return {std::string(rest), false};
  }
  return {std::string(rest.substr(0, slash + 1)), true};
}

std::string SubtreeEnd(std::string_view folder) {
  assert(!folder.empty() && folder.back() == '/');
  std::string end(folder);
  // '0' == '/' + 1, so every key "folder/..." sorts before "folder0".
  end.back() = static_cast<char>('/' + 1);
  return end;
}

}  // namespace coffer::storage
