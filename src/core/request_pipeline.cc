// The authenticated request path of DESIGN.md: token → route → create or
// update → ACL → audit (write-ahead) → engine → response wrapping → audit.
// A leased secret becomes a lease of the token before the response leaves.
#include <array>
#include <chrono>
#include <optional>

#include <spdlog/spdlog.h>

#include "core/core.h"
#include "core/policy/acl.h"
#include "core/sys_seal_api.h"
#include "core/token_api/token_paths.h"

namespace coffer::core {

namespace {

// Vault's root-protected paths: they need "sudo" on top of the operation's
// capability.
constexpr std::array<std::string_view, 12> kRootPathPrefixes = {
    "sys/auth/",          "sys/remount",          "sys/audit",
    "sys/raw",            "sys/rotate",           "sys/revoke-prefix/",
    "sys/revoke-force/",  "sys/leases/revoke-prefix/", "sys/leases/revoke-force/",
    "sys/leases/lookup/", "auth/token/revoke-orphan",  "auth/token/accessors"};

nlohmann::json EngineData(const Request& request) {
  nlohmann::json data = request.data.is_object() ? request.data : nlohmann::json::object();
  if (request.operation == Operation::kRead || request.operation == Operation::kList ||
      request.operation == Operation::kDelete) {
    // Vault hands GET/LIST/DELETE query parameters to the backend as data.
    for (const auto& [k, v] : request.query) {
      if (!data.contains(k)) {
        data[k] = v;
      }
    }
  }
  return data;
}

}  // namespace

std::optional<Result<Response>> Core::BatchTokenAnswer(const Request& request,
                                                      const MountedEngine& mount,
                                                      const TokenEntry& token) {
  // The token store keeps nothing for a batch token: what needs its entry
  // is answered from the token itself, and what would change it is refused.
  if (request.path == "auth/token/lookup-self") {
    nlohmann::json data = token_api::LookupData(token, request.client_token, NowUnix());
    data["accessor"] = "";
    return Result<Response>(Response::Data(std::move(data)));
  }
  if (request.path == "auth/token/renew-self" || request.path == "auth/token/revoke-self") {
    return Result<Response>(
        Status::InvalidArgument("batch tokens cannot be renewed or revoked"));
  }
  if (mount.entry.type == "cubbyhole") {
    return Result<Response>(Status::InvalidArgument(
        "cubbyhole operations are only supported by \"service\" type tokens"));
  }
  return std::nullopt;
}

bool Core::IsRootPath(std::string_view path) {
  if (path == "sys/auth") {
    return true;
  }
  for (std::string_view prefix : kRootPathPrefixes) {
    if (path.starts_with(prefix)) {
      return true;
    }
  }
  return false;
}

namespace {

int64_t NowNanos(const Clock& clock) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(clock.Now().time_since_epoch())
      .count();
}

}  // namespace

void Core::HandleAsync(const Request& request, const Completion& done) {
  std::optional<Result<Response>> answer;
  try {
    if (auto answered = HandleSealApi(*this, request)) {
      answer = std::move(*answered);
    } else if (!initialized()) {
      answer = Status::NotInitialized();
    } else if (sealed()) {
      answer = Status::Sealed();
    } else if (!audit_.enabled()) {
      answer = Serve(request, nullptr);
    } else {
      AuditRecord record(request, NowNanos(*options_.clock));
      auto result = std::make_shared<Result<Response>>(Serve(request, &record));
      FinishAudited(record, std::move(result), done);
      return;
    }
  } catch (const std::exception& e) {
    // Only a broken invariant gets here; the detail stays in the server log.
    answer = Status::Internal(std::string("unexpected exception: ") + e.what());
  }
  done(std::move(*answer));
}

void Core::FinishAudited(AuditRecord& record, std::shared_ptr<Result<Response>> result,
                         const Completion& done) {
  if (record.write_ahead != nullptr) {
    // Whatever the operation did waited for the request entry; a response
    // that wrote nothing waits for it here.
    if (Status logged = record.write_ahead->Wait(); !logged.ok()) {
      done(Result<Response>(std::move(logged)));  // the failure to record is the answer
      return;
    }
  }
  if (record.request_logged && record.audit_failed) {
    done(std::move(*result));  // the failure to record is the answer
    return;
  }
  // Refused before the operation (bad token, denied, no route, bad input):
  // the refusal is recorded too, and nothing ran. Either way the response
  // is not released unless it is on record.
  audit::EntryPair entries = record.Pair(*result, NowNanos(*options_.clock));
  audit_.LogAsync(std::move(entries), record.Unwritten(), [done, result](Status logged) {
    // This runs on an audit writer or the deadline thread, which must
    // survive whatever answering throws (only allocation failure can).
    try {
      done(logged.ok() ? std::move(*result) : Result<Response>(std::move(logged)));
    } catch (const std::exception& e) {
      spdlog::error("answering an audited request failed: {}", e.what());
    }
  });
}

