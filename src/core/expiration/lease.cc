#include "core/expiration/lease.h"

#include <algorithm>
#include <cstdio>

#include "base/encoding.h"
#include "crypto/hash.h"

namespace coffer::core::expiration {

namespace {

// 12 digits of minutes and 15 of milliseconds cover dates far past year
// 30000, so the fixed width (and thus the sort order) never breaks.
constexpr int64_t kMsPerBucket = 60'000;

std::string ZeroPad(int64_t v, int width) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%0*lld", width, static_cast<long long>(std::max<int64_t>(v, 0)));
  return buf;
}

// Field readers that refuse a wrong type instead of throwing: stored data
// is parsed, and a bad record must surface as Corruption, not a crash.
bool ReadString(const nlohmann::json& j, const char* name, std::string* out) {
  auto it = j.find(name);
  if (it == j.end() || it->is_null()) {
    return true;
  }
  if (!it->is_string()) {
    return false;
  }
  *out = it->get<std::string>();
  return true;
}

bool ReadInt(const nlohmann::json& j, const char* name, int64_t* out) {
  auto it = j.find(name);
  if (it == j.end() || it->is_null()) {
    return true;
  }
  if (!it->is_number_integer()) {
    return false;
  }
  *out = it->get<int64_t>();
  return true;
}

bool ReadBool(const nlohmann::json& j, const char* name, bool* out) {
  auto it = j.find(name);
  if (it == j.end() || it->is_null()) {
    return true;
  }
  if (!it->is_boolean()) {
    return false;
  }
  *out = it->get<bool>();
  return true;
}

}  // namespace

std::string Lease::IndexKey() const { return TimeIndexKey(index_ms, "lease", id); }

nlohmann::json Lease::ToStored() const {
  return nlohmann::json{
      {"id", id},
      {"mount_point", mount_point},
      {"token_client_id", token_client_id},
      {"secret_type", secret_type},
      {"internal", internal},
      {"renewable", renewable},
      {"issue_time", issue_time},
      {"last_renewal_time", last_renewal_time},
      {"expire_time", expire_time},
      {"max_expire_time", max_expire_time},
      {"ttl", ttl},
      {"index_ms", index_ms},
      {"revoke_attempts", revoke_attempts},
      {"last_revoke_error", last_revoke_error},
  };
}

Result<Lease> Lease::FromStored(std::string_view bytes) {
  nlohmann::json j = nlohmann::json::parse(bytes, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    return Status::Corruption("lease record is not a JSON object");
  }
  Lease l;
  int64_t attempts = 0;
  bool ok = ReadString(j, "id", &l.id) && ReadString(j, "mount_point", &l.mount_point) &&
            ReadString(j, "token_client_id", &l.token_client_id) &&
            ReadString(j, "secret_type", &l.secret_type) &&
            ReadBool(j, "renewable", &l.renewable) && ReadInt(j, "issue_time", &l.issue_time) &&
            ReadInt(j, "last_renewal_time", &l.last_renewal_time) &&
            ReadInt(j, "expire_time", &l.expire_time) &&
            ReadInt(j, "max_expire_time", &l.max_expire_time) && ReadInt(j, "ttl", &l.ttl) &&
            ReadInt(j, "index_ms", &l.index_ms) && ReadInt(j, "revoke_attempts", &attempts) &&
            ReadString(j, "last_revoke_error", &l.last_revoke_error);
  if (!ok || l.id.empty()) {
    return Status::Corruption("lease record has a missing or mistyped field");
  }
  if (auto it = j.find("internal"); it != j.end() && it->is_object()) {
    l.internal = *it;
  }
  l.revoke_attempts = static_cast<int>(std::clamp<int64_t>(attempts, 0, 1'000'000));
  // Records written without these fields: derive what they would hold.
  if (l.index_ms == 0) {
    l.index_ms = l.expire_time * 1000;
  }
  if (l.ttl == 0) {
    l.ttl = l.expire_time - std::max(l.issue_time, l.last_renewal_time);
  }
  return l;
}

std::string IndexHash(std::string_view id) {
  return HexEncode(crypto::Sha256(id)).substr(0, 32);
}

std::string TimeIndexKey(int64_t expire_ms, std::string_view kind, std::string_view id) {
  std::string key(kTimePrefix);
  key += ZeroPad(expire_ms / kMsPerBucket, 12);
  key += '/';
  key += ZeroPad(expire_ms, 15);
  key += '_';
  key += kind;
  key += '_';
  key += IndexHash(id);
  return key;
}

std::string TokenIndexKey(std::string_view token_client_id, std::string_view lease_id) {
  std::string key(kTokenPrefix);
  key += token_client_id;
  key += '/';
  key += IndexHash(lease_id);
  return key;
}

}  // namespace coffer::core::expiration
