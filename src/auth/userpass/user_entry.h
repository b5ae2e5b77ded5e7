// UserEntry: one userpass user as kept in the mount's storage view.
//
// Storage format (one JSON object per user, key "user/<username>", the
// username lower-cased):
//
//   {"password_hash": "scrypt$N$r$p$<salt>$<hash>",   // password_hash.h
//    "token": {...}}                                  // TokenParams::ToStored
//
// The password itself is never stored.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"
#include "core/login.h"
#include "storage/backend.h"

namespace coffer::auth::userpass {

struct UserEntry {
  std::string password_hash;
  core::TokenParams token;
};

// NormalizeUsername lower-cases ASCII letters, as Vault does: "Bob" and
// "bob" are the same user.
std::string NormalizeUsername(std::string_view username);

// UserKey is the storage key of a normalized username.
std::string UserKey(std::string_view username);

// The storage folder holding the users (LIST users lists it).
inline constexpr std::string_view kUserFolder = "user/";

// ReadUser loads a user by normalized name; nullopt when there is none.
// Corruption when the stored value is not a user entry; storage errors are
// passed on.
Result<std::optional<UserEntry>> ReadUser(storage::Backend& storage, std::string_view username);

// WriteUser stores `entry` under the normalized name.
Status WriteUser(storage::Backend& storage, std::string_view username, const UserEntry& entry);

}  // namespace coffer::auth::userpass