bool Core::BlocksOnlyOnStorage(const Request& request) {
  if (request.path.starts_with("sys/") || !initialized() || sealed()) {
    return false;
  }
  try {
    auto route = router_.Route(request.path);
    return route && route->mount->engine->WritesOnlyStorage();
  } catch (const std::exception&) {
    return false;  // HandleAsync will meet it again and answer it
  }
}

bool Core::HandleWithoutBlocking(const Request& request, const Completion& done) {
  // Only reads and lists of engines whose reads only read storage qualify;
  // sys/ and auth/ (logins, token creation, unwrapping) always block.
  if ((request.operation != Operation::kRead && request.operation != Operation::kList) ||
      !request.wrap_ttl.empty() || request.path.starts_with("sys/") ||
      request.path.starts_with("auth/") || !initialized() || sealed()) {
    return false;
  }
  try {
    auto route = router_.Route(request.path);
    if (!route || !route->mount->engine->ReadsWithoutBlocking()) {
      return false;
    }
  } catch (const std::exception&) {
    return false;  // Handle will meet it again and answer it
  }
  // A token with limited uses spends one, which is a storage write. (A
  // token found expired here is revoked at once, a write too; that
  // happens once per token.) A refused token is refused here, on record.
  std::optional<Result<std::shared_ptr<const TokenEntry>>> token;
  try {
    token.emplace(tokens_.CheckShared(request.client_token, request.remote_address));
  } catch (const std::exception&) {
    return false;
  }
  if (token->ok() && (**token)->num_uses != 0) {
    return false;
  }
  auto serve = [&](AuditRecord* record) -> Result<Response> {
    if (!token->ok()) {
      return token->status();
    }
    return ServeAsToken(request, ***token, record);
  };
  if (!audit_.enabled()) {
    Result<Response> served = Status::Internal("not served");
    try {
      served = serve(nullptr);
    } catch (const std::exception& e) {
      served = Status::Internal(std::string("unexpected exception: ") + e.what());
    }
    done(std::move(served));
    return true;
  }
  try {
    AuditRecord record(request, NowNanos(*options_.clock));
    record.deferred = true;
    FinishAudited(record, std::make_shared<Result<Response>>(serve(&record)), done);
  } catch (const std::exception& e) {
    done(Status::Internal(std::string("unexpected exception: ") + e.what()));
  }
  return true;
}

Status Core::LogRequest(AuditRecord* record,
                        std::optional<storage::WriteGate::Scope>* run_ahead) {
  if (record == nullptr) {
    return Status::Ok();
  }
  record->request_logged = true;
  if (record->deferred) {
    return Status::Ok();  // written with the response entry
  }
  if (run_ahead != nullptr) {
    auto gate = std::make_shared<storage::WriteGate>();
    audit_.LogAsync(record->RequestPair(), audit::PairPart::kRequest,
                    [gate](Status logged) { gate->Settle(std::move(logged)); });
    run_ahead->emplace(gate.get());
    record->write_ahead = std::move(gate);
    return Status::Ok();
  }
  Status logged = audit_.Log(record->RequestPair(), audit::PairPart::kRequest);
  record->audit_failed = !logged.ok();
  return logged;
}

Result<Response> Core::Serve(const Request& request, AuditRecord* record) {
  bool handled = false;
  Result<Response> wrapping = HandleWrapping(request, &handled, record);
  if (handled) {
    return wrapping;
  }

  if (request.path.starts_with("auth/")) {
    auto route = router_.Route(request.path);
    if (route && route->mount->engine->IsLoginPath(route->relative_path)) {
      return HandleLogin(request, *route, record);
    }
  }

  COFFER_ASSIGN_OR_RETURN(TokenEntry token, tokens_.Use(request.client_token, request.remote_address));
  return ServeAsToken(request, token, record);
}

Result<Response> Core::ServeAsToken(const Request& request, const TokenEntry& token,
                                    AuditRecord* record) {
  if (record != nullptr) {
    record->SetToken(token, NowUnix(), &audit_auth_);
  }
  if (token.num_uses < 0) {
    // This request spends the token's last use: it runs, then the token goes.
    struct RevokeWhenDone {
      TokenStore& tokens;
      std::string id_key;
      ~RevokeWhenDone() { (void)tokens.Revoke(id_key); }
    };
    RevokeWhenDone last_use{tokens_, token.id_key};
    TokenEntry spending = token;
    spending.num_uses = 0;
    return HandleAsToken(request, spending, record);
  }
  return HandleAsToken(request, token, record);
}

