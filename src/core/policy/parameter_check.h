// Parameter constraints of a rule (allowed_parameters, denied_parameters,
// required_parameters) checked against a request body, with Vault's
// semantics (vault/acl.go AllowOperation):
//   - every required parameter must be present;
//   - a body with no parameters then passes;
//   - denied "*" refuses any parameter; a denied name refuses the values
//     listed, or any value when its list is empty; denial beats allowance;
//   - with allowed_parameters set, every parameter must be listed (or "*"
//     be present) and take a listed value, or any value when its list is
//     empty.
// Values compare as JSON; a listed string may start and/or end with '*'
// to match a suffix, prefix or substring. A list value passes an allowed
// list when each element does and fails a denied list when any element is
// denied. A string with commas is read as a list too, because many
// endpoints take "a,b" for ["a","b"] and the constraint must hold for each.
// Two deliberate departures from Vault, both stricter: a comma string passes
// an allowed list whole only when listed verbatim (a glob must match each
// element), and "" passes only when listed.
#pragma once

#include <nlohmann/json.hpp>

#include "core/policy/policy.h"

namespace coffer::core::policy {

// ParametersAllowed reports whether `data` (the request body; anything but
// an object counts as no parameters) satisfies `rule`'s constraints.
// Parameter names compare case-insensitively.
bool ParametersAllowed(const PathRule& rule, const nlohmann::json& data);

}  // namespace coffer::core::policy
