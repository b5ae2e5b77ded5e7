// Lease: the persisted record of a leased secret (Vault's leaseEntry), and
// the storage keys of the expiration manager (DESIGN.md, "Storage layout"):
//
//   sys/expire/id/<lease-id>                          the lease (JSON)
//   sys/expire/time/<bucket>/<expire-ms>_<kind>_<h>    due-time index
//   sys/expire/token/<token client id>/<h>             leases of a token
//
// <bucket> is the expiry time in whole minutes (zero padded) and <h> a hash
// of the lease id (or token key), so a sweep lists only the bucket names
// and reads only the buckets that are due; nothing at start-up loads every
// lease. Index values hold the lease id / token key. Everything goes
// through the barrier, so values are encrypted.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "base/status.h"

namespace coffer::core::expiration {

inline constexpr std::string_view kLeasePrefix = "sys/expire/id/";
inline constexpr std::string_view kTimePrefix = "sys/expire/time/";
inline constexpr std::string_view kTokenPrefix = "sys/expire/token/";

struct Lease {
  // "<request path>/<random>", e.g. "database/creds/ro/2f1c...". Its prefix
  // is the path that created it, so revoke-prefix works on mount paths.
  std::string id;
  // The mount path the lease belongs to ("database/"), for routing the
  // renewal or revocation to its engine.
  std::string mount_point;
  // The token that obtained the secret: its client id (the hex part of its
  // storage key); empty when none (batch tokens). Revoking the token
  // revokes the lease.
  std::string token_client_id;
  std::string secret_type;
  nlohmann::json internal = nlohmann::json::object();
  bool renewable = true;
  int64_t issue_time = 0;          // unix seconds
  int64_t last_renewal_time = 0;   // unix seconds; 0 = never renewed
  int64_t expire_time = 0;         // unix seconds
  int64_t max_expire_time = 0;     // unix seconds: no renewal goes past it
  // The TTL (seconds) the lease was registered with; a renewal with
  // increment 0 extends by it again.
  int64_t ttl = 0;
  // The due time (unix ms) of this lease's entry in the time index:
  // expire_time * 1000 normally, the time of the next retry after a failed
  // revocation. Kept apart from expire_time so the lease still reports
  // when it really expired, and so its index key can always be rebuilt
  // (and deleted) from the record alone.
  int64_t index_ms = 0;
  // Revocation failures: the lease stays until a retry succeeds.
  int revoke_attempts = 0;
  std::string last_revoke_error;

  int64_t RemainingTtl(int64_t now) const { return expire_time > now ? expire_time - now : 0; }
  // IndexKey is the key of this lease's current time index entry.
  std::string IndexKey() const;

  nlohmann::json ToStored() const;
  static Result<Lease> FromStored(std::string_view bytes);
};

// IndexHash is the short hash of a lease id or token key used in index keys.
std::string IndexHash(std::string_view id);
// TimeIndexKey: sys/expire/time/<minute bucket>/<ms>_<kind>_<hash>. `kind`
// is "lease" or "token".
std::string TimeIndexKey(int64_t expire_ms, std::string_view kind, std::string_view id);
// TokenIndexKey: sys/expire/token/<client id>/<hash of lease id>.
std::string TokenIndexKey(std::string_view token_client_id, std::string_view lease_id);

}  // namespace coffer::core::expiration
