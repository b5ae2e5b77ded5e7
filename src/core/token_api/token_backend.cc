#include <chrono>

#include "core/builtin_backends.h"
#include "core/core.h"
#include "core/framework/time_format.h"
#include "core/framework/framework_engine.h"
#include "core/token_api/token_paths.h"

namespace coffer::core {

namespace token_api {

using nlohmann::json;

namespace {
std::string Rfc3339(int64_t unix_seconds) {
  return framework::FormatRfc3339Nano(unix_seconds * 1'000'000'000);
}
}  // namespace

int64_t NowUnix(Core& core) {
  return std::chrono::duration_cast<std::chrono::seconds>(core.clock().Now().time_since_epoch())
      .count();
}

Result<TokenEntry> Caller(Core& core, const EngineRequest& request) {
  return core.tokens().LookupByKey("sys/token/id/" + request.client_id);
}

json LookupData(const TokenEntry& e, const std::string& id, int64_t now) {
  json data = {{"accessor", e.accessor},
               {"creation_time", e.creation_time},
               {"creation_ttl", e.creation_ttl},
               {"display_name", e.display_name},
               {"entity_id", e.entity_id},
               {"expire_time", e.ttl == 0 ? json() : json(Rfc3339(e.ExpireTime()))},
               {"explicit_max_ttl", e.explicit_max_ttl},
               {"id", id},
               {"issue_time", Rfc3339(e.creation_time)},
               {"meta", e.meta.empty() ? json() : json(e.meta)},
               {"num_uses", e.num_uses < 0 ? 0 : e.num_uses},
               {"orphan", e.parent_key.empty()},
               {"path", e.path},
               {"policies", e.policies},
               {"renewable", e.renewable},
               {"ttl", e.RemainingTtl(now)},
               {"type", e.TypeName()}};
  if (e.period > 0) {
    data["period"] = e.period;
  }
  if (!e.role.empty()) {
    data["role"] = e.role;
  }
  if (!e.bound_cidrs.empty()) {
    data["bound_cidrs"] = e.bound_cidrs;
  }
  return data;
}

json AuthBlock(const std::string& token, const TokenEntry& e) {
  std::vector<std::string> token_policies = e.policies;
  return {{"client_token", token},
          {"accessor", e.accessor},
          {"policies", e.policies},
          {"token_policies", token_policies},
          {"metadata", e.meta.empty() ? json() : json(e.meta)},
          {"lease_duration", e.ttl},
          {"renewable", e.renewable && e.ttl > 0},
          {"entity_id", e.entity_id},
          {"token_type", e.TypeName()},
          {"orphan", e.parent_key.empty()},
          {"mfa_requirement", nullptr},
          {"num_uses", e.num_uses}};
}

}  // namespace token_api

Result<std::unique_ptr<Engine>> MakeTokenBackend(Core& core) {
  std::vector<framework::PathSpec> paths;
  for (auto group : {token_api::CreatePaths(core), token_api::LookupPaths(core),
                     token_api::RenewRevokePaths(core), token_api::RolePaths(core)}) {
    for (auto& p : group) {
      paths.push_back(std::move(p));
    }
  }
  COFFER_ASSIGN_OR_RETURN(auto engine, framework::FrameworkEngine::Create(
                                           "token", std::move(paths),
                                           "The token store: create, look up, renew and revoke "
                                           "tokens."));
  return std::unique_ptr<Engine>(std::move(engine));
}

}  // namespace coffer::core
