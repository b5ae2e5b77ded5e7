// ACL policies: Vault's policy language (HCL or JSON) parsed into rules.
//
//   path "secret/*" {
//     capabilities = ["create", "read", "update", "patch", "delete", "list"]
//   }
//   path "secret/restricted" {
//     capabilities       = ["create"]
//     allowed_parameters = { "foo" = [], "bar" = ["zip", "zap"] }
//   }
//
// Reference: website/content/docs/concepts/policies.mdx and vault/policy.go
// in hashicorp/vault. Parsing only checks and records; Acl (acl.h) compiles a
// token's set of policies for lookups.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/status.h"

namespace coffer::core::policy {

// ParameterValues maps a lower-cased request parameter name (or "*") to
// the values it may (allowed_) or may not (denied_) take; an empty list
// means any value. Strings in the lists may start or end with a '*' glob.
using ParameterValues = std::map<std::string, std::vector<nlohmann::json>>;

// PathRule is one `path "<pattern>" { ... }` block.
struct PathRule {
  std::string pattern;        // as written, without a leading '/'
  uint32_t capabilities = 0;  // capabilities.h flags; exactly kDeny when denied
  ParameterValues allowed_parameters;
  ParameterValues denied_parameters;
  std::vector<std::string> required_parameters;  // lower-cased
  int64_t min_wrapping_ttl = 0;  // seconds; 0 = no minimum
  int64_t max_wrapping_ttl = 0;  // seconds; 0 = no maximum
};

struct Policy {
  std::string name;  // lower-cased
  std::string text;  // the source as uploaded, returned by sys/policy reads
  std::vector<PathRule> rules;
};

// ParsePolicy parses `text` (HCL, or JSON when it starts with '{') as the
// policy `name`, which it lower-cases. On failure it returns InvalidArgument
// "failed to parse policy: <line>:<col>: <what>", naming the path and key at
// fault: unknown keys, unknown capabilities, misplaced wildcards, bad
// durations and malformed HCL/JSON are all refused. The name "root" is
// refused too: only RootPolicy() (builtin_policies.h) may carry it.
Result<Policy> ParsePolicy(std::string name, std::string_view text);

}  // namespace coffer::core::policy
