// Listing KV v2 keys, with coffer's extensions beyond Vault: pagination
// ("after", "limit") and a recursive scan of a subtree.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "base/status.h"
#include "storage/backend.h"

namespace coffer::engines::kv {

struct ListOptions {
  // Only names that sort strictly after this one (byte order); "" = all.
  std::string after;
  // At most this many names; 0 = no limit.
  size_t limit = 0;
  // false: one level, folders with a trailing '/', as Vault lists.
  // true: every key below the prefix, as a path relative to it, no folders.
  bool recursive = false;
};

// ListKeys lists the names under `prefix` (which is "" or ends in '/') of
// `storage`, sorted, honouring `options`. A recursive scan walks folders
// in order and stops as soon as `limit` names are found, skipping whole
// folders that sort before `after`, so paging through a large tree does
// not read all of it for every page.
Result<std::vector<std::string>> ListKeys(storage::Backend& storage, const std::string& prefix,
                                          const ListOptions& options);

}  // namespace coffer::engines::kv
