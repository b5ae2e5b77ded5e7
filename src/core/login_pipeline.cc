// Logins: an auth method's login path is served without a token. The
// method checks the credentials and answers with a LoginGrant; the core
// enforces lockout, mints the token within the mount's TTL limits and
// answers with Vault's auth block (wrapped, if the client asked).
#include <algorithm>
#include <chrono>

#include "config/server_config.h"
#include "core/core.h"
#include "core/token_api/token_paths.h"

namespace coffer::core {

namespace {

// A login failure that counts toward lockout: bad credentials, not a
// server-side problem.
bool IsCredentialFailure(const Status& status) {
  return status.code() == Code::kInvalidArgument || status.code() == Code::kPermissionDenied;
}

std::vector<std::string> TokenPolicies(const TokenParams& params) {
  std::vector<std::string> policies = params.policies;
  if (!params.no_default_policy) {
    policies.push_back("default");
  }
  std::sort(policies.begin(), policies.end());
  policies.erase(std::unique(policies.begin(), policies.end()), policies.end());
  return policies;
}

}  // namespace

Result<std::optional<int64_t>> Core::ParseWrapTtl(const Request& request) {
  if (request.wrap_ttl.empty()) {
    return std::optional<int64_t>();
  }
  auto parsed = config::ParseDurationSeconds(request.wrap_ttl);
  if (!parsed.ok() || *parsed <= 0) {
    return Status::InvalidArgument("invalid X-Vault-Wrap-TTL \"" + request.wrap_ttl + "\"");
  }
  return std::optional<int64_t>(*parsed);
}

Result<Response> Core::HandleLogin(const Request& request, const Router::Match& route,
                                   AuditRecord* record) {
  const MountedEngine& mount = *route.mount;
  if (record != nullptr) {
    record->SetMount(mount.entry.type, mount.entry.accessor);
  }
  EngineRequest engine_request = ContextFor(mount);
  engine_request.operation = request.operation;
  engine_request.path = route.relative_path;
  engine_request.data = request.data.is_object() ? request.data : nlohmann::json::object();
  engine_request.remote_address = request.remote_address;
  engine_request.client_cert_pem = request.client_cert_pem;
  COFFER_ASSIGN_OR_RETURN(std::optional<int64_t> wrap_ttl, ParseWrapTtl(request));
  if (record != nullptr && wrap_ttl) {
    record->SetWrapTtl(*wrap_ttl);
  }

  const std::string alias = mount.engine->LoginAlias(engine_request);
  const int64_t now = NowUnix();
  if (!alias.empty() && lockout_.Locked(mount.entry.accessor, alias, now)) {
    // Said as any failed login: a locked alias is not confirmed to exist.
    return Status::PermissionDenied("permission denied");
  }
  COFFER_RETURN_IF_ERROR(LogRequest(record));
  Result<Response> answer = mount.engine->Handle(engine_request);
  if (!answer.ok()) {
    if (IsCredentialFailure(answer.status())) {
      lockout_.Failed(mount.entry.accessor, alias, now, mount.entry.user_lockout);
    }
    return answer.status();
  }
  if (!answer->login) {
    return answer;  // help, or a login path that answered without logging in
  }
  lockout_.Succeeded(mount.entry.accessor, alias);
  COFFER_ASSIGN_OR_RETURN(Response issued, IssueLoginToken(*answer->login, mount.entry, request));
  issued.warnings = answer->warnings;
  if (wrap_ttl) {
    return WrapResponse(issued, *wrap_ttl, request.path);
  }
  return issued;
}

Result<Response> Core::IssueLoginToken(const LoginGrant& grant, const MountEntry& mount,
                                       const Request& request) {
  const TokenParams& params = grant.token;
  TokenCreateRequest create;
  create.batch = params.type == "batch";
  create.policies = TokenPolicies(params);
  create.meta = grant.metadata;
  const std::string mount_name = mount.path.substr(5, mount.path.size() - 6);  // "auth/x/" → "x"
  std::string display = mount_name;
  if (!grant.display_name.empty()) {
    display += "-" + grant.display_name;
  }
  std::transform(display.begin(), display.end(), display.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  create.display_name = display;
  create.path = request.path;
  // TTLs: the grant's, else the mount's default; never past the grant's or
  // the mount's maximum (which, for tokens, also caps every renewal).
  const int64_t mount_max = MaxLeaseTtl(mount);
  const int64_t max_ttl = params.max_ttl > 0 ? std::min(params.max_ttl, mount_max) : mount_max;
  int64_t ttl = params.ttl > 0 ? params.ttl : DefaultLeaseTtl(mount);
  if (params.period > 0) {
    ttl = params.period;
  }
  create.explicit_max_ttl = params.explicit_max_ttl;
  if (params.period == 0) {
    ttl = std::min(ttl, max_ttl);
    if (params.max_ttl > 0) {
      create.explicit_max_ttl = create.explicit_max_ttl > 0
                                    ? std::min(create.explicit_max_ttl, max_ttl)
                                    : max_ttl;
    }
  }
  if (create.explicit_max_ttl > 0) {
    ttl = std::min(ttl, create.explicit_max_ttl);
  }
  create.ttl = ttl;
  create.period = params.period;
  create.num_uses = params.num_uses;
  create.bound_cidrs = params.bound_cidrs;
  create.renewable = grant.renewable && !create.batch;
  COFFER_ASSIGN_OR_RETURN(TokenStore::Created created, tokens_.Create(create));
  Response response;
  response.auth = token_api::AuthBlock(created.token, created.entry);
  return response;
}

}  // namespace coffer::core
