// PolicyStore: ACL policies persisted through the barrier at
// sys/policy/<name>, and the compiled ACL of each policy set in use.
//
// A token's ACL is compiled once per distinct policy set and cached; any
// policy write or delete bumps a generation that empties the cache, so an
// update takes effect on the very next request. Thread-safe.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "base/status.h"
#include "core/policy/acl.h"
#include "core/policy/policy.h"
#include "storage/backend.h"

namespace coffer::core {

class PolicyStore {
 public:
  // `storage` is the barrier; it must outlive the store.
  explicit PolicyStore(storage::Backend& storage) : storage_(storage) {}

  // OnUnseal writes the built-in default policy the first time.
  Status OnUnseal();
  void OnSeal();

  // Get returns a policy; NotFound when absent. "root" is built in.
  Result<policy::Policy> Get(const std::string& name);
  // Put parses and stores `text` under `name`; InvalidArgument for a bad
  // policy or a name that may not be written (root).
  Status Put(const std::string& name, const std::string& text);
  // Delete removes a policy; InvalidArgument for root and default.
  Status Delete(const std::string& name);
  // List returns the stored policy names plus "root", sorted.
  Result<std::vector<std::string>> List();

  // AclFor returns the compiled ACL of a policy set. Names that do not exist
  // contribute nothing, as in Vault.
  Result<std::shared_ptr<const policy::Acl>> AclFor(const std::vector<std::string>& names);

 private:
  void Invalidate();

  storage::Backend& storage_;
  std::shared_mutex mu_;
  std::unordered_map<std::string, std::shared_ptr<const policy::Acl>> acl_cache_;  // guarded by mu_
  std::map<std::string, std::shared_ptr<const policy::Policy>> policy_cache_;  // guarded by mu_
  // Bumped by every change; a result computed under an older generation is
  // not cached, so a compile racing a policy write cannot cache stale rules.
  uint64_t generation_ = 0;  // guarded by mu_
};

}  // namespace coffer::core
