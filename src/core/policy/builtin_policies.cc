#include "core/policy/builtin_policies.h"

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <utility>

namespace coffer::core::policy {

namespace {

// Written for coffer from the list of things Vault's default policy allows;
// comments say why each rule is there, since operators read this text back
// through sys/policy/default.
constexpr const char* kDefaultPolicyText = R"(# The default policy: what any token needs in order to manage itself.
# It may be rewritten (sys/policy/default) but not deleted.

# A token may read its own properties...
path "auth/token/lookup-self" {
  capabilities = ["read"]
}

# ...extend its own lifetime...
path "auth/token/renew-self" {
  capabilities = ["update"]
}

# ...and give itself up.
path "auth/token/revoke-self" {
  capabilities = ["update"]
}

# A token may ask what it is allowed to do on a path...
path "sys/capabilities-self" {
  capabilities = ["update"]
}

# ...and see the combined rules of all its policies.
path "sys/internal/ui/resultant-acl" {
  capabilities = ["read"]
}

# Leases it holds may be looked up and renewed; the lease id travels in the
# request body. sys/renew is the older name that old clients still call.
path "sys/leases/lookup" {
  capabilities = ["update"]
}

path "sys/leases/renew" {
  capabilities = ["update"]
}

path "sys/renew" {
  capabilities = ["update"]
}

# Every token owns a private cubbyhole that dies with it.
path "cubbyhole/*" {
  capabilities = ["create", "read", "update", "delete", "list"]
}

# Response wrapping: wrap a value, inspect a wrapping token, unwrap one.
path "sys/wrapping/wrap" {
  capabilities = ["update"]
}

path "sys/wrapping/lookup" {
  capabilities = ["update"]
}

path "sys/wrapping/unwrap" {
  capabilities = ["update"]
}

# Hashing helpers hold no secrets of their own.
path "sys/tools/hash" {
  capabilities = ["update"]
}

path "sys/tools/hash/*" {
  capabilities = ["update"]
}

# A token may ask for the status of its own control-group request.
path "sys/control-group/request" {
  capabilities = ["update"]
}
)";

Policy MakeRootPolicy() {
  Policy root;
  root.name = std::string(kRootPolicyName);
  return root;
}

Policy MakeDefaultPolicy() {
  Result<Policy> parsed = ParsePolicy(std::string(kDefaultPolicyName), kDefaultPolicyText);
  if (!parsed.ok()) {
    std::fprintf(stderr, "coffer: built-in default policy does not parse: %s\n",
                 parsed.status().ToString().c_str());
    std::abort();
  }
  return std::move(parsed).value();
}

}  // namespace

const Policy& RootPolicy() {
  static const Policy root = MakeRootPolicy();
  return root;
}

std::string DefaultPolicyText() { return kDefaultPolicyText; }

const Policy& DefaultPolicy() {
  static const Policy default_policy = MakeDefaultPolicy();
  return default_policy;
}

std::string NormalizePolicyName(std::string_view name) {
  std::string out(name);
  for (char& c : out) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

Status CheckPolicyWritable(std::string_view name) {
  if (name.empty()) {
    return Status::InvalidArgument("policy name must not be empty");
  }
  if (name == kRootPolicyName) {
    return Status::InvalidArgument("cannot update \"root\" policy");
  }
  return Status::Ok();
}

Status CheckPolicyDeletable(std::string_view name) {
  if (name == kRootPolicyName || name == kDefaultPolicyName) {
    return Status::InvalidArgument("cannot delete \"" + std::string(name) + "\" policy");
  }
  return Status::Ok();
}

}  // namespace coffer::core::policy
