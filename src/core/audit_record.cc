#include "core/audit_record.h"

#include "core/framework/time_format.h"

namespace coffer::core {

using nlohmann::json;

AuditRecord::AuditRecord(const Request& request, int64_t now_nanos)
    : request_(request), time_(framework::FormatRfc3339Nano(now_nanos)),
      operation_(request.operation) {}

void AuditRecord::SetToken(const TokenEntry& token, int64_t now_unix, AuditAuthCache* cache) {
  accessor_ = token.accessor;
  if (cache != nullptr) {
    AuditAuthCache::Member member = cache->For(token, request_.client_token, now_unix);
    auth_ = std::move(member.auth);
    auth_shared_ = member.shared;
  } else {
    auth_ = std::make_shared<const json>(
        AuditAuthJson(token, request_.client_token, token.RemainingTtl(now_unix)));
    auth_shared_ = false;
  }
}

void AuditRecord::SetMount(const std::string& type, const std::string& accessor) {
  mount_type_ = type;
  mount_accessor_ = accessor;
}

audit::RequestMember AuditRecord::RequestPart() const {
  audit::RequestMember m;
  m.id = request_.id;
  m.operation = OperationName(operation_);
  m.mount_type = mount_type_;
  m.mount_accessor = mount_accessor_;
  m.client_token = request_.client_token;
  m.client_token_accessor = accessor_;
  m.path = request_.path;
  // Borrowed, not copied: a write's data can be large (see EntryPair).
  if (request_.data.is_object() && !request_.data.empty()) {
    m.data = &request_.data;
  }
  m.remote_address = request_.remote_address;
  m.wrap_ttl = wrap_ttl_;
  return m;
}

audit::EntryPair AuditRecord::RequestPair() const {
  audit::EntryPair pair;
  if (auth_) {
    pair.auth = auth_;
    pair.auth_shared = auth_shared_;
  } else {
    // The token did not authenticate: Vault still records what was sent.
    pair.auth = std::make_shared<const json>(
        json{{"client_token", request_.client_token}, {"token_type", "service"}});
  }
  pair.request = RequestPart();
  pair.request_time = time_;
  return pair;
}

audit::EntryPair AuditRecord::Pair(const Result<Response>& result, int64_t now_nanos) const {
  audit::EntryPair pair = RequestPair();
  pair.response_time = framework::FormatRfc3339Nano(now_nanos);
  if (!result.ok()) {
    // Refused before the engine ran: the request entry carries it too.
    if (!request_logged) {
      pair.request_error = result.status().message();
    }
    pair.response_error = result.status().message();
    return pair;
  }
  const Response& r = result.value();
  // Borrowed from the response, not copied: a login's auth block and the
  // data are the largest parts of an entry (see EntryPair).
  audit::ResponseMember response;
  response.mount_type = mount_type_;
  response.mount_accessor = mount_accessor_;
  response.lease_id = r.lease_id;
  if (!r.data.is_null() || r.encoded_data_member) {
    response.data = &r.data;
  }
  if (r.encoded_data_member) {
    response.data_member_name = r.encoded_data_member->name;
    response.data_member_json = r.encoded_data_member->json;
  }
  if (r.auth) {
    response.auth = &*r.auth;
  }
  if (r.wrap_info) {
    response.wrap_info = &*r.wrap_info;
  }
  if (!r.warnings.empty()) {
    response.warnings = &r.warnings;
  }
  pair.response = std::move(response);
  return pair;
}

}  // namespace coffer::core
