// The pieces of a database credential: user names, passwords, the
// expiration handed to the database, and the lease TTLs of a dynamic role.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "base/status.h"
#include "core/engine.h"
#include "engines/database/role_entry.h"

namespace coffer::engines::database {

// Identifier limits of the databases: PostgreSQL's NAMEDATALEN - 1 and
// MySQL's user name length (32 since 5.7, 16 before; Vault truncates to
// it).
inline constexpr size_t kPostgresMaxUsername = 63;
inline constexpr size_t kMysqlMaxUsername = 32;
inline constexpr size_t kLegacyMysqlMaxUsername = 16;

// GenerateUsername makes "v-<role, first 10 chars>-<20 random [a-z0-9]>-
// <unix seconds>", lowercased and cut to the plugin's identifier limit. The
// legacy MySQL flavours take 4 characters of the role, as Vault's legacy
// template, so that some randomness fits in 16.
Result<std::string> GenerateUsername(const std::string& role_name, const std::string& plugin_name,
                                     std::chrono::system_clock::time_point now);

// GeneratePassword asks the core for a password from `policy` (empty: the
// default policy). Without a system view (unit tests) it makes 20 random
// letters and digits, as the default policy would.
Result<std::string> GeneratePassword(const core::EngineRequest& request,
                                     const std::string& policy);

// FormatExpiration renders `t` as Vault hands expirations to database
// plugins: Go's "2006-01-02 15:04:05-0700" in UTC ("... +0000").
std::string FormatExpiration(std::chrono::system_clock::time_point t);

// LeaseTtls are a dynamic credential's lease TTL and maximum, in seconds.
struct LeaseTtls {
  int64_t ttl = 0;
  int64_t max_ttl = 0;
};

// When neither the role nor the mount gives a TTL (unit tests), a user is
// made valid for Vault's default maximum lease TTL (768h).
inline constexpr int64_t kFallbackTtlSeconds = 768 * 3600;

// CredentialTtls: the role's default_ttl else the mount's default, the
// role's max_ttl else the mount's maximum (a role cannot exceed the
// mount's maximum), and the ttl capped by the maximum — Vault's
// framework.CalculateTTL.
LeaseTtls CredentialTtls(const RoleEntry& role, const core::EngineRequest& request);

}  // namespace coffer::engines::database