Result<Response> Core::HandleAsToken(const Request& request, const TokenEntry& token,
                                     AuditRecord* record) {
  if (request.path == "sys/seal") {
    if (request.operation != Operation::kUpdate) {
      return Status::Unsupported("unsupported operation");
    }
    COFFER_ASSIGN_OR_RETURN(std::shared_ptr<const policy::Acl> seal_acl,
                            policies_.AclFor(token.policies));
    COFFER_RETURN_IF_ERROR(seal_acl->Allows(Operation::kUpdate, "sys/seal", request.data, true));
    COFFER_RETURN_IF_ERROR(LogRequest(record));
    Seal();
    return Response::NoContent();
  }
  auto route = router_.Route(request.path);
  if (!route) {
    return Status::NotFound("no handler for route \"" + request.path +
                            "\". route entry not found.");
  }
  const MountedEngine& mount = *route->mount;
  if (record != nullptr) {
    record->SetMount(mount.entry.type, mount.entry.accessor);
  }

  EngineRequest engine_request = ContextFor(mount);
  engine_request.operation = request.operation;
  engine_request.path = route->relative_path;
  if (engine_request.operation == Operation::kList && !engine_request.path.empty() &&
      !engine_request.path.ends_with('/')) {
    // Vault lists folders: LIST secret/metadata means secret/metadata/.
    engine_request.path.push_back('/');
  }
  engine_request.data = EngineData(request);
  engine_request.client_id = token.id_key.substr(token.id_key.rfind('/') + 1);
  engine_request.remote_address = request.remote_address;

  if (engine_request.operation == Operation::kUpdate) {
    // Vault's existence check: a write to something that does not exist yet
    // is a "create", which policies can grant separately from "update".
    COFFER_ASSIGN_OR_RETURN(bool exists, mount.engine->ExistsAndPrepare(&engine_request));
    if (!exists) {
      engine_request.operation = Operation::kCreate;
    }
  }
  if (record != nullptr) {
    record->SetOperation(engine_request.operation);
  }

  COFFER_ASSIGN_OR_RETURN(std::shared_ptr<const policy::Acl> acl,
                          policies_.AclFor(token.policies));
  policy::AccessRequest access;
  access.operation = engine_request.operation;
  access.path = request.path;
  access.data = &engine_request.data;
  access.needs_sudo = IsRootPath(request.path);
  COFFER_ASSIGN_OR_RETURN(std::optional<int64_t> wrap_ttl, ParseWrapTtl(request));
  if (wrap_ttl) {
    access.wrap_ttl_seconds = wrap_ttl;
    if (record != nullptr) {
      record->SetWrapTtl(*wrap_ttl);
    }
  }
  COFFER_RETURN_IF_ERROR(acl->Allows(access));
  if (request.path == "sys/wrapping/wrap" && !wrap_ttl) {
    return Status::InvalidArgument("sys/wrapping/wrap needs a wrap TTL (X-Vault-Wrap-TTL)");
  }

  if (token.batch) {
    if (auto answer = BatchTokenAnswer(request, mount, token)) {
      if (answer->ok()) {
        COFFER_RETURN_IF_ERROR(LogRequest(record));
      }
      return std::move(*answer);
    }
  }
  // Until this returns, the operation's storage writes (and those of
  // wrapping its response) may wait for a request entry still being
  // written. What the caller does afterwards (spending a token's last
  // use) does not.
  std::optional<storage::WriteGate::Scope> held_back;
  COFFER_RETURN_IF_ERROR(
      LogRequest(record, mount.engine->WritesOnlyStorage() ? &held_back : nullptr));
  COFFER_ASSIGN_OR_RETURN(Response response, mount.engine->Handle(engine_request));
  if (response.secret) {
    COFFER_RETURN_IF_ERROR(RegisterLease(request.path, mount, token, response));
  }
  if (request.path == "auth/token/lookup-self" && response.data.is_object()) {
    // The token store keeps no token ids; the caller's is the one it sent.
    response.data["id"] = request.client_token;
  }
  if (request.path == "auth/token/renew-self" && response.auth) {
    (*response.auth)["client_token"] = request.client_token;
  }
  if (wrap_ttl && (!response.data.is_null() || response.encoded_data_member || response.auth)) {
    return WrapResponse(response, *wrap_ttl, request.path);
  }
  return response;
}

}  // namespace coffer::core
