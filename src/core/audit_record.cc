#include "core/audit_record.h"

#include "core/framework/time_format.h"

namespace coffer::core {

namespace {

using nlohmann::json;

std::string Rfc3339(int64_t unix_seconds) {
  return framework::FormatRfc3339Nano(unix_seconds * 1'000'000'000);
}

}  // namespace

AuditRecord::AuditRecord(const Request& request, int64_t now_nanos)
    : request_(request), time_(framework::FormatRfc3339Nano(now_nanos)),
      operation_(request.operation) {}

void AuditRecord::SetToken(const TokenEntry& token, int64_t now_unix) {
  token_ = token;
  token_ttl_ = token.RemainingTtl(now_unix);
}

void AuditRecord::SetMount(const std::string& type, const std::string& accessor) {
  mount_type_ = type;
  mount_accessor_ = accessor;
}

json AuditRecord::Auth() const {
  if (!token_) {
    // The token did not authenticate: Vault still records what was sent.
    return {{"client_token", request_.client_token}, {"token_type", "service"}};
  }
  const TokenEntry& t = *token_;
  json metadata = t.meta.empty() ? json() : json(t.meta);
  return {{"client_token", request_.client_token},
          {"accessor", t.accessor},
          {"display_name", t.display_name},
          {"policies", t.policies},
          {"token_policies", t.policies},
          {"metadata", metadata},
          {"entity_id", t.entity_id},
          {"token_type", t.TypeName()},
          {"token_ttl", token_ttl_},
          {"token_issue_time", Rfc3339(t.issue_time)}};
}

json AuditRecord::RequestPart() const {
  json data = request_.data.is_object() && !request_.data.empty() ? request_.data : json();
  return {{"id", request_.id},
          {"operation", OperationName(operation_)},
          {"mount_type", mount_type_},
          {"mount_accessor", mount_accessor_},
          {"client_token", request_.client_token},
          {"client_token_accessor", token_ ? token_->accessor : ""},
          {"namespace", {{"id", "root"}}},
          {"path", request_.path},
          {"data", std::move(data)},
          {"remote_address", request_.remote_address},
          {"wrap_ttl", wrap_ttl_}};
}

json AuditRecord::RequestEntry(const Status& error) const {
  audit::EntryPair pair;
  pair.auth = Auth();
  pair.request = RequestPart();
  pair.request_time = time_;
  if (!error.ok()) {
    pair.request_error = error.message();
  }
  return pair.RequestEntry();
}

json AuditRecord::ResponseEntry(const Result<Response>& result, int64_t now_nanos) const {
  return Pair(result, now_nanos).ResponseEntry();
}

audit::EntryPair AuditRecord::Pair(const Result<Response>& result, int64_t now_nanos) const {
  audit::EntryPair pair;
  pair.auth = Auth();
  pair.request = RequestPart();
  pair.request_time = time_;
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
  json response = {{"mount_type", mount_type_}, {"mount_accessor", mount_accessor_}};
  if (!r.data.is_null()) {
    response["data"] = r.data;
  }
  if (!r.lease_id.empty()) {
    response["secret"] = {{"lease_id", r.lease_id}};
  }
  if (r.auth) {
    response["auth"] = *r.auth;
  }
  if (r.wrap_info) {
    response["wrap_info"] = *r.wrap_info;
  }
  if (!r.warnings.empty()) {
    response["warnings"] = r.warnings;
  }
  pair.response = std::move(response);
  return pair;
}

std::vector<nlohmann::json> AuditRecord::Entries(const Result<Response>& result,
                                                 int64_t now_nanos) const {
  audit::EntryPair pair = Pair(result, now_nanos);
  std::vector<nlohmann::json> entries;
  entries.reserve(2);
  if (!request_logged) {
    entries.push_back(pair.RequestEntry());
  }
  entries.push_back(pair.ResponseEntry());
  return entries;
}

}  // namespace coffer::core
