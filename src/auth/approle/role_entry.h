// RoleEntry: one AppRole role as stored at "role/<name>" in the mount's
// view (see approle_state.h for the whole layout).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "core/login.h"

namespace coffer::auth::approle {

struct RoleEntry {
  // Lower-cased; also the storage key's last element.
  std::string name;
  // The login credential naming the role. Unique across the mount's roles
  // (the "role_id/<hmac>" index enforces it).
  std::string role_id;
  bool bind_secret_id = true;
  std::vector<std::string> secret_id_bound_cidrs;
  int64_t secret_id_num_uses = 0;
  int64_t secret_id_ttl = 0;  // seconds; 0: secret-ids do not expire
  // Accepted and shown for Vault compatibility; coffer has one cluster.
  bool local_secret_ids = false;
  core::TokenParams token;

  // HasConstraint is Vault's validateRoleConstraints: a role must require a
  // secret-id or bind logins or tokens to addresses.
  bool HasConstraint() const {
    return bind_secret_id || !secret_id_bound_cidrs.empty() || !token.bound_cidrs.empty();
  }

  nlohmann::json ToStored() const;
  // FromStored reads what ToStored wrote; Corruption on a malformed entry.
  static Result<RoleEntry> FromStored(const nlohmann::json& stored);
  // ToResponseData is what a role read shows.
  nlohmann::json ToResponseData() const;
};

}  // namespace coffer::auth::approle
