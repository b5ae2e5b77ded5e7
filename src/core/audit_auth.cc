#include "core/audit_auth.h"

#include <mutex>

#include "core/framework/time_format.h"
#include "crypto/secure_buffer.h"

namespace coffer::core {

nlohmann::json AuditAuthJson(const TokenEntry& t, std::string_view client_token, int64_t ttl) {
  nlohmann::json metadata = t.meta.empty() ? nlohmann::json() : nlohmann::json(t.meta);
  return {{"client_token", client_token},
          {"accessor", t.accessor},
          {"display_name", t.display_name},
          {"policies", t.policies},
          {"token_policies", t.policies},
          {"metadata", std::move(metadata)},
          {"entity_id", t.entity_id},
          {"token_type", t.TypeName()},
          {"token_ttl", ttl},
          {"token_issue_time", framework::FormatRfc3339Nano(t.issue_time * 1'000'000'000)}};
}

AuditAuthCache::Member AuditAuthCache::For(const TokenEntry& token, std::string_view client_token,
                                           int64_t now_unix) {
  const int64_t ttl = token.RemainingTtl(now_unix);
  if (token.batch || token.id_key.empty()) {
    return {std::make_shared<const nlohmann::json>(AuditAuthJson(token, client_token, ttl)),
            false};
  }
  auto matches = [&](const Entry& e) {
    return e.ttl == ttl && e.issue_time == token.issue_time &&
           crypto::ConstantTimeEquals(e.client_token, client_token);
  };
  {
    std::shared_lock lock(mu_);
    auto it = entries_.find(token.id_key);
    if (it != entries_.end() && matches(it->second)) {
      return {it->second.auth, true};
    }
  }
  auto auth = std::make_shared<const nlohmann::json>(AuditAuthJson(token, client_token, ttl));
  std::unique_lock lock(mu_);
  if (entries_.size() >= kMaxEntries && !entries_.contains(token.id_key)) {
    entries_.clear();
  }
  entries_[token.id_key] = Entry{std::string(client_token), token.issue_time, ttl, auth};
  return {std::move(auth), true};
}

}  // namespace coffer::core
