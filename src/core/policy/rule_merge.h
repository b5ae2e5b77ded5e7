// Merging rules that share a pattern across a token's policies, as Vault
// does when it builds an ACL (vault/acl.go NewACL).
#pragma once

#include "core/policy/policy.h"

namespace coffer::core::policy {

// MergeRule folds `incoming` into `merged`; both have the same pattern.
//   - deny on either side leaves a rule that is deny and nothing else;
//   - otherwise capabilities are the union;
//   - wrapping TTL bounds keep the smaller non-zero value of each, so the
//     merged rule errs toward short-lived wrapping tokens;
//   - allowed/denied parameter lists are concatenated per name, and an
//     empty list (any value) on either side wins for that name;
//   - required parameters are the union.
// Note, as in Vault, that a rule without parameter constraints merged with
// one that has some yields those constraints.
void MergeRule(PathRule& merged, const PathRule& incoming);

}  // namespace coffer::core::policy
