#include "engines/kv/v2/key_listing.h"

#include <algorithm>

namespace coffer::engines::kv {

namespace {

// Collector gathers names in sorted order until the limit is reached.
class Collector {
 public:
  explicit Collector(const ListOptions& options) : options_(options) {}

  // Add offers a name; names not after `after` are skipped.
  void Add(std::string name) {
    if (!options_.after.empty() && name <= options_.after) {
      return;
    }
    names_.push_back(std::move(name));
  }
  bool Full() const { return options_.limit != 0 && names_.size() >= options_.limit; }

  // BeforeAfter reports that every name in the folder `folder` (which ends
  // in '/') sorts at or before `after`, so the folder can be skipped: when
  // `after` sorts above the folder name without starting with it, it sorts
  // above every name that does.
  bool BeforeAfter(const std::string& folder) const {
    return !options_.after.empty() && options_.after > folder &&
           !options_.after.starts_with(folder);
  }

  std::vector<std::string> Take() && { return std::move(names_); }

 private:
  const ListOptions& options_;
  std::vector<std::string> names_;
};

// SortedList is storage List with the order made explicit: the walk below
// relies on it to emit names in global order.
Result<std::vector<std::string>> SortedList(storage::Backend& storage, const std::string& key) {
  COFFER_ASSIGN_OR_RETURN(std::vector<std::string> names, storage.List(key));
  std::sort(names.begin(), names.end());
  return names;
}

// Walk lists a subtree depth-first. Folder names end in '/', and within one
// level a folder "a/" sorts exactly where its contents "a/..." sort among
// the other names, so visiting in list order yields globally sorted paths.
// The stack is explicit: storage may nest deeper than the C++ stack likes.
Status Walk(storage::Backend& storage, const std::string& prefix, Collector* out) {
  struct Frame {
    std::string relative;  // folder path below `prefix`, "" or ending in '/'
    std::vector<std::string> names;
    size_t next = 0;
  };
  std::vector<Frame> stack;
  COFFER_ASSIGN_OR_RETURN(std::vector<std::string> top, SortedList(storage, prefix));
  stack.push_back(Frame{"", std::move(top), 0});
  while (!stack.empty() && !out->Full()) {
    Frame& frame = stack.back();
    if (frame.next == frame.names.size()) {
      stack.pop_back();
      continue;
    }
    std::string path = frame.relative + frame.names[frame.next++];
    if (path.back() != '/') {
      out->Add(std::move(path));
      continue;
    }
    if (out->BeforeAfter(path)) {
      continue;
    }
    COFFER_ASSIGN_OR_RETURN(std::vector<std::string> children, SortedList(storage, prefix + path));
    stack.push_back(Frame{std::move(path), std::move(children), 0});  // invalidates `frame`
  }
  return Status::Ok();
}

}  // namespace

Result<std::vector<std::string>> ListKeys(storage::Backend& storage, const std::string& prefix,
                                          const ListOptions& options) {
  Collector collector(options);
  if (options.recursive) {
    COFFER_RETURN_IF_ERROR(Walk(storage, prefix, &collector));
    return std::move(collector).Take();
  }
  COFFER_ASSIGN_OR_RETURN(std::vector<std::string> names, SortedList(storage, prefix));
  for (std::string& name : names) {
    if (collector.Full()) {
      break;
    }
    collector.Add(std::move(name));
  }
  return std::move(collector).Take();
}

}  // namespace coffer::engines::kv
