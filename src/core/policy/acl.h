// Acl: a token's set of policies compiled for fast, repeated checks.
//
// Evaluation follows Vault (vault/acl.go, docs/concepts/policies.mdx):
//   1. Rules with the same pattern, from any of the policies, are merged
//      once at compile time (rule_merge.h): union of capabilities, and deny
//      if any of them denies.
//   2. For a request path, the single highest-priority matching pattern
//      decides (pattern.h LowerPriority); an exact pattern beats every
//      wildcard. There is no union across different patterns.
//   3. If that rule holds deny, nothing is allowed. Otherwise the operation
//      needs its capability (read, list, create, update, patch, delete),
//      sudo when the path is root-protected, wrapping TTLs within the
//      rule's bounds, and, for read/create/update/patch, the request body
//      must satisfy the rule's parameter constraints (parameter_check.h).
//   4. List requests ending in '/' also try the path without it first,
//      since list rules are usually written "secret/foo" or "secret/foo/*".
//   5. Help is allowed to any token, as in Vault, and ignores sudo.
// A policy named "root" anywhere in the set makes a root ACL: everything is
// allowed, sudo included.
//
// Cost: Compile is O(R log R) for R rules; lookups walk a PathTrie
// (path_trie.h) and cost O(path length x '+' branches met), independent of
// the number of policies and rules.
//
// Thread-safety: an Acl is immutable once Compile returns; share it freely
// between threads through the shared_ptr.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "core/policy/path_trie.h"
#include "core/policy/policy.h"
#include "core/request.h"

namespace coffer::core::policy {

// AccessRequest is what the ACL needs to know about a request.
struct AccessRequest {
  core::Operation operation = core::Operation::kRead;
  std::string_view path;                 // below /v1/; a leading '/' is ignored
  const nlohmann::json* data = nullptr;  // the request body; nullptr = no parameters
  bool needs_sudo = false;               // the path is root-protected
  // The TTL the client asked to wrap the response with; nullopt when it
  // did not ask for wrapping.
  std::optional<int64_t> wrap_ttl_seconds;
};

// Check is the outcome of Evaluate.
struct Check {
  bool allowed = false;
  // The deciding rule grants sudo (or the ACL is root): Vault's RootPrivs,
  // which some endpoints consult beyond the allow/deny decision.
  bool root_privs = false;
  bool is_root = false;
  // Capabilities of the deciding rule; 0 when no rule matched.
  uint32_t capabilities = 0;
};

class Acl {
 public:
  // Compile builds the ACL of `policies`, which it does not keep. It fails
  // with InvalidArgument only for a rule whose pattern is invalid, which
  // ParsePolicy never produces.
  static Result<std::shared_ptr<const Acl>> Compile(const std::vector<Policy>& policies);

  bool IsRoot() const { return root_; }

  // Capabilities returns the capability flags of the rule that decides
  // `path`, looked up as a list request is (so "secret/foo/" also finds
  // "secret/foo"), as Vault's sys/capabilities does. 0 when nothing
  // matches; kAllCapabilities for root.
  uint32_t Capabilities(std::string_view path) const;

  // CapabilityNamesFor is the sys/capabilities answer for `path`: ["root"]
  // for root, else CapabilityNames(Capabilities(path)).
  std::vector<std::string> CapabilityNamesFor(std::string_view path) const;

  // Evaluate decides `request` as described at the top of this file.
  Check Evaluate(const AccessRequest& request) const;

  // Allows returns OK when Evaluate allows the request, else
  // PermissionDenied("permission denied"). The second form is for requests
  // that do not ask for response wrapping.
  Status Allows(const AccessRequest& request) const;
  Status Allows(core::Operation op, std::string_view path, const nlohmann::json& data,
                bool needs_sudo) const;

  // rule_count is the number of distinct patterns after merging.
  size_t rule_count() const { return rules_.size(); }

 private:
  Acl() = default;

  // FindRule returns the rule that decides `path`, or nullptr.
  const PathRule* FindRule(std::string_view path, bool is_list) const;

  bool root_ = false;
  // Merged rules in ascending priority; a rule's index is its PathTrie id.
  std::vector<PathRule> rules_;
  PathTrie trie_;
};

}  // namespace coffer::core::policy
