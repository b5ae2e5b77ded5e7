// RoleEntry: one kubernetes auth role as stored at "role/<name>" in the
// mount's view (Vault's path_role.go), and the binding checks a login
// applies.
//
// Storage format (one JSON object per role):
//
//   {"bound_service_account_names": ["app"],
//    "bound_service_account_namespaces": ["prod", "team-*"],
//    "audience": "",                        // "" if unset
//    "alias_name_source": "serviceaccount_uid",
//    "token": {...}}                        // TokenParams::ToStored
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "core/login.h"
#include "storage/backend.h"

namespace coffer::auth::kubernetes {

inline constexpr std::string_view kRoleFolder = "role/";
inline constexpr std::string_view kAliasSourceUid = "serviceaccount_uid";
inline constexpr std::string_view kAliasSourceName = "serviceaccount_name";

struct RoleEntry {
  std::vector<std::string> bound_service_account_names;
  std::vector<std::string> bound_service_account_namespaces;
  std::string audience;
  std::string alias_name_source = std::string(kAliasSourceUid);
  core::TokenParams token;

  // Validate is what a write checks after applying the request: both
  // binding lists non-empty, "*" not mixed with other values, a known
  // alias_name_source. InvalidArgument with Vault's wording.
  Status Validate() const;

  nlohmann::json ToStored() const;
  // FromStored reads what ToStored wrote; Corruption on a malformed entry.
  static Result<RoleEntry> FromStored(const nlohmann::json& stored);
  // ToResponseData is what a role read shows.
  nlohmann::json ToResponseData() const;
};

// GlobMatches is Vault's strutil.GlobbedStringsMatch: "*" matches anything,
// "pre*" a prefix, "*suf" a suffix, "*mid*" a substring; anything else must
// be equal.
bool GlobMatches(std::string_view pattern, std::string_view value);

// BindingAllows tells whether `value` matches any of `bound` (globs as
// above).
bool BindingAllows(const std::vector<std::string>& bound, std::string_view value);

std::string RoleKey(std::string_view name);

// ReadRole loads a role; nullopt when there is none.
Result<std::optional<RoleEntry>> ReadRole(storage::Backend& storage, std::string_view name);
Status WriteRole(storage::Backend& storage, std::string_view name, const RoleEntry& role);

}  // namespace coffer::auth::kubernetes
