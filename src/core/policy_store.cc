#include "core/policy_store.h"

#include <algorithm>
#include <functional>
#include <mutex>

#include <nlohmann/json.hpp>

#include "core/policy/builtin_policies.h"

namespace coffer::core {

namespace {

constexpr std::string_view kPolicyPrefix = "sys/policy/";

// SetKey names a policy set: its distinct names, sorted, each followed by
// '\n'. A token's policies are stored sorted and distinct, so the common
// case joins them without copying the list to sort it.
std::string SetKey(const std::vector<std::string>& names) {
  auto join = [](const std::vector<std::string>& sorted) {
    size_t size = 0;
    for (const auto& n : sorted) {
      size += n.size() + 1;
    }
    std::string key;
    key.reserve(size);
    for (const auto& n : sorted) {
      key += n;
      key.push_back('\n');
    }
    return key;
  };
  if (std::adjacent_find(names.begin(), names.end(), std::greater_equal<>()) == names.end()) {
    return join(names);  // strictly increasing: sorted and distinct
  }
  std::vector<std::string> sorted = names;
  std::sort(sorted.begin(), sorted.end());
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  return join(sorted);
}

}  // namespace

Status PolicyStore::OnUnseal() {
  Invalidate();
  auto stored = storage_.Get(std::string(kPolicyPrefix) + "default");
  if (stored.ok()) {
    return Status::Ok();
  }
  if (!stored.status().IsNotFound()) {
    return stored.status();
  }
  return Put("default", policy::DefaultPolicyText());
}

void PolicyStore::OnSeal() { Invalidate(); }

void PolicyStore::Invalidate() {
  std::unique_lock lock(mu_);
  acl_cache_.clear();
  policy_cache_.clear();
  ++generation_;
}

Result<policy::Policy> PolicyStore::Get(const std::string& raw_name) {
  const std::string name = policy::NormalizePolicyName(raw_name);
  if (name == policy::kRootPolicyName) {
    return policy::RootPolicy();
  }
  {
    std::shared_lock lock(mu_);
    if (auto it = policy_cache_.find(name); it != policy_cache_.end()) {
      return *it->second;
    }
  }
  uint64_t generation = 0;
  {
    std::shared_lock lock(mu_);
    generation = generation_;
  }
  COFFER_ASSIGN_OR_RETURN(std::string stored, storage_.Get(std::string(kPolicyPrefix) + name));
  nlohmann::json j = nlohmann::json::parse(stored, nullptr, false);
  if (!j.is_object() || !j["policy"].is_string()) {
    return Status::Corruption("stored policy " + name + " is malformed");
  }
  COFFER_ASSIGN_OR_RETURN(policy::Policy parsed,
                          policy::ParsePolicy(name, j["policy"].get<std::string>()));
  std::unique_lock lock(mu_);
  if (generation == generation_) {
    policy_cache_[name] = std::make_shared<const policy::Policy>(parsed);
  }
  return parsed;
}

Status PolicyStore::Put(const std::string& raw_name, const std::string& text) {
  const std::string name = policy::NormalizePolicyName(raw_name);
  if (name.empty()) {
    return Status::InvalidArgument("policy name must not be empty");
  }
  COFFER_RETURN_IF_ERROR(policy::CheckPolicyWritable(name));
  COFFER_ASSIGN_OR_RETURN(policy::Policy parsed, policy::ParsePolicy(name, text));
  (void)parsed;
  nlohmann::json stored = {{"name", name}, {"policy", text}};
  COFFER_RETURN_IF_ERROR(storage_.Put(std::string(kPolicyPrefix) + name, stored.dump()));
  Invalidate();
  return Status::Ok();
}

Status PolicyStore::Delete(const std::string& raw_name) {
  const std::string name = policy::NormalizePolicyName(raw_name);
  COFFER_RETURN_IF_ERROR(policy::CheckPolicyDeletable(name));
  COFFER_RETURN_IF_ERROR(storage_.Delete(std::string(kPolicyPrefix) + name));
  Invalidate();
  return Status::Ok();
}

Result<std::vector<std::string>> PolicyStore::List() {
  COFFER_ASSIGN_OR_RETURN(std::vector<std::string> names, storage_.List(kPolicyPrefix));
  std::vector<std::string> out;
  for (auto& n : names) {
    if (!n.ends_with('/')) {
      out.push_back(std::move(n));
    }
  }
  out.push_back(std::string(policy::kRootPolicyName));
  std::sort(out.begin(), out.end());
  return out;
}

Result<std::shared_ptr<const policy::Acl>> PolicyStore::AclFor(
    const std::vector<std::string>& names) {
  const std::string key = SetKey(names);
  uint64_t generation = 0;
  {
    std::shared_lock lock(mu_);
    if (auto it = acl_cache_.find(key); it != acl_cache_.end()) {
      return it->second;
    }
    generation = generation_;
  }
  std::vector<policy::Policy> policies;
  for (const auto& name : names) {
    auto p = Get(name);
    if (p.ok()) {
      policies.push_back(std::move(p).value());
    } else if (!p.status().IsNotFound()) {
      return p.status();  // fail closed: a policy we cannot read denies
    }
  }
  COFFER_ASSIGN_OR_RETURN(std::shared_ptr<const policy::Acl> acl, policy::Acl::Compile(policies));
  std::unique_lock lock(mu_);
  if (generation == generation_) {
    acl_cache_[key] = acl;
  }
  return acl;
}

}  // namespace coffer::core
