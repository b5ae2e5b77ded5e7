#include <utility>

#include "config/section.h"
#include "config/stanzas.h"

namespace coffer::config::internal {

Result<StorageConfig> ParseStorage(const hcl::Block& block, std::string_view filename) {
  Section top(filename, "");
  if (block.labels.size() != 1 || block.labels[0].value.empty()) {
    return top.Error(block.pos,
                     "storage needs exactly one label, the backend type, as in "
                     "storage \"lmdb\" { path = \"/var/lib/coffer\" }");
  }
  StorageConfig storage;
  storage.type = block.labels[0].value;
  Section section(filename, "storage " + hcl::Quote(storage.type));
  for (const hcl::Item& item : block.body.items) {
    COFFER_ASSIGN_OR_RETURN(const hcl::Attribute* a, section.AttributeOf(item));
    COFFER_ASSIGN_OR_RETURN(std::string value, section.Scalar(*a));
    storage.params[a->key] = std::move(value);
  }
  return storage;
}

}  // namespace coffer::config::internal
