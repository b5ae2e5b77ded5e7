// auth/token/lookup*, renew*, revoke*.
#include "core/core.h"
#include "core/token_api/token_paths.h"

namespace coffer::core::token_api {

namespace {

using framework::FieldData;
using framework::FieldType;
using nlohmann::json;

constexpr std::string_view kIdPrefix = "sys/token/id/";

Result<TokenEntry> ByToken(Core& core, const std::string& token) {
  if (token.empty()) {
    return Status::InvalidArgument("missing token");
  }
  auto entry = core.tokens().Lookup(token);
  if (!entry.ok() && entry.status().code() == Code::kPermissionDenied) {
    return Status::InvalidArgument("bad token");
  }
  return entry;
}

Result<Response> RenewResponse(Core& core, const TokenEntry& e, int64_t increment) {
  auto token_mount = core.MountFor("auth/token");
  const int64_t max_ttl =
      token_mount.ok() ? core.MaxLeaseTtl(*token_mount) : core.options().max_lease_ttl;
  COFFER_ASSIGN_OR_RETURN(TokenEntry renewed, core.tokens().Renew(e.id_key, increment, max_ttl));
  Response r;
  r.auth = AuthBlock("", renewed);
  (*r.auth)["client_token"] = "";
  return r;
}

framework::PathSpec Path(const std::string& pattern, framework::Fields fields) {
  framework::PathSpec p;
  p.pattern = pattern;
  p.fields = std::move(fields);
  return p;
}

}  // namespace

std::vector<framework::PathSpec> LookupPaths(Core& core) {
  auto lookup = Path("lookup", {{"token", {FieldType::kString, json(""), false, "Token."}}});
  auto lookup_handler = [&core](const EngineRequest& r, const FieldData& d) -> Result<Response> {
    std::string token = d.GetString("token");
    if (token.empty()) {
      // GET auth/token/lookup without a token looks up the caller, as Vault.
      COFFER_ASSIGN_OR_RETURN(TokenEntry self, Caller(core, r));
      return Response::Data(LookupData(self, "", NowUnix(core)));
    }
    COFFER_ASSIGN_OR_RETURN(TokenEntry e, ByToken(core, token));
    return Response::Data(LookupData(e, token, NowUnix(core)));
  };
  lookup.operations[Operation::kUpdate] = lookup_handler;
  lookup.operations[Operation::kRead] = lookup_handler;

  auto self = Path("lookup-self", {});
  self.operations[Operation::kRead] = [&core](const EngineRequest& r,
                                              const FieldData&) -> Result<Response> {
    COFFER_ASSIGN_OR_RETURN(TokenEntry e, Caller(core, r));
    // The caller's own id is not stored; Vault echoes the token it was sent,
    // which the core does not hand to engines, so the id is left out.
    return Response::Data(LookupData(e, "", NowUnix(core)));
  };
  self.operations[Operation::kUpdate] = self.operations[Operation::kRead];

  auto by_accessor =
      Path("lookup-accessor(/(?P<urlaccessor>[^/]+))?",
           {{"accessor", {FieldType::kString, json(""), false, "Accessor."}},
            {"urlaccessor", {FieldType::kString, json(""), false, "Accessor in the URL."}}});
  by_accessor.operations[Operation::kUpdate] = [&core](const EngineRequest&,
                                                       const FieldData& d) -> Result<Response> {
    std::string accessor = d.GetString("accessor");
    if (accessor.empty()) {
      accessor = d.GetString("urlaccessor");
    }
    COFFER_ASSIGN_OR_RETURN(TokenEntry e, core.tokens().LookupAccessor(accessor));
    return Response::Data(LookupData(e, "", NowUnix(core)));
  };
  return {lookup, self, by_accessor};
}

std::vector<framework::PathSpec> RenewRevokePaths(Core& core) {
  std::vector<framework::PathSpec> out;

  auto renew = Path("renew(/(?P<urltoken>.+))?",
                    {{"token", {FieldType::kString, json(""), false, "Token."}},
                     {"urltoken", {FieldType::kString, json(""), false, "Token in the URL."}},
                     {"increment", {FieldType::kDuration, json(0), false, "Seconds to add."}}});
  renew.operations[Operation::kUpdate] = [&core](const EngineRequest&,
                                                 const FieldData& d) -> Result<Response> {
    std::string token = d.GetString("token");
    if (token.empty()) {
      token = d.GetString("urltoken");
    }
    COFFER_ASSIGN_OR_RETURN(TokenEntry e, ByToken(core, token));
    COFFER_ASSIGN_OR_RETURN(Response r, RenewResponse(core, e, d.GetDuration("increment")));
    (*r.auth)["client_token"] = token;
    return r;
  };
  out.push_back(renew);

  auto renew_self = Path("renew-self", {{"increment", {FieldType::kDuration, json(0), false, ""}},
                                        {"token", {FieldType::kString, json(""), false, ""}}});
  renew_self.operations[Operation::kUpdate] = [&core](const EngineRequest& r,
                                                      const FieldData& d) -> Result<Response> {
    COFFER_ASSIGN_OR_RETURN(TokenEntry e, Caller(core, r));
    return RenewResponse(core, e, d.GetDuration("increment"));
  };
  out.push_back(renew_self);

  auto renew_accessor = Path("renew-accessor",
                             {{"accessor", {FieldType::kString, json(), true, ""}},
                              {"increment", {FieldType::kDuration, json(0), false, ""}}});
  renew_accessor.operations[Operation::kUpdate] = [&core](const EngineRequest&,
                                                          const FieldData& d) -> Result<Response> {
    COFFER_ASSIGN_OR_RETURN(TokenEntry e, core.tokens().LookupAccessor(d.GetString("accessor")));
    return RenewResponse(core, e, d.GetDuration("increment"));
  };
  out.push_back(renew_accessor);

  auto revoke = Path("revoke(/(?P<urltoken>.+))?",
                     {{"token", {FieldType::kString, json(""), false, "Token."}},
                      {"urltoken", {FieldType::kString, json(""), false, ""}}});
  revoke.operations[Operation::kUpdate] = [&core](const EngineRequest&,
                                                  const FieldData& d) -> Result<Response> {
    std::string token = d.GetString("token");
    if (token.empty()) {
      token = d.GetString("urltoken");
    }
    COFFER_ASSIGN_OR_RETURN(TokenEntry e, ByToken(core, token));
    COFFER_RETURN_IF_ERROR(core.tokens().Revoke(e.id_key));
    return Response::NoContent();
  };
  out.push_back(revoke);

  auto revoke_self = Path("revoke-self", {});
  revoke_self.operations[Operation::kUpdate] = [&core](const EngineRequest& r,
                                                       const FieldData&) -> Result<Response> {
    COFFER_RETURN_IF_ERROR(core.tokens().Revoke(std::string(kIdPrefix) + r.client_id));
    return Response::NoContent();
  };
  out.push_back(revoke_self);

  auto revoke_accessor = Path("revoke-accessor(/(?P<urlaccessor>[^/]+))?",
                              {{"accessor", {FieldType::kString, json(""), false, ""}},
                               {"urlaccessor", {FieldType::kString, json(""), false, ""}}});
  revoke_accessor.operations[Operation::kUpdate] = [&core](const EngineRequest&,
                                                           const FieldData& d) -> Result<Response> {
    std::string accessor = d.GetString("accessor");
    if (accessor.empty()) {
      accessor = d.GetString("urlaccessor");
    }
    COFFER_ASSIGN_OR_RETURN(TokenEntry e, core.tokens().LookupAccessor(accessor));
    COFFER_RETURN_IF_ERROR(core.tokens().Revoke(e.id_key));
    return Response::NoContent();
  };
  out.push_back(revoke_accessor);

  auto revoke_orphan = Path("revoke-orphan(/(?P<urltoken>.+))?",
                            {{"token", {FieldType::kString, json(""), false, ""}},
                             {"urltoken", {FieldType::kString, json(""), false, ""}}});
  revoke_orphan.operations[Operation::kUpdate] = [&core](const EngineRequest&,
                                                         const FieldData& d) -> Result<Response> {
    std::string token = d.GetString("token");
    if (token.empty()) {
      token = d.GetString("urltoken");
    }
    COFFER_ASSIGN_OR_RETURN(TokenEntry e, ByToken(core, token));
    COFFER_RETURN_IF_ERROR(core.tokens().RevokeOrphan(e.id_key));
    return Response::NoContent();
  };
  out.push_back(revoke_orphan);

  auto tidy = Path("tidy", {});
  tidy.operations[Operation::kUpdate] = [](const EngineRequest&,
                                           const FieldData&) -> Result<Response> {
    // Revocation removes index entries in the same transaction as the
    // token, so there is nothing dangling to tidy.
    Response r;
    r.warnings.push_back("Tidy operation successfully started. Any information from the "
                         "operation will be printed to the server logs.");
    return r;
  };
  out.push_back(tidy);
  return out;
}

}  // namespace coffer::core::token_api
