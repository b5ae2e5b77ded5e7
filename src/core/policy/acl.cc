#include "core/policy/acl.h"

#include <algorithm>
#include <map>
#include <numeric>
#include <utility>

#include "core/policy/builtin_policies.h"
#include "core/policy/capabilities.h"
#include "core/policy/parameter_check.h"
#include "core/policy/pattern.h"
#include "core/policy/rule_merge.h"

namespace coffer::core::policy {

namespace {

// RequiredCapability is the capability an operation needs; 0 for help,
// which needs none.
uint32_t RequiredCapability(core::Operation op) {
  switch (op) {
    case core::Operation::kRead: return kRead;
    case core::Operation::kCreate: return kCreate;
    case core::Operation::kUpdate: return kUpdate;
    case core::Operation::kPatch: return kPatch;
    case core::Operation::kDelete: return kDelete;
    case core::Operation::kList: return kList;
    case core::Operation::kHelp: return 0;
  }
  return 0;
}

// ChecksParameters: only operations that carry a body that the backend
// acts on are held to the parameter constraints, as in Vault.
bool ChecksParameters(core::Operation op) {
  return op == core::Operation::kRead || op == core::Operation::kCreate ||
         op == core::Operation::kUpdate || op == core::Operation::kPatch;
}

// WrappingAllowed applies a rule's wrapping TTL bounds. A bound means the
// response must be wrapped, so a request without wrapping fails it.
bool WrappingAllowed(const PathRule& rule, std::optional<int64_t> wrap_ttl) {
  if (rule.max_wrapping_ttl > 0 && (!wrap_ttl.has_value() || *wrap_ttl > rule.max_wrapping_ttl)) {
    return false;
  }
  if (rule.min_wrapping_ttl > 0 && (!wrap_ttl.has_value() || *wrap_ttl < rule.min_wrapping_ttl)) {
    return false;
  }
  // Merging can leave max < min, which no TTL satisfies.
  if (rule.min_wrapping_ttl != 0 && rule.max_wrapping_ttl != 0 &&
      rule.max_wrapping_ttl < rule.min_wrapping_ttl) {
    return false;
  }
  return true;
}

std::string_view StripLeadingSlashes(std::string_view path) {
  while (!path.empty() && path.front() == '/') {
    path.remove_prefix(1);
  }
  return path;
}

}  // namespace

Result<std::shared_ptr<const Acl>> Acl::Compile(const std::vector<Policy>& policies) {
  std::shared_ptr<Acl> acl(new Acl());
  for (const Policy& policy : policies) {
    if (policy.name == kRootPolicyName) {
      acl->root_ = true;
      return std::shared_ptr<const Acl>(std::move(acl));
    }
  }

  // Merge rules by pattern, across and within policies.
  std::map<std::string, PathRule, std::less<>> by_pattern;
  for (const Policy& policy : policies) {
    for (const PathRule& rule : policy.rules) {
      std::string_view pattern = StripLeadingSlash(rule.pattern);
      Result<PatternShape> shape = AnalyzePattern(pattern);
      if (!shape.ok()) {
        return shape.status().Annotate("policy \"" + policy.name + "\": path \"" + rule.pattern + "\"");
      }
      auto existing = by_pattern.find(pattern);
      if (existing == by_pattern.end()) {
        PathRule copy = rule;
        copy.pattern = std::string(pattern);
        by_pattern.emplace(copy.pattern, std::move(copy));
      } else {
        MergeRule(existing->second, rule);
      }
    }
  }

  // Number the rules in ascending priority, so that the trie can pick the
  // winner among wildcard matches by comparing ids.
  std::vector<PathRule> merged;
  merged.reserve(by_pattern.size());
  for (auto& [pattern, rule] : by_pattern) {
    merged.push_back(std::move(rule));
  }
  std::vector<PatternShape> shapes;
  shapes.reserve(merged.size());
  for (const PathRule& rule : merged) {
    shapes.push_back(*AnalyzePattern(rule.pattern));  // checked above
  }
  std::vector<size_t> order(merged.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::sort(order.begin(), order.end(),
            [&](size_t a, size_t b) { return LowerPriority(shapes[a], shapes[b]); });

  acl->rules_.reserve(merged.size());
  for (size_t index : order) {
    acl->rules_.push_back(std::move(merged[index]));
  }
  for (size_t id = 0; id < acl->rules_.size(); ++id) {
    acl->trie_.Insert(*AnalyzePattern(acl->rules_[id].pattern), static_cast<PathTrie::RuleId>(id));
  }
  return std::shared_ptr<const Acl>(std::move(acl));
}

const PathRule* Acl::FindRule(std::string_view path, bool is_list) const {
  path = StripLeadingSlashes(path);
  PathTrie::Match match = trie_.Find(path);
  if (match.exact.has_value()) {
    return &rules_[*match.exact];
  }
  if (is_list && !path.empty() && path.back() == '/') {
    PathTrie::Match trimmed = trie_.Find(path.substr(0, path.size() - 1));
    if (trimmed.exact.has_value()) {
      return &rules_[*trimmed.exact];
    }
    if (trimmed.wildcard.has_value()) {
      return &rules_[*trimmed.wildcard];
    }
  }
  if (match.wildcard.has_value()) {
    return &rules_[*match.wildcard];
  }
  return nullptr;
}

uint32_t Acl::Capabilities(std::string_view path) const {
  if (root_) {
    return kAllCapabilities;
  }
  const PathRule* rule = FindRule(path, /*is_list=*/true);
  return rule == nullptr ? 0 : rule->capabilities;
}

std::vector<std::string> Acl::CapabilityNamesFor(std::string_view path) const {
  if (root_) {
    return {"root"};
  }
  return CapabilityNames(Capabilities(path));
}

Check Acl::Evaluate(const AccessRequest& request) const {
  Check check;
  if (root_) {
    check.allowed = true;
    check.root_privs = true;
    check.is_root = true;
    check.capabilities = kAllCapabilities;
    return check;
  }
  if (request.operation == core::Operation::kHelp) {
    check.allowed = true;
    return check;
  }
  const PathRule* rule = FindRule(request.path, request.operation == core::Operation::kList);
  if (rule == nullptr) {
    return check;
  }
  check.capabilities = rule->capabilities;
  if ((rule->capabilities & kDeny) != 0) {
    return check;
  }
  check.root_privs = (rule->capabilities & kSudo) != 0;
  if ((rule->capabilities & RequiredCapability(request.operation)) == 0) {
    return check;
  }
  if (request.needs_sudo && !check.root_privs) {
    return check;
  }
  if (!WrappingAllowed(*rule, request.wrap_ttl_seconds)) {
    return check;
  }
  if (ChecksParameters(request.operation)) {
    static const nlohmann::json kNoParameters = nlohmann::json::object();
    if (!ParametersAllowed(*rule, request.data != nullptr ? *request.data : kNoParameters)) {
      return check;
    }
  }
  check.allowed = true;
  return check;
}

Status Acl::Allows(const AccessRequest& request) const {
  if (Evaluate(request).allowed) {
    return Status::Ok();
  }
  return Status::PermissionDenied("permission denied");
}

Status Acl::Allows(core::Operation op, std::string_view path, const nlohmann::json& data,
                   bool needs_sudo) const {
  AccessRequest request;
  request.operation = op;
  request.path = path;
  request.data = &data;
  request.needs_sudo = needs_sudo;
  return Allows(request);
}

}  // namespace coffer::core::policy
