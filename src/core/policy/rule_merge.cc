#include "core/policy/rule_merge.h"

#include <algorithm>
#include <string>
#include <vector>

#include "core/policy/capabilities.h"

namespace coffer::core::policy {

namespace {

int64_t SmallerBound(int64_t current, int64_t incoming) {
  if (incoming > 0 && (current == 0 || incoming < current)) {
    return incoming;
  }
  return current;
}

void MergeParameters(ParameterValues& merged, const ParameterValues& incoming) {
  for (const auto& [name, values] : incoming) {
    auto existing = merged.find(name);
    if (existing == merged.end()) {
      merged.emplace(name, values);
      continue;
    }
    if (values.empty() || existing->second.empty()) {
      existing->second.clear();  // "any value" on either side
      continue;
    }
    existing->second.insert(existing->second.end(), values.begin(), values.end());
  }
}

}  // namespace

void MergeRule(PathRule& merged, const PathRule& incoming) {
  if ((merged.capabilities & kDeny) != 0) {
    return;
  }
  if ((incoming.capabilities & kDeny) != 0) {
    PathRule denied;
    denied.pattern = std::move(merged.pattern);
    denied.capabilities = kDeny;
    merged = std::move(denied);
    return;
  }
  merged.capabilities |= incoming.capabilities;
  merged.min_wrapping_ttl = SmallerBound(merged.min_wrapping_ttl, incoming.min_wrapping_ttl);
  merged.max_wrapping_ttl = SmallerBound(merged.max_wrapping_ttl, incoming.max_wrapping_ttl);
  MergeParameters(merged.allowed_parameters, incoming.allowed_parameters);
  MergeParameters(merged.denied_parameters, incoming.denied_parameters);
  for (const std::string& name : incoming.required_parameters) {
    if (std::find(merged.required_parameters.begin(), merged.required_parameters.end(), name) ==
        merged.required_parameters.end()) {
      merged.required_parameters.push_back(name);
    }
  }
}

}  // namespace coffer::core::policy
