// Key rules and List folder-collapse shared by every storage backend, so
// that all of them agree on what backend.h's contract means.
#pragma once

#include <string>
#include <string_view>

#include <vector>

#include "base/status.h"
#include "storage/backend.h"

namespace coffer::storage {

// ValidateKey returns OK for a key backend.h allows (non-empty, not starting
// with '/'), InvalidArgument naming the problem otherwise.
Status ValidateKey(std::string_view key);

// ValidateTxnOps checks every op's key before a transaction touches
// anything, naming the index of the first bad op.
Status ValidateTxnOps(const std::vector<TxnOp>& ops);

// ListEntry is what one stored key contributes to List(prefix).
struct ListEntry {
  std::string name;  // relative to the prefix; ends in '/' for a folder
  bool is_folder = false;
};

// ListEntryFor returns the entry `key` (which must start with `prefix`)
// contributes to List(prefix): the part after the prefix, cut just after its
// first '/'. The name is empty when key == prefix; callers skip it.
ListEntry ListEntryFor(std::string_view prefix, std::string_view key);

// SubtreeEnd returns the smallest key greater than every key under the
// folder `folder` (which ends in '/'): the folder with its '/' replaced by
// '0', the next byte. Seeking there skips the folder's whole subtree.
std::string SubtreeEnd(std::string_view folder);

}  // namespace coffer::storage
