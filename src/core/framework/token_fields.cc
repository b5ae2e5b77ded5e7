#include "core/framework/token_fields.h"

#include <algorithm>

#include "base/cidr.h"

namespace coffer::core::framework {

namespace {

using nlohmann::json;

// The current name of each field and the deprecated one Vault still takes.
struct Alias {
  const char* current;
  const char* legacy;
};
constexpr Alias kAliases[] = {{"token_policies", "policies"},
                              {"token_ttl", "ttl"},
                              {"token_max_ttl", "max_ttl"},
                              {"token_period", "period"},
                              {"token_bound_cidrs", "bound_cidrs"}};

// Provided returns the name under which the request gave a field, current
// name first; "" when neither was given.
std::string Given(const FieldData& d, const std::string& current) {
  if (d.Provided(current)) {
    return current;
  }
  for (const Alias& a : kAliases) {
    if (current == a.current && d.Provided(a.legacy)) {
      return a.legacy;
    }
  }
  return "";
}

}  // namespace

void AddTokenFields(Fields& fields) {
  auto add = [&](const char* name, FieldType type, const char* description) {
    fields[name] = FieldSchema{type, json(), false, description};
  };
  add("token_policies", FieldType::kCommaStringSlice, "Policies of the tokens issued.");
  add("token_ttl", FieldType::kDuration, "TTL of the tokens issued.");
  add("token_max_ttl", FieldType::kDuration, "Maximum TTL of the tokens issued.");
  add("token_explicit_max_ttl", FieldType::kDuration, "Hard cap on the tokens' lifetime.");
  add("token_period", FieldType::kDuration, "Period of periodic tokens issued.");
  add("token_num_uses", FieldType::kInt, "Uses of the tokens issued (0: unlimited).");
  add("token_bound_cidrs", FieldType::kCommaStringSlice, "CIDRs the tokens may be used from.");
  add("token_no_default_policy", FieldType::kBool, "Leave out the default policy.");
  add("token_type", FieldType::kString, "service, batch or default.");
  add("policies", FieldType::kCommaStringSlice, "Deprecated: token_policies.");
  add("ttl", FieldType::kDuration, "Deprecated: token_ttl.");
  add("max_ttl", FieldType::kDuration, "Deprecated: token_max_ttl.");
  add("period", FieldType::kDuration, "Deprecated: token_period.");
  add("bound_cidrs", FieldType::kCommaStringSlice, "Deprecated: token_bound_cidrs.");
}

Status ApplyTokenFields(const FieldData& d, TokenParams* p) {
  if (auto name = Given(d, "token_policies"); !name.empty()) {
    p->policies.clear();
    for (auto& policy : d.GetStrings(name)) {
      if (!policy.empty() &&
          std::find(p->policies.begin(), p->policies.end(), policy) == p->policies.end()) {
        p->policies.push_back(policy);
      }
    }
  }
  if (auto name = Given(d, "token_ttl"); !name.empty()) {
    p->ttl = d.GetDuration(name);
  }
  if (auto name = Given(d, "token_max_ttl"); !name.empty()) {
    p->max_ttl = d.GetDuration(name);
  }
  if (d.Provided("token_explicit_max_ttl")) {
    p->explicit_max_ttl = d.GetDuration("token_explicit_max_ttl");
  }
  if (auto name = Given(d, "token_period"); !name.empty()) {
    p->period = d.GetDuration(name);
  }
  if (d.Provided("token_num_uses")) {
    p->num_uses = d.GetInt("token_num_uses");
    if (p->num_uses < 0) {
      return Status::InvalidArgument("token_num_uses cannot be negative");
    }
  }
  if (auto name = Given(d, "token_bound_cidrs"); !name.empty()) {
    p->bound_cidrs = d.GetStrings(name);
    for (const auto& cidr : p->bound_cidrs) {
      if (!Cidr::Parse(cidr)) {
        return Status::InvalidArgument("invalid CIDR \"" + cidr + "\" in token_bound_cidrs");
      }
    }
  }
  if (d.Provided("token_no_default_policy")) {
    p->no_default_policy = d.GetBool("token_no_default_policy");
  }
  if (d.Provided("token_type")) {
    std::string type = d.GetString("token_type");
    if (type.empty()) {
      type = "default";  // hvac sends "" for "not set"
    } else if (type == "default-service") {
      type = "service";
    } else if (type == "default-batch") {
      type = "batch";
    }
    if (type != "service" && type != "batch" && type != "default") {
      return Status::InvalidArgument("invalid token_type \"" + type +
                                     "\"; must be service, batch or default");
    }
    p->type = type;
  }
  if (p->max_ttl > 0 && p->ttl > p->max_ttl) {
    return Status::InvalidArgument("token_ttl cannot be greater than token_max_ttl");
  }
  if (p->type == "batch" && p->num_uses > 0) {
    return Status::InvalidArgument("batch tokens cannot have a use count (token_num_uses)");
  }
  if (p->type == "batch" && p->period > 0) {
    return Status::InvalidArgument("batch tokens cannot be periodic (token_period)");
  }
  return Status::Ok();
}

json TokenFieldsJson(const TokenParams& p) {
  return {{"token_policies", p.policies},
          {"token_ttl", p.ttl},
          {"token_max_ttl", p.max_ttl},
          {"token_explicit_max_ttl", p.explicit_max_ttl},
          {"token_period", p.period},
          {"token_num_uses", p.num_uses},
          {"token_bound_cidrs", p.bound_cidrs},
          {"token_no_default_policy", p.no_default_policy},
          {"token_type", p.type}};
}

}  // namespace coffer::core::framework
